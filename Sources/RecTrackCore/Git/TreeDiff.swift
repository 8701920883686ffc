internal import Clibgit2
import Foundation

/// The one tree differ: the entries that differ between two trees, read straight from the
/// object database. The history walk, the audit, sync and `Landing` all call it, so they cannot
/// disagree about what a commit changed.
///
/// Two trees are compared by one ordered pass over both in git's own order; a sub-folder whose
/// id is the same on both sides is never opened (the fast history walk is just this rule applied
/// to every commit). Versions of one folder usually differ in one entry, so the identical bytes
/// at both ends of the two raw trees are skipped before any entry is parsed.
///
/// What counts as an entry and how deep to go is the `Scope`:
/// - `.recommendations` (the walk, the audit): regular files only (`RecommendationPath`:
///   links and submodules are not files, 100664 is 100644), names `TreePath` refuses skipped,
///   folders deeper than `RecommendationPath.maxFolderDepth` below the starting folder not read;
/// - `.everything` (`Landing`, sync): every entry that is not a folder, names and modes as they
///   are (so `TreePath` can refuse them), and a tree nested deeper than `TreePath.maxTreeDepth`
///   is an error (`GitError.tooDeep`) rather than a recursion without end.
final class TreeDiffer {
  enum Scope: Sendable {
    case recommendations
    case everything
  }

  let scope: Scope
  /// When set (`.recommendations` only), the only files reported are those whose name
  /// `RecommendationPath` reads as this ID (`<ID>.yml`), in any folder: `log ID` walks the
  /// history of one recommendation, which may move between folders. Folders are still opened
  /// only when their ids differ.
  private let onlyID: [UInt8]?
  private let odb: ObjectDatabase
  /// The folder versions read lately, by path: walking a history, one commit's version of a
  /// folder is its neighbour's, so each version is read once (either direction).
  private let folders: FolderCache

  /// `sharing`: another differ of the same repository whose folder versions this one reads and
  /// adds to (the audit compares each commit twice, for recommendations and for unsafe paths,
  /// and reads each tree once). `walking`: this differ will read thousands of versions (a
  /// history walk, the audit), so trees are read from the packfiles by `PackReader`, which
  /// keeps the versions it rebuilds, before libgit2 is asked; `packs`, when given, is that
  /// reader (one made for this thread by `PackReader.sibling`, sharing another's mapping).
  init(
    _ repository: Repository, scope: Scope, onlyID: String? = nil, sharing: TreeDiffer? = nil,
    walking: Bool = false, packs: PackReader? = nil
  ) throws(GitError) {
    self.scope = scope
    self.onlyID = onlyID.map { Array($0.utf8) }
    if let shared = sharing?.odb {
      odb = shared
    } else {
      odb = try ObjectDatabase(repository, packs: walking ? packs ?? PackReader(repository) : nil)
    }
    folders = sharing?.folders ?? FolderCache()
  }

  /// The entries that differ between trees `old` and `new` (nil: the empty tree), both found at
  /// `folder` (a path from the repository's root, "" for the root tree itself). Paths in the
  /// result start with `folder`. Order: git's tree order, a folder's changes before a file that
  /// replaces it. Changes are compared by id and mode (`Scope`), never by content.
  func changes(from old: ObjectID?, to new: ObjectID?, at folder: String = "") throws(GitError)
    -> [TreeChange]
  {
    var out: [TreeChange] = []
    if old == new { return out }
    let prefix = Array(folder.utf8)
    let versions = folders.versions(at: prefix)
    let n = try tree(new, in: versions)
    let o = try tree(old, in: versions)
    try diff(old: o, new: n) { (x, y) throws(GitError) in
      try changed(old: x, new: y, prefix: prefix, level: 0, into: &out)
    }
    remember(o, old, n, new, in: versions)
    return out
  }

  /// The entries of one folder that differ between two of its versions (nil: empty), folders
  /// included and not opened: the same ordered pass, one level deep, names and modes as they are.
  /// `path`: where both trees are (a path from the repository's root without a final `/`, ""
  /// for the root), so that versions read before are not read again; nil reads both.
  func entries(from old: ObjectID?, to new: ObjectID?, at path: String? = nil) throws(GitError)
    -> [(name: String, old: TreeEntry?, new: TreeEntry?)]
  {
    var out: [(name: String, old: TreeEntry?, new: TreeEntry?)] = []
    if old == new { return out }
    let versions = path.map { folders.versions(at: Array($0.utf8)) }
    func read(_ id: ObjectID?) throws(GitError) -> RawTree? {
      guard let versions else { return try id.map { id throws(GitError) in try RawTree(odb: odb, id: id) } }
      return try tree(id, in: versions)
    }
    let o = try read(old)
    let n = try read(new)
    try diff(old: o, new: n) { (x, y) throws(GitError) in
      let name = String(decoding: (x ?? y)!.name, as: UTF8.self)
      func entry(_ e: RawEntry) -> TreeEntry { TreeEntry(name: name, id: e.objectID, mode: e.mode) }
      out.append((name, x.map(entry), y.map(entry)))
    }
    if let versions { remember(o, old, n, new, in: versions) }
    return out
  }

