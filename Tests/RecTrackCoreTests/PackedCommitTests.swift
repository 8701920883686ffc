import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// `PackedCommit` against libgit2: commits written byte for byte (plain ones as git writes them,
/// and the odd forms other tools and damage make), packed, then read both ways. Whatever
/// `PackedCommit` reads must be exactly libgit2's answer; the forms where the two could differ
/// must be left to libgit2. No timings.
@Suite struct PackedCommitTests {
  static let tree = String(repeating: "ab", count: 20)
  static let parent = String(repeating: "12", count: 20)
  static let other = String(repeating: "3c", count: 20)
  static let plainHead = "tree \(tree)\nparent \(parent)\n"
  static func person(_ role: String, _ when: String) -> String {
    "\(role) A. Person <a@example.org> \(when)\n"
  }
  static let signatures = person("author", "1700000000 +0100") + person("committer", "1700003600 -0530")

  /// Raw commit texts the reader must read, each with a name for the failure message.
  static let plain: [(String, String)] = [
    ("plain", plainHead + signatures + "\nRecord a change\n\nWhy it changed.\n"),
    ("root commit", "tree \(tree)\n" + signatures + "\nFirst\n"),
    ("merge", plainHead + "parent \(other)\n" + signatures + "\nMerge\n"),
    ("trailer", plainHead + signatures + "\nUpdate\n\nEffective: 2026-03-01\n"),
    ("effective in capitals", plainHead + signatures + "\nUpdate\n\nEFFECTIVE: 2026-03-01\n"),
    ("crlf summary", plainHead + signatures + "\nSummary\r\nmore\r\n"),
    ("leading blank lines", plainHead + signatures + "\n\n\nAfter blank lines\n"),
    ("empty message", plainHead + signatures + "\n"),
    ("no final newline", plainHead + signatures + "\nNo newline"),
    (
      "signed",
      plainHead + signatures
        + "gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n\nSigned\n"
    ),
    ("encoding", plainHead + signatures + "encoding ISO-8859-1\n\nCaf\u{E9}\n"),
    (
      "non-ASCII name",
      plainHead + person("author", "1 +0000") + person("committer", "2 +1400") + "\nN\u{E9}\n"
    ),
    (
      "name with a >",
      plainHead + "author A > B <a@example.org> 5 -0000\n" + person("committer", "6 +0059") + "\nx\n"
    ),
    ("no name", plainHead + "author <a@example.org> 7 +0000\n" + person("committer", "8 +0000") + "\nx\n"),
    ("empty email", plainHead + "author A <> 9 +0000\n" + person("committer", "10 +0000") + "\nx\n"),
    (
      "before 1970",
      plainHead + person("author", "0 +0000") + person("committer", "999999999999999999 +0000") + "\nx\n"
    ),
    ("invalid UTF-8", plainHead + signatures + "\nBad \u{FFFD} byte\n"),
  ]

  /// Forms left to libgit2 (each would need one of libgit2's own readings to be copied).
  static let declined: [(String, String)] = [
    ("upper-case hex", "tree \(tree.uppercased())\n" + signatures + "\nx\n"),
    (
      "second author",
      plainHead + person("author", "1 +0000") + person("author", "2 +0000") + person("committer", "3 +0000")
        + "\nx\n"
    ),
    ("author after committer", plainHead + signatures + person("author", "2 +0000") + "\nx\n"),
    ("no time", plainHead + "author A <a@example.org>\n" + person("committer", "3 +0000") + "\nx\n"),
    ("no timezone", plainHead + "author A <a@example.org> 4\n" + person("committer", "3 +0000") + "\nx\n"),
    ("hours over 14", plainHead + person("author", "1 +1500") + person("committer", "3 +0000") + "\nx\n"),
    ("minutes over 59", plainHead + person("author", "1 +0160") + person("committer", "3 +0000") + "\nx\n"),
    ("short timezone", plainHead + person("author", "1 +100") + person("committer", "3 +0000") + "\nx\n"),
    (
      "19-digit time",
      plainHead + person("author", "1234567890123456789 +0000") + person("committer", "3 +0000") + "\nx\n"
    ),
    ("signed time", plainHead + person("author", "-5 +0000") + person("committer", "3 +0000") + "\nx\n"),
    ("two spaces", plainHead + person("author", " 5 +0000") + person("committer", "3 +0000") + "\nx\n"),
    (
      "crlf header",
      plainHead + "author A <a@example.org> 5 +0000\r\n" + person("committer", "3 +0000") + "\nx\n"
    ),
    ("no email", plainHead + "author A 5 +0000\n" + person("committer", "3 +0000") + "\nx\n"),
    ("no committer", plainHead + person("author", "1 +0000") + "\nx\n"),
    ("no message", plainHead + signatures),
    ("header without end", plainHead + signatures + "extra header"),
    ("NUL in message", plainHead + signatures + "\nbefore\u{0}after\n"),
    ("parent first", "parent \(parent)\ntree \(tree)\n" + signatures + "\nx\n"),
    ("short id", "tree \(tree.dropLast())\n" + signatures + "\nx\n"),
  ]

