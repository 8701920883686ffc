internal import Clibgit2

/// A git object id (SHA-1), stored as plain integers so it hashes fast and crosses threads.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
  let a: UInt64
  let b: UInt64
  let c: UInt32

  init(_ oid: git_oid) {
    var o = oid
    (a, b, c) = withUnsafeBytes(of: &o) { raw in
      (
        raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
        raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
        raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
      )
    }
  }

  init(_ p: UnsafePointer<git_oid>) { self.init(p.pointee) }

  /// Parses a full 40-digit hex id.
  public init?(hex: String) {
    var oid = git_oid()
    guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else { return nil }
    self.init(oid)
  }

  var raw: git_oid {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid) { raw in
      raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
      raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
      raw.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
    }
    return oid
  }

  /// The 40-digit hex form.
  public var hex: String { hex(digits: 40) }

  /// The first `count` (at most 40) lower-case hex digits, as `git_oid_fmt` writes them, written
  /// straight into the string (the audit writes ids for every row and finding).
  func hex(digits count: Int) -> String {
    precondition(count >= 0 && count <= 40)
    var oid = raw
    return withUnsafeBytes(of: &oid) { bytes in
      String(unsafeUninitializedCapacity: count) { out in
        let digits: StaticString = "0123456789abcdef"
        let d = digits.utf8Start
        for i in 0..<count {
          let byte = bytes[i / 2]
          out[i] = d[Int(i % 2 == 0 ? byte >> 4 : byte & 15)]
        }
        return count
      }
    }
  }

  /// The abbreviated form used in reports.
  public var short: String { hex(digits: 10) }
  public var description: String { hex }

  public static func < (l: ObjectID, r: ObjectID) -> Bool { l.hex < r.hex }
}
