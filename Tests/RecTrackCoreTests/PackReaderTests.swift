import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// `PackReader` against git itself: every object of repositories packed the ways git packs them
/// (deltas by offset and by id, chains 50 deep, 64-bit offsets, several packs beside loose
/// objects) must read as `git cat-file --batch` prints it, or not at all; a damaged entry must
/// never read as anything. No timings.
@Suite struct PackReaderTests {
  /// One repository with a few hundred versions of a folder, packed by `pack`, each object
  /// compared. Returns how many objects the reader read.
  @discardableResult
  func compareEveryObject(seed: UInt64, pack: (TestRepository) throws -> Void) throws -> (
    read: Int, loose: Int
  ) {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 40)
    try pack(repo)
    let git = repo.git
    let packed = try packedObjects(repo)
    let objects = try catFileAll(git)
    #expect(!objects.isEmpty)
    let reader = try #require(PackReader(objectsFolder: repo.path + "/.git/objects"))
    var read = 0
    var loose = 0
    for (hex, (type, bytes)) in objects {
      let id = try #require(ObjectID(hex: hex))
      let got = reader.read(id)
      if packed.contains(hex) {
        let object = try #require(got, "packed object \(hex) (\(type)) not read")
        #expect(object.type == Self.typeNumber[type], "\(hex)")
        #expect(Array(object.buffer) == bytes, "\(hex) \(type)")
        read += 1
      } else {
        #expect(got == nil, "loose object \(hex) read from a pack")
        loose += 1
      }
    }
    return (read, loose)
  }

  static let typeNumber = ["commit": 1, "tree": 2, "blob": 3, "tag": 4]

  /// Every object in every pack of `repo`, by `git show-index`.
  func packedObjects(_ repo: TestRepository) throws -> Set<String> {
    let folder = repo.path + "/.git/objects/pack"
    var out: Set<String> = []
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".idx") {
      let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
      let listing = try runProcessBytes(
        Hermetic.git, ["show-index"], in: repo.path, environment: Hermetic.environment, stdin: Array(data))
      for line in String(decoding: listing.stdout, as: UTF8.self).split(separator: "\n") {
        out.insert(String(line.split(separator: " ")[1]))
      }
    }
    return out
  }

  /// `git cat-file --batch-all-objects --batch`: every object's type and bytes, by id.
  func catFileAll(_ git: GitCLI) throws -> [String: (String, [UInt8])] {
    let raw = try git.runData(["cat-file", "--batch-all-objects", "--batch"])
    var out: [String: (String, [UInt8])] = [:]
    var p = 0
    while p < raw.count {
      let eol = raw[p...].firstIndex(of: 0x0A)!
      let header = String(decoding: raw[p..<eol], as: UTF8.self).split(separator: " ")
      let size = Int(header[2])!
      out[String(header[0])] = (String(header[1]), Array(raw[(eol + 1)..<(eol + 1 + size)]))
      p = eol + 1 + size + 1
    }
    return out
  }

  @Test func deltasByOffsetInChainsFiftyDeep() throws {
    let counts = try compareEveryObject(seed: 11) { repo in
      try repo.git("repack", "-a", "-d", "-f", "--depth=50", "--window=50")
    }
    #expect(counts.read > 100 && counts.loose == 0)
  }

  @Test func deltasByObjectID() throws {
    let counts = try compareEveryObject(seed: 12) { repo in
      try repo.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "--depth=50")
      // The pack must really hold REF_DELTAs (entry type 7) for this test to test them.
      let folder = repo.path + "/.git/objects/pack/"
      let pack = try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") }!
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + pack)))
      let deltas = try repo.git("verify-pack", "-v", folder + pack).split(separator: "\n").filter {
        $0.split(separator: " ", omittingEmptySubsequences: true).count >= 7
      }
      #expect(!deltas.isEmpty)
      for row in deltas {
        let offset = Int(row.split(separator: " ", omittingEmptySubsequences: true)[4])!
        #expect(bytes[offset] >> 4 & 7 == 7, "\(row)")
      }
    }
    #expect(counts.read > 100)
  }

  /// `git index-pack --index-version=2,64`: every object past byte 64 of the pack has its offset
  /// in the index's 64-bit table.
  @Test func offsetsInTheLargeOffsetTable() throws {
    let counts = try compareEveryObject(seed: 13) { repo in
      try repo.git("repack", "-a", "-d", "-f")
      let folder = repo.path + "/.git/objects/pack/"
      let pack = try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") }!
      let idx = folder + pack.dropLast(5) + ".idx"
      let before = try FileManager.default.attributesOfItem(atPath: idx)[.size] as! Int
      try FileManager.default.removeItem(atPath: idx)
      try repo.git("index-pack", "--index-version=2,64", "-o", idx, folder + pack)
      let after = try FileManager.default.attributesOfItem(atPath: idx)[.size] as! Int
      #expect(after > before, "the index has a 64-bit offset table")
    }
    #expect(counts.read > 100)
  }

  /// Two packs and loose objects: loose ones are left to libgit2 (nil), packed ones read from
  /// whichever pack has them.
  @Test func severalPacksBesideLooseObjects() throws {
    let counts = try compareEveryObject(seed: 14) { repo in
      try repo.git("repack", "-d")
      try repo.write(
        "Recommendations/late/LATE-001.yml", TestRepository.recommendation(id: "LATE-001", status: "open"))
      _ = try repo.commitAll("A late one")
      try repo.git("repack", "-d")
      try repo.write(
        "Recommendations/late/LATE-002.yml", TestRepository.recommendation(id: "LATE-002", status: "open"))
      _ = try repo.commitAll("A loose one")
      let packs = try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/objects/pack")
      #expect(packs.filter { $0.hasSuffix(".pack") }.count == 2)
    }
    #expect(counts.read > 100 && counts.loose >= 3)
  }

  /// A byte changed inside one tree's compressed data: that tree and every version built on it
  /// read as nil (libgit2 then reports the damage), every other object as git prints it.
  @Test func aDamagedEntryIsNeverRead() throws {
    let repo = try HistoryGenerator.generate(seed: 15, steps: 40)
    try repo.git("repack", "-a", "-d", "-f", "--depth=50")
    let objects = try catFileAll(repo.git)
    let folder = repo.path + "/.git/objects/pack/"
    let pack = try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") }!
    // verify-pack -v: "<id> <type> <size> <size in pack> <offset> [<depth> <base id>]".
    let rows = try repo.git("verify-pack", "-v", folder + pack).split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }.filter { $0.count >= 5 && Self.typeNumber[$0[1]] != nil }
    let victim = try #require(rows.first { $0[1] == "tree" && $0.count == 5 && Int($0[3])! > 40 })
    let bases = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0.count >= 7 ? $0[6] : nil) })
    func builtOnVictim(_ id: String) -> Bool {
      var at: String? = id
      while let a = at {
        if a == victim[0] { return true }
        at = bases[a] ?? nil
      }
      return false
    }
    let path = folder + pack
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let spot = Int(victim[4])! + Int(victim[3])! / 2
    bytes[spot] ^= 0x5A
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    try Data(bytes).write(to: URL(fileURLWithPath: path))

    let reader = try #require(PackReader(objectsFolder: repo.path + "/.git/objects"))
    var damaged = 0
    for row in rows {
      let id = try #require(ObjectID(hex: row[0]))
      let got = reader.read(id)
      if builtOnVictim(row[0]) {
        #expect(got == nil, "\(row[0]) is built on the damaged entry")
        damaged += 1
      } else {
        let object = try #require(got, "\(row[0]) not read")
        #expect(Array(object.buffer) == objects[row[0]]!.1, "\(row[0])")
      }
    }
    #expect(damaged >= 1)
  }

  /// The delta rules on their own: a copy past the base's end, a delta for another base size, a
  /// result shorter or longer than announced and the reserved instruction 0 are all refused.
  @Test func malformedDeltasAreRefused() throws {
    let repo = try TestRepository()
    try repo.write("a.txt", "0123456789")
    _ = try repo.commitAll("One file")
    try repo.git("repack", "-a", "-d")
    let reader = try #require(PackReader(objectsFolder: repo.path + "/.git/objects"))
    let blobHex = try repo.git("rev-parse", "HEAD:a.txt").trimmingCharacters(in: .whitespacesAndNewlines)
    let blob = try #require(ObjectID(hex: blobHex))
    let base = try #require(reader.read(blob))
    #expect(Array(base.buffer) == Array("0123456789".utf8))
    func apply(_ delta: [UInt8]) -> [UInt8]? {
      delta.withUnsafeBufferPointer { PackReader.apply($0, to: base) }.map { Array($0.buffer) }
    }
    // Base size 10, result 7: copy 4 bytes from offset 2, insert "xyz".
    #expect(apply([10, 7, 0x91, 2, 4, 3, 0x78, 0x79, 0x7A]) == Array("2345xyz".utf8))
    #expect(apply([10, 4, 0x91, 8, 4]) == nil, "copy past the base's end")
    #expect(apply([9, 4, 0x91, 0, 4]) == nil, "a delta for a base of another size")
    #expect(apply([10, 5, 0x91, 0, 4]) == nil, "shorter than announced")
    #expect(apply([10, 3, 0x91, 0, 4]) == nil, "longer than announced")
    #expect(apply([10, 1, 0]) == nil, "the reserved instruction")
    #expect(apply([10, 3, 5, 0x61]) == nil, "an insert past the delta's end")
  }
}
