internal import Clibgit2
import Foundation

/// A blob at a path, as a tree entry records it (the mode counts: a tree that differs only in a
/// file's mode differs at that file, docs/format.md §4).
struct FileEntry: Hashable, Sendable {
  var blob: ObjectID
  var mode: UInt32
}

/// A recommendation file whose entry differs between a commit and its first parent.
struct PathEvent: Sendable, Hashable {
  var path: String
  var id: String
  /// The entry in the commit; nil when the commit removed the file.
  var entry: FileEntry?
}

/// A first-parent commit whose `Recommendations` folder differs from its first parent's.
struct WalkedCommit: Sendable {
  var id: ObjectID
  /// How many first-parent steps below HEAD (0 is HEAD itself).
  var depth: Int
  var date: CalendarDate
  var dateFromTrailer: Bool
  var summary: String
  var events: [PathEvent]
}

extension WalkedCommit {
  /// A commit's changes read with rectrack's rules: which files are recommendations (spec
  /// section 1: `<ID>.yml`) and which date counts (section 4: `Effective:`, else the author's day).
  init(id: ObjectID, depth: Int, changes: CommitChanges) {
    let trailer = changes.message.flatMap { CommitDate.effectiveDate(inMessage: $0) }
    self.init(
      id: id, depth: depth,
      date: trailer
        ?? CalendarDate(secondsSinceEpoch: changes.authorTime, offsetMinutes: Int(changes.authorOffset)),
      dateFromTrailer: trailer != nil, summary: changes.summary,
      events: changes.files.compactMap { f in
        var path = f.path
        let id = path.withUTF8 { bytes -> String? in
          let slash = bytes.lastIndex(of: 0x2F).map { $0 + 1 } ?? 0
          return RecommendationPath.id(fromFileName: UnsafeBufferPointer(rebasing: bytes[slash...]))
            .map { String(decoding: $0, as: UTF8.self) }
        }
        return id.map { PathEvent(path: f.path, id: $0, entry: f.entry) }
      })
  }
}

/// One commit of the first-parent chain, changing or not: its id and the calendar day of its
/// committer date in the committer's own offset (when it was recorded, docs/format.md §6).
public struct ChainLink: Sendable, Hashable {
  public var id: ObjectID
  public var recorded: CalendarDate
}

/// The raw bytes of a tree object read straight from the object database.
///
/// Comparing raw entries skips libgit2's tree parsing and object cache, which is what brings a
/// walk of 50,000 commits near `git log`'s own speed (Benchmarks/README.md).
private final class RawTree {
  let object: OpaquePointer
  let bytes: UnsafeBufferPointer<UInt8>

  init(odb: OpaquePointer, id: ObjectID) throws(GitError) {
    var out: OpaquePointer?
    var raw = id.raw
    try check(git_odb_read(&out, odb, &raw), "git_odb_read")
    guard let out else { throw GitError(message: "tree \(id) could not be read", function: "git_odb_read") }
    guard git_odb_object_type(out) == GIT_OBJECT_TREE else {
      git_odb_object_free(out)
      throw GitError(message: "\(id) is not a tree", function: "git_odb_read")
    }
    object = out
    let size = Int(git_odb_object_size(out))
    if size > 0, let data = git_odb_object_data(out) {
      bytes = UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: size)
    } else {
      bytes = UnsafeBufferPointer(start: nil, count: 0)
    }
  }

  deinit { git_odb_object_free(object) }
}

/// One entry of a raw tree: `<octal mode> <name>\0<20-byte id>`.
private struct RawEntry {
  var mode: UInt32
  var name: UnsafeBufferPointer<UInt8>
  var oid: UnsafePointer<UInt8>

  var isTree: Bool { mode == 0o040000 }
  /// A regular file, as `RecommendationPath` decides (symbolic links and submodules are not).
  var isFile: Bool { RecommendationPath.isRecommendationMode(mode) }

