/// The headline figures of one day, counted the one way every paper counts them: `closed` is
/// the status `closed` only; `final` is any terminal status of the workflow (docs/format.md §3);
/// overdue is the workflow's one rule (§7). Each figure is a sum over recommendations, so one
/// recommendation's change moves it by that recommendation's own difference.
struct PaperFigures: Equatable {
  /// The status "Closed" means everywhere (issue 13).
  static let closed = "closed"

  var statuses: [String]
  var counts: [Int]
  var closed = 0
  var final = 0
  var overdue = 0
  var total: Int { counts.reduce(0, +) }

  init(statuses: [String]) {
    self.statuses = statuses
    counts = [Int](repeating: 0, count: statuses.count)
  }

  init(_ states: [String: RecommendationSummary], asOf day: CalendarDate, workflow: Workflow) {
    self.init(statuses: workflow.statuses)
    for s in states.values { add(s, sign: 1, asOf: day, workflow: workflow) }
  }

  /// Counts (sign 1) or uncounts (sign -1) one recommendation's state on `day`.
  mutating func add(_ s: RecommendationSummary?, sign: Int, asOf day: CalendarDate, workflow: Workflow) {
    guard let s, let k = statuses.firstIndex(of: s.status) else { return }
    counts[k] += sign
    if s.status == Self.closed { closed += sign }
    let isFinal = workflow.terminal.contains(s.status)
    if isFinal { final += sign }
    if workflow.isOverdue(status: s.status, due: s.due, on: day) { overdue += sign }
  }

  /// The figures a panel compares, with their table label and the words a sentence uses.
  var labelled: [(label: String, words: String, value: Int)] {
    [("Total", "total", total)] + zip(statuses, counts).map { ($0.0, "\($0.0) count", $0.1) }
      + [("Final (any final status)", "final count", final), ("Overdue", "overdue count", overdue)]
  }

  func value(of label: String) -> Int { labelled.first { $0.label == label }?.value ?? 0 }

  var statusCounts: StatusCounts { StatusCounts(statuses: statuses, values: counts) }
}

extension SummaryBuilder {
  /// The day the last change to `id` counting as of `asOf` was recorded (its commit reached the
  /// branch), never before the day it is dated nor after `asOf`: an import or a late record
  /// counts as an update on the day it was made.
  func lastRecordedUpdate(of id: String) -> CalendarDate? {
    var last: CalendarDate?
    for c in history.changes(of: id) where c.commit.date <= asOf {
      let d = min(max(c.commit.recorded, c.commit.date), asOf)
      last = max(last ?? d, d)
    }
    return last
  }

  /// The state a change leaves, as the figures count it (nil: gone, unreadable or outside the workflow).
  func state(_ v: RecommendationVersion?) -> RecommendationSummary? {
    guard let v, let s = history.reading(of: v)?.summary, workflow.statuses.contains(s.status) else {
      return nil
    }
    return s
  }

  /// What a change did, short ("open -> complete") and as a phrase for a sentence ("as complete
  /// on 30 Jan 2024").
  func describe(_ c: RecommendationChange) -> (short: String, phrase: String) {
    let day = TextTable.humanDate(c.commit.date)
    let new = c.version.flatMap { history.reading(of: $0)?.summary }
    let old = c.previous.flatMap { history.reading(of: $0)?.summary }
    if c.version == nil { return ("deleted", "as removed on \(day)") }
    if c.previous == nil {
      let status = new?.status ?? "unreadable"
      return ("added (\(status))", "as added on \(day) (\(status))")
    }
    var parts: [String] = []
    if old?.status != new?.status {
      parts.append("\(old?.status ?? "unreadable") -> \(new?.status ?? "unreadable")")
    }
    if old?.due != new?.due {
      parts.append("due \(old?.due?.description ?? "none") -> \(new?.due?.description ?? "none")")
    }
    if c.isMove, let path = c.version?.path { parts.append("moved to \(path)") }
    let short = parts.isEmpty ? "edited" : parts.joined(separator: "; ")
    if old?.status != new?.status, let to = new?.status { return (short, "as \(to) on \(day)") }
    return (short, "with a change dated \(day) (\(short))")
  }

