/// The sections a panel reads beyond the figures (issue 14): items awaiting verification with
/// their ages, the due-date history of every open recommendation whose date ever moved, and the
/// progress narrative of every open recommendation with the day it was last updated.
///
/// All three are computed from the same history as the rest of the paper: a recommendation's
/// changes dated on or before the paper's day, in first-parent order (docs/format.md, "When a
/// change happened"), so a regenerated paper says the same.
public struct PanelSections: Codable, Sendable {
  public var awaitingVerification: [AwaitingVerification]
  public var slippage: [Slippage]
  public var narratives: [Narrative]
  /// Open recommendations due after the paper's day and on or before the next meeting.
  public var dueBeforeNextMeeting: [DueSoon]

  /// A recommendation at the workflow's "done, awaiting verification" status.
  public struct AwaitingVerification: Codable, Sendable {
    public var id: String
    public var title: String
    public var owner: String
    public var status: String
    /// The day (section 4) of the change that set the status.
    public var since: CalendarDate
    public var sinceText: String
    /// Days from `since` to the paper's day.
    public var days: Int
  }

  /// The due-date history of an open recommendation whose date moved at least once.
  public struct Slippage: Codable, Sendable {
    public var id: String
    public var title: String
    public var owner: String
    public var originalDue: CalendarDate
    public var originalDueText: String
    /// The current due date (absent when it was removed after moving).
    public var due: CalendarDate?
    public var dueText: String?
    /// How many times the date changed from one date to another.
    public var moves: Int
    /// `due - originalDue` in days: negative when brought forward.
    public var slippageDays: Int
    /// The slippage in words, e.g. "183 days later" or "14 days earlier".
    public var slippageText: String
    /// Each move, oldest first, with its reason.
    public var history: [Move]
  }

  /// One move of a due date.
  public struct Move: Codable, Sendable {
    public var from: CalendarDate
    public var fromText: String
    public var to: CalendarDate
    public var toText: String
    /// The day (section 4) of the change that moved it.
    public var date: CalendarDate
    public var dateText: String
    /// The `Reason:` trailer, else the commit's note.
    public var reason: String?
  }

  /// The narrative of an open recommendation.
  public struct Narrative: Codable, Sendable {
    public var id: String
    public var title: String
    public var owner: String
    public var status: String
    /// The file's `progress:` text (absent when it has none).
    public var progress: String?
    /// Whether `progress` is there (templates test this: a Mustache section on an absent key
    /// would find the paper's top-level `progress` instead).
    public var hasProgress: Bool
    /// The day of the last change to the `progress` text (absent when it never had one).
    public var progressUpdated: CalendarDate?
    public var progressUpdatedText: String?
  }

  /// An open recommendation due soon.
  public struct DueSoon: Codable, Sendable {
    public var id: String
    public var title: String
    public var owner: String
    public var status: String
    public var due: CalendarDate
    public var dueText: String
    /// Days from the paper's day to the due date.
    public var daysLeft: Int
  }
}

