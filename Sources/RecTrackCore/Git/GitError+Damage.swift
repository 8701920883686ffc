internal import Clibgit2

extension GitError {
  /// True when the error means the repository itself is damaged: an object that a commit or
  /// tree refers to is missing, or cannot be decompressed or parsed. Such errors are worth a
  /// message of their own, with the object's id, because the fix is not in rectrack's input.
  public var isDamagedRepository: Bool {
    let lookups: Set<String> = [
      "git_blob_lookup", "git_tree_lookup", "git_commit_lookup", "git_object_lookup", "git_tree_entry_bypath",
      "git_object_peel", "git_revparse_single", "git_index_read_tree",
    ]
    if errorClass == GIT_ERROR_ZLIB.rawValue
      || errorClass == GIT_ERROR_ODB.rawValue && code != GIT_ENOTFOUND.rawValue
    {
      return true
    }
    if code == GIT_ENOTFOUND.rawValue && lookups.contains(function) && message.contains("no match for id") {
      return true
    }
    if errorClass == GIT_ERROR_OBJECT.rawValue
      && (message.contains("corrupt") || message.contains("malformed") || message.contains("failed to parse"))
    {
      return true
    }
    return false
  }
}

/// `check` for a lookup of object `id`: libgit2 names the id when an object is missing but not
/// when it is corrupt, and a person repairing a repository needs it either way.
@discardableResult
func check(_ rc: Int32, _ function: String, object id: ObjectID) throws(GitError) -> Int32 {
  guard rc < 0 else { return rc }
  var error = GitError(code: rc, function: function)
  if !error.message.contains(id.hex) { error.message += " (object \(id.hex))" }
  throw error
}
