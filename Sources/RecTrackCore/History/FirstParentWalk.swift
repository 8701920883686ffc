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

  init(_ repository: Repository) throws(GitError) {
    self.repository = repository
    differ = try TreeDiffer(repository, scope: .recommendations)
  }

  /// Walks from `head` to the root commit, newest first, and calls `visit` with every commit of
  /// the chain (its depth below HEAD and its changes: `files` is empty when nothing under
  /// `Recommendations/` differs from its first parent's). A commit `cache` knows is taken from it without reading anything; any
  /// other is compared and added to `cache`. Returns the length of the first-parent chain.
  func walk(
    from head: ObjectID, cache: HistoryCache?, visit: (ObjectID, Int, CommitChanges) throws(GitError) -> Void
  ) throws(GitError) -> Int {
    var id = head
    var depth = 0
    fromCache = 0
    // What comparing the previous commit learnt of this one: its handle and folder tree.
    var carried: (id: ObjectID, commit: OpaquePointer, folder: ObjectID?)?
    defer { if let carried { git_commit_free(carried.commit) } }
    while true {
      if let known = cache?.commits[id] {
        fromCache += 1
        try visit(id, depth, known)
        if let c = carried {
          git_commit_free(c.commit)
          carried = nil
        }
        guard let parent = known.parent else { break }
        id = parent
        depth += 1
        continue
      }
      let current: OpaquePointer
      let currentFolder: ObjectID?
      if let c = carried, c.id == id {
        (current, currentFolder) = (c.commit, c.folder)
        carried = nil
      } else {
        if let c = carried {
          git_commit_free(c.commit)
          carried = nil
        }
        guard let c = depth == 0 ? try lookupCommit(id) : try lookupCommitIfPresent(id) else {
          return depth  // a parent missing from the object database (a shallow clone) ends it
        }
        current = c
        do { currentFolder = try folderTree(of: c) } catch {
          git_commit_free(c)
          throw error
        }
      }
      defer { git_commit_free(current) }
      var parent: OpaquePointer?
      var parentID: ObjectID?
      var parentFolder: ObjectID?
      if git_commit_parentcount(current) > 0, let pid = git_commit_parent_id(current, 0) {
        parentID = ObjectID(pid)
        parent = try lookupCommitIfPresent(ObjectID(pid))
        if let parent {
          do { parentFolder = try folderTree(of: parent) } catch {
            git_commit_free(parent)
            throw error
          }
        }
      }
      var files: [FileChange] = []
      do throws(GitError) {
        if currentFolder != parentFolder {
          // Every regular file is kept, whatever its name: which names are recommendations
          // (`RecommendationPath`) is decided when the changes are read (`WalkedCommit.init`),
          // so the cache holds git facts only. Modes are kept as git reads them (100664 is 100644).
          files = try differ.changes(from: parentFolder, to: currentFolder, at: Self.folder).map {
            FileChange(path: $0.path, entry: $0.new.map { FileEntry(blob: $0.id, mode: $0.mode) })
          }
        }
        var changes =
          files.isEmpty ? CommitChanges(parent: parentID) : describe(current, parent: parentID, files: files)
        // When it was recorded (the second clock, docs/format.md §7), kept for every commit.
        let recorded = git_commit_committer(current)?.pointee.when ?? git_time()
        changes.committerTime = Int64(recorded.time)
        changes.committerOffset = Int32(recorded.offset)
        // Compared against a missing parent, the answer is this clone's, not the commit's: not kept.
        if parentID == nil || parent != nil { cache?.add(id, changes) }
        try visit(id, depth, changes)
      } catch {
        if let parent { git_commit_free(parent) }
        throw error
      }
      guard let parent, let parentID else { break }
      carried = (parentID, parent, parentFolder)
      id = parentID
      depth += 1
    }
    return depth + 1
  }

  private func lookupCommit(_ id: ObjectID) throws(GitError) -> OpaquePointer {
    var c: OpaquePointer?
    var raw = id.raw
    try check(git_commit_lookup(&c, repository.pointer, &raw), "git_commit_lookup")
    guard let c else { throw GitError(message: "commit \(id) not found", function: "git_commit_lookup") }
    return c
  }

  /// A parent missing from the object database (a shallow clone) ends the history there.
  private func lookupCommitIfPresent(_ id: ObjectID) throws(GitError) -> OpaquePointer? {
    var c: OpaquePointer?
    var raw = id.raw
    let rc = git_commit_lookup(&c, repository.pointer, &raw)
    if rc == GIT_ENOTFOUND.rawValue { return nil }
    try check(rc, "git_commit_lookup")
    return c
  }

  /// The id of the commit's `Recommendations` tree, or nil when it has none.
  private func folderTree(of commit: OpaquePointer) throws(GitError) -> ObjectID? {
    var tree: OpaquePointer?
    try check(git_commit_tree(&tree, commit), "git_commit_tree")
    defer { git_tree_free(tree) }
    guard let entry = git_tree_entry_byname(tree, Self.folder),
      git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE
    else { return nil }
    return ObjectID(git_tree_entry_id(entry))
  }

  private func describe(_ commit: OpaquePointer, parent: ObjectID?, files: [FileChange]) -> CommitChanges {
    let raw = git_commit_message(commit)
    // Most messages have no trailer: look for the key with C before building Swift strings.
    let message = raw.flatMap { text in Self.mentionsEffective(text) ? String(decodingCString: text) : nil }
    let when = git_commit_author(commit)?.pointee.when ?? git_time()
    var summary = ""
    if let raw {
      var n = 0
      while raw[n] != 0 && raw[n] != 0x0A { n += 1 }
      if n > 0 && raw[n - 1] == 0x0D { n -= 1 }
      summary = String(decoding: UnsafeRawBufferPointer(start: raw, count: n), as: UTF8.self)
    }
    return CommitChanges(
      parent: parent, authorTime: Int64(when.time), authorOffset: Int32(when.offset), summary: summary,
      message: message, files: files)
  }

  /// Whether a C string contains "effective" in any case.
  private static func mentionsEffective(_ text: UnsafePointer<CChar>) -> Bool {
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