  /// Writes each text as a commit object, packs them all (no loose copy left), and returns the
  /// repository with each name's id.
  func packed(_ texts: [(String, String)]) throws -> (TestRepository, [(String, ObjectID)]) {
    let repo = try TestRepository()
    var ids: [(String, ObjectID)] = []
    for (name, text) in texts {
      var bytes = Array(text.utf8)
      // "invalid UTF-8": a lone continuation byte where the replacement character stands.
      if name == "invalid UTF-8", let at = bytes.firstIndex(of: 0xEF) {
        bytes.replaceSubrange(at..<(at + 3), with: [0x80])
      }
      let out = try repo.git.runData(
        ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], input: bytes)
      let hex = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      ids.append((name, try #require(ObjectID(hex: hex))))
    }
    let list = ids.map { $0.1.hex + "\n" }.joined()
    try repo.git.run(["pack-objects", "-q", ".git/objects/pack/pack"], input: list)
    try repo.git.run(["prune-packed"])
    return (repo, ids)
  }

  @Test func plainCommitsReadAsLibgit2ReadsThem() throws {
    let (repo, ids) = try packed(Self.plain)
    let reader = try #require(PackReader(objectsFolder: repo.path + "/.git/objects"))
    let repository = try Repository(discoveringFrom: repo.path)
    for (name, id) in ids {
      let object = try #require(reader.read(id), "\(name): not in the pack")
      let packed = try #require(PackedCommit(object), "\(name): not read")
      let expected = try repository.commit(id)
      #expect(expected.unreadable == nil, "\(name): libgit2 should read it")
      #expect(packed.tree == expected.tree, "\(name)")
      #expect(packed.firstParent == expected.parents.first, "\(name)")
      #expect(packed.author.time == expected.author.time, "\(name)")
      #expect(Int(packed.author.offset) == expected.author.offsetMinutes, "\(name)")
      #expect(packed.committer.time == expected.committer.time, "\(name)")
      #expect(Int(packed.committer.offset) == expected.committer.offsetMinutes, "\(name)")
      #expect(String(decoding: packed.message, as: UTF8.self) == expected.message, "\(name)")
    }
  }

  @Test func oddFormsAreLeftToLibgit2() throws {
    let (repo, ids) = try packed(Self.declined)
    let reader = try #require(PackReader(objectsFolder: repo.path + "/.git/objects"))
    for (name, id) in ids {
      let object = try #require(reader.read(id), "\(name): not in the pack")
      #expect(object.type == 1, "\(name)")
      #expect(PackedCommit(object) == nil, "\(name): read, but libgit2 may read it otherwise")
    }
  }

  /// A tree or blob is never a commit, whatever its bytes say.
  @Test func onlyCommitObjectsAreRead() throws {
    let repo = try TestRepository()
    let text = Self.plainHead + Self.signatures + "\nx\n"
    let out = try repo.git.runData(["hash-object", "-t", "blob", "-w", "--stdin"], input: Array(text.utf8))
    let hex = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    try repo.git.run(["pack-objects", "-q", ".git/objects/pack/pack"], input: hex + "\n")
    let reader = try #require(PackReader(objectsFolder: repo.path + "/.git/objects"))
    let id = try #require(ObjectID(hex: hex))
    let object = try #require(reader.read(id))
    #expect(object.type == 3)
    #expect(PackedCommit(object) == nil)
  }
}
