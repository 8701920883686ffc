/// What carrying a remembered progress report on to a later commit needs, kept beside the report
/// (`ReportCache`, kind `progress-tail`, the same key otherwise): what every ID counted as at the
/// report's last few points (the day before the first month, then each month end) and the files
/// each ID had at the report's commit.
///
/// A month's figures are sums over IDs (counts, overdue, and movements, which compare one ID's
/// state at two consecutive month ends), and a later commit is later in first-parent order than
/// every change below it. So a change dated D decides its ID's state at every month end on or
/// after D, and changes nothing before D: the later report is the remembered one with the
/// touched IDs' old contributions to those months taken away and their new ones added.
struct SweepTail: Equatable {
  /// How many points are kept: the report can be carried on by commits dated back to the start
  /// of the month before last (an `Effective:` date up to a month or two back).
  static let depth = 4

  struct Entry: Equatable {
    /// Every file of the ID at the report's commit, by path (`HistoryAssembler.live`).
    var files: [String: FileEntry]
    /// What the ID counted as at each kept point (`days`).
    var states: [SweepState]
  }

  /// The kept points' day numbers, oldest first.
  var days: [Int]
  /// The day number of the history's earliest change (nil: nothing ever changed), which decides
  /// the first month when none is asked for.
  var earliest: Int?
  /// The IDs that had files, or counted as anything at a kept point.
  var entries: [String: Entry]

  /// The IDs' files taken from an assembled history's live set.
  mutating func setFiles(_ live: [String: [String: FileEntry]]) {
    for id in Array(entries.keys) { entries[id]!.files = [:] }
    let none = [SweepState](repeating: .absent, count: days.count)
    for (id, files) in live { entries[id, default: Entry(files: [:], states: none)].files = files }
  }

  /// Every ID's files, as `HistoryAssembler` keeps them.
  var live: [String: [String: FileEntry]] {
    var out: [String: [String: FileEntry]] = [:]
    out.reserveCapacity(entries.count)
    for (id, e) in entries where !e.files.isEmpty { out[id] = e.files }
    return out
  }

  // MARK: The remembered form (a `ReportCache` value)

  func encode(_ w: inout ByteWriter, _ strings: inout StringTable) {
    func day(_ d: Int?) {
      w.u32(UInt32(bitPattern: d.map { Int32(truncatingIfNeeded: $0) } ?? Int32.min))
    }
    w.u32(UInt32(days.count))
    for d in days { day(d) }
    day(earliest)
    w.u32(UInt32(entries.count))
    for (id, e) in entries {
      w.u32(strings.index(id))
      w.u32(UInt32(e.files.count))
      for (path, f) in e.files {
        w.u32(strings.index(path))
        w.oid(f.blob)
        w.u32(f.mode)
      }
      for s in e.states {
        w.u32(UInt32(bitPattern: Int32(truncatingIfNeeded: s.kind)))
        day(s.due)
      }
    }
  }