  var objectID: ObjectID {
    UnsafeRawPointer(oid).withMemoryRebound(to: git_oid.self, capacity: 1) { ObjectID($0) }
  }

  /// Same object and same mode as git reads it (100664 is 100644: `RecommendationPath.canonicalMode`).
  func sameObject(as other: RawEntry) -> Bool {
    memcmp(oid, other.oid, 20) == 0
      && (mode == other.mode
        || RecommendationPath.canonicalMode(mode) == RecommendationPath.canonicalMode(other.mode))
  }

  /// git's tree order: names compare bytewise, a tree's name as if it ended in "/".
  func gitOrder(_ other: RawEntry) -> Int32 {
    let n = Swift.min(name.count, other.name.count)
    if n > 0 {
      let r = memcmp(name.baseAddress!, other.name.baseAddress!, n)
      if r != 0 { return r }
    }
    let a: UInt8 = name.count > n ? name[n] : (isTree ? 0x2F : 0)
    let b: UInt8 = other.name.count > n ? other.name[n] : (other.isTree ? 0x2F : 0)
    return Int32(a) - Int32(b)
  }
}

/// Reads entries one by one; a malformed tree ends early rather than reading out of bounds.
private struct RawCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0
  var current: RawEntry?

  init(_ tree: RawTree?, from offset: Int = 0) {
    bytes = tree?.bytes ?? UnsafeBufferPointer(start: nil, count: 0)
    position = offset
    advance()
  }

  /// Where the current entry starts.
  var entryStart = 0

  /// Bytes from the start of the current entry to the end of the tree.
  var fromEntryToEnd: Int { bytes.count - entryStart }

  mutating func advance() {
    current = nil
    guard let base = bytes.baseAddress else { return }
    entryStart = position
    var p = position
    var mode: UInt32 = 0
    while p < bytes.count, bytes[p] != 0x20 {
      let c = bytes[p]
      guard c >= 0x30 && c <= 0x37 else { return }
      mode = mode << 3 | UInt32(c - 0x30)
      p += 1
    }
    p += 1
    let nameStart = p
    while p < bytes.count, bytes[p] != 0 { p += 1 }
    guard p + 21 <= bytes.count else { return }
    current = RawEntry(
      mode: mode, name: UnsafeBufferPointer(start: base + nameStart, count: p - nameStart), oid: base + p + 1)
    position = p + 21
  }
}

/// What the walk reads of a commit: through libgit2, or leniently when libgit2 cannot parse it.
private struct WalkNode {
  var tree: ObjectID
  var firstParent: ObjectID?
  var author: (time: Int64, offset: Int32)
  var committer: (time: Int64, offset: Int32)
  var summary: String
  /// The whole message, only when it mentions `Effective` (most do not).
  var message: String?

  init(_ commit: OpaquePointer) {
    tree = ObjectID(git_commit_tree_id(commit))
    firstParent =
      git_commit_parentcount(commit) > 0 ? git_commit_parent_id(commit, 0).map { ObjectID($0) } : nil
    let a = git_commit_author(commit)?.pointee.when ?? git_time()
    author = (Int64(a.time), Int32(a.offset))
    let c = git_commit_committer(commit)?.pointee.when ?? git_time()
    committer = (Int64(c.time), Int32(c.offset))
    let raw = git_commit_message(commit)
    // Most messages have no trailer: look for the key with C before building Swift strings.
    message = raw.flatMap { text in Self.mentionsEffective(text) ? String(decodingCString: text) : nil }
    summary = ""
    if let raw {
      var n = 0
      while raw[n] != 0 && raw[n] != 0x0A { n += 1 }
      if n > 0 && raw[n - 1] == 0x0D { n -= 1 }
      summary = String(decoding: UnsafeRawBufferPointer(start: raw, count: n), as: UTF8.self)
    }
  }

