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
      filter: filter, months: months, warnings: sweep.warnings)
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

  static let absent = -1
  static let filteredOut = -2
  static let unusable = -3

  init(history: RecommendationHistory, filter: RecommendationFilter, workflow: Workflow) {
    self.history = history
    self.workflow = workflow
    var statusIndex: [String: Int] = [:]
    for (i, s) in workflow.statuses.enumerated() where statusIndex[s] == nil { statusIndex[s] = i }
    var ids: [String: Int] = [:]
    var classes: [Int] = []
    var dueDays: [Int?] = []
    var idOf: [Int] = []
    classes.reserveCapacity(history.changes.count)
    for c in history.changes {
      idOf.append(
        ids[c.id]
          ?? {
            ids[c.id] = ids.count
            return ids.count - 1
          }())
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
      classes.append(k)
      // `Workflow.isOverdue`, split for the sweep: a status that can be overdue keeps its due
      // day here, and `figures` counts the due days before the month end (`due < day`).
      dueDays.append(workflow.canBeOverdue(s.status) ? s.due?.daysSinceEpoch : nil)
    }
    self.classes = classes
    self.dueDays = dueDays
    self.idOf = idOf
    self.idCount = ids.count
  }

  mutating func run(from: YearMonth, to: YearMonth) -> [ProgressReport.Month] {
    let n = workflow.statuses.count
    let order = history.changes.indices.sorted {
      let a = history.changes[$0].commit.date
      let b = history.changes[$1].commit.date
      return a != b ? a < b : $0 < $1
    }
    var deciding = [Int](repeating: -1, count: idCount)
    var cursor = 0
    var counts = [Int](repeating: 0, count: n)
    var sortedDues: [Int] = []
    var months: [ProgressReport.Month] = []
    var previousCounts = counts
    let start = from.firstDay.adding(days: -1)
    var month: YearMonth? = nil
    var first = true
    while true {
      let day = month?.lastDay ?? start
      var before: [Int: Int] = [:]
      while cursor < order.count, history.changes[order[cursor]].commit.date <= day {
        let ci = order[cursor]
        let id = idOf[ci]
        if ci > deciding[id] {
          if before[id] == nil { before[id] = deciding[id] }
          deciding[id] = ci
        }
        cursor += 1
      }
      if first || !before.isEmpty {
        counts = [Int](repeating: 0, count: n)
        sortedDues.removeAll(keepingCapacity: true)
        for ci in deciding where ci >= 0 {
          let k = classes[ci]
          if k >= 0 {
            counts[k] += 1
            if let d = dueDays[ci] { sortedDues.append(d) }
          }
        }
        sortedDues.sort()
      }
      first = false
      if let m = month {
        for ci in deciding where ci >= 0 && classes[ci] == Self.unusable { warn(ci) }
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
    var m = ProgressReport.Movements(opened: 0, completed: 0, closed: 0, reopened: 0, removed: 0)
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
        if workflow.isAwaitingVerification(nowStatus) {
          m.completed += 1
        } else if workflow.terminal.contains(nowStatus) {
          if !workflow.terminal.contains(wasStatus) { m.closed += 1 }
        } else if wasDone {
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
