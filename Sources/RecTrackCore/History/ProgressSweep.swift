extension ProgressReport {
  /// Computes the figures of every month from `from` to `to` with one sweep over the history's
  /// changes sorted by date: each month end only applies the changes dated on or before it,
  /// keeping for each ID the change latest in first-parent order (docs/format.md §5).
  ///
  /// - Parameters:
  ///   - from: the first month; nil for the month of the earliest change.
  ///   - to: the last month; nil for the month of `today`.
  ///   - history: loaded with `readingContents: true` (versions without contents count as unusable).
  public static func build(
    history: RecommendationHistory, from: YearMonth? = nil, to: YearMonth? = nil,
    filter: RecommendationFilter = RecommendationFilter(), workflow: Workflow = .standard,
    today: CalendarDate
  ) -> ProgressReport {
    sweep(history: history, from: from, to: to, filter: filter, workflow: workflow, today: today, keeping: 0)
      .report
  }

  /// `build`, also keeping what every ID counted as at the last `keeping` points of the sweep
  /// (the day before the first month and each month end): what carrying the report on to a
  /// later commit needs (`SweepTail`). The IDs' files are not known here; the tail's are empty.
  static func sweep(
    history: RecommendationHistory, from: YearMonth?, to: YearMonth?, filter: RecommendationFilter,
    workflow: Workflow, today: CalendarDate, keeping: Int
  ) -> (report: ProgressReport, tail: SweepTail) {
    let first = from ?? history.dateRange?.lowerBound.yearMonth ?? today.yearMonth
    let last = to ?? today.yearMonth
    let rules = SweepRules(workflow: workflow, filter: filter)
    var sweep = Sweep(history: history, rules: rules)
    let months = first <= last ? sweep.run(from: first, to: last, keeping: keeping) : []
    let report = ProgressReport(
      statuses: workflow.statuses, terminal: workflow.statuses.filter { workflow.terminal.contains($0) },
      filter: filter, recordedAt: history.head?.hex, months: months, warnings: sweep.warnings)
    return (report, sweep.tail(earliest: history.dateRange?.lowerBound))
  }
}

/// What one version of a recommendation counts as in the month figures.
struct SweepState: Hashable {
  /// The status's index in the workflow, or one of `SweepRules`' negative classes.
  var kind: Int
  /// The due date's day number when the version can become overdue (counted: `due < month end`).
  var due: Int?

  static let absent = SweepState(kind: SweepRules.absent, due: nil)
}

/// The rules of the month figures, in one place for the sweep and for carrying a remembered
/// report on (`ProgressReport.carried`): what a version counts as, what a month's figures are
/// made of, and which movement a change of state is.
struct SweepRules {
  let workflow: Workflow
  let filter: RecommendationFilter
  /// Each status's index and whether it can be overdue, looked up once per version.
  private let statusIndex: [String: (index: Int, canBeOverdue: Bool)]

  /// "Closed" in every figure means this status only (issue 13); `final` counts all terminal ones.
  static let closed = "closed"
  static let absent = -1
  static let filteredOut = -2
  static let unusable = -3

  init(workflow: Workflow, filter: RecommendationFilter) {
    self.workflow = workflow
    self.filter = filter
    var statusIndex: [String: (index: Int, canBeOverdue: Bool)] = [:]
    for (i, s) in workflow.statuses.enumerated() where statusIndex[s] == nil {
      statusIndex[s] = (i, workflow.canBeOverdue(s))
    }
    self.statusIndex = statusIndex
  }

  /// What a version (nil: the file did not exist) with its reading counts as.
  func state(_ version: RecommendationVersion?, _ reading: RecommendationReading?) -> SweepState {
    guard version != nil else { return .absent }
    guard case .summary(let s)? = reading, let k = statusIndex[s.status] else {
      return SweepState(kind: Self.unusable, due: nil)
    }
    guard filter.matches(s) else { return SweepState(kind: Self.filteredOut, due: nil) }
    // `Workflow.isOverdue`, split for the sweep: a status that can be overdue keeps its due day,
    // and a month counts the due days before its end.
    return SweepState(kind: k.index, due: k.canBeOverdue ? s.due?.daysSinceEpoch : nil)
  }

