/// Everything a review-meeting summary says, computed once (issue 4).
///
/// This one value is what `rectrack summary --format json` prints and what the Mustache
/// templates (`summary.md.mustache`, `summary.html.mustache`, or the repository's own) receive,
/// so a user can write a template from `docs/summaries.md` alone. Every text is plain: each
/// renderer escapes for its own format. Dates are `YYYY-MM-DD`, months `YYYY-MM`, commit ids hex.
/// Keys absent from a record mean "none" (a Mustache section on them renders nothing).
public struct Summary: Codable, Sendable {
  /// The version of this data shape; bumped when a key is renamed or removed.
  public var schemaVersion = 2
  /// The meeting's title, or "Progress summary" when the summary is not for a meeting.
  public var title: String
  /// From `rectrack.yml`'s `organisation`, when set.
  public var organisation: String?
  /// The day everything is computed as of (docs/format.md §5): the meeting day or `--as-of`.
  public var asOf: CalendarDate
  /// The full id of the commit whose first-parent history the paper is built from (docs/format.md
  /// §6): the meeting's tag by default (the paper as circulated), or `--recorded-at`.
  /// null when nothing was recorded by then.
  @EncodedAsNull public var recordedAt: String?
  /// The meeting the summary is for, when it is for one.
  public var meeting: Meeting?
  public var period: Period
  /// The workflow's statuses in order.
  public var statuses: [String]
  public var headline: Headline
  /// Month-end figures (as `rectrack progress` gives them), then the meeting day itself.
  public var progress: [ProgressPoint]
  /// The progress figures drawn as a stacked bar chart (coordinates for an SVG, 0,0 top left).
  public var chart: Chart
  /// The previous meeting's figures as its paper circulated them, beside the same day's figures
  /// as recorded now (restated by later records); null when there is no previous meeting.
  @EncodedAsNull public var previous: Previous?
  /// Every change recorded after the previous meeting's paper that is dated on or before its
  /// day (one entry per recommendation and commit), whether or not it moves a figure.
  public var restatements: [Restatement]
  /// Recommendations now `closed` that were not `closed` in the previous paper as circulated
  /// (at the start of the period without a previous meeting).
  public var closedSince: [Item]
  /// Recommendations whose status differs between the start and the end of the period.
  public var statusChanges: [StatusChange]
  /// Recommendations that exist now but did not in the previous paper as circulated, whatever
  /// their `raised` date (an import with old dates is new when it arrives).
  public var newRecommendations: [Item]
  /// Recommendations that existed at the start of the period but not at its end.
  public var removed: [Item]
  /// Overdue on `asOf` (`Workflow.isOverdue`, the rule `progress` counts), most overdue first.
  public var overdue: [Overdue]
  /// Due dates that differ between the start and the end of the period.
  public var dueDateChanges: [DueDateChange]
  /// Not final, and no change recorded to the file for `settings.staleMonths` months or more.
  public var stale: [Stale]
  /// Every recommendation existing as of `asOf`, by ID, with its RAG rating.
  public var register: [RegisterEntry]
  /// The commits of the period that changed a recommendation, in first-parent order: those
  /// recorded since the previous paper (dated up to `asOf`), else those dated or recorded in it.
  public var commits: [CommitRef]
  /// The RAG rule in words, with the thresholds used, e.g. "Red: overdue. Amber: due within 30 days, ...".
  public var ragRule: String
  /// The thresholds used (from `rectrack.yml`'s `summary:` section, else the defaults).
  public var settings: SummarySettings
  /// Files that could not be read as of `asOf` or the period's start, and so are left out.
  public var warnings: [String]
  /// The front matter: report title, author, agenda item, purpose, what the panel is asked to do,
  /// the executive summary.
  public var paper: PaperFrontMatter?
  /// At the "done, awaiting verification" status, oldest first, with the days waited.
  public var awaitingVerification: [PanelSections.AwaitingVerification] = []
  /// Every open recommendation whose due date ever moved: original, current, moves, slippage.
  public var slippage: [PanelSections.Slippage] = []
  /// The progress narrative of every open recommendation, with the day it was last updated.
  public var narratives: [PanelSections.Narrative] = []
  /// Open recommendations due after `asOf` and on or before the next meeting.
  public var dueBeforeNextMeeting: [PanelSections.DueSoon] = []
  /// Each owner asked for an update in the period (`updates request`) and their reply
  /// (Summary/SummaryUpdates.swift), by owner; absent when nobody was asked.
  public var updateRequests: [UpdateRequest]?
  /// How many were asked and replied; absent when nobody was asked (the paper has no such section).
  public var updateRequestCounts: UpdateRequestCounts?

  /// What the summary covers: changes dated after `from` and on or before `to`.
  public struct Period: Codable, Sendable {
    /// The exclusive start (the previous meeting's day or `--since`); nil: since the first record.
    public var from: CalendarDate?
    /// `from` in words, for a column heading: "14 Oct 2021".
    public var fromText: String?
    public var to: CalendarDate
    /// The previous meeting, when the period starts at one.
    public var previousMeeting: Meeting?
    /// A sentence saying the above, e.g. "Changes dated after 14 October 2021 (the previous meeting) up to 20 January 2022".
    public var description: String
  }