  /// The previous paper as circulated beside the same day as restated, and every restatement
  /// (docs/format.md §6): a change in this history, not in the previous paper's, dated on or before
  /// its day. Each restatement's effect is its recommendation's own difference to the figures.
  mutating func restatementsOfPreviousPaper() throws(TrackingError) -> (
    Summary.Previous?, [Summary.Restatement]
  ) {
    guard let paper = request.previousPaper else { return (nil, []) }
    let pDay = paper.meeting.date
    let circulated = PaperFigures(
      statuses(asOf: pDay, in: paper.history, workflow: paper.workflow), asOf: pDay, workflow: paper.workflow)
    let restated = PaperFigures(statuses(asOf: pDay), asOf: pDay, workflow: workflow)
    let inPaper = Set(paper.history.commits.map(\.id))
    let restating = history.changes.filter { !inPaper.contains($0.commit.id) && $0.commit.date <= pDay }

    // Replay the restating changes over the circulated state, one recommendation at a time.
    var running = statuses(asOf: pDay, in: paper.history, workflow: workflow)
    var deltas: [[String: Int]] = []
    for c in restating {
      var before = PaperFigures(statuses: workflow.statuses)
      before.add(running[c.id], sign: 1, asOf: pDay, workflow: workflow)
      var after = PaperFigures(statuses: workflow.statuses)
      let new = state(c.version)
      after.add(new, sign: 1, asOf: pDay, workflow: workflow)
      running[c.id] = new
      var d: [String: Int] = [:]
      for (a, b) in zip(after.labelled, before.labelled) where a.value != b.value {
        d[a.label] = a.value - b.value
      }
      deltas.append(d)
    }
    var movers: [String: Int] = [:]
    for d in deltas { for label in d.keys { movers[label, default: 0] += 1 } }

    let paperName = "the \(TextTable.humanDate(pDay)) paper"
    var out: [Summary.Restatement] = []
    for (c, d) in zip(restating, deltas) {
      let (short, phrase) = describe(c)
      var effects: [String] = []
      for f in restated.labelled {
        guard let delta = d[f.label] else { continue }
        if movers[f.label] == 1 {
          effects.append("\(f.words) is now \(f.value), was \(circulated.value(of: f.label))")
        } else {
          effects.append("\(f.words) \(delta > 0 ? "up" : "down") by \(abs(delta))")
        }
      }
      let head = "\(c.id) was recorded on \(TextTable.humanDate(c.commit.recorded)) \(phrase)"
      let explanation =
        effects.isEmpty
        ? head + ", which changes none of \(paperName)'s figures."
        : head + ": \(paperName)'s " + effects.joined(separator: "; ") + "."
      let info = try info(c.commit.id)
      out.append(
        Summary.Restatement(
          id: c.id, commit: c.commit.id.hex, short: c.commit.id.short, date: c.commit.date,
          recorded: c.commit.recorded, change: short, author: info.author.name, summary: c.commit.summary,
          effects: effects, explanation: explanation))
    }

    let figures = restated.labelled.map { f in
      let was = circulated.value(of: f.label)
      return Summary.Figure(
        label: f.label, circulated: was, restated: f.value, changed: was != f.value,
        change: Self.signed(f.value - was))
    }
    let changed = figures.filter(\.changed)
    let records = "\(out.count) later record\(out.count == 1 ? "" : "s")"
    let reconciliation: String
    if out.isEmpty && changed.isEmpty {
      reconciliation = "Nothing recorded since \(paperName) concerns its period: its figures stand."
    } else if changed.isEmpty {
      reconciliation = "\(records) concern the period of \(paperName), but none of its figures changes."
    } else {
      let words = changed.map { f in
        let name = restated.labelled.first { $0.label == f.label }?.words ?? f.label
        return "\(name) \(f.restated), was \(f.circulated)"
      }
      reconciliation =
        (out.isEmpty ? "As recorded now, \(paperName)'s figures differ" : "\(records) restate \(paperName)")
        + ": " + words.joined(separator: "; ") + "."
    }
    let previous = Summary.Previous(
      meeting: paper.meeting, asOf: pDay, asOfText: pDay.longText,
      recordedAt: paper.history.head?.hex ?? paper.meeting.commit,
      counts: circulated.statusCounts, restatedCounts: restated.statusCounts, figures: figures,
      isRestated: !changed.isEmpty, hasRestatements: !out.isEmpty, reconciliation: reconciliation)
    return (previous, out)
  }
}
