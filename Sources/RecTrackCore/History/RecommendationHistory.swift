import Foundation

/// A commit of HEAD's first-parent history that changed at least one recommendation.
public struct HistoryCommit: Sendable, Hashable {
  public var id: ObjectID
  /// The commit's place in the first-parent chain: 0 is the root commit, HEAD has the greatest.
  /// Spec section 5 picks "the latest commit in first-parent order": the greatest position.
  public var position: Int
  /// The date of the change (docs/format.md §4): the `Effective:` trailer, else the author's calendar day.
  public var date: CalendarDate
  /// True when `date` came from an `Effective:` trailer rather than the author date.
  public var dateFromTrailer: Bool
  /// The first line of the commit message.
  public var summary: String
  /// The day the change was recorded (docs/format.md §6): the committer date's calendar day in
  /// the committer's own offset, i.e. when the commit reached the branch.
  public var recorded: CalendarDate
}

/// A recommendation's file as one commit left it: where it is and which blob holds its content.
public struct RecommendationVersion: Sendable, Hashable {
  /// The path in the repository, e.g. `Recommendations/2019-deep-dive/DP-DDR-02.yml`.
  public var path: String
  /// The blob with the file's bytes (read it with `Repository.blob(_:)`).
  public var blob: ObjectID
  /// The tree entry's mode (0o100644 for an ordinary file).
  public var mode: UInt32
}

/// One change to one recommendation (docs/format.md §4): added, modified, moved or deleted.
public struct RecommendationChange: Sendable, Hashable {
  public var id: String
  public var commit: HistoryCommit
  /// The file as this commit left it; nil when the commit deleted it.
  public var version: RecommendationVersion?
  /// The file as the commit's first parent had it; nil when it did not exist there.
  public var previous: RecommendationVersion?

  public var isDeletion: Bool { version == nil }
  /// Same ID, another folder.
  public var isMove: Bool {
    if let version, let previous { return version.path != previous.path }
    return false
  }
}

/// Every change to every recommendation on HEAD's first-parent history, from one walk.
///
/// This is the one place that answers "what did the tracker say on day D" (docs/format.md §5):
/// `list --as-of`, `show --as-of`, `log`'s timeline and `progress` all read it, so they agree.
/// Build it with `RecommendationHistory.load(from:readingContents:)`; it holds no libgit2
/// handle, so it crosses threads and outlives the repository.
///
/// ```swift
/// let history = try RecommendationHistory.load(from: repo.git)
/// // list --as-of: every file as of that day, ready for TrackingRepository.catalog(_:)
/// let versions = history.snapshot(asOf: day).map { FileVersion(id: $0.key, path: $0.value.path, blob: $0.value.blob) }
/// // show --as-of: one file (nil: it did not exist that day)
/// let version = history.version(of: "DP-DDR-01", asOf: day)
/// // log: every change (commit, date, move/deletion) and the month-end timeline
/// let changes = history.changes(of: "DP-DDR-01")
/// let timeline = history.monthEndTimeline(of: "DP-DDR-01", from: first, to: last)
/// ```
public struct RecommendationHistory: Sendable {
  /// The commit the walk started from (or the last commit of a prefix, `recorded(atPosition:)`);
  /// nil for a repository with no commit yet, or a history recorded before the first commit.
  public let head: ObjectID?
  /// How many commits the first-parent chain from HEAD has (changing or not).
  public var firstParentLength: Int { chain.count }
  /// Every commit of the first-parent chain, changing or not, oldest first: `chain[p]` is the
  /// commit at position `p`. The history *as recorded at* one of them is a prefix (docs/format.md §6).
  public let chain: [ChainLink]
  /// The commits that changed a recommendation, oldest first (ascending `position`).
  public let commits: [HistoryCommit]
  /// Every change, in first-parent order; within one commit, by ID.
  public let changes: [RecommendationChange]
  /// Each blob's status, owner, source, tags and due date, when loaded with `readingContents`.
  public let contents: [ObjectID: RecommendationReading]
  /// How many first-parent commits, and how many file versions' readings, were taken from the
  /// history cache rather than read from git (0 and 0 with `usingCache: false`).
  public internal(set) var commitsFromCache = 0
  public internal(set) var readingsFromCache = 0
  /// The indices in `changes` of each ID's changes, in first-parent order.
  let changeIndices: [String: [Int]]

