/// What to summarise: the day, the start of the period and the meetings involved.
public struct SummaryRequest: Sendable {
  public var asOf: CalendarDate
  /// The exclusive start of the period; nil for "since the first record".
  public var since: CalendarDate?
  public var meeting: Meeting?
  public var previousMeeting: Meeting?
  /// The previous meeting's paper as circulated: its history as recorded at its tag, and the
  /// workflow of that commit. Without it the start of the period is read from this history.
  public var previousPaper: CirculatedPaper?
  /// The front matter (from `rectrack.yml`'s `paper:` section and the command line).
  public var paper: PaperSettings
  /// The next meeting's day (`--next-meeting`, else the schedule in `paper.meetings`).
  public var nextMeeting: CalendarDate?

  public init(
    asOf: CalendarDate, since: CalendarDate?, meeting: Meeting? = nil, previousMeeting: Meeting? = nil,
    previousPaper: CirculatedPaper? = nil, paper: PaperSettings = PaperSettings(),
    nextMeeting: CalendarDate? = nil
  ) {
    self.asOf = asOf
    self.since = since
    self.meeting = meeting
    self.previousMeeting = previousMeeting
    self.previousPaper = previousPaper
    self.paper = paper
    self.nextMeeting = nextMeeting ?? paper.nextMeeting(after: asOf)
  }
}

/// A meeting's paper as it circulated: the history as recorded at its tag (docs/format.md §6).
public struct CirculatedPaper: Sendable {
  public var meeting: Meeting
  /// Loaded with `readingContents: true`.
  public var history: RecommendationHistory
  /// The workflow of `rectrack.yml` at the tag's commit.
  public var workflow: Workflow

  public init(meeting: Meeting, history: RecommendationHistory, workflow: Workflow) {
    self.meeting = meeting
    self.history = history
    self.workflow = workflow
  }
}

extension Summary {
  /// Computes a summary from one history walk, so that its figures are `progress`'s: the same
  /// deciding change per ID (docs/format.md §5), the same file readings and the same counting rules.
  ///
  /// - Parameter history: loaded with `readingContents: true`.
  public static func build(
    repo: TrackingRepository, history: RecommendationHistory, request: SummaryRequest,
    settings: SummarySettings
  ) throws(TrackingError) -> Summary {
    var b = SummaryBuilder(repo: repo, history: history, request: request, settings: settings)
    return try b.build()
  }
}

/// The working state of one summary computation (commit lookups are cached).
struct SummaryBuilder {
  let repo: TrackingRepository
  let history: RecommendationHistory
  let request: SummaryRequest
  let settings: SummarySettings
  let workflow: Workflow
  var commitInfo: [ObjectID: CommitInfo] = [:]
  var changedByCommit: [ObjectID: [String]] = [:]
  var warnings: [String] = []

  init(
    repo: TrackingRepository, history: RecommendationHistory, request: SummaryRequest,
    settings: SummarySettings
  ) {
    self.repo = repo
    self.history = history
    self.request = request
    self.settings = settings
    self.workflow = repo.workflow
    for c in history.changes { changedByCommit[c.commit.id, default: []].append(c.id) }
  }

  var asOf: CalendarDate { request.asOf }

  /// The commits of the previous paper's history (changing ones), when there is one.
  lazy var circulatedCommits: Set<ObjectID>? = request.previousPaper.map { Set($0.history.commits.map(\.id)) }

  /// Whether a commit belongs to the period, on either clock, dated up to `asOf`: dated after
  /// its start, or recorded since the previous paper (not in its history: a late record, a
  /// back-dated import); without a previous paper, recorded after `since` (up to `asOf`).
  mutating func inPeriod(_ c: HistoryCommit) -> Bool {
    guard c.date <= asOf else { return false }
    guard let since = request.since else { return true }
    if c.date > since { return true }
    if let circulated = circulatedCommits { return !circulated.contains(c.id) }
    return c.recorded > since && c.recorded <= asOf
  }

  func isFinal(_ status: String) -> Bool { workflow.terminal.contains(status) }

