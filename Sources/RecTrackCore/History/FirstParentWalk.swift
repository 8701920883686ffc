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
    (summary, message) = Self.read(
      raw.map { UnsafeRawBufferPointer(start: $0, count: strlen($0)).bindMemory(to: UInt8.self) }
        ?? UnsafeBufferPointer(start: nil, count: 0))
  }

  /// The same fields as libgit2 gives them (`PackedCommit` reads only where they agree).
  init(_ commit: PackedCommit) {
    tree = commit.tree
    firstParent = commit.firstParent
    author = commit.author
    committer = commit.committer
    (summary, message) = Self.read(commit.message)
  }

  /// The summary (the first line, without a final carriage return) and the whole message when
  /// it mentions `Effective` (most do not: looked for in the bytes before building strings).
  private static func read(_ text: UnsafeBufferPointer<UInt8>) -> (summary: String, message: String?) {
    var n = 0
    while n < text.count && text[n] != 0x0A { n += 1 }
    if n > 0 && text[n - 1] == 0x0D { n -= 1 }
    let summary = String(decoding: UnsafeBufferPointer(rebasing: text[0..<n]), as: UTF8.self)
    return (summary, mentionsEffective(text) ? String(decoding: text, as: UTF8.self) : nil)
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
    var text = commit.message
    message = text.withUTF8 { Self.mentionsEffective($0) } ? commit.message : nil
  }

  /// Whether the bytes contain "effective" in any case.
  static func mentionsEffective(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let key: StaticString = "effective"
    let k = key.utf8CodeUnitCount
    guard text.count >= k else { return false }
    for i in 0...(text.count - k) where text[i] | 0x20 == 0x65 {
      var j = 1
      while j < k, text[i + j] | 0x20 == key.utf8Start[j] { j += 1 }
      if j == k { return true }
    }
    return false
  }
}

/// Walks the first-parent chain from a commit once, and lists, for every commit whose
/// `Recommendations` subtree differs from its first parent's, the recommendation files that
/// differ. Unchanged subtrees are never opened.
final class FirstParentWalker {
  private let repository: Repository
  /// The one tree differ, kept for the whole walk: it reuses each folder version it read.
  private let differ: TreeDiffer
  private static let folder = RecommendationPath.folder
  /// How many commits the last walk took from the cache.
  private(set) var fromCache = 0
  /// Whether the last walk ended at its `stop` commit.
  private(set) var reachedStop = false

  /// With `onlyID`, only the files of that one recommendation are listed, in any folder
  /// (`TreeDiffer`'s name filter); such a walk must not be given a cache (it would keep a part).
  init(_ repository: Repository, onlyID: String? = nil) throws(GitError) {
    self.repository = repository
    differ = try TreeDiffer(repository, scope: .recommendations, onlyID: onlyID, walking: true)
  }

  /// A reader of the packs this walk reads, for the thread that reads the file versions
  /// (`BackgroundBlobReader`); nil when the walk reads through libgit2 only.
  func packsForBlobs() -> PackReader? { differ.packsForAnotherThread() }

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
    // What comparing the previous commit learnt of this one: the commit and its folder tree.
    var carried: (id: ObjectID, commit: WalkNode, folder: ObjectID?)?
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
      if let c = carried, c.id == id {
        (current, currentFolder) = (c.commit, c.folder)
        carried = nil
      } else {
        carried = nil
        guard let c = try lookupCommit(id, required: depth == 0) else {
          return depth  // a parent missing from the object database (a shallow clone) ends it
        }
        current = c
        currentFolder = try folderTree(of: c.tree)
      }
      var parent: WalkNode?
      var parentFolder: ObjectID?
      let parentID = current.firstParent
      if let parentID {
        parent = try lookupCommit(parentID, required: false)
        if let parent { parentFolder = try folderTree(of: parent.tree) }
      }
      var files: [FileChange] = []
      if currentFolder != parentFolder {
        // Every regular file is kept, whatever its name: which names are recommendations
        // (`RecommendationPath`) is decided when the changes are read (`WalkedCommit.init`),
        // so the cache holds git facts only. Modes are kept as git reads them (100664 is 100644).
        files = try differ.changes(from: parentFolder, to: currentFolder, at: Self.folder).map {
          FileChange(path: $0.path, entry: $0.new.map { FileEntry(blob: $0.id, mode: $0.mode) })
        }
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
      carried = (parentID, parent, parentFolder)
      id = parentID
      depth += 1
    }
    return depth + 1
  }

  /// A commit as the walk needs it; nil for a parent missing from the object database (a
  /// shallow clone ends the history there) unless `required`. A packed commit of git's plain
  /// form is read from the pack (`PackedCommit`), any other through libgit2, and one libgit2
  /// cannot parse is read leniently (`LenientCommit`).
  private func lookupCommit(_ id: ObjectID, required: Bool) throws(GitError) -> WalkNode? {
    if let packed = differ.packedCommit(id) { return WalkNode(packed) }
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

  /// The id of the `Recommendations` tree in a commit's tree, or nil when it has none (as the
  /// audit reads it: the first entry of that name, when it is a folder).
  private func folderTree(of treeID: ObjectID) throws(GitError) -> ObjectID? {
    guard let entry = try differ.entries(named: [Self.folder], inTree: treeID, at: "")[0], entry.isTree else {
      return nil
    }
    return entry.id
  }
}
