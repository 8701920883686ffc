internal import Clibgit2
import Foundation

/// Replays walked commits oldest first against the live set of files, turning path events into
/// per-ID changes. Keeping every path of an ID makes a move (delete here, add there, in either
/// order) one change, and a repository that breaks ID uniqueness still gives a stable answer:
/// the file with the smallest path wins. The live set is kept so that a history can be carried
/// on from where it stopped (`AssembledHistory`).
struct HistoryAssembler {
  /// Every file of every ID after the last commit applied, by path.
  var live: [String: [String: FileEntry]] = [:]
  var commits: [HistoryCommit] = []
  var changes: [RecommendationChange] = []

  private func state(_ id: String) -> RecommendationVersion? {
    guard let files = live[id], let path = files.keys.min() else { return nil }
    let e = files[path]!
    return RecommendationVersion(path: path, blob: e.blob, mode: e.mode)
  }

  /// Applies one commit (at `position` of the chain, recorded on `recorded`), after every older one.
  mutating func apply(_ w: WalkedCommit, position: Int, recorded: CalendarDate) {
    let commit = HistoryCommit(
      id: w.id, position: position, date: w.date, dateFromTrailer: w.dateFromTrailer,
      summary: w.summary, recorded: recorded)
    // A commit changes a few files: a small array beats a dictionary per commit.
    var touched: [(id: String, before: RecommendationVersion?)] = []
    for e in w.events where !touched.contains(where: { $0.id == e.id }) {
      touched.append((e.id, state(e.id)))
    }
    if touched.count > 1 { touched.sort { $0.id < $1.id } }
    for e in w.events {
      if let entry = e.entry {
        live[e.id, default: [:]][e.path] = entry
      } else {
        live[e.id]?[e.path] = nil
        if live[e.id]?.isEmpty == true { live[e.id] = nil }
      }
    }
    var any = false
    for (id, before) in touched {
      let after = state(id)
      if before != after {
        changes.append(RecommendationChange(id: id, commit: commit, version: after, previous: before))
        any = true
      }
    }
    if any { commits.append(commit) }
  }
}

/// A whole assembled history with the live set it ended on: what `AssembledHistoryStore` keeps,
/// so that a repeat read of an unchanged HEAD decodes one file instead of walking, and a HEAD
/// a few commits further on walks only those commits.
struct AssembledHistory {
  var history: RecommendationHistory
  var live: [String: [String: FileEntry]]
  var readingContents: Bool
}

/// The assembled histories in `<git dir>/rectrack/history/assembled-<c|p>-<commit>.cache`, one
/// per start commit and kind (`c` with contents read, `p` without), the newest few kept.
///
/// The key is everything that changes the answer: the start commit (its id fixes the whole
/// first-parent chain below it), whether contents were read (the file name and the payload),
/// and the format version (`HistoryCache.version`, which also covers the rules baked in: which
/// names are recommendations, which date counts, what a reading holds; bump it when they
/// change). `rectrack.yml` is not part of it: the workflow and filters are applied to the
/// history after it is loaded, so a changed `rectrack.yml` gives the same history. Files use
/// `HistoryCache`'s segment format (magic, version, kind, length, checksum), are written to a
/// temporary name and renamed, and one that fails a check is ignored (and removed when ours).
struct AssembledHistoryStore {
  static let kept = 4
  /// How far a moved HEAD may be from a saved one before the walk gives up carrying it on and
  /// rebuilds from the per-commit cache.
  static let extensionLimit = 2_000
  /// A history carried on by fewer commits than this is not saved: the next run carries the
  /// same saved one on again (a few commits' walk), instead of each recorded change costing a
  /// rewrite of the whole file.
  static let saveAfter = 8

  let directory: String
  let writable: Bool
  let readingContents: Bool

  /// nil for a shallow clone (as `HistoryCache.open`).
  static func open(_ repository: Repository, readingContents: Bool) -> AssembledHistoryStore? {
    guard let (directory, writable) = HistoryCache.location(repository) else { return nil }
    return AssembledHistoryStore(directory: directory, writable: writable, readingContents: readingContents)
  }

  private var prefix: String { "assembled-\(readingContents ? "c" : "p")-" }

