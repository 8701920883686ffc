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

  /// Removes the index entries at `removing` (a file, or every entry below a folder of that
  /// name), then adds `adding` from the working files (regular files and symbolic links, read
  /// with lstat), in one index write. Other entries, staged or not, are left alone.
  ///
  /// The index is read again only when the file changed since this handle last read it (its
  /// size, times, inode or checksum: a soft `git_index_read`), so a landing does not parse the
  /// index the uncommitted-edit check has just read. What another program wrote meanwhile is
  /// read; a retry after a write refused by git's lock re-applies the same entries to the same
  /// index, or to the other program's new one (`LockedIndexTests`).
  public func updateIndex(removing: [String], adding: [String]) throws(GitError) {
    guard !isBare, let workdir else { return }
    var index: OpaquePointer?
    try check(git_repository_index(&index, pointer), "git_repository_index")
    defer { git_index_free(index) }
    try check(git_index_read(index, 0), "git_index_read")
    for p in removing {
      let rc = git_index_remove_bypath(index, p)
      if rc != GIT_ENOTFOUND.rawValue { try check(rc, "git_index_remove_bypath") }
    }
    for p in adding {
      // An entry at a folder that is now this file's parent (a link replaced by a folder).
      var prefix = ""
      for part in p.split(separator: "/").dropLast() {
        prefix += (prefix.isEmpty ? "" : "/") + part
        if git_index_get_bypath(index, prefix, 0) != nil {
          try check(git_index_remove_bypath(index, prefix), "git_index_remove_bypath")
        }
      }
      // And entries below a folder that is now this file.
      try check(git_index_remove_directory(index, p, 0), "git_index_remove_directory")
      var st = stat()
      if lstat(workdir + p, &st) == 0, st.st_mode & S_IFMT == S_IFREG || st.st_mode & S_IFMT == S_IFLNK {
        try check(git_index_add_bypath(index, p), "git_index_add_bypath")
      } else {
        let rc = git_index_remove_bypath(index, p)
        if rc != GIT_ENOTFOUND.rawValue { try check(rc, "git_index_remove_bypath") }
      }
    }
    try check(git_index_write(index), "git_index_write")
  }

  /// The commits `branch` pointed at before its last `count` moves, newest first (its reflog).
  public func previousTips(of branch: String, count: Int) -> [ObjectID] {
    var log: OpaquePointer?
    guard git_reflog_read(&log, pointer, branch) == 0, let log else { return [] }
    defer { git_reflog_free(log) }
    var out: [ObjectID] = []
    for i in 0..<min(git_reflog_entrycount(log), count) {
      guard let e = git_reflog_entry_byindex(log, i), let old = git_reflog_entry_id_old(e) else { continue }
      let id = ObjectID(old)
      if !id.raw.isZero { out.append(id) }
    }
    return out
  }
}

extension git_oid {
  var isZero: Bool { withUnsafeBytes(of: id) { $0.allSatisfy { $0 == 0 } } }
}