  /// The status of every countable recommendation as of `date`, by ID, exactly as `progress`
  /// counts them: files that did not parse or have a status outside the workflow are left out.
  mutating func statuses(asOf date: CalendarDate) -> [String: RecommendationSummary] {
    statuses(asOf: date, in: history, workflow: workflow)
  }

  mutating func statuses(asOf date: CalendarDate, in history: RecommendationHistory, workflow: Workflow)
    -> [String: RecommendationSummary]
  {
    var out: [String: RecommendationSummary] = [:]
    let known = Set(workflow.statuses)
    for (id, v) in history.snapshot(asOf: date) {
      switch history.reading(of: v) {
      case .summary(let s)? where known.contains(s.status): out[id] = s
      case .summary(let s)?:
        warnings.append("\(v.path) as of \(date): status '\(s.status)' is not in the workflow")
      case .unusable(let m)?: warnings.append("\(v.path) as of \(date): \(m)")
      case nil: warnings.append("\(v.path) as of \(date): not read")
      }
    }
    return out
  }

  /// The parsed recommendations as of `date`, by ID.
  func catalog(asOf date: CalendarDate, in history: RecommendationHistory? = nil) throws(TrackingError)
    -> [String: Recommendation]
  {
    let versions = (history ?? self.history).snapshot(asOf: date).map {
      FileVersion(id: $0.key, path: $0.value.path, blob: $0.value.blob)
    }
    let catalog = try repo.catalog(versions)
    var out: [String: Recommendation] = [:]
    for r in catalog.recommendations { out[r.id] = r }
    return out
  }

  mutating func info(_ id: ObjectID) throws(TrackingError) -> CommitInfo {
    if let c = commitInfo[id] { return c }
    do {
      let c = try repo.git.commit(id)
      commitInfo[id] = c
      return c
    } catch {
      throw .git(error)
    }
  }

  /// A commit as a change cites it; `listing` adds the IDs it changed (for the `commits`
  /// appendix only: a commit adding 2,000 recommendations would otherwise be written with all
  /// 2,000 IDs in each of their 2,000 changes, and the paper would grow with the square).
  mutating func ref(_ c: HistoryCommit, listing: Bool = false) throws(TrackingError) -> Summary.CommitRef {
    let i = try info(c.id)
    return Summary.CommitRef(
      id: c.id.hex, short: c.id.short, date: c.date, dateText: c.date.longText, effective: c.dateFromTrailer,
      recorded: c.recorded,
      late: c.recorded > c.date, author: i.author.name,
      summary: c.summary, recommendations: listing ? Array(Set(changedByCommit[c.id] ?? [])).sorted() : nil)
  }

  func item(_ r: Recommendation) -> Summary.Item {
    Summary.Item(
      id: r.id, title: r.title, owner: r.owner, status: r.status, due: r.due, file: r.file,
      dueText: r.due?.longText)
  }

  func counts(_ states: [String: RecommendationSummary]) -> [Int] {
    var c = [Int](repeating: 0, count: workflow.statuses.count)
    for s in states.values { if let k = workflow.statuses.firstIndex(of: s.status) { c[k] += 1 } }
    return c
  }

  static func signed(_ v: Int) -> String { v > 0 ? "+\(v)" : "\(v)" }
  static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
  static func share(_ part: Int, _ total: Int) -> Double {
    total == 0 ? 0 : (Double(part) / Double(total) * 10_000).rounded() / 10_000
  }

  /// The same day `months` months earlier (clamped to the month's length).
  static func monthsBefore(_ d: CalendarDate, _ months: Int) -> CalendarDate {
    let index = d.year * 12 + (d.month - 1) - months
    let y = index / 12
    let m = index % 12 + 1
    return CalendarDate(year: y, month: m, day: min(d.day, CalendarDate.daysIn(month: m, year: y)))!
  }

