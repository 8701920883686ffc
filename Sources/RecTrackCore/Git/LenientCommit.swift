internal import Clibgit2
import Foundation

/// A commit libgit2 refuses to parse (an author line without `<>`, a date that is not a number),
/// read from the raw object instead: the tree and parents are still there, and so, usually, is
/// the time after the name. `Repository.commit(_:)`, the history walk and the audit fall back to
/// this reader when `git_commit_lookup` fails on such an object, and the audit reports the
/// commit as `unreadable-commit` (docs/security.md). The only other reader of raw commits is
/// `PackedCommit`, the walk's fast path, which reads only the plain form where it and libgit2
/// agree; this one is for what libgit2 refuses.
struct LenientCommit: Sendable {
  var tree: ObjectID
  var parents: [ObjectID]
  /// What could be read of the author line; nil when nothing, not even a time, could.
  var author: Signature?
  var committer: Signature?
  var message: String
  /// libgit2's reason for refusing the commit.
  var problem: String

  /// The author as far as it goes: a missing time is the committer's, else 0 (1970-01-01).
  var bestAuthor: Signature {
    var a = author ?? Signature(name: "", email: "", time: 0, offsetMinutes: 0)
    if author == nil, let c = committer {
      a.time = c.time
      a.offsetMinutes = c.offsetMinutes
    }
    return a
  }

  var bestCommitter: Signature { committer ?? bestAuthor }

  /// Parses the bytes of a commit object; nil when even the tree line is not there.
  init?(bytes: UnsafeRawBufferPointer, problem: String) {
    let b = bytes.bindMemory(to: UInt8.self)
    var tree: ObjectID?
    var parents: [ObjectID] = []
    var author: Signature?
    var committer: Signature?
    var p = 0
    while p < b.count, b[p] != 0x0A {
      var end = p
      while end < b.count, b[end] != 0x0A { end += 1 }
      let line = String(decoding: UnsafeBufferPointer(rebasing: b[p..<end]), as: UTF8.self)
      if line.hasPrefix("tree "), tree == nil {
        tree = ObjectID(hex: String(line.dropFirst(5)))
      } else if line.hasPrefix("parent "), let id = ObjectID(hex: String(line.dropFirst(7))) {
        parents.append(id)
      } else if line.hasPrefix("author "), author == nil {
        author = Self.signature(line.dropFirst(7))
      } else if line.hasPrefix("committer "), committer == nil {
        committer = Self.signature(line.dropFirst(10))
      }
      p = end + 1
    }
    guard let tree else { return nil }
    let body =
      p < b.count ? UnsafeBufferPointer(rebasing: b[(p + 1)...]) : UnsafeBufferPointer(rebasing: b[0..<0])
    self.tree = tree
    self.parents = parents
    self.author = author
    self.committer = committer
    self.message = String(decoding: body, as: UTF8.self)
    self.problem = problem
  }

  /// `Name <email> 1700000000 +0100` as far as it can be read: with no `<>`, the name is what
  /// comes before the time; a time that is not a number leaves nothing but the name.
  static func signature(_ text: Substring) -> Signature? {
    var name = Substring(text)
    var email = ""
    var rest = Substring("")
    if let lt = text.firstIndex(of: "<"), let gt = text[lt...].firstIndex(of: ">") {
      name = text[..<lt]
      email = String(text[text.index(after: lt)..<gt])
      rest = text[text.index(after: gt)...]
    } else {
      var words = text.split(separator: " ", omittingEmptySubsequences: true)
      var tail: [Substring] = []
      while let last = words.last, tail.count < 2, last.allSatisfy({ "0123456789+-".contains($0) }) {
        tail.insert(last, at: 0)
        words.removeLast()
      }
      name = Substring(words.joined(separator: " "))
      rest = Substring(tail.joined(separator: " "))
    }
    let parts = rest.split(separator: " ")
    guard let first = parts.first, let time = Int64(first) else {
      let n = name.trimmingCharacters(in: .whitespaces)
      return n.isEmpty && email.isEmpty ? nil : Signature(name: n, email: email, time: 0, offsetMinutes: 0)
    }
    var offset = 0
    if parts.count > 1, let o = Int(parts[1].dropFirst()), parts[1].count == 5 {
      offset = (o / 100 * 60 + o % 100) * (parts[1].first == "-" ? -1 : 1)
    }
    return Signature(
      name: name.trimmingCharacters(in: .whitespaces), email: email, time: time, offsetMinutes: offset)
  }
}

extension Repository {
  /// A commit read through libgit2, or, when libgit2 cannot parse it, read leniently from the
  /// raw object (`LenientCommit`). Any other failure (a missing object, a tree where a commit
  /// should be) is thrown as libgit2 reported it.
  func lookupCommitLeniently(_ id: ObjectID) throws(GitError) -> (OpaquePointer?, LenientCommit?) {
    var c: OpaquePointer?
    var raw = id.raw
    let rc = git_commit_lookup(&c, pointer, &raw)
    if rc == 0, let c { return (c, nil) }
    let error = GitError(code: rc, function: "git_commit_lookup")
    guard rc != GIT_ENOTFOUND.rawValue, let lenient = rawCommit(id, problem: error.message) else {
      var e = error
      if !e.message.contains(id.hex) { e.message += " (object \(id.hex))" }
      throw e
    }
    return (nil, lenient)
  }

  /// The raw commit object `id` parsed leniently; nil when it is not a commit or has no tree line.
  func rawCommit(_ id: ObjectID, problem: String) -> LenientCommit? {
    var odb: OpaquePointer?
    guard git_repository_odb(&odb, pointer) == 0, let odb else { return nil }
    defer { git_odb_free(odb) }
    var object: OpaquePointer?
    var raw = id.raw
    guard git_odb_read(&object, odb, &raw) == 0, let object else { return nil }
    defer { git_odb_object_free(object) }
    guard git_odb_object_type(object) == GIT_OBJECT_COMMIT, let data = git_odb_object_data(object) else {
      return nil
    }
    return LenientCommit(
      bytes: UnsafeRawBufferPointer(start: data, count: Int(git_odb_object_size(object))), problem: problem)
  }

  /// Whether `ancestor` is `commit` or in its history, following parents as `commit(_:)` reads
  /// them: for a history holding a commit libgit2's graph functions stop at.
  func reachesLeniently(_ ancestor: ObjectID, from commit: ObjectID) throws(GitError) -> Bool {
    var seen: Set<ObjectID> = []
    var stack = [commit]
    while let id = stack.popLast() {
      if id == ancestor { return true }
      guard seen.insert(id).inserted else { continue }
      do throws(GitError) { stack += try self.commit(id).parents } catch {
        if !error.isNotFound { throw error }  // beyond a shallow clone's edge
      }
    }
    return false
  }
}