  /// Adds (`sign` 1) or takes away (-1) the movement of one ID whose state went from `was` to
  /// `now` between two month ends.
  func move(from was: Int, to now: Int, sign: Int, into m: inout ProgressReport.Movements) {
    switch (was >= 0, now >= 0) {
    case (false, true): m.opened += sign
    case (true, false): m.removed += sign
    case (true, true) where was != now:
      let wasStatus = workflow.statuses[was]
      let nowStatus = workflow.statuses[now]
      let wasDone = workflow.isDone(wasStatus)
      if nowStatus == Self.closed { m.closed += sign }
      if workflow.terminal.contains(nowStatus), !workflow.terminal.contains(wasStatus) { m.final += sign }
      if workflow.isAwaitingVerification(nowStatus) {
        m.completed += sign
      } else if !workflow.terminal.contains(nowStatus), wasDone {
        m.reopened += sign
      }
    default: break
    }
  }

  /// One month's figures from the counts per status at its end and at the previous month's end.
  func figures(
    month: YearMonth, counts: [Int], previous: [Int], overdue: Int, movements: ProgressReport.Movements
  ) -> ProgressReport.Month {
    let statuses = workflow.statuses
    let total = counts.reduce(0, +)
    let final = zip(statuses, counts).filter { workflow.terminal.contains($0.0) }.map(\.1).reduce(0, +)
    let share = total == 0 ? 0 : (Double(final) / Double(total) * 10_000).rounded() / 10_000
    let delta = zip(counts, previous).map { $0 - $1 }
    return ProgressReport.Month(
      month: month.description, asOf: month.lastDay, total: total,
      counts: StatusCounts(statuses: statuses, values: counts), final: final, finalShare: share,
      overdue: overdue,
      change: ProgressReport.Change(
        total: total - previous.reduce(0, +), counts: StatusCounts(statuses: statuses, values: delta)),
      movements: movements)
  }
}

/// The state of the sweep: the deciding change of every ID so far, and what each change counts as.
private struct Sweep {
  let history: RecommendationHistory
  let rules: SweepRules
  /// Per change: the status index it counts under, or a negative class of `SweepRules`.
  let classes: [Int]
  /// Per change: the due date's day number when it can become overdue, else nil.
  let dueDays: [Int?]
  let idOf: [Int]
  /// The IDs by number (numbered in the order of their first change: the order warnings come in).
  let idNames: [String]
  var warnings: [HistoryWarning] = []
  private var warned = Set<Int>()
  /// The points kept for the tail: the day number and every ID's deciding change (-1: none).
  private var kept: [(day: Int, deciding: [Int])] = []

  init(history: RecommendationHistory, rules: SweepRules) {
    self.history = history
    self.rules = rules
    let perID = history.changeIndices.sorted { $0.value[0] < $1.value[0] }
    var idOf = [Int](repeating: 0, count: history.changes.count)
    for (n, entry) in perID.enumerated() {
      for ci in entry.value { idOf[ci] = n }
    }
    var classes: [Int] = []
    var dueDays: [Int?] = []
    classes.reserveCapacity(history.changes.count)
    dueDays.reserveCapacity(history.changes.count)
    for c in history.changes {
      let s = rules.state(c.version, c.version.flatMap { history.contents[$0.blob] })
      classes.append(s.kind)
      dueDays.append(s.due)
    }
    self.classes = classes
    self.dueDays = dueDays
    self.idOf = idOf
    self.idNames = perID.map(\.key)
  }