  mutating func build() throws(TrackingError) -> Summary {
    let since = request.since
    let now = statuses(asOf: asOf)
    // The start of the period: the previous paper as circulated (its own history), else this one.
    let circulated = request.previousPaper
    let startHistory = circulated?.history ?? history
    let startWorkflow = circulated?.workflow ?? workflow
    let before = since.map { statuses(asOf: $0, in: startHistory, workflow: startWorkflow) }
    let recs = try catalog(asOf: asOf)
    let oldRecs = try since.map { (d) throws(TrackingError) in try catalog(asOf: d, in: startHistory) } ?? [:]

    let nowCounts = counts(now)
    let oldCounts = before.map { b in
      workflow.statuses.map { s in b.values.filter { $0.status == s }.count }
    }
    let total = nowCounts.reduce(0, +)
    let nowFigures = PaperFigures(now, asOf: asOf, workflow: workflow)
    let closed = nowFigures.closed
    let final = nowFigures.final
    let overdueCount = nowFigures.overdue
    let statusCounts = workflow.statuses.enumerated().map { k, s in
      Summary.StatusCount(
        status: s, count: nowCounts[k], previous: oldCounts?[k],
        change: oldCounts.map { Self.signed(nowCounts[k] - $0[k]) })
    }

    // Changes between the start and the end of the period, one recommendation at a time.
    var closedSince: [Summary.Item] = []
    var statusChanges: [Summary.StatusChange] = []
    var newOnes: [Summary.Item] = []
    var removed: [Summary.Item] = []
    var dueChanges: [Summary.DueDateChange] = []
    for id in Set(now.keys).union(before.map { Array($0.keys) } ?? []).sorted() {
      let a = before?[id]
      let b = now[id]
      if let b, let r = recs[id] {
        if a == nil { newOnes.append(item(r)) }
        if b.status == PaperFigures.closed && a?.status != PaperFigures.closed { closedSince.append(item(r)) }
        if a?.status != b.status {
          statusChanges.append(
            Summary.StatusChange(
              item: item(r), from: a?.status, to: b.status,
              narrative: r.progress.map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 },
              steps: try statusSteps(of: id)))
        }
        if let a, a.due != b.due {
          let (reason, commit) = try dueChange(of: id)
          dueChanges.append(
            Summary.DueDateChange(item: item(r), from: a.due, to: b.due, reason: reason, commit: commit))
        }
      } else if b == nil, a != nil, let r = oldRecs[id] {
        removed.append(item(r))
      }
    }

    let moved = Set(dueChanges.map(\.item.id))
    var overdue: [Summary.Overdue] = []
    var stale: [Summary.Stale] = []
    var register: [Summary.RegisterEntry] = []
    let staleCutoff = Self.monthsBefore(asOf, settings.staleMonths)
    for id in recs.keys.sorted() {
      guard let r = recs[id], now[id] != nil else { continue }
      let days = r.due.map { $0.daysSinceEpoch - asOf.daysSinceEpoch }
      if let due = r.due, let days, workflow.isOverdue(status: r.status, due: due, on: asOf) {
        overdue.append(Summary.Overdue(item: item(r), due: due, daysOverdue: -days))
      }
      if !isFinal(r.status), !workflow.isAwaitingVerification(r.status),
        let last = lastRecordedUpdate(of: id),
        last <= staleCutoff
      {
        stale.append(
          Summary.Stale(
            item: item(r), lastUpdate: last, daysSinceUpdate: asOf.daysSinceEpoch - last.daysSinceEpoch))
      }
      let (rag, reason) = rate(r, daysToDue: days, moved: moved.contains(id))
      register.append(
        Summary.RegisterEntry(
          item: item(r), rag: rag, reason: reason, isRed: rag == .red, isAmber: rag == .amber,
          isGreen: rag == .green,
          isGrey: rag == .grey))
    }
    overdue.sort { ($0.daysOverdue, $1.item.id) > ($1.daysOverdue, $0.item.id) }
    stale.sort { ($0.lastUpdate, $0.item.id) < ($1.lastUpdate, $1.item.id) }
    func n(_ r: Summary.RAG) -> Int { register.filter { $0.rag == r }.count }

    var commits: [Summary.CommitRef] = []
    for c in history.commits where inPeriod(c) { commits.append(try ref(c, listing: true)) }

