import Testing

@testable import RecTrackCore

/// The table counts and trims printable ASCII bytewise (5,000 rows of `list`): on any text the
/// answers must be those of the character-wise rules, `count`, `split` and `trimTrailing`.
@Suite struct TextTableFastPathTests {
  /// Pieces that meet at character boundaries in every way: ASCII, accents as one code point and
  /// as a combining mark, a prepended mark that joins the space after it, CR LF, emoji with a
  /// modifier, wide characters, control characters and spaces.
  static let pieces = [
    "a", "Z", " ", "  ", "-", "(", "é", "e\u{301}", "\u{301}", "\u{0600}", "\r\n", "\r", "\n", "\t",
    "👍🏽", "日本", "\u{1B}", "x", ";",
  ]

  /// Seeded texts made of `pieces` (the same every run), plus a few chosen ones.
  static let texts: [String] = {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    var out = ["", "abc", "a  b ", "café ", "e\u{301} x ", "\u{0600} ", "\u{0600}  ", "a\u{0600} ", "x\r\n "]
    for _ in 0..<3_000 {
      out.append((0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined())
    }
    return out
  }()

  @Test func lengthIsTheCharacterCount() {
    for s in Self.texts { #expect(TextTable.length(s) == s.count, "\(Array(s.unicodeScalars))") }
  }

  @Test func longestWordIsTheLongestPieceOfASplit() {
    for s in Self.texts {
      guard let longest = TextTable.longestASCIIWord(s) else {
        #expect(!s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        continue
      }
      #expect(longest == (s.split(separator: " ").map(\.count).max() ?? 0), "\(s)")
    }
  }

  @Test func longestPartIsTheLongestOfTheParts() {
    for s in Self.texts {
      for separator in ["; ", " (", ", ", ";", "->"] {
        guard let longest = TextTable.longestASCIIPart(s, separator) else { continue }
        #expect(longest == TextTable.parts(s, separator).map(\.count).max(), "\(s) / \(separator)")
      }
    }
  }

  /// Greedy wrapping as `wrap` documents it, character by character: words joined by one space
  /// while they fit, a word longer than a line broken every `width` characters.
  static func referenceWrap(_ text: String, width: Int) -> [String] {
    if text.count <= width { return [text] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ").map(String.init) {
      var word = word
      if word.count > width {
        if !line.isEmpty { lines.append(line) }
        while word.count > width {
          lines.append(String(word.prefix(width)))
          word = String(word.dropFirst(width))
        }
        line = word
      } else if line.isEmpty {
        line = word
      } else if line.count + 1 + word.count <= width {
        line += " " + word
      } else {
        lines.append(line)
        line = word
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.isEmpty ? [""] : lines
  }

  @Test func wrappingIsTheCharacterWiseWrap() {
    for s in Self.texts + ["Benchmark recommendation BR-00-000", "a   b  ccccccccccccccccccccccc d", "   "] {
      for width in [1, 3, 5, 8, 20] {
        #expect(
          TextTable.wrap(s, width: width, parts: nil) == Self.referenceWrap(s, width: width),
          "\(s) at \(width)")
      }
    }
  }

  @Test func trimmingBytesIsTrimmingTheText() {
    for s in Self.texts {
      for prefix in ["", "ID  ", "\u{0600}"] {
        var bytes = Array((prefix + "|").utf8)
        let start = bytes.count
        bytes += s.utf8
        TextTable.trimTrailing(&bytes, from: start)
        #expect(
          bytes == Array((prefix + "|").utf8) + Array(TextTable.trimTrailing(s).utf8),
          "\(Array(s.unicodeScalars))")
      }
    }
  }

  /// Paragraph wrapping's blank test (tab, space separators and U+200B, by scalar) is Foundation's
  /// `trimmingCharacters(in: .whitespaces).isEmpty`, which it replaced: every scalar that is
  /// whitespace of any kind, and a few that are not, alone, doubled and mixed with a space.
  @Test func aBlankParagraphIsWhatFoundationCallsBlank() {
    func reference(_ text: String, width: Int, indent: String) -> String {
      var out = ""
      for para in text.replacingCRLF.split(separator: "\n", omittingEmptySubsequences: false) {
        if para.trimmingCharacters(in: .whitespaces).isEmpty {
          out += "\n"
        } else {
          out += TextTable.wrap(String(para), width: max(10, width - indent.count), parts: nil)
            .map { indent + $0 + "\n" }.joined()
        }
      }
      while out.hasSuffix("\n\n") { out.removeLast() }
      return out
    }
    // (0x3100: past the last of them, U+3000.)
    var scalars = (0..<0x3100).compactMap(Unicode.Scalar.init).filter { $0.properties.isWhitespace }
    scalars += ["\u{200B}", "\u{FEFF}", "\u{180E}", "\u{00AD}", "x", "\u{0301}"]
    for c in scalars {
      for para in [String(c), String(c) + String(c), " " + String(c), String(c) + " x"] {
        let text = "First line.\n" + para + "\nLast line."
        #expect(
          TextTable.wrap(text, width: 40, indent: "  ") == reference(text, width: 40, indent: "  "),
          "U+\(String(c.value, radix: 16))")
      }
    }
  }
}