  /// The entries named `names` in tree `id` found at `path` (as `entries(at:)`), each nil when
  /// absent; the first entry of that name counts, as `git_tree_entry_byname` finds it.
  func entries(named names: [String], inTree id: ObjectID, at path: String) throws(GitError) -> [TreeEntry?] {
    let versions = folders.versions(at: Array(path.utf8))
    guard let t = try tree(id, in: versions) else { return names.map { _ in nil } }
    versions.add(id, t)
    let wanted = names.map { Array($0.utf8) }
    var out: [TreeEntry?] = names.map { _ in nil }
    var cursor = RawCursor(t)
    while let e = cursor.current {
      for (i, w) in wanted.enumerated() where out[i] == nil && e.name.elementsEqual(w) {
        out[i] = TreeEntry(name: names[i], id: e.objectID, mode: e.mode)
      }
      cursor.advance()
    }
    if cursor.damaged {
      throw GitError(message: "tree \(id) is damaged (an entry cannot be read)", function: "git_odb_read")
    }
    return out
  }

  /// The commit `id` read from the packfiles by `PackedCommit`, when this differ reads them
  /// (`walking`) and the commit has the plain form git writes; nil leaves it to libgit2.
  func packedCommit(_ id: ObjectID) -> PackedCommit? { odb.packs?.read(id).flatMap(PackedCommit.init) }

  /// A reader of the packfiles this differ reads, for another thread (`PackReader.sibling`); nil
  /// when it reads through libgit2 only.
  func packsForAnotherThread() -> PackReader? { odb.packs?.sibling() }

  private func tree(_ id: ObjectID?, in versions: FolderCache.Versions) throws(GitError) -> RawTree? {
    guard let id else { return nil }
    if let known = versions.tree(id) { return known }
    return try RawTree(odb: odb, id: id)
  }

  private func remember(
    _ o: RawTree?, _ old: ObjectID?, _ n: RawTree?, _ new: ObjectID?, in versions: FolderCache.Versions
  ) {
    if let o, let old { versions.add(old, o) }
    if let n, let new { versions.add(new, n) }
  }