  init(_ commit: LenientCommit) {
    tree = commit.tree
    firstParent = commit.parents.first
    let a = commit.bestAuthor
    author = (a.time, Int32(a.offsetMinutes))
    let c = commit.bestCommitter
    committer = (c.time, Int32(c.offsetMinutes))
    var first = commit.message.prefix { $0 != "\n" }
    if first.hasSuffix("\r") { first = first.dropLast() }
    summary = String(first)
    message = commit.message.withCString { Self.mentionsEffective($0) } ? commit.message : nil
  }

  /// Whether a C string contains "effective" in any case.
  static func mentionsEffective(_ text: UnsafePointer<CChar>) -> Bool {
    let key: [UInt8] = Array("effective".utf8)
    var i = 0
    while text[i] != 0 {
      var k = 0
      while k < key.count, UInt8(bitPattern: text[i + k]) | 0x20 == key[k] { k += 1 }
      if k == key.count { return true }
      i += 1
    }
    return false
  }
}

/// Walks the first-parent chain from a commit once, and lists, for every commit whose
/// `Recommendations` subtree differs from its first parent's, the recommendation files that
/// differ. Unchanged subtrees are never opened.
final class FirstParentWalker {
  private let repository: Repository
  private let odb: OpaquePointer
  private static let folder = RecommendationPath.folder
  /// The latest version read of each sub-folder, by path (see `changed`).
  private var folders: [[UInt8]: (id: ObjectID, tree: RawTree)] = [:]
  /// How many commits the last walk took from the cache.
  private(set) var fromCache = 0
  /// Whether the last walk ended at its `stop` commit.
  private(set) var reachedStop = false

  init(_ repository: Repository) throws(GitError) {
    self.repository = repository
    var odb: OpaquePointer?
    try check(git_repository_odb(&odb, repository.pointer), "git_repository_odb")
    guard let odb else { throw GitError(message: "no object database", function: "git_repository_odb") }
    self.odb = odb
  }

  deinit { git_odb_free(odb) }

  /// Walks from `head` to the root commit, newest first, and calls `visit` with every commit of
  /// the chain (its depth below HEAD and its changes: `files` is empty when nothing under
  /// `Recommendations/` differs from its first parent's). A commit `cache` knows is taken from it without reading anything; any
  /// other is compared and added to `cache`. Returns the length of the first-parent chain.
  /// With `stop`, the walk ends before visiting that commit (`reachedStop`) or after `limit`
  /// commits, and returns how many it visited.
  func walk(
    from head: ObjectID, cache: HistoryCache?, stop: ObjectID? = nil, limit: Int = .max,
    visit: (ObjectID, Int, CommitChanges) throws(GitError) -> Void
  ) throws(GitError) -> Int {
    var id = head
    var depth = 0
    fromCache = 0
    reachedStop = false
    // What comparing the previous commit learnt of this one: the commit, its folder tree and bytes.
    var carried: (id: ObjectID, commit: WalkNode, folder: ObjectID?, raw: RawTree?)?
    while true {
      if id == stop {
        reachedStop = true
        return depth
      }
      if depth >= limit { return depth }
      if let known = cache?.commits[id] {
        fromCache += 1
        try visit(id, depth, known)
        carried = nil
        guard let parent = known.parent else { break }
        id = parent
        depth += 1
        continue
      }
      let current: WalkNode
      let currentFolder: ObjectID?
      let currentRaw: RawTree?
      if let c = carried, c.id == id {
        (current, currentFolder, currentRaw) = (c.commit, c.folder, c.raw)
        carried = nil
      } else {
        carried = nil
        guard let c = try lookupCommit(id, required: depth == 0) else {
          return depth  // a parent missing from the object database (a shallow clone) ends it
        }
        current = c
        currentFolder = try folderTree(of: c.tree)
        currentRaw = nil
      }
      var parent: WalkNode?
      var parentFolder: ObjectID?
      let parentID = current.firstParent
      if let parentID {
        parent = try lookupCommit(parentID, required: false)
        if let parent { parentFolder = try folderTree(of: parent.tree) }
      }
      var files: [FileChange] = []
      var oldRaw: RawTree?
      if currentFolder != parentFolder {
        var newRaw = currentRaw
        if newRaw == nil, let currentFolder { newRaw = try RawTree(odb: odb, id: currentFolder) }
        oldRaw = try parentFolder.map { id throws(GitError) in try RawTree(odb: odb, id: id) }
        try diff(old: oldRaw, new: newRaw, prefix: Array(Self.folder.utf8), into: &files)
      }
      var changes =
        files.isEmpty
        ? CommitChanges(parent: parentID)
        : CommitChanges(
          parent: parentID, authorTime: current.author.time, authorOffset: current.author.offset,
          summary: current.summary, message: current.message, files: files)
      // When it was recorded (the second clock, docs/format.md §7), kept for every commit.
      changes.committerTime = current.committer.time
      changes.committerOffset = current.committer.offset
      // Compared against a missing parent, the answer is this clone's, not the commit's: not kept.
      if parentID == nil || parent != nil { cache?.add(id, changes) }
      try visit(id, depth, changes)
      guard let parent, let parentID else { break }
      carried = (parentID, parent, parentFolder, oldRaw)
      id = parentID
      depth += 1
    }
    return depth + 1
  }

