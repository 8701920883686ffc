internal import Clibgit2
import Foundation

/// What a history walk reads of a commit (its tree, first parent, the two times and the message),
/// parsed from the raw object `PackReader` rebuilt, so that a walk of 50,000 commits does not ask
/// libgit2 for each one.
///
/// Only the form git writes is read, where every field is unambiguous and is exactly what
/// libgit2's parser gives: `tree <id>`, any `parent <id>` lines, one `author` and one `committer`
/// line each ending `> <seconds> <+|-><hhmm>` (seconds of at most 18 digits, hours 14 or less,
/// minutes 59 or less), any other header lines, an empty line, and a message with no NUL byte.
/// Anything else (upper-case hex, a second author, a signature without a time, a commit with no
/// message, a timezone libgit2 would read as 0) is nil, and the caller asks libgit2, whose
/// answer stands. `PackedCommitTests` holds the two readers to the same answers.
struct PackedCommit {
  var tree: ObjectID
  var firstParent: ObjectID?
  var author: (time: Int64, offset: Int32)
  var committer: (time: Int64, offset: Int32)
  /// The message (libgit2's `git_commit_message`: leading line feeds left out).
  var message: UnsafeBufferPointer<UInt8>
  /// Holds the bytes `message` points into.
  let object: PackReader.Object

  init?(_ object: PackReader.Object) {
    guard object.type == 1 else { return nil }
    self.object = object
    let b = object.buffer
    var p = 0
    guard let tree = Self.id(after: "tree ", in: b, at: &p) else { return nil }
    self.tree = tree
    firstParent = nil
    while let parent = Self.id(after: "parent ", in: b, at: &p) {
      if firstParent == nil { firstParent = parent }
    }
    guard let author = Self.signature(after: "author ", in: b, at: &p),
      let committer = Self.signature(after: "committer ", in: b, at: &p)
    else { return nil }
    self.author = author
    self.committer = committer
    // Other headers (a signature, an encoding, a merge tag) up to the empty line; a second
    // author or committer is refused (libgit2 reads the first and skips more authors).
    while p < b.count, b[p] != 0x0A {
      if Self.starts(b, at: p, with: "author ") || Self.starts(b, at: p, with: "committer ") { return nil }
      guard let end = Self.lineEnd(b, from: p) else { return nil }
      p = end + 1
    }
    guard p < b.count else { return nil }
    p += 1
    while p < b.count, b[p] == 0x0A { p += 1 }
    let rest = UnsafeBufferPointer(rebasing: b[p...])
    // libgit2 ends the message at a NUL byte (it is a C string).
    if let base = rest.baseAddress, !rest.isEmpty, memchr(base, 0, rest.count) != nil { return nil }
    message = rest
  }

  private static func starts(_ b: UnsafeBufferPointer<UInt8>, at p: Int, with key: StaticString) -> Bool {
    let n = key.utf8CodeUnitCount
    return p + n <= b.count && memcmp(b.baseAddress! + p, key.utf8Start, n) == 0
  }

  private static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, from p: Int) -> Int? {
    guard p < b.count, let nl = memchr(b.baseAddress! + p, 0x0A, b.count - p) else { return nil }
    return UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - b.baseAddress!
  }

  /// `<key><40 lower-case hex digits>\n` at `p` (moved past it), else nil (`p` unmoved).
  private static func id(after key: StaticString, in b: UnsafeBufferPointer<UInt8>, at p: inout Int)
    -> ObjectID?
  {
    let n = key.utf8CodeUnitCount
    guard starts(b, at: p, with: key), p + n + 41 <= b.count, b[p + n + 40] == 0x0A else { return nil }
    var oid = git_oid()
    let ok = withUnsafeMutableBytes(of: &oid) { raw -> Bool in
      for i in 0..<20 {
        guard let high = nibble(b[p + n + 2 * i]), let low = nibble(b[p + n + 2 * i + 1]) else {
          return false
        }
        raw[i] = high << 4 | low
      }
      return true
    }
    guard ok else { return nil }
    p += n + 41
    return ObjectID(oid)
  }

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x61...0x66: return c - 0x61 + 10
    default: return nil
    }
  }

  /// `<key>... <email>> <seconds> <+|-><hhmm>\n` at `p` (moved past it): the time and the
  /// offset in minutes, else nil. The last `<` of the line must come before its last `>`, and
  /// the `>` is followed by exactly the time and the timezone.
  private static func signature(after key: StaticString, in b: UnsafeBufferPointer<UInt8>, at p: inout Int)
    -> (time: Int64, offset: Int32)?
  {
    guard starts(b, at: p, with: key), let end = lineEnd(b, from: p) else { return nil }
    let start = p + key.utf8CodeUnitCount
    // From the end: 4 digits, a sign, a space, the seconds, a space, `>`.
    var q = end - 4
    guard q - 3 > start else { return nil }
    var zone: Int32 = 0
    for i in 0..<4 {
      guard let d = digit(b[q + i]) else { return nil }
      zone = zone * 10 + Int32(d)
    }
    let sign = b[q - 1]
    guard sign == 0x2B || sign == 0x2D, b[q - 2] == 0x20 else { return nil }
    q -= 3
    let lastDigit = q
    while q > start, digit(b[q]) != nil { q -= 1 }
    let count = lastDigit - q
    guard count >= 1, count <= 18, b[q] == 0x20, q - 1 > start, b[q - 1] == 0x3E else { return nil }
    var time: Int64 = 0
    for i in (q + 1)...lastDigit { time = time * 10 + Int64(digit(b[i])!) }
    // The name and email: a `<` before this `>`, and no other `<` or `>` after it.
    let gt = q - 1
    var lt = gt - 1
    while lt >= start, b[lt] != 0x3C {
      guard b[lt] != 0x3E else { return nil }
      lt -= 1
    }
    guard lt >= start else { return nil }
    let hours = zone / 100
    let minutes = zone % 100
    guard hours <= 14, minutes <= 59 else { return nil }
    p = end + 1
    return (time, (hours * 60 + minutes) * (sign == 0x2D ? -1 : 1))
  }

  private static func digit(_ c: UInt8) -> UInt8? { c >= 0x30 && c <= 0x39 ? c - 0x30 : nil }
}
