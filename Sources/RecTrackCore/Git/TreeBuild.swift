internal import Clibgit2
import Foundation

/// One change applied to a tree: put a blob at a path (with its mode), or remove the path.
public struct TreeUpdate: Sendable, Hashable {
  public var path: String
  /// nil removes the path.
  public var blob: ObjectID?
  /// The entry's git file mode: 100644 (a file, the default), 100755, 120000 (a link)...
  public var mode: UInt32

  public init(path: String, blob: ObjectID?, mode: UInt32 = 0o100644) {
    self.path = path
    self.blob = blob
    self.mode = mode
  }

  /// Sets `path` to `entry`'s blob and mode, or removes it when `entry` is nil.
  public init(path: String, entry: TreeEntry?) {
    self.init(path: path, blob: entry?.id, mode: entry?.mode ?? 0o100644)
  }
}

/// The one tree builder: every tree rectrack writes (a change, `new`, an import's chain in
/// the in-memory pack, sync's replayed and combined commits) is made here.
extension Repository {
  /// A new tree: `base` (nil: the empty tree) with `updates` applied, in order; folders are made
  /// as needed and a folder left empty disappears. Only new objects are written (the objects of
  /// unchanged folders are the base's). Paths are not judged here: `Landing` checks every
  /// changed path with `TreePath` before a branch moves.
  public func updatedTree(base: ObjectID?, updates: [TreeUpdate]) throws(GitError) -> ObjectID {
    guard let base else { return try newTree(updates.filter { $0.blob != nil }) }
    var t: OpaquePointer?
    var raw = base.raw
    try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup")
    defer { git_tree_free(t) }
    // git_tree_update holds C string pointers: keep the strings alive for the call.
    let cPaths = updates.map { strdup($0.path) }
    defer { for p in cPaths { free(p) } }
    var cUpdates: [git_tree_update] = []
    for (i, u) in updates.enumerated() {
      var upd = git_tree_update()
      upd.action = u.blob == nil ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT
      upd.id = u.blob?.raw ?? git_oid()
      upd.filemode = git_filemode_t(rawValue: u.mode)
      upd.path = UnsafePointer(cPaths[i])
      cUpdates.append(upd)
    }
    var out = git_oid()
    let rc = git_tree_create_updated(&out, pointer, t, cUpdates.count, cUpdates)
    if rc < 0 {
      // libgit2's message first: the lookups below replace it.
      var error = GitError(code: rc, function: "git_tree_create_updated")
      guard let conflict = directoryFileConflict(base: base, updates: updates) else {
        try checkWrite(rc, "git_tree_create_updated")
        return ObjectID(out)
      }
      error.conflict = conflict
      throw error
    }
    return ObjectID(out)
  }

  /// A tree holding just these blobs (for the first commit of a repository), built in an
  /// in-memory index so that no stray empty tree is written.
  private func newTree(_ files: [TreeUpdate]) throws(GitError) -> ObjectID {
    var index: OpaquePointer?
    try check(git_index_new(&index), "git_index_new")
    defer { git_index_free(index) }
    for f in files {
      guard let blob = f.blob else { continue }
      var entry = git_index_entry()
      entry.mode = f.mode
      entry.id = blob.raw
      let rc = f.path.withCString { p in
        entry.path = p
        return git_index_add(index, &entry)
      }
      try check(rc, "git_index_add")
    }
    var out = git_oid()
    try check(git_index_write_tree_to(&out, index, pointer), "git_index_write_tree_to")
    return ObjectID(out)
  }
}