  /// The figures at the top of the paper; they agree with `rectrack progress` for the same day.
  public struct Headline: Codable, Sendable {
    public var total: Int
    /// The total at the start of the period (absent when the period starts at the first record).
    public var previousTotal: Int?
    /// `total - previousTotal` written with a sign ("+2", "-1", "0"); absent with `previousTotal`.
    public var totalChange: String?
    /// One entry per workflow status, zeros included, in the workflow's order.
    public var counts: [StatusCount]
    /// How many have the status `closed` (verified and closed by the commissioner).
    public var closed: Int
    /// `closed / total` rounded to four decimals.
    public var closedShare: Double
    /// `closedShare` as a whole percentage, e.g. "42%".
    public var closedPercent: String
    /// How many are in any final status of the workflow (`terminal` in `rectrack.yml`:
    /// closed, not accepted, superseded by default): progress's `final`.
    public var final: Int
    /// `final / total` rounded to four decimals (progress's `finalShare`).
    public var finalShare: Double
    /// `finalShare` as a whole percentage.
    public var finalPercent: String
    /// The final statuses in words, e.g. "closed, not-accepted or superseded".
    public var finalStatuses: String
    /// The number overdue (see `overdue`).
    public var overdue: Int
    public var rag: RAGCounts
  }

  /// One status's count now, at the start of the period, and the difference.
  public struct StatusCount: Codable, Sendable {
    public var status: String
    public var count: Int
    public var previous: Int?
    /// The difference with a sign, e.g. "+2"; absent with `previous`.
    public var change: String?
  }

  /// How many recommendations have each rating.
  public struct RAGCounts: Codable, Sendable {
    public var red: Int
    public var amber: Int
    public var green: Int
    public var grey: Int
  }

  /// A point of the month-by-month progress: a month end, or the meeting day.
  public struct ProgressPoint: Codable, Sendable {
    /// `YYYY-MM` for a month end; the date for the meeting day.
    public var label: String
    public var asOf: CalendarDate
    public var total: Int
    public var counts: [StatusCount]
    /// Status `closed` only, and its share.
    public var closed: Int
    public var closedPercent: String
    /// Any final status, and its share (progress's `final` and `finalShare`).
    public var final: Int
    public var finalPercent: String
    public var overdue: Int
    /// True for the last point when it is the meeting day rather than a month end.
    public var isMeetingDay: Bool
  }

  /// A stacked bar chart of `progress`, laid out for an SVG `viewBox="0 0 width height"`.
  public struct Chart: Codable, Sendable {
    public var width: Int
    public var height: Int
    /// The bottom of the plot area (the x axis).
    public var baseline: Int
    public var plotLeft: Int
    public var plotRight: Int
    public var bars: [Bar]
    /// Horizontal grid lines with their value.
    public var ticks: [Tick]
    /// One entry per status, in order, with its colour.
    public var legend: [LegendEntry]
    /// The chart in words, for screen readers and anyone who cannot see it.
    public var description: String

    public struct Bar: Codable, Sendable {
      public var label: String
      /// Left edge, width, the x of the label's centre, and the top of the stack.
      public var x: Int
      public var width: Int
      public var labelX: Int
      public var top: Int
      public var total: Int
      public var segments: [Segment]
    }

    public struct Segment: Codable, Sendable {
      public var status: String
      public var count: Int
      public var y: Int
      public var height: Int
      /// A CSS colour from a fixed palette (never user text).
      public var colour: String
    }

    public struct Tick: Codable, Sendable {
      public var value: Int
      public var y: Int
    }

    public struct LegendEntry: Codable, Sendable {
      public var status: String
      public var colour: String
    }
  }

  /// A recommendation in a list: the facts every section shows.
  public struct Item: Codable, Sendable {
    public var id: String
    public var title: String
    public var owner: String
    public var status: String
    public var due: CalendarDate?
    public var file: String
    /// `due` in words, e.g. "6 February 2024".
    public var dueText: String?
  }

  /// A commit, as the appendix lists it and as a change cites it.
  public struct CommitRef: Codable, Sendable {
    public var id: String
    /// The first ten hex digits, as rectrack shows commits elsewhere.
    public var short: String
    /// The date of the change (docs/format.md §4): the `Effective:` trailer, else the author's day.
    public var date: CalendarDate
    /// `date` as the paper's prose writes it: "6 February 2024".
    public var dateText: String
    /// True when `date` came from an `Effective:` trailer.
    public var effective: Bool
    /// The day it was recorded: the committer's calendar day (docs/format.md §6).
    public var recorded: CalendarDate
    /// True when recorded after the day it is dated (a late record or a back-dated import).
    public var late: Bool
    public var author: String
    public var summary: String
    /// The recommendations the commit changed: in `commits` only (absent where a change cites
    /// its commit, so the summary stays in proportion to the history).
    public var recommendations: [String]?
  }

