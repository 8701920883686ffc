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
      try checkWrite(
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
    try checkWrite(rc, "git_odb_write_pack")
  }

}
