internal import Clibgit2
import Foundation

/// The trees of a chain of commits written one on another (an import: thousands of commits that
/// each change a file or two of one large folder), kept in memory between commits.
///
/// `git_tree_create_updated` reads the changed folders of the parent's tree, builds them again
/// entry by entry and sorts them, for every commit; here each folder is read once, kept sorted,
/// and only the folders a commit changes are written again, from their entries' bytes. The trees
/// are the same objects git (and `git_tree_create_updated`) would write: entries in git's order,
/// names, modes and ids as they were. Every object written is remembered (`written`) so that the
/// chain can be packed without walking it again.
final class ChainTrees {
  private let repository: Repository
  private let odb: OpaquePointer
  /// Folders read or changed so far, by path ("" is the root).
  private var folders: [String: Folder] = [:]
  private var root: ObjectID?
  /// Every object written through `blob(_:)`, `tree(...)` and `commit(...)`, with the path of the
  /// file or folder (nil for a commit): the packfile uses paths to put versions side by side.
  private(set) var written: [(id: ObjectID, path: String?)] = []

  private struct Entry {
    var name: [UInt8]
    var mode: UInt32
    var id: ObjectID
    var isTree: Bool { mode & 0o170000 == 0o040000 }
  }

  private final class Folder {
    var entries: [Entry]
    var changed = false
    init(_ entries: [Entry]) { self.entries = entries }
  }

  /// - Parameter base: the tree the chain starts from (nil: the empty tree).
  init(_ repository: Repository, base: ObjectID?) throws(GitError) {
    self.repository = repository
    var o: OpaquePointer?
    try check(git_repository_odb(&o, repository.pointer), "git_repository_odb")
    odb = o!
    root = base
  }

  deinit { git_odb_free(odb) }

  func blob(_ bytes: [UInt8], path: String) throws(GitError) -> ObjectID {
    let id = try write(bytes, type: GIT_OBJECT_BLOB)
    written.append((id, path))
    return id
  }

  /// The root tree after putting each blob at its path (as an ordinary file, 100644), on top of
  /// the previous call's tree. Writes the changed folders only.
  func tree(putting files: [(path: String, blob: ObjectID)]) throws(GitError) -> ObjectID {
    var changed: Set<String> = [""]
    for (path, blob) in files {
      let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      var folderPath = ""
      var folder = try self.folder("", id: root)
      for (i, part) in parts.enumerated() {
        let name = Array(part.utf8)
        if i == parts.count - 1 {
          Self.put(Entry(name: name, mode: 0o100644, id: blob), in: folder)
        } else {
          let sub = folderPath.isEmpty ? part : folderPath + "/" + part
          let existing = Self.find(name, in: folder).flatMap {
            folder.entries[$0].isTree ? folder.entries[$0] : nil
          }
          let child = try self.folder(sub, id: existing?.id)
          if existing == nil {
            Self.put(Entry(name: name, mode: 0o040000, id: ObjectID(git_oid())), in: folder)
          }
          folderPath = sub
          folder = child
          changed.insert(sub)
        }
      }
      folder.changed = true
    }
    // Deepest first, so each parent takes its changed folders' new ids.
    for path in changed.sorted(by: { $0.split(separator: "/").count > $1.split(separator: "/").count }) {
      guard let folder = folders[path], folder.changed else { continue }
      var bytes: [UInt8] = []
      bytes.reserveCapacity(folder.entries.count * 64)
      for e in folder.entries {
        bytes.append(contentsOf: String(e.mode, radix: 8).utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: e.name)
        bytes.append(0)
        var raw = e.id.raw
        withUnsafeBytes(of: &raw.id) { bytes.append(contentsOf: $0) }
      }
      let id = try write(bytes, type: GIT_OBJECT_TREE)
      written.append((id, path))
      folder.changed = false
      if path.isEmpty {
        root = id
      } else {
        let slash = path.lastIndex(of: "/")
        let parentPath = slash.map { String(path[..<$0]) } ?? ""
        let name = Array((slash.map { path[path.index(after: $0)...] } ?? path[...]).utf8)
        let parent = folders[parentPath]!
        Self.put(Entry(name: name, mode: 0o040000, id: id), in: parent)
        parent.changed = true
      }
    }
    return root!
  }

  /// A commit of `tree` on `parents`, written without reading either (they were just written, or
  /// exist: libgit2 checks that they do).
  func commit(
    tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
  ) throws(GitError) -> ObjectID {
    let id = try repository.createCommit(
      tree: tree, parents: parents, author: author, committer: committer, message: message)
    written.append((id, nil))
    return id
  }

  private func write(_ bytes: [UInt8], type: git_object_t) throws(GitError) -> ObjectID {
    var oid = git_oid()
    let rc = bytes.withUnsafeBytes { git_odb_write(&oid, odb, $0.baseAddress, $0.count, type) }
    try check(rc, "git_odb_write")
    return ObjectID(oid)
  }

  /// The folder at `path`: as changed so far, else read from `id` (nil: a new, empty folder).
  private func folder(_ path: String, id: ObjectID?) throws(GitError) -> Folder {
    if let f = folders[path] { return f }
    var entries: [Entry] = []
    if let id {
      var t: OpaquePointer?
      var raw = id.raw
      try check(git_tree_lookup(&t, repository.pointer, &raw), "git_tree_lookup", object: id)
      defer { git_tree_free(t) }
      let n = git_tree_entrycount(t)
      entries.reserveCapacity(n + 1)
      for i in 0..<n {
        guard let e = git_tree_entry_byindex(t, i), let name = git_tree_entry_name(e) else { continue }
        entries.append(
          Entry(
            name: Array(
              UnsafeBufferPointer(
                start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self),
                count: strlen(name))),
            mode: UInt32(git_tree_entry_filemode_raw(e).rawValue), id: ObjectID(git_tree_entry_id(e))))
      }
    }
    let f = Folder(entries)
    folders[path] = f
    return f
  }

  /// git's order of tree entries: by name, a folder's name read as if it ended with "/".
  private static func precedes(_ a: [UInt8], _ aTree: Bool, _ b: [UInt8], _ bTree: Bool) -> Bool {
    let n = min(a.count, b.count)
    for i in 0..<n where a[i] != b[i] { return a[i] < b[i] }
    let ca: UInt8 = a.count > n ? a[n] : (aTree ? 0x2F : 0)
    let cb: UInt8 = b.count > n ? b[n] : (bTree ? 0x2F : 0)
    return ca < cb
  }

  /// The index of the entry called `name`, whichever kind it is.
  private static func find(_ name: [UInt8], in folder: Folder) -> Int? {
    for asTree in [false, true] {
      let i = insertionIndex(name, asTree, folder.entries)
      if i < folder.entries.count, folder.entries[i].name == name { return i }
    }
    return nil
  }

  private static func insertionIndex(_ name: [UInt8], _ isTree: Bool, _ entries: [Entry]) -> Int {
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low + high) / 2
      if precedes(entries[mid].name, entries[mid].isTree, name, isTree) { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Puts `entry` in `folder`, replacing the entry of that name (of either kind).
  private static func put(_ entry: Entry, in folder: Folder) {
    if let i = find(entry.name, in: folder) {
      if folder.entries[i].isTree == entry.isTree {
        folder.entries[i] = entry
        return
      }
      folder.entries.remove(at: i)
    }
    folder.entries.insert(entry, at: insertionIndex(entry.name, entry.isTree, folder.entries))
  }
}