  /// One status change within the period, with what the commit said.
  public struct StatusStep: Codable, Sendable {
    /// Absent when the commit created the recommendation.
    public var from: String?
    public var to: String
    /// The commit message's note (its body), when it has one.
    public var note: String?
    public var commit: CommitRef
  }

  /// A recommendation whose status changed in the period.
  public struct StatusChange: Codable, Sendable {
    public var item: Item
    /// The status at the start of the period (absent for a new recommendation).
    public var from: String?
    public var to: String
    /// The file's `progress:` narrative as of `asOf` (named apart from the top-level `progress`,
    /// which a Mustache section would otherwise find when this one is absent).
    public var narrative: String?
    /// The commits in the period that changed its status, oldest first.
    public var steps: [StatusStep]
  }

  /// A recommendation past its due date.
  public struct Overdue: Codable, Sendable {
    public var item: Item
    public var due: CalendarDate
    public var daysOverdue: Int
    /// `due` in words.
    public var dueText: String?
    /// The first due date it ever had, when the date has moved since.
    public var originalDue: CalendarDate?
    public var originalDueText: String?
  }

  /// A due date moved in the period.
  public struct DueDateChange: Codable, Sendable {
    public var item: Item
    /// Absent when there was no due date.
    public var from: CalendarDate?
    /// Absent when the due date was removed.
    public var to: CalendarDate?
    /// The `Reason:` trailer (or the note) of the commit that moved it.
    public var reason: String?
    public var commit: CommitRef?
  }

  /// A recommendation nobody has updated for a while.
  public struct Stale: Codable, Sendable {
    public var item: Item
    /// The day the last change to its file was recorded (its commit reached the branch), so an
    /// import or a late record counts on the day it was made; never after `asOf`.
    public var lastUpdate: CalendarDate
    public var daysSinceUpdate: Int
  }

  /// A recommendation's RAG rating, computed by rule (never typed by anyone).
  public struct RegisterEntry: Codable, Sendable {
    public var item: Item
    public var rag: RAG
    /// Why, e.g. "overdue by 12 days", "due in 9 days", "due date moved", "on track".
    public var reason: String
    /// Convenience flags for templates (exactly one is true).
    public var isRed: Bool
    public var isAmber: Bool
    public var isGreen: Bool
    public var isGrey: Bool
  }

  /// The previous meeting's paper: its figures as circulated and as restated.
  public struct Previous: Codable, Sendable {
    public var meeting: Meeting
    /// The previous meeting's day, which its figures are as of.
    public var asOf: CalendarDate
    /// `asOf` as the paper's prose writes it: "12 October 2023".
    public var asOfText: String
    /// The full id of the commit its paper was built from (its tag's commit).
    public var recordedAt: String
    /// Every status of its workflow with its count, as its paper circulated them.
    public var counts: StatusCounts
    /// Every status with its count as of the same day, from this paper's history.
    public var restatedCounts: StatusCounts
    /// The headline figures side by side, for a table: Total, each status, Final, Overdue.
    public var figures: [Figure]
    /// True when any figure differs between the two.
    public var isRestated: Bool
    /// True when `restatements` is not empty (for templates).
    public var hasRestatements: Bool
    /// One sentence for the panel, e.g. "2 later records restate the paper of 12 Oct 2023: ...".
    public var reconciliation: String
  }

  /// One figure of the previous paper, as circulated and as restated.
  public struct Figure: Codable, Sendable {
    public var label: String
    public var circulated: Int
    public var restated: Int
    public var changed: Bool
    /// `restated - circulated` with a sign, e.g. "+6".
    public var change: String
  }

  /// A change recorded after the previous paper but dated on or before its day (docs/format.md §6).
  public struct Restatement: Codable, Sendable {
    public var id: String
    /// The commit's full id, and its short form.
    public var commit: String
    public var short: String
    /// The day the change counts from (docs/format.md §4).
    public var date: CalendarDate
    /// The day it was recorded (the committer's calendar day).
    public var recorded: CalendarDate
    /// What changed, e.g. "open -> complete", "added (open)", "due 2023-09-30 -> 2023-12-31".
    public var change: String
    public var author: String
    public var summary: String
    /// The previous paper's figures this change moves, in words ("overdue count is now 0, was 1").
    public var effects: [String]
    /// The whole story in one sentence, e.g. "CSP-4 was recorded on 12 Feb 2024 as complete on
    /// 30 Jan 2024: the 12 Oct 2023 paper's overdue count is now 0, was 1."
    public var explanation: String
  }

  /// Red: overdue. Amber: due soon or due date moved in the period. Green: on track, complete or
  /// closed. Grey: not accepted or superseded.
  public enum RAG: String, Codable, Sendable {
    case red, amber, green, grey
  }
}