  init(
    head: ObjectID?, chain: [ChainLink], commits: [HistoryCommit], changes: [RecommendationChange],
    contents: [ObjectID: RecommendationReading]
  ) {
    self.head = head
    self.chain = chain
    self.commits = commits
    self.changes = changes
    self.contents = contents
    var indices: [String: [Int]] = [:]
    for i in changes.indices { indices[changes[i].id, default: []].append(i) }
    changeIndices = indices
  }

  /// Every ID that ever existed on the first-parent history, sorted.
  public var ids: [String] { changeIndices.keys.sorted() }

  /// The earliest and latest dates (docs/format.md §4) of any change (nil when nothing ever changed).
  public var dateRange: ClosedRange<CalendarDate>? {
    guard let first = commits.first else { return nil }
    var low = first.date
    var high = first.date
    for c in commits {
      low = min(low, c.date)
      high = max(high, c.date)
    }
    return low...high
  }

  /// The changes to one recommendation, in first-parent order (oldest first). Note that dates
  /// need not increase along it: a late commit may carry an earlier `Effective:` date.
  public func changes(of id: String) -> [RecommendationChange] {
    (changeIndices[id] ?? []).map { changes[$0] }
  }

  /// The change that decides a recommendation's state as of `date` (docs/format.md §5): among its
  /// changes dated on or before `date`, the one latest in first-parent order. nil when none is;
  /// a returned deletion means the recommendation did not exist that day either.
  public func decidingChange(of id: String, asOf date: CalendarDate) -> RecommendationChange? {
    guard let list = changeIndices[id] else { return nil }
    for i in list.reversed() where changes[i].commit.date <= date { return changes[i] }
    return nil
  }

  /// The recommendation's file as of `date`, or nil when it did not exist that day.
  public func version(of id: String, asOf date: CalendarDate) -> RecommendationVersion? {
    decidingChange(of: id, asOf: date)?.version
  }

  /// Every recommendation existing as of `date`, by ID (what `list --as-of` shows).
  public func snapshot(asOf date: CalendarDate) -> [String: RecommendationVersion] {
    var out: [String: RecommendationVersion] = [:]
    for (id, list) in changeIndices {
      for i in list.reversed() where changes[i].commit.date <= date {
        if let v = changes[i].version { out[id] = v }
        break
      }
    }
    return out
  }

  /// Every recommendation as HEAD has it (the last change of each ID in first-parent order).
  public func headSnapshot() -> [String: RecommendationVersion] {
    var out: [String: RecommendationVersion] = [:]
    for (id, list) in changeIndices {
      if let last = list.last, let v = changes[last].version { out[id] = v }
    }
    return out
  }

  /// The deciding change of `id` at the end of every month from `from` to `to` (for `log`'s
  /// month-end timeline). A nil change, or one whose version is nil, means "did not exist".
  public func monthEndTimeline(of id: String, from: YearMonth, to: YearMonth) -> [(
    month: YearMonth, change: RecommendationChange?
  )] {
    var out: [(month: YearMonth, change: RecommendationChange?)] = []
    var m = from
    while m <= to {
      out.append((m, decidingChange(of: id, asOf: m.lastDay)))
      m = m.next
    }
    return out
  }

  /// The status, owner, source, tags and due date of a version, when contents were read.
  public func reading(of version: RecommendationVersion) -> RecommendationReading? { contents[version.blob] }
}

extension RecommendationHistory {
  /// Walks HEAD's first-parent history once (docs/format.md §4 and §5), or that of `start` (the
  /// history *as recorded at* a commit, docs/format.md §6).
  ///
  /// - Parameter readingContents: also read and parse every distinct file version once (by blob
  ///   id), on a second thread while the walk goes on; `progress` needs it, `list --as-of` and
  ///   `show --as-of` do not (they read the few blobs they show).
  /// - Parameter usingCache: take each commit's changes, and each file version's reading, from
  ///   the history cache in `.git/rectrack/history/` when it has them, and add what it lacks
  ///   (`HistoryCache`); false walks and reads everything and leaves the cache alone (`--no-cache`).
  /// - Parameter onlyID: the caller reads only this recommendation's changes (`log ID`): without
  ///   a cache to use, the walk records that ID's files alone, in whatever folder (the chain is
  ///   whole; `ids`, `commits` and `changes` hold that ID only). A saved history is used as is.
  public static func load(
    from repository: Repository, at start: ObjectID? = nil, readingContents: Bool = false,
    usingCache: Bool = true, onlyID: String? = nil
  ) throws(GitError) -> RecommendationHistory {
    try assembled(
      from: repository, at: start, readingContents: readingContents, usingCache: usingCache, onlyID: onlyID)?
      .history ?? .empty
  }

