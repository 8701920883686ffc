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
    let first = from ?? history.dateRange?.lowerBound.yearMonth ?? today.yearMonth
    let last = to ?? today.yearMonth
    var sweep = Sweep(history: history, filter: filter, workflow: workflow)
    let months = first <= last ? sweep.run(from: first, to: last) : []
    return ProgressReport(
      statuses: workflow.statuses, terminal: workflow.statuses.filter { workflow.terminal.contains($0) },
      filter: filter, recordedAt: history.head?.hex, months: months, warnings: sweep.warnings)
  }
}

/// The state of the sweep: the deciding change of every ID so far, and what each change counts as.
private struct Sweep {
  let history: RecommendationHistory
  let workflow: Workflow
  /// Per change: the status index it counts under, or a negative class below.
  let classes: [Int]
  /// Per change: the due date's day number when it can become overdue, else nil.
  let dueDays: [Int?]
  let idOf: [Int]
  let idCount: Int
  var warnings: [HistoryWarning] = []
  private var warned = Set<Int>()

  /// "Closed" in every figure means this status only (issue 13); `final` counts all terminal ones.
  static let closed = "closed"
  static let absent = -1
  static let filteredOut = -2
  static let unusable = -3

  init(history: RecommendationHistory, filter: RecommendationFilter, workflow: Workflow) {
    self.history = history
    self.workflow = workflow
    // Each status's index and whether it can be overdue, looked up once per change.
    var statusIndex: [String: (index: Int, canBeOverdue: Bool)] = [:]
    for (i, s) in workflow.statuses.enumerated() where statusIndex[s] == nil {
      statusIndex[s] = (i, workflow.canBeOverdue(s))
    }
    // IDs numbered in the order of their first change (the order warnings come in).
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
      guard let v = c.version else {
        classes.append(Self.absent)
        dueDays.append(nil)
        continue
      }
      guard let s = history.contents[v.blob]?.summary, let k = statusIndex[s.status] else {
        classes.append(Self.unusable)
        dueDays.append(nil)
        continue
      }
      guard filter.matches(s) else {
        classes.append(Self.filteredOut)
        dueDays.append(nil)
        continue
      }
      classes.append(k.index)
      // `Workflow.isOverdue`, split for the sweep: a status that can be overdue keeps its due
      // day here, and `figures` counts the due days before the month end (`due < day`).
      dueDays.append(k.canBeOverdue ? s.due?.daysSinceEpoch : nil)
    }
    self.classes = classes
    self.dueDays = dueDays
    self.idOf = idOf
    self.idCount = perID.count
  }

  mutating func run(from: YearMonth, to: YearMonth) -> [ProgressReport.Month] {
    let n = workflow.statuses.count
    let dates = history.changes.map { $0.commit.date.daysSinceEpoch }
    // First-parent order is nearly date order, which the (adaptive) sort takes advantage of.
    let order = dates.indices.sorted { dates[$0] != dates[$1] ? dates[$0] < dates[$1] : $0 < $1 }
    var deciding = [Int](repeating: -1, count: idCount)
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
      } else if k == Self.unusable {
        unusable += sign
      }
    }
    var months: [ProgressReport.Month] = []
    var previousCounts = counts
    let start = from.firstDay.adding(days: -1).daysSinceEpoch
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
      if let m = month {
        // An unusable version that decides a month end is named once, in ID order: at the
        // first month end only those that changed since can be new.
        if unusable > 0 {
          if first {
            for ci in deciding where ci >= 0 && classes[ci] == Self.unusable { warn(ci) }
          } else {
            for id in before.keys.sorted() where classes[deciding[id]] == Self.unusable { warn(deciding[id]) }
          }
        }
        first = false
        months.append(
          figures(
            month: m, counts: counts, previous: previousCounts, dues: sortedDues,
            movements: movements(before: before, deciding: deciding)))
        if m == to { break }
      }
      previousCounts = counts
      month = month?.next ?? from
    }
    return months
  }

  private func figures(
    month: YearMonth, counts: [Int], previous: [Int], dues: [Int], movements: ProgressReport.Movements
  )
    -> ProgressReport.Month
  {
    let statuses = workflow.statuses
    let total = counts.reduce(0, +)
    let final = zip(statuses, counts).filter { workflow.terminal.contains($0.0) }.map(\.1).reduce(0, +)
    let share = total == 0 ? 0 : (Double(final) / Double(total) * 10_000).rounded() / 10_000
    let asOf = month.lastDay
    let limit = asOf.daysSinceEpoch
    var low = 0
    var high = dues.count
    while low < high {
      let mid = (low + high) / 2
      if dues[mid] < limit { low = mid + 1 } else { high = mid }
    }
    let delta = zip(counts, previous).map { $0 - $1 }
    return ProgressReport.Month(
      month: month.description, asOf: asOf, total: total,
      counts: StatusCounts(statuses: statuses, values: counts), final: final, finalShare: share, overdue: low,
      change: ProgressReport.Change(
        total: total - previous.reduce(0, +), counts: StatusCounts(statuses: statuses, values: delta)),
      movements: movements)
  }

  private func movements(before: [Int: Int], deciding: [Int]) -> ProgressReport.Movements {
    var m = ProgressReport.Movements(opened: 0, completed: 0, closed: 0, final: 0, reopened: 0, removed: 0)
    for (id, old) in before {
      let was = old >= 0 ? classes[old] : Self.absent
      let now = classes[deciding[id]]
      switch (was >= 0, now >= 0) {
      case (false, true): m.opened += 1
      case (true, false): m.removed += 1
      case (true, true) where was != now:
        let wasStatus = workflow.statuses[was]
        let nowStatus = workflow.statuses[now]
        let wasDone = workflow.isDone(wasStatus)
        if nowStatus == Self.closed { m.closed += 1 }
        if workflow.terminal.contains(nowStatus), !workflow.terminal.contains(wasStatus) { m.final += 1 }
        if workflow.isAwaitingVerification(nowStatus) {
          m.completed += 1
        } else if !workflow.terminal.contains(nowStatus), wasDone {
          m.reopened += 1
        }
      default: break
      }
    }
    return m
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