  /// A commit as the walk needs it; nil for a parent missing from the object database (a
  /// shallow clone ends the history there) unless `required`. A commit libgit2 cannot parse is
  /// read leniently (`LenientCommit`).
  private func lookupCommit(_ id: ObjectID, required: Bool) throws(GitError) -> WalkNode? {
    let found: (OpaquePointer?, LenientCommit?)
    do throws(GitError) { found = try repository.lookupCommitLeniently(id) } catch {
      if !required && error.isNotFound { return nil }
      throw error
    }
    if let lenient = found.1 { return WalkNode(lenient) }
    guard let handle = found.0 else {
      throw GitError(message: "commit \(id) not found", function: "git_commit_lookup")
    }
    defer { git_commit_free(handle) }
    return WalkNode(handle)
  }

  /// The id of the `Recommendations` tree in a commit's tree, or nil when it has none.
  private func folderTree(of treeID: ObjectID) throws(GitError) -> ObjectID? {
    var tree: OpaquePointer?
    var raw = treeID.raw
    try check(git_tree_lookup(&tree, repository.pointer, &raw), "git_tree_lookup", object: treeID)
    defer { git_tree_free(tree) }
    guard let entry = git_tree_entry_byname(tree, Self.folder),
      git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE
    else { return nil }
    return ObjectID(git_tree_entry_id(entry))
  }

  /// Merge-joins two raw trees in git's order, descending only into subtrees whose ids differ.
  private func diff(
    old: RawTree?, new: RawTree?, prefix: [UInt8], level: Int = 0, into events: inout [FileChange]
  )
    throws(GitError)
  {
    // Versions of one folder usually differ in one entry: skip the identical bytes at both ends.
    // The prefix is cut back to an entry boundary by parsing one side only; the walk stops as
    // soon as both sides have the same number of bytes left within the identical suffix.
    var start = 0
    var suffix = 0
    if let o = old?.bytes, let n = new?.bytes, let ob = o.baseAddress, let nb = n.baseAddress {
      let prefix = commonPrefix(ob, nb, min(o.count, n.count))
      var probe = RawCursor(old)
      while probe.current != nil, probe.position <= prefix {
        start = probe.position
        probe.advance()
      }
      suffix = commonSuffix(ob + o.count, nb + n.count, min(o.count, n.count) - start)
    }
    var a = RawCursor(old, from: start)
    var b = RawCursor(new, from: start)
    while true {
      if a.current != nil, b.current != nil, a.fromEntryToEnd == b.fromEntryToEnd, a.fromEntryToEnd <= suffix
      {
        return
      }
      switch (a.current, b.current) {
      case (nil, nil):
        return
      case (let x?, nil):
        try changed(old: x, new: nil, prefix: prefix, level: level, into: &events)
        a.advance()
      case (nil, let y?):
        try changed(old: nil, new: y, prefix: prefix, level: level, into: &events)
        b.advance()
      case (let x?, let y?):
        let order = x.gitOrder(y)
        if order < 0 {
          try changed(old: x, new: nil, prefix: prefix, level: level, into: &events)
          a.advance()
        } else if order > 0 {
          try changed(old: nil, new: y, prefix: prefix, level: level, into: &events)
          b.advance()
        } else {
          if !x.sameObject(as: y) {
            try changed(old: x, new: y, prefix: prefix, level: level, into: &events)
          }
          a.advance()
          b.advance()
        }
      }
    }
  }