  /// `load`, with every ID's files after the last commit (`AssembledHistory.live`); nil for a
  /// repository with no commit yet.
  static func assembled(
    from repository: Repository, at start: ObjectID? = nil, readingContents: Bool = false,
    usingCache: Bool = true, onlyID: String? = nil
  ) throws(GitError) -> AssembledHistory? {
    let first: ObjectID? = if let start { start } else { try repository.head().commit }
    guard let head = first else { return nil }
    guard usingCache else {
      return try walk(
        repository, from: head, readingContents: readingContents, cache: nil, onto: nil, onlyID: onlyID)!
    }
    // The assembled history of this very commit, or one a few first-parent commits below it.
    let store = AssembledHistoryStore.open(repository, readingContents: readingContents)
    if let saved = store?.read(head) { return saved }
    if let store, let base = store.candidate(below: head, in: repository) {
      let savedLength = base.history.chain.count
      // Handed over whole, so that carrying it on extends its tables instead of copying them.
      if let carried = try walk(
        repository, from: head, readingContents: readingContents, cache: nil, onto: consume base)
      {
        // A few commits on (the office recorded a change or two) are walked again next time
        // rather than saving the whole history again for each.
        if carried.history.chain.count - savedLength >= AssembledHistoryStore.saveAfter {
          store.save(carried)
        }
        return carried
      }
    }
    // Rebuilt from the per-commit cache (a rewritten branch, or no saved history yet).
    let cache = HistoryCache.open(repository, readings: readingContents)
    if let onlyID, cache?.commits.isEmpty ?? true {
      // Nothing remembered: one recommendation's walk is cheaper than building the cache.
      return try walk(
        repository, from: head, readingContents: readingContents, cache: nil, onto: nil, onlyID: onlyID)!
    }
    let built = try walk(repository, from: head, readingContents: readingContents, cache: cache, onto: nil)!
    store?.save(built)
    return built
  }

  /// The first-parent commits from `head` down to `stop` (not included), newest first: each
  /// one's id, the day it was recorded, and its changes read with rectrack's rules when it
  /// touches a recommendation file (with `onlyID`, a file of that recommendation, in any
  /// folder); nil when `stop` is not met within `ReportCache.reach` commits. What the reports
  /// carried on from a commit below read of the commits since.
  static func commits(
    _ repository: Repository, from head: ObjectID, downTo stop: ObjectID, onlyID: String? = nil
  ) throws(GitError) -> [(id: ObjectID, recorded: CalendarDate, walked: WalkedCommit?)]? {
    let walker = try FirstParentWalker(repository, onlyID: onlyID)
    var out: [(id: ObjectID, recorded: CalendarDate, walked: WalkedCommit?)] = []
    _ = try walker.walk(from: head, cache: nil, stop: stop, limit: ReportCache.reach) { id, depth, changes in
      var walked: WalkedCommit?
      if !changes.files.isEmpty {
        let w = WalkedCommit(id: id, depth: depth, changes: changes)
        if !w.events.isEmpty { walked = w }
      }
      out.append((id, changes.recorded, walked))
    }
    return walker.reachedStop ? out : nil
  }

  /// The dates (docs/format.md §4) of the commits from `head` down to `stop` (not included)
  /// that touch a recommendation file, newest first; nil when `stop` is not met within
  /// `ReportCache.reach` commits.
  static func changeDates(_ repository: Repository, from head: ObjectID, downTo stop: ObjectID)
    throws(GitError) -> [CalendarDate]?
  {
    try commits(repository, from: head, downTo: stop)?.compactMap { $0.walked?.date }
  }