extension PanelSections {
  /// Computes the sections as of `asOf` from `history` (loaded with contents) and the parsed
  /// recommendations existing as of that day.
  ///
  /// - Parameters:
  ///   - awaiting: the workflow's "done, awaiting verification" status (`Workflow.awaitingVerification`).
  ///   - terminal: the workflow's final statuses.
  ///   - nextMeeting: the next meeting's day, when known.
  ///   - message: the commit message of a commit (for reasons), read on demand.
  ///   - progressText: the `progress:` text of a file version, read on demand.
  static func build(
    history: RecommendationHistory, recommendations: [String: Recommendation], asOf: CalendarDate,
    awaiting: String?, terminal: Set<String>, nextMeeting: CalendarDate?,
    message: (ObjectID) throws(TrackingError) -> CommitMessage,
    progressText: (RecommendationVersion) throws(TrackingError) -> String?
  ) throws(TrackingError) -> PanelSections {
    var awaitingList: [AwaitingVerification] = []
    var slippage: [Slippage] = []
    var narratives: [Narrative] = []
    var dueSoon: [DueSoon] = []
    for id in recommendations.keys.sorted() {
      guard let r = recommendations[id], !terminal.contains(r.status) else { continue }
      // The changes that count as of the day, in the order the branch recorded them.
      let changes = history.changes(of: id).filter { $0.commit.date <= asOf && $0.version != nil }

      if let awaiting, r.status == awaiting {
        var since: CalendarDate?
        var previous: String?
        for c in changes {
          let status = c.version.flatMap { history.reading(of: $0)?.summary?.status }
          if status == awaiting && previous != awaiting { since = c.commit.date }
          previous = status
        }
        if let since {
          awaitingList.append(
            AwaitingVerification(
              id: id, title: r.title, owner: r.owner, status: r.status, since: since,
              sinceText: since.longText, days: asOf.daysSinceEpoch - since.daysSinceEpoch))
        }
      }

      var original: CalendarDate?
      var last: CalendarDate?
      var moves: [Move] = []
      var seenFirst = false
      for c in changes {
        let due = c.version.flatMap { history.reading(of: $0)?.summary }?.due
        defer { last = due }
        guard seenFirst else {
          if let due {
            original = due
            seenFirst = true
          }
          continue
        }
        if let from = last, let to = due, from != to {
          let m = try message(c.commit.id)
          let reason = m.trailer("Reason").flatMap { $0.isEmpty ? nil : $0 } ?? m.body
          moves.append(
            Move(
              from: from, fromText: from.longText, to: to, toText: to.longText, date: c.commit.date,
              dateText: c.commit.date.longText, reason: reason))
        }
      }
      if let original, !moves.isEmpty {
        let days = r.due.map { $0.daysSinceEpoch - original.daysSinceEpoch } ?? 0
        slippage.append(
          Slippage(
            id: id, title: r.title, owner: r.owner, originalDue: original, originalDueText: original.longText,
            due: r.due, dueText: r.due?.longText, moves: moves.count, slippageDays: days,
            slippageText: Self.slippageWords(days), history: moves))
      }

      var updated: CalendarDate?
      var previousText: String?
      for c in changes {
        guard let v = c.version else { continue }
        let text = try progressText(v)
        if text != previousText, text != nil { updated = c.commit.date }
        previousText = text
      }
      let progress = r.progress.map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
      narratives.append(
        Narrative(
          id: id, title: r.title, owner: r.owner, status: r.status, progress: progress,
          hasProgress: progress != nil,
          progressUpdated: progress == nil ? nil : updated,
          progressUpdatedText: progress == nil ? nil : updated?.longText))

      if let next = nextMeeting, let due = r.due, due > asOf, due <= next, r.status != awaiting {
        dueSoon.append(
          DueSoon(
            id: id, title: r.title, owner: r.owner, status: r.status, due: due, dueText: due.longText,
            daysLeft: due.daysSinceEpoch - asOf.daysSinceEpoch))
      }
    }
    awaitingList.sort { ($0.days, $1.id) > ($1.days, $0.id) }
    slippage.sort { ($0.slippageDays, $1.id) > ($1.slippageDays, $0.id) }
    dueSoon.sort { ($0.due, $0.id) < ($1.due, $1.id) }
    return PanelSections(
      awaitingVerification: awaitingList, slippage: slippage, narratives: narratives,
      dueBeforeNextMeeting: dueSoon)
  }

  static func slippageWords(_ days: Int) -> String {
    switch days {
    case 0: return "no net change"
    case 1: return "1 day later"
    case -1: return "1 day earlier"
    case let d where d > 0: return "\(d) days later"
    default: return "\(-days) days earlier"
    }
  }
}

extension CalendarDate {
  /// The date as a panel paper writes it: "6 February 2024".
  public var longText: String {
    let names = [
      "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December",
    ]
    return "\(day) \(names[month - 1]) \(year)"
  }
}