  /// Merge-joins two raw trees in git's order, descending only into subtrees whose ids differ.
  private func diff(
    old: RawTree?, new: RawTree?, visit: (RawEntry?, RawEntry?) throws(GitError) -> Void
  ) throws(GitError) {
    // The prefix is cut back to an entry boundary by parsing one side only; the join stops as
    // soon as both sides have the same number of bytes left within the identical suffix.
    var start = 0
    var suffix = 0
    if let o = old?.bytes, let n = new?.bytes, let ob = o.baseAddress, let nb = n.baseAddress {
      let common = commonPrefix(ob, nb, min(o.count, n.count))
      start = RawCursor.lastBoundary(in: o, upTo: common)
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
        if let tree = a.damaged ? old : b.damaged ? new : nil {
          throw GitError(
            message: "tree \(tree.id) is damaged (an entry cannot be read)", function: "git_odb_read")
        }
        return
      case (let x?, nil):
        try visit(x, nil)
        a.advance()
      case (nil, let y?):
        try visit(nil, y)
        b.advance()
      case (let x?, let y?):
        let order = x.gitOrder(y)
        if order < 0 {
          try visit(x, nil)
          a.advance()
        } else if order > 0 {
          try visit(nil, y)
          b.advance()
        } else {
          if !same(x, y) { try visit(x, y) }
          a.advance()
          b.advance()
        }
      }
    }
  }

  /// Same object and same mode (in `.recommendations`, as git reads modes: 100664 is 100644).
  private func same(_ x: RawEntry, _ y: RawEntry) -> Bool {
    guard memcmp(x.oid, y.oid, 20) == 0 else { return false }
    if x.mode == y.mode { return true }
    return scope == .recommendations
      && RecommendationPath.canonicalMode(x.mode) == RecommendationPath.canonicalMode(y.mode)
  }

  /// Whether an entry counts as a file in this scope.
  private func isFile(_ e: RawEntry) -> Bool {
    switch scope {
    case .recommendations: return RecommendationPath.isRecommendationMode(e.mode)
    case .everything: return !e.isTree
    }
  }

  /// Handles one name whose entry differs: recurses into folders, records files.
  private func changed(
    old: RawEntry?, new: RawEntry?, prefix: [UInt8], level: Int, into out: inout [TreeChange]
  )
    throws(GitError)
  {
    let name = (old ?? new)!.name
    // In `.recommendations`, a name such as `..` or `.git` is never a recommendation nor a
    // folder of them (TreePath); `.everything` reports it, so that the caller can refuse it.
    if scope == .recommendations, !TreePath.isSafeComponent(name) { return }
    var path = prefix
    if !path.isEmpty { path.append(0x2F) }
    path.append(contentsOf: name)
    let oldTree = old.flatMap { $0.isTree ? $0.objectID : nil }
    let newTree = new.flatMap { $0.isTree ? $0.objectID : nil }
    if oldTree != nil || newTree != nil {
      switch scope {
      case .recommendations where level >= RecommendationPath.maxFolderDepth:
        break
      case .everything where level >= TreePath.maxTreeDepth:
        // Refused as `unsafePaths` refuses it (`TrackingError.from` makes it `unsafeTree`).
        throw GitError.tooDeep(at: String(decoding: path, as: UTF8.self) + "/")
      default:
        let versions = folders.versions(at: path)
        let n = try tree(newTree, in: versions)
        let o = try tree(oldTree, in: versions)
        try diff(old: o, new: n) { (x, y) throws(GitError) in
          try changed(old: x, new: y, prefix: path, level: level + 1, into: &out)
        }
        remember(o, oldTree, n, newTree, in: versions)
      }
    }
    let oldFile = old.flatMap { isFile($0) ? $0 : nil }
    let newFile = new.flatMap { isFile($0) ? $0 : nil }
    guard oldFile != nil || newFile != nil else { return }
    if let onlyID {
      guard let id = RecommendationPath.id(fromFileName: name), id.elementsEqual(onlyID) else { return }
    }
    if let oldFile, let newFile, same(oldFile, newFile) { return }
    let text = String(decoding: name, as: UTF8.self)
    func entry(_ e: RawEntry) -> TreeEntry {
      let mode = scope == .recommendations ? RecommendationPath.canonicalMode(e.mode) : e.mode
      return TreeEntry(name: text, id: e.objectID, mode: mode)
    }
    out.append(
      TreeChange(
        path: String(decoding: path, as: UTF8.self), old: oldFile.map(entry), new: newFile.map(entry)))
  }

  /// Whether the 32 bytes at `a` and at `b` are the same (four 8-byte loads, one branch).
  private func same32(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Bool {
    let x = UnsafeRawPointer(a)
    let y = UnsafeRawPointer(b)
    var d: UInt64 = 0
    for k in stride(from: 0, to: 32, by: 8) {
      d |=
        x.loadUnaligned(fromByteOffset: k, as: UInt64.self)
        ^ y.loadUnaligned(fromByteOffset: k, as: UInt64.self)
    }
    return d == 0
  }

  /// How many leading bytes two buffers share.
  private func commonPrefix(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = 0
    // 32 bytes a step while they match, then 8, then one.
    while i + 32 <= n {
      if !same32(a + i, b + i) { break }
      i += 32
    }
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
    while i + 32 <= n {
      if !same32(aEnd - i - 32, bEnd - i - 32) { break }
      i += 32
    }
    while i + 8 <= n {
      let x = UnsafeRawPointer(aEnd - i - 8).loadUnaligned(as: UInt64.self)
      let y = UnsafeRawPointer(bEnd - i - 8).loadUnaligned(as: UInt64.self)
      if x != y { break }
      i += 8
    }
    while i < n, (aEnd - i - 1).pointee == (bEnd - i - 1).pointee { i += 1 }
    return i
  }
}

extension Repository {
  /// Every entry that is not a folder (blob, link or submodule) and differs between two trees,
  /// recursively, sorted by path; a nil tree is the empty tree (`TreeDiffer`, `.everything`).
  public func changes(from old: ObjectID?, to new: ObjectID?) throws(GitError) -> [TreeChange] {
    try TreeDiffer(self, scope: .everything).changes(from: old, to: new).sorted { $0.path < $1.path }
  }
}

/// The last few versions read of each folder, by path (most recent first): a commit's version
/// and its parent's, and on a side branch the version beside them.
private final class FolderCache {
  /// One folder's versions, looked up once for all the reads and additions of one comparison
  /// (four lookups of its path cost 1.8% of an audit's instructions, callgrind).
  final class Versions {
    private var list: [(id: ObjectID, tree: RawTree)] = []

    func tree(_ id: ObjectID) -> RawTree? { list.first(where: { $0.id == id })?.tree }

    /// In place (no copy of the list); most calls find the version first already.
    func add(_ id: ObjectID, _ tree: RawTree) { list.withShifted(id, tree, kept: FolderCache.kept) }
  }

  private var folders: [FolderPath: Versions] = [:]
  fileprivate static let kept = 3

  func versions(at path: [UInt8]) -> Versions {
    let key = FolderPath(bytes: path)
    if let known = folders[key] { return known }
    let new = Versions()
    folders[key] = new
    return new
  }
}

