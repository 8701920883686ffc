/// What `rectrack summary` is asked for, before anything is read.
public struct PaperRequest: Sendable {
  /// `--meeting`: a recorded meeting's day.
  public var meeting: CalendarDate?
  /// `--as-of`: any day instead of a meeting.
  public var asOf: CalendarDate?
  /// `--since`: compare with this day instead of the previous meeting.
  public var since: CalendarDate?
  /// `--since-meeting`: insist on a previous meeting.
  public var sinceMeeting: Bool
  /// `--recorded-at`: the history to build from; nil for the meeting's tag (HEAD without one).
  public var recordedAt: RecordedAt?
  /// Today, for the default day when there is no meeting.
  public var today: CalendarDate
  /// Front-matter values given on the command line; they win over `rectrack.yml`'s `paper:`
  /// section of the commit the paper is built from.
  public var paperOverrides = PaperSettings()
  /// `--next-meeting`, else the schedule in `paper.meetings`.
  public var nextMeeting: CalendarDate?
  /// Take what the history cache remembers (`--no-cache`: false).
  public var usingCache = true

  public init(
    meeting: CalendarDate? = nil, asOf: CalendarDate? = nil, since: CalendarDate? = nil,
    sinceMeeting: Bool = false,
    recordedAt: RecordedAt? = nil, today: CalendarDate
  ) {
    self.meeting = meeting
    self.asOf = asOf
    self.since = since
    self.sinceMeeting = sinceMeeting
    self.recordedAt = recordedAt
    self.today = today
  }
}

/// A paper ready to render: the summary and the repository read at the commit it was built
/// from (its `Templates/` and `rectrack.yml`), so the same commit gives the same bytes.
public struct Paper {
  public var summary: Summary
  public var repo: TrackingRepository
}

extension Summary {
  /// Builds the paper for a meeting or a day (docs/format.md §6): by default from the history as
  /// recorded at the meeting's tag (the paper as circulated), compared with the previous meeting's
  /// paper as circulated; `recordedAt` restates it from another history (HEAD, a day, a commit).
  /// One walk gives both papers' histories when the previous tag is on the chain, as it is
  /// unless history was rewritten (then its own walk is made).
  public static func paper(_ request: PaperRequest, in base: TrackingRepository) throws(TrackingError)
    -> Paper
  {
    try paper(request, in: base, plan: try PaperPlan(request, in: base))
  }

  /// `paper(_:in:)` with the request already read (`rememberedOutput` keys on the same plan).
  static func paper(_ request: PaperRequest, in base: TrackingRepository, plan: PaperPlan)
    throws(TrackingError) -> Paper
  {
    let (theMeeting, day, start, previous, rev) = (
      plan.meeting, plan.day, plan.start, plan.previous, plan.rev
    )
    let history: RecommendationHistory
    do {
      history = try RecommendationHistory.load(
        from: base.git, recordedAt: rev, readingContents: true, usingCache: request.usingCache)
    } catch {
      throw .git(error)
    }
    let repo = try base.reading(recordedAt: history)
    var circulated: CirculatedPaper?
    if let p = previous, let id = ObjectID(hex: p.commit) {
      let ph: RecommendationHistory
      if let position = history.position(of: id) {
        ph = history.recorded(atPosition: position)
      } else {
        do {
          ph = try RecommendationHistory.load(
            from: base.git, at: id, readingContents: true, usingCache: request.usingCache)
        } catch {
          throw .git(error)
        }
      }
      circulated = CirculatedPaper(
        meeting: p, history: ph, workflow: try TrackingRepository(repository: base.git, pinnedAt: id).workflow
      )
    }
    let settings = try SummarySettings(settingsText: repo.settings.text, workflow: repo.workflow)
    var front = try PaperSettings(settingsText: repo.settings.text)
    let o = request.paperOverrides
    if let v = o.agendaItem { front.agendaItem = v }
    if let v = o.author { front.author = v }
    if let v = o.title { front.title = v }
    if let v = o.purpose { front.purpose = v }
    if let v = o.recommendation { front.recommendation = v }
    var summary = try build(
      repo: repo, history: history,
      request: SummaryRequest(
        asOf: day, since: start, meeting: theMeeting, previousMeeting: previous, previousPaper: circulated,
        paper: front, nextMeeting: request.nextMeeting),
      settings: settings)
    let asked = try updateRequests(in: base, history: history, day: day, start: start)
    if !asked.isEmpty {
      summary.updateRequests = asked
      summary.updateRequestCounts = UpdateRequestCounts(asked)
    }
    return Paper(summary: summary, repo: repo)
  }
}

/// What a paper is for, decided from the request and the meetings on record before anything is
/// read: its day, its meeting, the day or meeting it compares with, and the history it is built
/// from. `Summary.paper` builds from it and `Summary.rememberedOutput` keys on it.
struct PaperPlan {
  var meetings: [Meeting]
  var meeting: Meeting?
  var day: CalendarDate
  var start: CalendarDate?
  var previous: Meeting?
  var rev: RecordedAt?

  init(_ request: PaperRequest, in base: TrackingRepository) throws(TrackingError) {
    let meetings = try MeetingCalendar.list(in: base)
    var theMeeting: Meeting?
    let day: CalendarDate
    if let d = request.meeting {
      guard let m = meetings.first(where: { $0.date == d }) else {
        let known = meetings.map(\.date.description).joined(separator: ", ")
        throw .usage(
          "no meeting is recorded on \(d). "
            + (known.isEmpty
              ? "Record one with: rectrack meeting add \(d) --title \"...\"" : "Recorded: \(known)."))
      }
      theMeeting = m
      day = d
    } else if let d = request.asOf {
      day = d
    } else if let last = meetings.last(where: { $0.date <= request.today }) {
      theMeeting = last
      day = last.date
    } else {
      day = request.today
    }
    var start: CalendarDate?
    var previous: Meeting?
    if let d = request.since {
      guard d < day else { throw .usage("--since \(d) must be before the summary's day, \(day).") }
      start = d
      previous = meetings.first { $0.date == d }
    } else if let p = meetings.last(where: { $0.date < day }) {
      start = p.date
      previous = p
    } else if request.sinceMeeting {
      throw .usage("there is no meeting before \(day) to compare with; use --since YYYY-MM-DD.")
    }
    var rev = request.recordedAt
    if rev == nil, let m = theMeeting, let id = ObjectID(hex: m.commit) { rev = .commit(id, text: m.tag) }
    self.meetings = meetings
    self.meeting = theMeeting
    self.day = day
    self.start = start
    self.previous = previous
    self.rev = rev
  }
}
