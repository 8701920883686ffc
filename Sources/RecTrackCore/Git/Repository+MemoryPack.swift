internal import CGitShims
internal import Clibgit2

extension Repository {
  /// Opens a second handle on the same repository whose new objects stay in memory until
  /// `writeMemoryPack()` writes them all as one packfile: for a chain of thousands of commits
  /// (an import) this replaces tens of thousands of loose object files with one file.
  /// Objects not yet written are only visible through this handle.
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

  /// Writes the objects kept in memory by `memoryPackHandle()` as one packfile.
  func writeMemoryPack(_ pack: UnsafeMutableRawPointer) throws(GitError) {
    try check(rectrack_git_mempack_flush(UnsafeMutableRawPointer(pointer), pack), "git_mempack_dump")
  }
}