    let (previousPaper, restatements) = try restatementsOfPreviousPaper()
    let points = progressPoints(nowCounts: nowCounts, figures: nowFigures)
    let previous = request.previousMeeting
    let periodText: String
    if let since, circulated != nil {
      periodText =
        "Changes recorded since the previous meeting's paper (\(since.longText)), up to \(asOf.longText)"
    } else if let since {
      periodText =
        "Changes dated after \(since.longText)" + (previous?.date == since ? " (the previous meeting)" : "")
        + " up to \(asOf.longText)"
    } else {
      periodText = "Everything recorded up to \(asOf.longText)"
    }
    warnings = Array(Set(warnings)).sorted()
    let panel = try panelSections(recs.filter { now[$0.key] != nil })
    var front = frontMatter(
      total: total, closed: workflow.statuses.firstIndex(of: "closed").map { nowCounts[$0] } ?? 0,
      newCount: newOnes.count,
      closedSinceCount: closedSince.count, overdue: overdueCount, panel: panel)
    // The front matter says which record the paper is built from by its day; the commit is in the appendix.
    if history.head != nil { front.recordedText = history.chain.last?.recorded.longText }
    var summary = Summary(
      title: request.meeting?.title ?? "Progress summary", organisation: repo.settings.organisation,
      asOf: asOf,
      recordedAt: history.head?.hex, meeting: request.meeting,
      period: Summary.Period(
        from: since, fromText: since.map(TextTable.humanDate), to: asOf, previousMeeting: previous?.date == since ? previous : nil,
        description: periodText),
      statuses: workflow.statuses,
      headline: Summary.Headline(
        total: total, previousTotal: oldCounts.map { $0.reduce(0, +) },
        totalChange: oldCounts.map { Self.signed(total - $0.reduce(0, +)) }, counts: statusCounts,
        closed: closed,
        closedShare: Self.share(closed, total), closedPercent: Self.percent(Self.share(closed, total)),
        final: final, finalShare: Self.share(final, total),
        finalPercent: Self.percent(Self.share(final, total)),
        finalStatuses: words(workflow.statuses.filter(isFinal)),
        overdue: overdueCount,
        rag: Summary.RAGCounts(red: n(.red), amber: n(.amber), green: n(.green), grey: n(.grey))),
      progress: points, chart: SummaryChart.layout(points, statuses: workflow.statuses),
      previous: previousPaper, restatements: restatements,
      closedSince: closedSince, statusChanges: statusChanges, newRecommendations: newOnes, removed: removed,
      overdue: overdue, dueDateChanges: dueChanges, stale: stale, register: register, commits: commits,
      ragRule: ragRule, settings: settings, warnings: warnings)
    let original = Dictionary(panel.slippage.map { ($0.id, $0.originalDue) }, uniquingKeysWith: { a, _ in a })
    for k in summary.overdue.indices {
      summary.overdue[k].dueText = summary.overdue[k].due.longText
      summary.overdue[k].originalDue = original[summary.overdue[k].item.id]
      summary.overdue[k].originalDueText = summary.overdue[k].originalDue?.longText
    }
    summary.paper = front
    summary.awaitingVerification = panel.awaitingVerification
    summary.slippage = panel.slippage
    summary.narratives = panel.narratives
    summary.dueBeforeNextMeeting = panel.dueBeforeNextMeeting
    return summary
  }

  /// The panel's sections (awaiting verification, slippage, narratives, due soon).
  mutating func panelSections(_ recs: [String: Recommendation]) throws(TrackingError) -> PanelSections {
    var messages: [ObjectID: CommitMessage] = [:]
    var progress: [ObjectID: String?] = [:]
    let repo = self.repo
    return try PanelSections.build(
      history: history, recommendations: recs, asOf: asOf, awaiting: workflow.awaitingVerification,
      terminal: workflow.terminal,
      nextMeeting: request.nextMeeting,
      message: { (id) throws(TrackingError) -> CommitMessage in
        if let m = messages[id] { return m }
        let m = CommitMessage(parsing: try self.info(id).message)
        messages[id] = m
        return m
      },
      progressText: { (v) throws(TrackingError) -> String? in
        if let p = progress[v.blob] { return p }
        let bytes: [UInt8]
        do throws(GitError) { bytes = try repo.git.blob(v.blob) } catch { throw .git(error) }
        let text = (try? RecommendationDocument(bytes: bytes, path: v.path))?["progress"]?.text
        progress[v.blob] = .some(text)
        return text
      })
  }

  /// The front matter, with the executive summary's generated sentences.
  func frontMatter(
    total: Int, closed: Int, newCount: Int, closedSinceCount: Int, overdue: Int, panel: PanelSections
  ) -> PaperFrontMatter {
    func n(_ count: Int, _ one: String, _ many: String) -> String {
      count == 1 ? "1 \(one)" : "\(count) \(many)"
    }
    var sentences: [String] = []
    let share = Self.percent(Self.share(closed, total))
    sentences.append(
      "The tracker holds \(n(total, "recommendation", "recommendations")) as of \(asOf.longText), of which "
        + "\(closed) \(closed == 1 ? "is" : "are") closed (\(share)).")
    if request.since != nil {
      sentences.append(
        "Since the last \(request.previousMeeting == nil ? "report" : "meeting"), "
          + "\(n(closedSinceCount, "recommendation was", "recommendations were")) closed and "
          + "\(n(newCount, "new one was", "new ones were")) added.")
    }
    sentences.append(
      overdue == 0
        ? "None is overdue."
        : "\(n(overdue, "recommendation is", "recommendations are")) overdue.")
    if !panel.awaitingVerification.isEmpty {
      let oldest = panel.awaitingVerification[0]
      sentences.append(
        "\(n(panel.awaitingVerification.count, "is", "are")) awaiting the office's verification, the oldest "
          + "(\(oldest.id)) for \(n(oldest.days, "day", "days")).")
    }
    if !panel.slippage.isEmpty {
      sentences.append(
        "\(n(panel.slippage.count, "open recommendation has", "open recommendations have")) had \(panel.slippage.count == 1 ? "its" : "their") due date moved."
      )
    }
    let paper = request.paper
    let header = [repo.settings.organisation, request.meeting.map { "\($0.title), \($0.date.longText)" }]
      .compactMap { $0 }.joined(separator: " · ")
    var front = PaperFrontMatter(
      title: paper.title ?? request.meeting?.title ?? "Progress summary", author: paper.author,
      agendaItem: paper.agendaItem, purpose: paper.purpose,
      recommendation: paper.recommendation
        ?? "The Panel is asked to note the progress made against the recommendations.",
      dateText: asOf.longText, executiveSummary: sentences, ownSummary: paper.summary,
      nextMeeting: request.nextMeeting, nextMeetingText: request.nextMeeting?.longText)
    front.awaitingCount = panel.awaitingVerification.count
    front.runningHeaderCSS = PaperFrontMatter.cssString(
      header.isEmpty ? "Progress summary, \(asOf.longText)" : header)
    return front
  }

  /// "a, b or c".
  func words(_ list: [String]) -> String {
    list.count <= 1 ? list.joined() : list.dropLast().joined(separator: ", ") + " or " + list.last!
  }

  /// The rule in words, with this repository's thresholds.
  var ragRule: String {
    return "Red: overdue. Amber: due within \(settings.amberDays) days, or due date moved in the period. "
      + "Green: on track" + (settings.green.isEmpty ? "" : ", " + words(settings.green)) + "."
      + (settings.grey.isEmpty ? "" : " Grey: " + words(settings.grey) + ".")
  }

  /// The rule, in order: grey statuses, green statuses, red when overdue, amber when due within
  /// `amberDays` or moved in the period, else green.
  func rate(_ r: Recommendation, daysToDue: Int?, moved: Bool) -> (Summary.RAG, String) {
    if settings.grey.contains(r.status) { return (.grey, r.status) }
    if settings.green.contains(r.status) { return (.green, r.status) }
    if let d = daysToDue, workflow.isOverdue(status: r.status, due: r.due, on: asOf) {
      return (.red, "overdue by \(-d) day\(d == -1 ? "" : "s")")
    }
    if workflow.isDone(r.status) { return (.green, r.status) }
    if let d = daysToDue, d <= settings.amberDays {
      return (.amber, d == 0 ? "due today" : "due in \(d) day\(d == 1 ? "" : "s")")
    }
    if moved { return (.amber, "due date moved") }
    return (.green, r.due == nil ? "on track (no due date)" : "on track")
  }

  /// The commits in the period that changed `id`'s status, oldest first in first-parent order.
  mutating func statusSteps(of id: String) throws(TrackingError) -> [Summary.StatusStep] {
    var steps: [Summary.StatusStep] = []
    for c in history.changes(of: id) where inPeriod(c.commit) {
      guard let v = c.version, let to = history.reading(of: v)?.summary?.status else { continue }
      let from = c.previous.flatMap { history.reading(of: $0)?.summary?.status }
      guard from != to else { continue }
      let message = CommitMessage(parsing: try info(c.commit.id).message)
      steps.append(Summary.StatusStep(from: from, to: to, note: message.body, commit: try ref(c.commit)))
    }
    return steps
  }

  /// The reason and commit of the latest change in the period that moved `id`'s due date.
  mutating func dueChange(of id: String) throws(TrackingError) -> (String?, Summary.CommitRef?) {
    for c in history.changes(of: id).reversed() where inPeriod(c.commit) {
      let due = c.version.flatMap { history.reading(of: $0)?.summary }?.due
      let old = c.previous.flatMap { history.reading(of: $0)?.summary }?.due
      guard due != old else { continue }
      let message = CommitMessage(parsing: try info(c.commit.id).message)
      let reason = message.trailer("Reason").flatMap { $0.isEmpty ? nil : $0 } ?? message.body
      return (reason, try ref(c.commit))
    }
    return (nil, nil)
  }

  /// `progress`'s month ends up to the meeting day (at most `chartMonths` of them, from the first
  /// record), then the meeting day itself when it is not a month end.
  func progressPoints(nowCounts: [Int], figures: PaperFigures) -> [Summary.ProgressPoint] {
    let isMonthEnd = asOf == asOf.yearMonth.lastDay
    let lastMonth: YearMonth = isMonthEnd ? asOf.yearMonth : Self.monthsBefore(asOf, 1).yearMonth
    var firstMonth = Self.monthsBefore(lastMonth.firstDay, settings.chartMonths - (isMonthEnd ? 1 : 2))
      .yearMonth
    if let earliest = history.dateRange?.lowerBound.yearMonth, earliest > firstMonth { firstMonth = earliest }
    var points: [Summary.ProgressPoint] = []
    if firstMonth <= lastMonth {
      let report = ProgressReport.build(
        history: history, from: firstMonth, to: lastMonth,
        workflow: workflow, today: asOf)
      for m in report.months {
        let closed = m.counts[PaperFigures.closed]
        points.append(
          Summary.ProgressPoint(
            label: m.month, asOf: m.asOf, total: m.total,
            counts: zip(m.counts.statuses, m.counts.values).map {
              Summary.StatusCount(status: $0.0, count: $0.1, previous: nil, change: nil)
            }, closed: closed, closedPercent: Self.percent(Self.share(closed, m.total)), final: m.final,
            finalPercent: Self.percent(m.finalShare), overdue: m.overdue, isMeetingDay: false))
      }
    }
    if !isMonthEnd {
      let total = nowCounts.reduce(0, +)
      points.append(
        Summary.ProgressPoint(
          label: asOf.description, asOf: asOf, total: total,
          counts: zip(workflow.statuses, nowCounts).map {
            Summary.StatusCount(status: $0.0, count: $0.1, previous: nil, change: nil)
          }, closed: figures.closed, closedPercent: Self.percent(Self.share(figures.closed, total)),
          final: figures.final, finalPercent: Self.percent(Self.share(figures.final, total)),
          overdue: figures.overdue,
          isMeetingDay: true))
    }
    return points
  }
}
