import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Random inputs for the recommendation-file parser: valid files mutated at the byte and token
/// level (the inputs most likely to reach deep paths), and token soups built from the format's
/// own punctuation, odd whitespace and broken UTF-8.
struct ParserInputs {
  var rng: SeededRandom

  static let seeds: [[UInt8]] = [
    Array(sampleRecommendation(id: "DP-01").utf8),
    Array(
      sampleRecommendation(id: "DP-02", extra: "progress: |-\n  one\n\n  two\nevidence: 'it''s'  # c\n").utf8),
    Array(
      "id: A\r\ntitle: \"x\\u00e9\\t\"\r\nsource: s\r\nraised: 2019-01-01\r\nowner: o\r\nstatus: open\r\ntags: []\r\n"
        .utf8),
    Array("\u{FEFF}# c\nid: B-1\ndescription: |\n  a\n    b\n\n".utf8),
  ]

  static let tokens: [[UInt8]] =
    [
      ": ", ":", " #", "#", "|", "|-", "|+", "|2", ">", "[", "]", "[a, b]", ",", "'", "''", "\"", "\\",
      "\\x4", "\\u12",
      "\\U0001F600", "\\N", "\n", "\r\n", "\r", "  ", "\t", "- ", "---", "...", "&a", "*a", "!t", "{", "}",
      "%", "@", "`",
      "é", "\u{2028}", "\u{85}", "\u{FEFF}", "😀", "id: X", "status: open", "key:", "a", "A-1", "  # c",
    ].map { Array($0.utf8) } + [
      [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0x7F], [0xE2, 0x80],
    ]

  mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }

  mutating func next() -> [UInt8] {
    if int(4) == 0 {
      var out: [UInt8] = []
      for _ in 0..<int(40) { out += Self.tokens[int(Self.tokens.count)] }
      return out
    }
    var bytes = Self.seeds[int(Self.seeds.count)]
    for _ in 0...int(4) {
      let p = int(bytes.count + 1)
      switch int(6) {
      case 0 where !bytes.isEmpty: bytes[min(p, bytes.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
      case 1: bytes.insert(contentsOf: Self.tokens[int(Self.tokens.count)], at: p)
      case 2 where !bytes.isEmpty:
        bytes.removeSubrange(min(p, bytes.count - 1)..<min(bytes.count, p + int(8) + 1))
      case 3:
        // Duplicate a slice somewhere else (repeated keys, nested blocks).
        let a = int(bytes.count + 1)
        let b = min(bytes.count, a + int(30))
        bytes.insert(contentsOf: bytes[a..<b], at: int(bytes.count + 1))
      case 4: bytes.insert(contentsOf: [UInt8](repeating: 0x20, count: int(6)), at: p)
      default: bytes.insert(UInt8(truncatingIfNeeded: rng.next() % 128), at: p)
      }
    }
    return bytes
  }
}

@Suite struct ParserFuzzTests {
  /// Parse, and when a file parses, validate it, read every field and edit it: none of this may
  /// crash, and an edit either fails with a located error or reads back exactly.
  @Test func randomInputsNeverCrashTheParserOrTheEditor() throws {
    let count = SlowTests.size(5_000, slow: 150_000, full: 2_000_000)
    let seed = UInt64(
      ProcessInfo.processInfo.environment["RECTRACK_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED)
    var inputs = ParserInputs(rng: SeededRandom(seed: seed))
    let statuses = ["open", "in-progress", "closed"]
    var parsed = 0
    var edited = 0
    let start = Date()
    for n in 0..<count {
      let bytes = inputs.next()
      guard var doc = try? RecommendationDocument(bytes: bytes, path: "Recommendations/F.yml") else {
        continue
      }
      parsed += 1
      _ = doc.validate(expectedID: "F", statuses: statuses)
      _ = doc.fields
      // Editing is slower (it re-parses): exercise it on a sample of the files that parse.
      guard n % 8 == 0 else { continue }
      let key = doc.keys.isEmpty ? "title" : doc.keys[inputs.int(doc.keys.count)]
      let value: FieldValue =
        inputs.int(3) == 0
        ? .list(["a", "b: c", "'"])
        : .text(String(decoding: inputs.next().prefix(40), as: UTF8.self))
      do {
        try doc.set(key, to: value)
        #expect(doc[key] == value, "seed \(seed) input \(n)")
        let again = try RecommendationDocument(bytes: doc.bytes, path: "Recommendations/F.yml")
        #expect(again[key] == value)
        edited += 1
      } catch {
        #expect(error.line >= 1)
      }
      doc.remove(key)
    }
    let seconds = Date().timeIntervalSince(start)
    FileHandle.standardError.write(
      Data(
        "[reliability] fuzz: \(count) random inputs (seed \(seed)), \(parsed) parsed, \(edited) edited and re-read, no crash, \(String(format: "%.1f", seconds)) s (\(Int(Double(count) / seconds)) inputs/s)\n"
          .utf8))
  }

  @Test func filesAndLinesOverTheLimitsAreRefusedClearly() throws {
    let big = Array(
      sampleRecommendation(
        id: "DP-01", extra: "evidence: |\n" + String(repeating: "  padding text\n", count: 80_000)
      ).utf8)
    #expect(big.count > 1 << 20)
    #expect {
      try RecommendationDocument(bytes: big, path: "Recommendations/DP-01.yml")
    } throws: { error in
      (error as? FormatError)?.description
        == "Recommendations/DP-01.yml:1:1: error: the file is \(big.count) bytes, more than the 1048576 a recommendation file may have\nhint: move long evidence into a separate document and link to it"
    }
    let long = sampleRecommendation(
      id: "DP-01", extra: "progress: " + String(repeating: "x", count: 70_000) + "\n")
    #expect {
      try RecommendationDocument(text: long, path: "Recommendations/DP-01.yml")
    } throws: { error in
      (error as? FormatError)?.description
        == "Recommendations/DP-01.yml:13:1: error: line 13 is 70010 bytes long, more than the 65536 a line may have\nhint: split the text over several lines under a 'key: |' line"
    }
    // Just under the line limit is fine.
    let fits = sampleRecommendation(
      id: "DP-01", extra: "progress: " + String(repeating: "x", count: 65_000) + "\n")
    #expect(try RecommendationDocument(text: fits, path: "x.yml")["progress"]?.text?.count == 65_000)
  }
}
