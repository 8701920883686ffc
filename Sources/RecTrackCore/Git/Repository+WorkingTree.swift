internal import Clibgit2
import Foundation

extension Repository {
  /// The blob id the index holds for `path`, or nil when the index has no such entry.
  public func indexEntry(at path: String) throws(GitError) -> ObjectID? {
    guard !isBare else { return nil }
    var index: OpaquePointer?
    try check(git_repository_index(&index, pointer), "git_repository_index")
    defer { git_index_free(index) }
    try check(git_index_read(index, 1), "git_index_read")
    guard let e = git_index_get_bypath(index, path, 0) else { return nil }
    return ObjectID(e.pointee.id)
  }

  /// The id `bytes` would have as a blob, without writing anything.
  public func blobID(of bytes: [UInt8]) throws(GitError) -> ObjectID {
    var oid = git_oid()
    let rc = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    try check(rc, "git_odb_hash")
    return ObjectID(oid)
  }
}
