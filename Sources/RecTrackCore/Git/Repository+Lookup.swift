internal import Clibgit2
import Foundation

extension Repository {
  /// The entries named `name` in the tree at `folder` of `tree` and in every tree below it, each
  /// with its path, found by name (a binary search per folder): no other file is listed or read.
  /// Used to find one recommendation's file without listing thousands (`show`, `status`).
  /// A folder `remembered` knows is read only when its names may hold `name`; the others are read
  /// and remembered (`FolderNames.save` writes them).
  func entries(
    named name: String, under folder: String, inTree tree: ObjectID, remembering remembered: FolderNames
  ) throws(GitError) -> [(path: String, entry: TreeEntry)] {
    guard let top = try entry(at: folder, inTree: tree), top.isTree else { return [] }
    let wanted = FolderNames.hash(name)
    var out: [(path: String, entry: TreeEntry)] = []
    var stack: [(String, ObjectID)] = [(folder, top.id)]
    while let (prefix, id) = stack.popLast() {
      let known = remembered.folder(id)
      if let known {
        for sub in known.folders { stack.append((prefix + "/" + sub.name, sub.id)) }
        guard known.mayHold(wanted) else { continue }
      }
      var t: OpaquePointer?
      var raw = id.raw
      try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup", object: id)
      defer { git_tree_free(t) }
      if let e = git_tree_entry_byname(t, name) {
        let mode = UInt32(git_tree_entry_filemode(e).rawValue)
        out.append(
          (prefix + "/" + name, TreeEntry(name: name, id: ObjectID(git_tree_entry_id(e)), mode: mode)))
      }
      guard known == nil else { continue }
      var names: [UInt64] = []
      var folders: [(name: String, id: ObjectID)] = []
      let count = git_tree_entrycount(t)
      names.reserveCapacity(count)
      for i in 0..<count {
        guard let e = git_tree_entry_byindex(t, i), let cName = git_tree_entry_name(e) else { continue }
        names.append(FolderNames.hash(UnsafeRawBufferPointer(start: cName, count: strlen(cName))))
        guard git_tree_entry_filemode(e) == GIT_FILEMODE_TREE else { continue }
        let sub = (name: String(decodingCString: cName), id: ObjectID(git_tree_entry_id(e)))
        folders.append(sub)
        stack.append((prefix + "/" + sub.name, sub.id))
      }
      remembered.remember(id, FolderNames.Folder(names: names.sorted(), folders: folders))
    }
    return out.sorted { $0.path < $1.path }
  }
}