/// A folder's path as a dictionary key, hashed in one pass over its bytes: an `[UInt8]` key is
/// hashed a byte at a time (perf: ~3% of an audit, ~2% of a cold `log ID`).
private struct FolderPath: Hashable {
  let bytes: [UInt8]

  func hash(into hasher: inout Hasher) {
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
  }

  static func == (a: Self, b: Self) -> Bool { a.bytes == b.bytes }
}

extension Array where Element == (id: ObjectID, tree: RawTree) {
  /// Puts `id` first (once), keeping at most `kept` versions.
  fileprivate mutating func withShifted(_ id: ObjectID, _ tree: RawTree, kept: Int) {
    if first?.id == id { return }
    removeAll { $0.id == id }
    insert((id, tree), at: 0)
    if count > kept { removeLast(count - kept) }
  }
}

/// A handle on a repository's object database, freed when the last differ and the last tree
/// read through it are gone (a tree kept in a shared `FolderCache` can outlive its differ).
private final class ObjectDatabase {
  let pointer: OpaquePointer
  /// Asked first for trees, when set (a walk); what it has not, libgit2 reads.
  let packs: PackReader?

  init(_ repository: Repository, packs: PackReader?) throws(GitError) {
    var odb: OpaquePointer?
    try check(git_repository_odb(&odb, repository.pointer), "git_repository_odb")
    guard let odb else { throw GitError(message: "no object database", function: "git_repository_odb") }
    pointer = odb
    self.packs = packs
  }

  deinit { git_odb_free(pointer) }
}

/// The raw bytes of a tree object read straight from the object database.
///
/// Comparing raw entries skips libgit2's tree parsing and object cache, which is what brings a
/// walk of 50,000 commits near `git log`'s own speed (Benchmarks/README.md).
private final class RawTree {
  let id: ObjectID
  let bytes: UnsafeBufferPointer<UInt8>
  /// What holds the bytes: libgit2's object, or the one `PackReader` rebuilt.
  private let object: OpaquePointer?
  private let packed: PackReader.Object?
  /// Kept so that the object is freed before the database it was read from.
  private let database: ObjectDatabase

  init(odb: ObjectDatabase, id: ObjectID) throws(GitError) {
    self.id = id
    database = odb
    // Anything but a tree is left to libgit2, which says what it is.
    if let found = odb.packs?.read(id), found.type == 2 {
      packed = found
      object = nil
      bytes = found.buffer
      return
    }
    packed = nil
    var out: OpaquePointer?
    var raw = id.raw
    try check(git_odb_read(&out, odb.pointer, &raw), "git_odb_read")
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

  deinit { if let object { git_odb_object_free(object) } }
}

/// One entry of a raw tree: `<octal mode> <name>\0<20-byte id>`.
private struct RawEntry {
  var mode: UInt32
  var name: UnsafeBufferPointer<UInt8>
  var oid: UnsafePointer<UInt8>

  var isTree: Bool { mode == 0o040000 }

  var objectID: ObjectID {
    UnsafeRawPointer(oid).withMemoryRebound(to: git_oid.self, capacity: 1) { ObjectID($0) }
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

/// Reads entries one by one; a malformed entry ends the reading (`damaged`), never reads out
/// of bounds.
private struct RawCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0
  var current: RawEntry?
  /// True when reading stopped before the end of the tree at bytes that are not an entry.
  var damaged = false

  init(_ tree: RawTree?, from offset: Int = 0) {
    bytes = tree?.bytes ?? UnsafeBufferPointer(start: nil, count: 0)
    position = offset
    advance()
  }

  /// Where the current entry starts.
  var entryStart = 0

  /// Bytes from the start of the current entry to the end of the tree.
  var fromEntryToEnd: Int { bytes.count - entryStart }

  /// Where the first entry that does not end within `limit` bytes starts (0 when the first
  /// does not): entries are only measured here, their modes checked as `advance` checks them, so
  /// a damaged entry stops the count before it and the ordered pass meets it.
  static func lastBoundary(in bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    let count = bytes.count
    var boundary = 0
    var p = 0
    while p < count {
      var q = p
      while q < count, base[q] != 0x20 {
        guard base[q] >= 0x30 && base[q] <= 0x37 else { return boundary }
        q += 1
      }
      q += 1
      guard q <= count, let nul = memchr(base + q, 0, count - q) else { return boundary }
      let end = UnsafeRawPointer(nul).assumingMemoryBound(to: UInt8.self) - base + 21
      guard end <= count, end <= limit else { return boundary }
      boundary = end
      p = end
    }
    return boundary
  }

  mutating func advance() {
    current = nil
    guard let base = bytes.baseAddress, position < bytes.count else { return }
    damaged = true
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
    damaged = false
  }
}
