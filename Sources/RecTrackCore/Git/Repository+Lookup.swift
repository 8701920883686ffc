internal import Clibgit2

extension Repository {
  /// The entries named `name` in the tree at `folder` of `tree` and in every tree below it, each
  /// with its path, found by name (a binary search per folder): no other file is listed or read.
  /// Used to find one recommendation's file without listing thousands (`show`, `status`).
  public func entries(named name: String, under folder: String, inTree tree: ObjectID) throws(GitError)
    -> [(path: String, entry: TreeEntry)]
  {
    guard let top = try entry(at: folder, inTree: tree), top.isTree else { return [] }
    var out: [(path: String, entry: TreeEntry)] = []
    var stack: [(String, ObjectID)] = [(folder, top.id)]
    while let (prefix, id) = stack.popLast() {
      var t: OpaquePointer?
      var raw = id.raw
      try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup", object: id)
      defer { git_tree_free(t) }
      if let e = git_tree_entry_byname(t, name) {
        let mode = UInt32(git_tree_entry_filemode(e).rawValue)
        out.append(
          (prefix + "/" + name, TreeEntry(name: name, id: ObjectID(git_tree_entry_id(e)), mode: mode)))
      }
      for i in 0..<git_tree_entrycount(t) {
        guard let e = git_tree_entry_byindex(t, i), git_tree_entry_filemode(e) == GIT_FILEMODE_TREE else {
          continue
        }
        let sub = prefix + "/" + String(decodingCString: git_tree_entry_name(e))
        stack.append((sub, ObjectID(git_tree_entry_id(e))))
      }
    }
    return out.sorted { $0.path < $1.path }
  }
}
