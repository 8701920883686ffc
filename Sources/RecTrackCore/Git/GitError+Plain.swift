internal import Clibgit2
import Foundation

extension GitError {
  /// What happened and what to do, for the libgit2 failures people meet when writing: a folder
  /// needed where the repository has a file (or the reverse), a full disk, a read-only disk, no
  /// permission. nil for anything else (`TrackingError` shows libgit2's own text then). The one
  /// place these are worded; `TrackingError.description` calls it for every `.git` error.
  public var plainMessage: String? {
    if let (path, folderNeeded) = conflict {
      return folderNeeded
        ? "nothing was recorded: the change needs a folder '\(path)', but the repository has a file of "
          + "that name. Choose another folder (--folder), or rename the file first ('git mv \(path) "
          + "\(path).txt', then commit)."
        : "nothing was recorded: the change would write the file '\(path)', but the repository has a "
          + "folder of that name. Rename the folder first ('git mv \(path) \(path)-folder', then commit), "
          + "or choose another ID."
    }
    if code == GIT_EOWNER.rawValue {
      var path =
        message.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map(String.init)
        ?? "PATH"
      if path.count > 1, path.hasSuffix("/") { path.removeLast() }
      return "git refuses to open \(path): the repository belongs to another user, and a repository someone "
        + "else controls could run their settings as you. If you trust it, run 'git config --global --add "
        + "safe.directory \(path)', then run the command again."
    }
    guard isWrite else { return nil }
    let text = message.lowercased()
    if osError == ENOSPC || osError == EDQUOT || text.contains("no space left") || text.contains("quota") {
      return "rectrack could not write to the repository: the disk holding it is full (no space left on "
        + "device). Free some space there, then run 'rectrack validate': it says whether the change was "
        + "recorded and how to repair anything left half-done. Then run the command again if it was not."
    }
    if osError == EROFS || text.contains("read-only file system") {
      return "rectrack could not write to the repository: it is on a read-only disk or share (read-only "
        + "file system), so nothing can be recorded here. Reading commands (list, show, progress) still "
        + "work; to record changes, work in a clone on a writable disk or ask for the share to be made "
        + "writable."
    }
    if osError == EACCES || osError == EPERM || text.contains("permission denied") {
      return "rectrack could not write to the repository: permission denied (your account may read it but "
        + "not change it). Nothing was recorded. Ask whoever looks after the folder to give your account "
        + "write access to it and its .git folder ('ls -ld .git' shows the owner), then run the command "
        + "again."
    }
    return nil
  }

  /// The error libgit2 gives for a repository another user owns (`safe.directory`).
  static func notOwned(_ path: String) -> GitError {
    GitError(
      code: GIT_EOWNER.rawValue, errorClass: 0,
      message: "repository path '\(path)/' is not owned by current user", function: "git_repository_open_ext")
  }

  /// True for the libgit2 calls that write objects, references, the index or tags.
  private var isWrite: Bool {
    ["create", "write", "index_add", "reference", "tag", "odb_open_wstream", "update"].contains {
      function.contains($0)
    }
  }
}

extension Repository {
  /// Throws the D/F conflict `GitError.plainMessage` words when writing files at `paths` in the
  /// tree of `commit` needs a folder where it has a file, or a file where it has a folder:
  /// checked before the working folder, whose copy of a committed folder is no stray file.
  func refuseDirectoryFileConflict(at paths: [String], inCommit commit: ObjectID?) throws(GitError) {
    guard let commit else { return }
    let tree = try self.commit(commit).tree
    let dummy = ObjectID(hex: String(repeating: "0", count: 40))
    guard
      let conflict = directoryFileConflict(
        base: tree, updates: paths.map { TreeUpdate(path: $0, blob: dummy) })
    else { return }
    var error = GitError(message: "D/F conflict", function: "git_tree_create_updated")
    error.conflict = conflict
    throw error
  }

  /// For a failed `git_tree_create_updated`: the path where one of `updates` needs a folder the
  /// tree has as a file, or a file the tree has as a folder (libgit2 says "D/F conflict" only).
  func directoryFileConflict(base: ObjectID, updates: [TreeUpdate]) -> (path: String, folderNeeded: Bool)? {
    for u in updates where u.blob != nil {
      let parts = u.path.split(separator: "/")
      for n in 1..<max(parts.count, 1) {
        let prefix = parts[0..<n].joined(separator: "/")
        if let e = try? entry(at: prefix, inTree: base), !e.isTree { return (prefix, true) }
      }
      if let e = try? entry(at: u.path, inTree: base), e.isTree { return (u.path, false) }
    }
    return nil
  }
}

extension Repository {
  /// `check` for a call that writes to the repository: when it fails and libgit2's message does
  /// not say why ("failed to create tag annotation"), the object folder is looked at, so
  /// `GitError.plainMessage` can say the disk is read-only, full, or not writable for this user.
  @discardableResult
  func checkWrite(_ rc: Int32, _ function: String) throws(GitError) -> Int32 {
    guard rc < 0 else { return rc }
    var error = GitError(code: rc, function: function)
    if error.plainMessage == nil {
      let objects = gitDir + "objects"
      var fs = statvfs()
      if statvfs(objects, &fs) == 0, fs.f_flag & UInt(ST_RDONLY) != 0 {
        error.osError = EROFS
      } else if statvfs(objects, &fs) == 0, fs.f_bavail == 0 {
        error.osError = ENOSPC
      } else if access(objects, W_OK) != 0 {
        error.osError = errno
      }
    }
    throw error
  }
}