  /// The changes of `id` made by the first-parent commits from `head` down to `stop` (not
  /// included), oldest first: assembled as the whole walk assembles them (`HistoryAssembler`),
  /// from that ID's files in `stop`'s tree, which the walk's own tree differ lists as if added;
  /// nil when `stop` is not met within `ReportCache.reach` commits. The changes' positions count
  /// from 0 at the first commit after `stop` (a caller reads only their order).
  static func changes(
    of id: String, in repository: Repository, from head: ObjectID, downTo stop: ObjectID
  ) throws(GitError) -> [RecommendationChange]? {
    guard let since = try commits(repository, from: head, downTo: stop, onlyID: id) else { return nil }
    var assembler = HistoryAssembler()
    let root = try repository.commit(stop).tree
    if let folder = try repository.treeEntries(root).first(where: {
      $0.name == RecommendationPath.folder && $0.isTree
    }) {
      let files = try TreeDiffer(repository, scope: .recommendations, onlyID: id)
        .changes(from: nil, to: folder.id, at: RecommendationPath.folder).map {
          FileChange(path: $0.path, entry: $0.new.map { FileEntry(blob: $0.id, mode: $0.mode) })
        }
      for e in WalkedCommit(id: stop, depth: 0, changes: CommitChanges(parent: nil, files: files)).events {
        if let entry = e.entry { assembler.live[e.id, default: [:]][e.path] = entry }
      }
    }
    var position = 0
    for c in since.reversed() {
      guard let walked = c.walked else { continue }
      assembler.apply(walked, position: position, recorded: c.recorded)
      position += 1
    }
    return assembler.changes
  }

  /// Walks from `head` down the first-parent chain and assembles what it finds. With `base`, the
  /// walk stops at `base`'s head and carries that history on; nil when it is not met within
  /// `AssembledHistoryStore.extensionLimit` commits (the branch was rewritten or moved far).
  static func walk(
    _ repository: Repository, from head: ObjectID, readingContents: Bool, cache: HistoryCache?,
    onto base: consuming AssembledHistory?, onlyID: String? = nil
  ) throws(GitError) -> AssembledHistory? {
    precondition(onlyID == nil || (cache == nil && base == nil), "a one-ID walk is never kept")
    let stop = base?.history.head
    // The saved readings, looked up during the walk and let go before they are extended.
    var savedReadings = base?.history.contents
    // libgit2's object cache is off for the whole process (`Libgit2`): the walk reads each
    // commit and tree once and keeps the folder versions it reuses itself.
    let walker = try FirstParentWalker(repository, onlyID: onlyID)
    let reader =
      readingContents
      ? BackgroundBlobReader(
        repositoryPath: repository.workdir ?? repository.gitDir, packs: walker.packsForBlobs())
      : nil
    reader?.start()
    // Readings taken from the cache; the reader returns those of the blobs it was sent.
    var known: [ObjectID: RecommendationReading] = [:]
    var sent = Set<ObjectID>()
    if readingContents, let cache {
      known.reserveCapacity(cache.readings.count)
    }
    var pending: [(ObjectID, String)] = []
    var walked: [WalkedCommit] = []
    // Every commit of the chain with the day it was recorded, newest first (the second clock).
    var chain: [ChainLink] = []
    let fromCache: Int
    do {
      _ = try walker.walk(
        from: head, cache: cache, stop: stop,
        limit: stop == nil ? .max : AssembledHistoryStore.extensionLimit
      ) { id, depth, changes in
        chain.append(ChainLink(id: id, recorded: changes.recorded))
        guard !changes.files.isEmpty else { return }
        let commit = WalkedCommit(id: id, depth: depth, changes: changes)
        guard !commit.events.isEmpty else { return }
        walked.append(commit)
        guard let reader else { return }
        for e in commit.events {
          guard let blob = e.entry?.blob else { continue }
          if let r = cache?.readings[blob] {
            known[blob] = .summary(r)
            continue
          }
          // Read already below (an unusable reading names the newest path, so it is read again).
          if case .summary? = savedReadings?[blob] { continue }
          guard sent.insert(blob).inserted else { continue }
          pending.append((blob, e.path))
          if pending.count >= 64 {
            reader.submit(pending)
            pending.removeAll(keepingCapacity: true)
          }
        }
      }
      fromCache = walker.fromCache
    } catch {
      _ = reader?.finish()
      throw error
    }
    reader?.submit(pending)
    var contents = reader?.finish() ?? [:]
    if stop != nil && !walker.reachedStop { return nil }
    let savedReadingCount = savedReadings?.count ?? 0
    savedReadings = nil
    if let cache {
      // Only readings that come from the bytes alone are kept (an unusable one names its path).
      for (blob, reading) in contents { if case .summary(let s) = reading { cache.add(blob, s) } }
      cache.save()
      cache.drop()  // its tables are freed before the history is assembled and saved (peak memory)
    }
    if contents.isEmpty {
      contents = known
    } else {
      contents.merge(known) { a, _ in a }
    }
    var assembler = HistoryAssembler()
    var fullChain: [ChainLink] = []
    if let saved = base.take() {
      // Taken apart so that each table is held once and grows in place (no copies of ~60,000
      // changes and readings): the new readings go into the saved ones, not the other way round.
      var history = saved.history
      var live = saved.live
      _ = consume saved
      fullChain = history.chain
      var merged = history.contents
      let commits = history.commits
      let changes = history.changes
      history = .empty
      for (blob, reading) in contents { merged[blob] = reading }
      contents = consume merged
      assembler = HistoryAssembler(live: live, commits: consume commits, changes: consume changes)
      live = [:]
    }
    let below = fullChain.count
    fullChain.append(contentsOf: chain.reversed())
    let length = fullChain.count
    assembler.commits.reserveCapacity(assembler.commits.count + walked.count)
    assembler.changes.reserveCapacity(assembler.changes.count + walked.count + walked.count / 4)
    for w in walked.reversed() {
      let position = length - 1 - w.depth
      assembler.apply(w, position: position, recorded: fullChain[position].recorded)
    }
    var history = RecommendationHistory(
      head: head, chain: fullChain, commits: assembler.commits, changes: assembler.changes, contents: contents
    )
    history.commitsFromCache = below + fromCache
    history.readingsFromCache = known.count + savedReadingCount
    return AssembledHistory(history: history, live: assembler.live, readingContents: readingContents)
  }
}

