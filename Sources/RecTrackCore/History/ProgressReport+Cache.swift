extension ProgressReport {
  /// `build` on the history of `start` (HEAD's when nil), remembered (`ReportCache`): a repeat on
  /// the same commit with the same workflow, filter and months reads one small file instead of
  /// the history, and a commit a few first-parent commits above a remembered one carries that
  /// report on (`carried`: only the commits since are read).
  ///
  /// - Parameter usingCache: false walks the whole history and neither reads nor writes any
  ///   cache (`--no-cache`).
  public static func load(
    from repository: Repository, at start: ObjectID? = nil, from: YearMonth? = nil, to: YearMonth? = nil,
    filter: RecommendationFilter = RecommendationFilter(), workflow: Workflow = .standard,
    today: CalendarDate, usingCache: Bool = true
  ) throws(GitError) -> ProgressReport {
    try loadTracing(
      from: repository, at: start, from: from, to: to, filter: filter, workflow: workflow, today: today,
      usingCache: usingCache
    ).report
  }

  /// Where a report came from (for tests).
  enum Origin: Equatable {
    case swept, remembered
    /// Carried on from the report of the commit this many first-parent commits below.
    case carried(Int)
  }

  static func loadTracing(
    from repository: Repository, at start: ObjectID?, from: YearMonth?, to: YearMonth?,
    filter: RecommendationFilter, workflow: Workflow, today: CalendarDate, usingCache: Bool
  ) throws(GitError) -> (report: ProgressReport, origin: Origin) {
    guard usingCache, let (store, _, first) = try ReportCache.open(repository, for: "progress", at: start)
    else {
      let history = try RecommendationHistory.load(
        from: repository, at: start, readingContents: true, usingCache: usingCache)
      return (
        build(history: history, from: from, to: to, filter: filter, workflow: workflow, today: today), .swept
      )
    }
    // The key of the report, or of its tail, of the history at `commit`.
    func key(_ kind: String, _ commit: ObjectID) -> [UInt8] {
      var key = ReportKey(kind)
      key.oid(commit)
      key.workflow(workflow)
      key.filter(filter)
      key.month(from)
      key.month(to)
      // Without --from/--to the months run from the earliest change to this month.
      key.month(today.yearMonth)
      return key.bytes
    }
    func save(_ report: ProgressReport, _ tail: SweepTail, at commit: ObjectID) {
      store.save(key("progress", commit)) { w, strings in report.encode(&w, &strings) }
      store.save(key("progress-tail", commit)) { w, strings in tail.encode(&w, &strings) }
    }
    func remembered(at commit: ObjectID) -> ProgressReport? {
      store.read(key("progress", commit)) { (r) throws(ByteReader.Truncated) in try decode(&r) }
    }
    func tail(at commit: ObjectID) -> SweepTail? {
      store.read(key("progress-tail", commit)) { (r) throws(ByteReader.Truncated) in
        try SweepTail.decode(&r)
      }
    }
    if let report = remembered(at: first) { return (report, .remembered) }
    /// `base` (with its `tail`) of commit `below`, carried on to `first` and saved; nil when it
    /// cannot be carried exactly.
    func carriedOn(_ base: ProgressReport, _ tail: SweepTail, from below: ObjectID) throws(GitError)
      -> ProgressReport?
    {
      // Only the commits since, walked onto the files the tail holds.
      let onto = AssembledHistory(
        history: RecommendationHistory(
          head: below, chain: [ChainLink(id: below, recorded: CalendarDate(daysSinceEpoch: 0))], commits: [],
          changes: [], contents: [:]),
        live: tail.live, readingContents: true)
      guard
        let later = try RecommendationHistory.walk(
          repository, from: first, readingContents: true, cache: nil, onto: onto)
      else { return nil }
      // The walk read the files the commits wrote; a change can also make an older file of
      // its ID the one that counts (the smaller path of two removed).
      var readings = later.history.contents
      for c in later.history.changes {
        guard let v = c.version, readings[v.blob] == nil, let bytes = try? repository.blob(v.blob) else {
          continue
        }
        readings[v.blob] = RecommendationReading.read(bytes: bytes, path: v.path)
      }
      guard
        let (report, next) = carried(
          base, tail: tail, later: later.history, readings: readings, live: later.live,
          rules: SweepRules(workflow: workflow, filter: filter), from: from)
      else { return nil }
      save(report, next, at: first)
      return report
    }
    // A remembered report a few commits below, carried on by the commits since.
    if let (below, depth, (base, tail)) = ReportCache.nearestBelow(
      first, in: repository,
      { (c) -> (ProgressReport, SweepTail)? in
        guard let report = remembered(at: c), let tail = tail(at: c) else { return nil }
        return (report, tail)
      }),
      let report = try carriedOn(base, tail, from: below)
    {
      return (report, .carried(depth))
    }
    guard
      let assembled = try RecommendationHistory.assembled(
        from: repository, at: first, readingContents: true, usingCache: true)
    else {
      return (
        build(history: .empty, from: from, to: to, filter: filter, workflow: workflow, today: today), .swept
      )
    }
    var (report, tail) = sweep(
      history: assembled.history, from: from, to: to, filter: filter, workflow: workflow, today: today,
      keeping: SweepTail.depth)
    tail.setFiles(assembled.live)
    save(report, tail, at: first)
    return (report, .swept)
  }

  // MARK: The remembered form (a `ReportCache` value)

  func encode(_ w: inout ByteWriter, _ strings: inout StringTable) {
    func text(_ s: String?) { w.text(s, &strings) }
    func texts(_ list: [String]) {
      w.u32(UInt32(list.count))
      for s in list { w.u32(strings.index(s)) }
    }
    func int(_ v: Int) { w.u64(UInt64(bitPattern: Int64(v))) }
    func counts(_ c: StatusCounts) {
      texts(c.statuses)
      for v in c.values { int(v) }
    }
    texts(statuses)
    texts(terminal)
    text(filter.tag)
    text(filter.owner)
    text(filter.source)
    text(recordedAt)
    w.u32(UInt32(months.count))
    for m in months {
      text(m.month)
      int(m.asOf.daysSinceEpoch)
      int(m.total)
      counts(m.counts)
      int(m.final)
      w.u64(m.finalShare.bitPattern)
      int(m.overdue)
      int(m.change.total)
      counts(m.change.counts)
      let v = m.movements
      for n in [v.opened, v.completed, v.closed, v.final, v.reopened, v.removed] { int(n) }
    }
    w.u32(UInt32(warnings.count))
    for warning in warnings {
      text(warning.path)
      w.oid(warning.commit)
      text(warning.message)
    }
  }

  static func decode(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> ProgressReport {
    func texts(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> [String] {
      let n = try r.count()
      var out: [String] = []
      for _ in 0..<n { out.append(try r.string()) }
      return out
    }
    func int(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> Int {
      Int(Int64(bitPattern: try r.u64()))
    }
    func counts(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> StatusCounts {
      let statuses = try texts(&r)
      var values: [Int] = []
      for _ in statuses { values.append(try int(&r)) }
      return StatusCounts(statuses: statuses, values: values)
    }
    let statuses = try texts(&r)
    let terminal = try texts(&r)
    let filter = RecommendationFilter(tag: try r.text(), owner: try r.text(), source: try r.text())
    let recordedAt = try r.text()
    let monthCount = try r.count()
    var months: [Month] = []
    months.reserveCapacity(monthCount)
    for _ in 0..<monthCount {
      let month = try r.requiredText()
      let asOf = CalendarDate(daysSinceEpoch: try int(&r))
      let total = try int(&r)
      let monthCounts = try counts(&r)
      let final = try int(&r)
      let share = Double(bitPattern: try r.u64())
      let overdue = try int(&r)
      let change = Change(total: try int(&r), counts: try counts(&r))
      let movements = Movements(
        opened: try int(&r), completed: try int(&r), closed: try int(&r), final: try int(&r),
        reopened: try int(&r), removed: try int(&r))
      months.append(
        Month(
          month: month, asOf: asOf, total: total, counts: monthCounts, final: final, finalShare: share,
          overdue: overdue, change: change, movements: movements))
    }
    let warningCount = try r.count()
    var warnings: [HistoryWarning] = []
    for _ in 0..<warningCount {
      warnings.append(
        HistoryWarning(path: try r.requiredText(), commit: try r.oid(), message: try r.requiredText()))
    }
    return ProgressReport(
      statuses: statuses, terminal: terminal, filter: filter, recordedAt: recordedAt, months: months,
      warnings: warnings)
  }
}