  /// How many leading bytes two buffers share.
  private func commonPrefix(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = 0
    while i + 8 <= n {
      let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
      let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
      if x != y { break }
      i += 8
    }
    while i < n, a[i] == b[i] { i += 1 }
    return i
  }

  /// How many trailing bytes two buffers (given by their ends) share, at most `n`.
  private func commonSuffix(_ aEnd: UnsafePointer<UInt8>, _ bEnd: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = 0
    while i + 8 <= n {
      let x = UnsafeRawPointer(aEnd - i - 8).loadUnaligned(as: UInt64.self)
      let y = UnsafeRawPointer(bEnd - i - 8).loadUnaligned(as: UInt64.self)
      if x != y { break }
      i += 8
    }
    while i < n, (aEnd - i - 1).pointee == (bEnd - i - 1).pointee { i += 1 }
    return i
  }

  /// Handles one name whose entry differs: recurses into trees, records recommendation files.
  /// `level` is how many folders below `Recommendations/` the entry is; folders deeper than
  /// `RecommendationPath.maxFolderDepth` are not read.
  private func changed(
    old: RawEntry?, new: RawEntry?, prefix: [UInt8], level: Int, into events: inout [FileChange]
  )
    throws(GitError)
  {
    let name = (old ?? new)!.name
    // A name such as `..` or `.git` is never a recommendation nor a folder of them (TreePath).
    guard TreePath.isSafeComponent(name) else { return }
    var path = prefix
    path.append(0x2F)
    path.append(contentsOf: name)
    let oldTree = old.flatMap { $0.isTree ? $0.objectID : nil }
    let newTree = new.flatMap { $0.isTree ? $0.objectID : nil }
    if oldTree != nil || newTree != nil, level < RecommendationPath.maxFolderDepth {
      // Walking backwards, this commit's version of a folder is the version its parent had in
      // the previous diff that touched the folder: reuse it, so each version is read once.
      let n: RawTree?
      if let newTree, let cached = folders[path], cached.id == newTree {
        n = cached.tree
      } else {
        n = try newTree.map { id throws(GitError) in try RawTree(odb: odb, id: id) }
      }
      let o = try oldTree.map { id throws(GitError) in try RawTree(odb: odb, id: id) }
      try diff(old: o, new: n, prefix: path, level: level + 1, into: &events)
      folders[path] = o.map { (oldTree!, $0) }
    }
    // Every regular file is kept, whatever its name: which names are recommendations
    // (`RecommendationPath`) is decided when the changes are read (`WalkedCommit.init`), so the
    // cache holds git facts only. Modes are kept as git reads them (100664 is 100644).
    let oldFile = old.flatMap { $0.isFile ? $0 : nil }
    let newFile = new.flatMap { $0.isFile ? $0 : nil }
    guard oldFile != nil || newFile != nil else { return }
    if let oldFile, let newFile, oldFile.sameObject(as: newFile) { return }
    let entry = newFile.map { FileEntry(blob: $0.objectID, mode: RecommendationPath.canonicalMode($0.mode)) }
    events.append(FileChange(path: String(decoding: path, as: UTF8.self), entry: entry))
  }
}
