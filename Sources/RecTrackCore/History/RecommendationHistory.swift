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
  /// The commit the walk started from; nil for a repository with no commit yet.
  public let head: ObjectID?
  /// How many commits the first-parent chain from HEAD has (changing or not).
  public let firstParentLength: Int
  /// The commits that changed a recommendation, oldest first (ascending `position`).
  public let commits: [HistoryCommit]
  /// Every change, in first-parent order; within one commit, by ID.
  public let changes: [RecommendationChange]
  /// Each blob's status, owner, source, tags and due date, when loaded with `readingContents`.
  public let contents: [ObjectID: RecommendationReading]
  private let changeIndices: [String: [Int]]

  init(
    head: ObjectID?, firstParentLength: Int, commits: [HistoryCommit], changes: [RecommendationChange],
    contents: [ObjectID: RecommendationReading]
  ) {
    self.head = head
    self.firstParentLength = firstParentLength
    self.commits = commits
    self.changes = changes
    self.contents = contents
    var indices: [String: [Int]] = [:]
    for (i, c) in changes.enumerated() { indices[c.id, default: []].append(i) }
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
  /// Walks HEAD's first-parent history once (docs/format.md §4 and §5).
  ///
  /// - Parameter readingContents: also read and parse every distinct file version once (by blob
  ///   id), on a second thread while the walk goes on; `progress` needs it, `list --as-of` and
  ///   `show --as-of` do not (they read the few blobs they show).
  public static func load(from repository: Repository, readingContents: Bool = false) throws(GitError)
    -> RecommendationHistory
  {
    guard let head = try repository.head().commit else {
      return RecommendationHistory(head: nil, firstParentLength: 0, commits: [], changes: [], contents: [:])
    }
    // libgit2's object cache is off for the whole process (`Libgit2`): the walk reads each
    // commit and tree once and keeps the folder versions it reuses itself.
    let walker = try FirstParentWalker(repository)
    let reader =
      readingContents ? BackgroundBlobReader(repositoryPath: repository.workdir ?? repository.gitDir) : nil
    reader?.start()
    var seen = Set<ObjectID>()
    var pending: [(ObjectID, String)] = []
    let walked: (commits: [WalkedCommit], length: Int)
    do {
      walked = try walker.walk(from: head) { blob, path in
        guard let reader, seen.insert(blob).inserted else { return }
        pending.append((blob, path))
        if pending.count >= 64 {
          reader.submit(pending)
          pending.removeAll(keepingCapacity: true)
        }
      }
    } catch {
      _ = reader?.finish()
      throw error
    }
    reader?.submit(pending)
    let contents = reader?.finish() ?? [:]
    return assemble(head: head, walked: walked.commits, length: walked.length, contents: contents)
  }

  /// Replays the path events oldest first against the live set of files, turning them into
  /// per-ID changes. Keeping every path of an ID makes a move (delete here, add there, in either
  /// order) one change, and a repository that breaks ID uniqueness still gives a stable answer:
  /// the file with the smallest path wins.
  static func assemble(
    head: ObjectID, walked: [WalkedCommit], length: Int,
    contents: [ObjectID: RecommendationReading]
  ) -> RecommendationHistory {
    var live: [String: [String: FileEntry]] = [:]
    var commits: [HistoryCommit] = []
    var changes: [RecommendationChange] = []
    commits.reserveCapacity(walked.count)
    func state(_ id: String) -> RecommendationVersion? {
      guard let files = live[id], let path = files.keys.min() else { return nil }
      let e = files[path]!
      return RecommendationVersion(path: path, blob: e.blob, mode: e.mode)
    }
    for w in walked.reversed() {
      let commit = HistoryCommit(
        id: w.id, position: length - 1 - w.depth, date: w.date, dateFromTrailer: w.dateFromTrailer,
        summary: w.summary)
      var touched: [String: RecommendationVersion?] = [:]
      for e in w.events where touched[e.id] == nil { touched[e.id] = .some(state(e.id)) }
      for e in w.events {
        if let entry = e.entry {
          live[e.id, default: [:]][e.path] = entry
        } else {
          live[e.id]?[e.path] = nil
          if live[e.id]?.isEmpty == true { live[e.id] = nil }
        }
      }
      var any = false
      for id in touched.keys.sorted() {
        let before = touched[id]!
        let after = state(id)
        if before != after {
          changes.append(RecommendationChange(id: id, commit: commit, version: after, previous: before))
          any = true
        }
      }
      if any { commits.append(commit) }
    }
    return RecommendationHistory(
      head: head, firstParentLength: length, commits: commits, changes: changes, contents: contents)
  }
}