  static func decode(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> SweepTail {
    func day(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> Int? {
      let v = Int32(bitPattern: try r.u32())
      return v == Int32.min ? nil : Int(v)
    }
    let dayCount = try r.count()
    var days: [Int] = []
    for _ in 0..<dayCount {
      guard let d = try day(&r) else { throw ByteReader.Truncated() }
      days.append(d)
    }
    let earliest = try day(&r)
    let entryCount = try r.count()
    var entries: [String: Entry] = [:]
    entries.reserveCapacity(entryCount)
    for _ in 0..<entryCount {
      let id = try r.string()
      let fileCount = try r.count()
      var files: [String: FileEntry] = [:]
      for _ in 0..<fileCount { files[try r.string()] = FileEntry(blob: try r.oid(), mode: try r.u32()) }
      var states: [SweepState] = []
      states.reserveCapacity(dayCount)
      for _ in 0..<dayCount {
        states.append(SweepState(kind: Int(Int32(bitPattern: try r.u32())), due: try day(&r)))
      }
      guard entries.updateValue(Entry(files: files, states: states), forKey: id) == nil else {
        throw ByteReader.Truncated()
      }
    }
    return SweepTail(days: days, earliest: earliest, entries: entries)
  }
}

extension ProgressReport {
  /// The report of a later commit, from the remembered `base` report of a commit below it, its
  /// `tail`, and `later`: the history of only the commits since, with the `readings` of the
  /// versions its changes leave and every ID's files after them (`live`).
  ///
  /// nil when the figures cannot be carried on exactly, and the caller sweeps the whole history
  /// instead: a change dated before the kept points, one that would move the first month, or an
  /// unusable version among the touched IDs (its warning's place depends on the whole sweep).
  static func carried(
    _ base: ProgressReport, tail: SweepTail, later: RecommendationHistory,
    readings: [ObjectID: RecommendationReading], live: [String: [String: FileEntry]], rules: SweepRules,
    from: YearMonth?
  ) -> (report: ProgressReport, tail: SweepTail)? {
    guard let firstMonth = base.months.first.flatMap({ YearMonth($0.month) }) else { return nil }
    // The points of the base report; the tail must be its last ones.
    let points =
      [firstMonth.firstDay.adding(days: -1).daysSinceEpoch] + base.months.map(\.asOf.daysSinceEpoch)
    let kept = points.count - tail.days.count
    guard kept >= 0, Array(points[kept...]) == tail.days else { return nil }
    var next = tail
    next.setFiles(live)
    var report = base
    report.recordedAt = later.head?.hex
    let changes = later.changes
    guard let earliestNew = changes.map(\.commit.date.daysSinceEpoch).min() else { return (report, next) }
    if from == nil {
      // Without --from the months start at the earliest change's month: it must not move.
      guard let earliest = tail.earliest,
        CalendarDate(daysSinceEpoch: min(earliest, earliestNew)).yearMonth == firstMonth
      else { return nil }
    }
    next.earliest = min(tail.earliest ?? earliestNew, earliestNew)
    // The first point a new change can decide, and the first month whose figures can change.
    guard let affected = points.firstIndex(where: { $0 >= earliestNew }) else { return (report, next) }
    let firstMonthChanged = max(affected, 1)
    guard firstMonthChanged - 1 >= kept else { return nil }

    // Each touched ID's new changes in first-parent order: their date and what they count as.
    var touched: [String: [(day: Int, state: SweepState)]] = [:]
    for c in changes {
      let s = rules.state(c.version, c.version.flatMap { readings[$0.blob] })
      guard s.kind != SweepRules.unusable else { return nil }
      touched[c.id, default: []].append((c.commit.date.daysSinceEpoch, s))
    }
    let none = [SweepState](repeating: .absent, count: tail.days.count)
    // Counts per status at each point from the first month changed, before the changes.
    var counts: [[Int]] = []
    var overdue: [Int] = []
    var movements: [Movements] = []
    for p in (firstMonthChanged - 1)..<points.count {
      let month = base.months[max(p - 1, 0)]
      counts.append(
        p == 0 ? zip(month.counts.values, month.change.counts.values).map { $0 - $1 } : month.counts.values)
      overdue.append(month.overdue)
      movements.append(month.movements)
    }
    for (id, list) in touched {
      let old = tail.entries[id]?.states ?? none
      var new = old
      for p in affected..<points.count {
        if let last = list.last(where: { $0.day <= points[p] }) { new[p - kept] = last.state }
      }
      // An unusable version in the months that change names a warning the sweep would place.
      for p in (firstMonthChanged - 1)..<points.count where old[p - kept].kind == SweepRules.unusable {
        return nil
      }
      for p in (firstMonthChanged - 1)..<points.count {
        let i = p - (firstMonthChanged - 1)
        for (s, sign) in [(old[p - kept], -1), (new[p - kept], 1)] {
          if s.kind >= 0 { counts[i][s.kind] += sign }
          guard p >= firstMonthChanged else { continue }
          if let due = s.due, due < points[p] { overdue[i] += sign }
        }
        if p >= firstMonthChanged {
          rules.move(from: old[p - kept - 1].kind, to: old[p - kept].kind, sign: -1, into: &movements[i])
          rules.move(from: new[p - kept - 1].kind, to: new[p - kept].kind, sign: 1, into: &movements[i])
        }
      }
      if new == none && (live[id] ?? [:]).isEmpty {
        next.entries[id] = nil
      } else {
        next.entries[id, default: SweepTail.Entry(files: [:], states: new)].states = new
      }
    }
    for p in firstMonthChanged..<points.count {
      let i = p - (firstMonthChanged - 1)
      guard let month = YearMonth(base.months[p - 1].month) else { return nil }
      report.months[p - 1] = rules.figures(
        month: month, counts: counts[i], previous: counts[i - 1], overdue: overdue[i], movements: movements[i]
      )
    }
    return (report, next)
  }
}