// MARK: - The second clock: the history as recorded at a commit (docs/format.md §6)

extension RecommendationHistory {
  /// The history of a repository with no commit, or recorded before its first commit.
  public static let empty = RecommendationHistory(
    head: nil, chain: [], commits: [], changes: [], contents: [:])

  /// The history *as recorded at* the commit at `position` of the chain: the first-parent
  /// history of that commit, which is this one cut after it (no second walk). A negative
  /// position gives the empty history; one past the tip gives this history.
  public func recorded(atPosition position: Int) -> RecommendationHistory {
    if position >= chain.count - 1 { return self }
    guard position >= 0 else {
      return RecommendationHistory(head: nil, chain: [], commits: [], changes: [], contents: contents)
    }
    let commitEnd = commits.partitioningIndex { $0.position > position }
    let changeEnd = changes.partitioningIndex { $0.commit.position > position }
    return RecommendationHistory(
      head: chain[position].id, chain: Array(chain[...position]), commits: Array(commits[..<commitEnd]),
      changes: Array(changes[..<changeEnd]), contents: contents)
  }

  /// The position of `commit` on the chain, or nil when it is not on it.
  public func position(of commit: ObjectID) -> Int? {
    chain.lastIndex { $0.id == commit }
  }

  /// docs/format.md §6's day as REV: the position of the commit nearest the tip whose committer day
  /// (in the committer's own offset) is on or before `day`; -1 when there is none.
  public func position(recordedOnOrBefore day: CalendarDate) -> Int {
    chain.lastIndex { $0.recorded <= day } ?? -1
  }

  /// Whether a change is in this history (true of every change of this value; for comparing
  /// with a longer history that shares its chain).
  public func contains(_ change: RecommendationChange) -> Bool {
    change.commit.position < chain.count && chain[change.commit.position].id == change.commit.id
  }
}

extension Array {
  /// The first index whose element satisfies `belongs`, for a predicate false then true along
  /// the array (binary search).
  func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let mid = (low + high) / 2
      if belongs(self[mid]) { high = mid } else { low = mid + 1 }
    }
    return low
  }
}