  private func path(_ head: ObjectID) -> String { "\(directory)/\(prefix)\(head.hex).cache" }

  /// The saved history of `head`, when there is a sound one.
  func read(_ head: ObjectID) -> AssembledHistory? {
    let file = path(head)
    // Mapped, not copied: the file is read once, front to back.
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) else {
      return nil
    }
    let decoded: AssembledHistory?? = data.withUnsafeBytes { raw -> AssembledHistory?? in
      switch HistoryCache.check(raw, kind: .assembled) {
      case .valid(let payload):
        guard let a = try? Self.decode(payload), a.readingContents == readingContents, a.history.head == head
        else { return .some(nil) }
        return a
      case .foreignOrFuture: return nil
      case .damaged: return .some(nil)
      }
    }
    switch decoded {
    case .some(.some(let a)): return a
    case .some(.none):
      if writable { unlink(file) }  // ours but damaged: rebuilt and written anew
      return nil
    case .none: return nil
    }
  }

  /// The saved history most likely to lie a few first-parent commits below `head`: of those
  /// recorded (committer time) no later than `head`, the latest. A later one cannot be below it
  /// unless clocks disagree, and then the walk simply rebuilds.
  func candidate(below head: ObjectID, in repository: Repository) -> AssembledHistory? {
    guard let time = Self.committerTime(head, repository) else { return nil }
    var best: (id: ObjectID, time: Int64)?
    for s in saved() where s.id != head {
      guard let t = Self.committerTime(s.id, repository), t <= time else { continue }
      if best == nil || t > best!.time { best = (s.id, t) }
    }
    return best.flatMap { read($0.id) }
  }

  private static func committerTime(_ id: ObjectID, _ repository: Repository) -> Int64? {
    var commit: OpaquePointer?
    var raw = id.raw
    guard git_commit_lookup(&commit, repository.pointer, &raw) == 0, let commit else { return nil }
    defer { git_commit_free(commit) }
    return Int64(git_commit_time(commit))
  }

  private func saved() -> [(id: ObjectID, file: String, time: Double)] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var out: [(id: ObjectID, file: String, time: Double)] = []
    for n in names where n.hasPrefix(prefix) && n.hasSuffix(".cache") {
      let hex = String(n.dropFirst(prefix.count).dropLast(".cache".count))
      guard let id = ObjectID(hex: hex), id.hex == hex else { continue }
      let file = "\(directory)/\(n)"
      var st = stat()
      guard stat(file, &st) == 0 else { continue }
      out.append((id, file, Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9))
    }
    return out.sorted { $0.time > $1.time }
  }

  /// Saves `a` under its head and keeps only the newest `kept` files of this kind. Failing to
  /// write is not an error: the next run walks again.
  func save(_ a: AssembledHistory) {
    guard writable, let head = a.history.head, !HistoryCache.isOthers(path(head), kind: .assembled) else {
      return
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      return
    }
    // Header, string table and records laid out once (a history of 50,000 commits is ~9 MB) and
    // written from that buffer, not copied again.
    let file = Self.encode(a)
    let written = file.withUnsafeBytes { (try? AtomicFile.write($0, to: path(head))) != nil }
    guard written else { return }
    for old in saved().dropFirst(Self.kept) { unlink(old.file) }
  }

  // MARK: The format (inside a `HistoryCache` segment of kind `.assembled`)

  /// The whole segment file: header, string table, records.
  static func encode(_ a: AssembledHistory) -> [UInt8] {
    let h = a.history
    var strings = StringTable()
    var w = ByteWriter()
    func day(_ d: CalendarDate) { w.u32(UInt32(bitPattern: Int32(truncatingIfNeeded: d.daysSinceEpoch))) }
    func version(_ v: RecommendationVersion) {
      w.u32(strings.index(v.path))
      w.oid(v.blob)
      w.u32(v.mode)
    }
    w.u8(a.readingContents ? 1 : 0)
    w.oid(h.head!)
    w.u32(UInt32(h.chain.count))
    for link in h.chain {
      w.oid(link.id)
      day(link.recorded)
    }
    w.u32(UInt32(h.commits.count))
    var commitIndex: [ObjectID: UInt32] = [:]
    commitIndex.reserveCapacity(h.commits.count)
    for (i, c) in h.commits.enumerated() {
      commitIndex[c.id] = UInt32(i)
      w.u32(UInt32(c.position))
      day(c.date)
      w.u8(c.dateFromTrailer ? 1 : 0)
      w.u32(strings.index(c.summary))
    }
    w.u32(UInt32(h.changes.count))
    for c in h.changes {
      w.u32(strings.index(c.id))
      w.u32(commitIndex[c.commit.id]!)
      w.u8((c.version != nil ? 1 : 0) | (c.previous != nil ? 2 : 0))
      if let v = c.version { version(v) }
      if let p = c.previous { version(p) }
    }
    w.u32(UInt32(a.live.count))
    for (id, files) in a.live {
      w.u32(strings.index(id))
      w.u32(UInt32(files.count))
      for (path, e) in files {
        w.u32(strings.index(path))
        w.oid(e.blob)
        w.u32(e.mode)
      }
    }
    w.u32(UInt32(h.contents.count))
    for (blob, reading) in h.contents {
      w.oid(blob)
      switch reading {
      case .summary(let s):
        w.u8(0)
        w.summary(s, &strings)
      case .unusable(let message):
        w.u8(1)
        w.u32(strings.index(message))
      }
    }
    return strings.sealed(.assembled, then: w.buffer)
  }

  static func decode(_ payload: UnsafeRawBufferPointer) throws(ByteReader.Truncated) -> AssembledHistory {
    var r = try SegmentReader(payload)
    func day(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> CalendarDate {
      CalendarDate(daysSinceEpoch: Int(Int32(bitPattern: try r.u32())))
    }
    func version(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> RecommendationVersion {
      RecommendationVersion(path: try r.string(), blob: try r.oid(), mode: try r.u32())
    }
    let readingContents = try r.u8() == 1
    let head = try r.oid()
    let chainCount = try r.count()
    var chain: [ChainLink] = []
    chain.reserveCapacity(chainCount)
    for _ in 0..<chainCount { chain.append(ChainLink(id: try r.oid(), recorded: try day(&r))) }
    guard chain.last?.id == head else { throw ByteReader.Truncated() }
    let commitCount = try r.count()
    var commits: [HistoryCommit] = []
    commits.reserveCapacity(commitCount)
    for _ in 0..<commitCount {
      let position = Int(try r.u32())
      guard position < chain.count else { throw ByteReader.Truncated() }
      commits.append(
        HistoryCommit(
          id: chain[position].id, position: position, date: try day(&r), dateFromTrailer: try r.u8() == 1,
          summary: try r.string(), recorded: chain[position].recorded))
    }
    let changeCount = try r.count()
    var changes: [RecommendationChange] = []
    changes.reserveCapacity(changeCount)
    for _ in 0..<changeCount {
      let id = try r.string()
      let index = Int(try r.u32())
      guard index < commits.count else { throw ByteReader.Truncated() }
      let flags = try r.u8()
      let v = flags & 1 != 0 ? try version(&r) : nil
      let p = flags & 2 != 0 ? try version(&r) : nil
      changes.append(RecommendationChange(id: id, commit: commits[index], version: v, previous: p))
    }
    let liveCount = try r.count()
    var live: [String: [String: FileEntry]] = [:]
    live.reserveCapacity(liveCount)
    for _ in 0..<liveCount {
      let id = try r.string()
      let n = try r.count()
      var files: [String: FileEntry] = [:]
      for _ in 0..<n { files[try r.string()] = FileEntry(blob: try r.oid(), mode: try r.u32()) }
      live[id] = files
    }
    let contentCount = try r.count()
    var contents: [ObjectID: RecommendationReading] = [:]
    contents.reserveCapacity(contentCount)
    for _ in 0..<contentCount {
      let blob = try r.oid()
      contents[blob] = try r.u8() == 0 ? .summary(try r.summary()) : .unusable(try r.string())
    }
    try r.end()
    var history = RecommendationHistory(
      head: head, chain: chain, commits: commits, changes: changes, contents: contents)
    history.commitsFromCache = chain.count
    history.readingsFromCache = contents.count
    return AssembledHistory(history: history, live: live, readingContents: readingContents)
  }
}