  /// The months from `from` to `to`, keeping every ID's deciding change at the last `keeping`
  /// points (the day before `from`, then each month end).
  mutating func run(from: YearMonth, to: YearMonth, keeping: Int) -> [ProgressReport.Month] {
    let n = rules.workflow.statuses.count
    let dates = history.changes.map { $0.commit.date.daysSinceEpoch }
    // First-parent order is nearly date order, which the (adaptive) sort takes advantage of.
    let order = dates.indices.sorted { dates[$0] != dates[$1] ? dates[$0] < dates[$1] : $0 < $1 }
    var deciding = [Int](repeating: -1, count: idNames.count)
    var cursor = 0
    // The month-end figures, kept up to date change by change: counts per status, and the due
    // days (sorted) of the deciding changes that can be overdue.
    var counts = [Int](repeating: 0, count: n)
    var sortedDues: [Int] = []
    var unusable = 0
    func count(_ ci: Int, _ sign: Int) {
      let k = classes[ci]
      if k >= 0 {
        counts[k] += sign
        if let d = dueDays[ci] {
          let at = sortedDues.partitioningIndex { $0 >= d }
          if sign > 0 { sortedDues.insert(d, at: at) } else { sortedDues.remove(at: at) }
        }
      } else if k == SweepRules.unusable {
        unusable += sign
      }
    }
    var months: [ProgressReport.Month] = []
    var previousCounts = counts
    let start = from.firstDay.adding(days: -1).daysSinceEpoch
    // Points: the day before `from` and one per month end.
    var monthCount = 0
    var m = from
    while m <= to {
      monthCount += 1
      m = m.next
    }
    let firstKept = monthCount + 1 - keeping
    var point = 0
    var month: YearMonth? = nil
    var first = true
    while true {
      let day = month?.lastDay.daysSinceEpoch ?? start
      var before: [Int: Int] = [:]
      while cursor < order.count, dates[order[cursor]] <= day {
        let ci = order[cursor]
        let id = idOf[ci]
        let old = deciding[id]
        if ci > old {
          if before[id] == nil { before[id] = old }
          if old >= 0 { count(old, -1) }
          count(ci, 1)
          deciding[id] = ci
        }
        cursor += 1
      }
      if point >= firstKept { kept.append((day, deciding)) }
      point += 1
      if let m = month {
        // An unusable version that decides a month end is named once, in ID order: at the
        // first month end only those that changed since can be new.
        if unusable > 0 {
          if first {
            for ci in deciding where ci >= 0 && classes[ci] == SweepRules.unusable { warn(ci) }
          } else {
            for id in before.keys.sorted() where classes[deciding[id]] == SweepRules.unusable {
              warn(deciding[id])
            }
          }
        }
        first = false
        let limit = m.lastDay.daysSinceEpoch
        var movements = ProgressReport.Movements(
          opened: 0, completed: 0, closed: 0, final: 0, reopened: 0, removed: 0)
        for (id, old) in before {
          rules.move(
            from: old >= 0 ? classes[old] : SweepRules.absent, to: classes[deciding[id]], sign: 1,
            into: &movements)
        }
        months.append(
          rules.figures(
            month: m, counts: counts, previous: previousCounts,
            overdue: sortedDues.partitioningIndex { $0 >= limit }, movements: movements))
        if m == to { break }
      }
      previousCounts = counts
      month = month?.next ?? from
    }
    return months
  }

  /// The kept points as a tail: what each ID counted as at each (IDs that were nothing at every
  /// kept point are left out). `earliest` is the date of the history's earliest change.
  func tail(earliest: CalendarDate?) -> SweepTail {
    var entries: [String: SweepTail.Entry] = [:]
    guard !kept.isEmpty else { return SweepTail(days: [], earliest: earliest?.daysSinceEpoch, entries: [:]) }
    for (n, name) in idNames.enumerated() {
      let states = kept.map { point -> SweepState in
        let ci = point.deciding[n]
        return ci < 0 ? .absent : SweepState(kind: classes[ci], due: dueDays[ci])
      }
      if states.contains(where: { $0 != .absent }) {
        entries[name] = SweepTail.Entry(files: [:], states: states)
      }
    }
    return SweepTail(days: kept.map(\.day), earliest: earliest?.daysSinceEpoch, entries: entries)
  }

  private mutating func warn(_ ci: Int) {
    guard warned.insert(ci).inserted else { return }
    let c = history.changes[ci]
    guard let v = c.version else { return }
    let why: String
    switch history.contents[v.blob] {
    case .unusable(let message)?: why = message
    case .summary(let s)?: why = "status '\(s.status)' is not in the workflow"
    case nil: why = "contents not read"
    }
    warnings.append(HistoryWarning(path: v.path, commit: c.commit.id, message: why))
  }
}
