internal import CGitShims
internal import Clibgit2
import Foundation

extension Repository {
  /// Opens a second handle on the same repository whose new objects stay in memory until
  /// `writeMemoryPack()` writes them all as one packfile: for a chain of thousands of commits
  /// (an import) this replaces tens of thousands of loose object files with one file.
  /// Objects not yet written are only visible through this handle. Its existing objects are read
  /// through a store that never rescans the pack folder: each object libgit2 is about to write
  /// is looked up first, and a miss would otherwise cost a scan of `objects/pack/` and a touch of
  /// a loose file, per object.
  func memoryPackHandle() throws(GitError) -> (handle: Repository, pack: UnsafeMutableRawPointer) {
    let handle = try Repository(discoveringFrom: gitDir)
    var backend: UnsafeMutableRawPointer?
    try check(
      rectrack_git_mempack_attach(UnsafeMutableRawPointer(handle.pointer), &backend), "git_mempack_new")
    guard let backend else {
      throw GitError(message: "no in-memory object store", function: "git_mempack_new")
    }
    return (handle, backend)
  }

  /// Writes the objects kept in memory by `memoryPackHandle()` as one packfile: `objects` (with
  /// the paths that put versions of one file side by side), or everything reachable from the
  /// commits kept when nil.
  func writeMemoryPack(_ pack: UnsafeMutableRawPointer, objects: [(id: ObjectID, path: String?)]? = nil)
    throws(GitError)
  {
    guard let objects else {
      try check(
        rectrack_git_mempack_flush(UnsafeMutableRawPointer(pointer), pack, nil, nil, 0), "git_mempack_dump")
      return
    }
    let ids = objects.map(\.id.raw)
    let names: [UnsafePointer<CChar>?] = objects.map { $0.path.map { UnsafePointer(strdup($0)!) } }
    defer { for n in names { free(UnsafeMutablePointer(mutating: n)) } }
    let rc = ids.withUnsafeBytes { idBytes in
      names.withUnsafeBufferPointer { nameBuffer in
        rectrack_git_mempack_flush(
          UnsafeMutableRawPointer(pointer), pack, idBytes.baseAddress, nameBuffer.baseAddress, objects.count)
      }
    }
    try check(rc, "git_packbuilder_write_buf")
  }

  /// Writes a commit object from ids alone, without reading its tree or parents (libgit2 checks
  /// that they exist): for a chain of commits whose trees were just written.
  func createCommit(
    treeID tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
  ) throws(GitError) -> ObjectID {
    var a: UnsafeMutablePointer<git_signature>?
    try check(
      git_signature_new(&a, author.name, author.email, git_time_t(author.time), Int32(author.offsetMinutes)),
      "git_signature_new")
    defer { git_signature_free(a) }
    var c: UnsafeMutablePointer<git_signature>?
    try check(
      git_signature_new(
        &c, committer.name, committer.email, git_time_t(committer.time), Int32(committer.offsetMinutes)),
      "git_signature_new")
    defer { git_signature_free(c) }
    var treeRaw = tree.raw
    let parentRaws = parents.map(\.raw)
    var out = git_oid()
    let rc = parentRaws.withUnsafeBytes { ps in
      rectrack_git_commit_from_ids(
        &out, UnsafeMutableRawPointer(pointer), a, c, message, &treeRaw, parents.count, ps.baseAddress)
    }
    try check(rc, "git_commit_create_from_ids")
    return ObjectID(out)
  }
}
