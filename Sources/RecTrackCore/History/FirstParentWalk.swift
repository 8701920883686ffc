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
    self.onlyID = onlyID
    differ = try TreeDiffer(repository, scope: .recommendations, onlyID: onlyID, walking: true)
  }

  private let onlyID: String?
  /// Whether a one-ID walk compares commits on two threads (`walkOnTwoThreads`): with more than
  /// one core. Tests turn it off to compare with the walk on one thread.
  @TaskLocal static var twoThreads = Repository.helpsReading
  /// How many consecutive commits a thread of `walkOnTwoThreads` compares at a time (neighbours
  /// share folder versions). Tests make it small so that the threads take turns often.
  @TaskLocal static var comparisonChunk = 256

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
    fromCache = 0
    reachedStop = false
    if onlyID != nil, cache == nil, stop == nil, limit == .max, Self.twoThreads {
      return try walkOnTwoThreads(from: head, visit: visit)
    }
    var id = head
    var depth = 0
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
      let files = try Self.files(from: parentFolder, to: currentFolder, with: differ)
      let changes = Self.changes(of: current, files: files)
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

  /// The files under `Recommendations/` that differ between a commit's folder tree and its
  /// first parent's (nil: none). Every regular file is kept, whatever its name: which names are
  /// recommendations (`RecommendationPath`) is decided when the changes are read
  /// (`WalkedCommit.init`), so the cache holds git facts only. Modes are kept as git reads them
  /// (100664 is 100644).
  private static func files(from parent: ObjectID?, to current: ObjectID?, with differ: TreeDiffer)
    throws(GitError) -> [FileChange]
  {
    guard current != parent else { return [] }
    return try differ.changes(from: parent, to: current, at: folder).map {
      FileChange(path: $0.path, entry: $0.new.map { FileEntry(blob: $0.id, mode: $0.mode) })
    }
  }

  /// A commit's changes: its first parent, when it was recorded (the second clock,
  /// docs/format.md §7, kept for every commit), and, when files differ, those files, its author
  /// date and its message.
  private static func changes(of commit: WalkNode, files: [FileChange]) -> CommitChanges {
    var changes =
      files.isEmpty
      ? CommitChanges(parent: commit.firstParent)
      : CommitChanges(
        parent: commit.firstParent, authorTime: commit.author.time, authorOffset: commit.author.offset,
        summary: commit.summary, message: commit.message, files: files)
    changes.committerTime = commit.committer.time
    changes.committerOffset = commit.committer.offset
    return changes
  }

  /// `walk` for a one-ID walk without cache or stop, on two threads. This thread reads the
  /// chain's commits and their `Recommendations` folders, while a second one, with its own
  /// repository handle, compares each commit's folder with its parent's from the newest down as
  /// soon as both are known; once the chain is read, this thread compares from the oldest up
  /// until the two meet (`Comparisons`). The visits and their order are those of `walk`; when
  /// anything fails, the comparisons are made again here one after another, so the error is the
  /// one `walk` meets first.
  private func walkOnTwoThreads(
    from head: ObjectID, visit: (ObjectID, Int, CommitChanges) throws(GitError) -> Void
  ) throws(GitError) -> Int {
    let shared = Comparisons(
      repositoryPath: repository.workdir ?? repository.gitDir, onlyID: onlyID,
      packs: differ.packsForAnotherThread(), chunk: Self.comparisonChunk)
    var nodes: [(id: ObjectID, commit: WalkNode)] = []
    var folders: [ObjectID?] = []
    var id = head
    do throws(GitError) {
      // A parent missing from the object database (a shallow clone) ends the chain; the last
      // commit is then compared against nothing, as `walk` compares it.
      while let commit = try lookupCommit(id, required: nodes.isEmpty) {
        nodes.append((id, commit))
        folders.append(try folderTree(of: commit.tree))
        if folders.count % shared.chunk == 0 { shared.publish(folders) }
        guard let parent = commit.firstParent else { break }
        id = parent
      }
    } catch {
      _ = shared.finish(compareHere: nil)
      // `walk` compares every commit whose parent it has read before it meets the error.
      _ = try compareInOrder(folders, count: Swift.max(0, folders.count - 1))
      throw error
    }
    shared.publish(folders, complete: true)
    var files =
      shared.finish { [differ] (parent, current) throws(GitError) in
        try Self.files(from: parent, to: current, with: differ)
      } ?? []
    if files.count != folders.count { files = try compareInOrder(folders, count: folders.count) }
    for (i, node) in nodes.enumerated() {
      try visit(node.id, i, Self.changes(of: node.commit, files: files[i]))
    }
    return nodes.count
  }

  /// The first `count` commits of a chain compared one after another on this thread, each
  /// commit's folder (`folders`, newest first) with its parent's (nothing past the end).
  private func compareInOrder(_ folders: [ObjectID?], count: Int) throws(GitError) -> [[FileChange]] {
    var out: [[FileChange]] = []
    out.reserveCapacity(count)
    for i in 0..<count {
      out.append(
        try Self.files(from: i + 1 < folders.count ? folders[i + 1] : nil, to: folders[i], with: differ))
    }
    return out
  }

  /// The comparisons of `walkOnTwoThreads`, shared by its two threads: the folders of the chain
  /// as they are read (`publish`), the second thread's share taken from the newest end and the
  /// first thread's from the oldest (`finish`), each in runs of `chunk` consecutive commits.
  /// `@unchecked Sendable` is sound: every mutable field is guarded by `condition`, and `packs`
  /// is used by the second thread only.
  private final class Comparisons: @unchecked Sendable {
    let chunk: Int
    private let repositoryPath: String
    private let onlyID: String?
    private let packs: PackReader?
    private let condition = NSCondition()
    /// The chain's folders, newest first, and whether that is all of them.
    private var folders: [ObjectID?] = []
    private var complete = false
    /// The second thread compares from `next` upwards, the first from `back` downwards.
    private var next = 0
    private var back = Int.max
    private var newer: [[FileChange]] = []
    private var older: [(start: Int, files: [[FileChange]])] = []
    private var failed = false
    private var stopped = false
    private var helperDone = false

    init(repositoryPath: String, onlyID: String?, packs: PackReader?, chunk: Int) {
      self.repositoryPath = repositoryPath
      self.onlyID = onlyID
      self.packs = packs
      self.chunk = Swift.max(1, chunk)
      let thread = Thread { [self] in
        helpFromTheNewest()
        condition.lock()
        helperDone = true
        condition.broadcast()
        condition.unlock()
      }
      thread.stackSize = 4 << 20
      thread.start()
    }

    /// The chain's folders read so far, newest first (all of them, with `complete`); those not
    /// yet handed over are added.
    func publish(_ all: [ObjectID?], complete: Bool = false) {
      condition.lock()
      folders += all[folders.count...]
      self.complete = complete
      if complete { back = folders.count }
      condition.broadcast()
      condition.unlock()
    }

    /// One run of pairs compared with `compare`, up to the first that fails (fewer answers than
    /// pairs then: the caller marks the walk failed).
    private static func compare(
      _ pairs: [(ObjectID?, ObjectID?)], with compare: (ObjectID?, ObjectID?) throws(GitError) -> [FileChange]
    ) -> [[FileChange]] {
      var out: [[FileChange]] = []
      out.reserveCapacity(pairs.count)
      for (parent, current) in pairs {
        guard let files = try? compare(parent, current) else { break }
        out.append(files)
      }
      return out
    }

    /// The pair compared for commit `i`: its parent's folder (nothing past the end) and its own.
    private func pair(_ i: Int) -> (ObjectID?, ObjectID?) {
      (i + 1 < folders.count ? folders[i + 1] : nil, folders[i])
    }

    private func helpFromTheNewest() {
      guard let repository = try? Repository(discoveringFrom: repositoryPath),
        let differ = try? TreeDiffer(
          repository, scope: .recommendations, onlyID: onlyID, walking: true, packs: packs)
      else { return }
      condition.lock()
      defer { condition.unlock() }
      while !stopped && !failed {
        // Commit i can be compared once its parent's folder is known (or the chain is whole).
        let ready = complete ? Swift.min(folders.count, back) : Swift.max(0, folders.count - 1)
        guard next < ready else {
          if complete { return }
          condition.wait()
          continue
        }
        let range = next..<Swift.min(ready, next + chunk)
        next = range.upperBound
        let pairs = range.map(pair)
        condition.unlock()
        let out = Self.compare(pairs) { (parent, current) throws(GitError) in
          try FirstParentWalker.files(from: parent, to: current, with: differ)
        }
        condition.lock()
        newer += out
        if out.count < pairs.count { failed = true }
      }
    }

    /// Compares from the oldest commit up with `compare` until the second thread's share is met
    /// (nil: compares nothing and stops that thread), waits for that thread, and returns every
    /// commit's files, newest first; nil when a comparison failed on either thread.
    func finish(compareHere compare: ((ObjectID?, ObjectID?) throws(GitError) -> [FileChange])?)
      -> [[FileChange]]?
    {
      condition.lock()
      defer { condition.unlock() }
      if compare == nil { stopped = true }
      while let compare, !failed, next < back {
        let range = Swift.max(next, back - chunk)..<back
        back = range.lowerBound
        let pairs = range.map(pair)
        condition.unlock()
        let out = Self.compare(pairs, with: compare)
        condition.lock()
        older.append((range.lowerBound, out))
        if out.count < pairs.count { failed = true }
      }
      condition.broadcast()
      while !helperDone { condition.wait() }
      guard !failed, !stopped else { return nil }
      var all = newer
      for part in older.reversed() where part.start == all.count { all += part.files }
      return all.count == folders.count ? all : nil
    }
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
