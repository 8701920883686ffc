import ArgumentParser
import RecTrackCore

enum ProgressFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv
}

extension Rectrack {
  struct Progress: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "progress",
      abstract: "Monthly figures from the history: how many were open, in progress, complete, closed.",
      discussion: """
        One row per month, as of the month's last day. A commit counts from its 'Effective:' \
        trailer, else from its author's calendar day (docs/format.md §4-5).

        Columns: total, a count per status, the share in a final status, the number overdue \
        (due date passed, neither complete nor final) and the change from the previous month.

        --change shows the movements within each month instead: opened (new, or newly \
        matching the filters), completed, closed (into the status closed), final (into any \
        final status of the workflow, closed included), reopened (out of complete or a final \
        status) and removed.

        --recorded-at REV gives the figures as they were known at a meeting's tag, a day, a \
        branch or a commit: later records (late completions, back-dated imports) left out.

        Examples:
          rectrack progress --from 2019-10 --to 2022-01
          rectrack progress --owner "Chief Constable" --chart
          rectrack progress --change --format csv > movements.csv
          rectrack progress --recorded-at meeting/2022-01-20
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(
      help: ArgumentHelp(
        "First month, e.g. 2019-10 or Oct 2019 (default: the month of the earliest change).",
        valueName: "month"))
    var from: String?
    @Option(
      help: ArgumentHelp("Last month, e.g. 2022-01 or Jan 2022 (default: this month).", valueName: "month"))
    var to: String?
    @Option(help: "Only recommendations with this tag (as of each month).", completion: Complete.tags)
    var tag: String?
    @Option(
      help: "Only this owner (as of each month; case and spacing do not matter).", completion: Complete.owners
    )
    var owner: String?
    @Option(
      help: "Only this source (as of each month; case and spacing do not matter).",
      completion: Complete.sources)
    var source: String?
    @Option(help: "table, json or csv.")
    var format: ProgressFormat = .table
    @Flag(help: "Draw a stacked bar per month (table format).")
    var chart = false
    @Flag(help: "Show the movements within each month instead of month-end counts.")
    var change = false
    @OptionGroup var cache: CacheOption
    @OptionGroup var recordedAt: RecordedAtOption
    @OptionGroup var display: DisplayOptions

    func validate() throws {
      for (text, option) in [(from, "--from"), (to, "--to")] {
        if let text, parseMonth(text) == nil {
          throw ValidationError(
            "\(option) expects a month, e.g. 2021-06 or Jun 2021; got '\(text)'.")
        }
      }
      if let f = from.flatMap(parseMonth), let t = to.flatMap(parseMonth), t < f {
        throw ValidationError("--to \(t) is before --from \(f).")
      }
      if chart && format != .table {
        throw ValidationError("--chart draws in the terminal; use it without --format \(format.rawValue).")
      }
    }

    /// --tag/--owner/--source read against today's values (`Forgiving`).
    func forgivingFilter(_ repo: TrackingRepository) throws -> RecommendationFilter {
      guard tag != nil || owner != nil || source != nil else { return RecommendationFilter() }
      let recs = try repo.headCatalog().recommendations
      return RecommendationFilter(
        tag: Forgiving.filter(tag, among: recs.flatMap(\.tags), option: "--tag", what: "tag"),
        owner: Forgiving.filter(owner, among: recs.map(\.owner), option: "--owner", what: "owner"),
        source: Forgiving.filter(source, among: recs.map(\.source), option: "--source", what: "source"))
    }

    func run() throws {
      let base = try repoOptions.openForReading()
      let first = from.flatMap(parseMonth)
      let last = to.flatMap(parseMonth)
      let rev = try recordedAt.revision(base)
      var report: ProgressReport
      if case .day? = rev {
        // As recorded on a day: HEAD's history cut after that day's last commit.
        let (repo, walked) = try recordedAt.open(
          base, needsHistory: true, readingContents: true, usingCache: !cache.noCache)
        guard let history = walked else { return }
        report = ProgressReport.build(
          history: history, from: first, to: last, filter: try forgivingFilter(repo), workflow: repo.workflow,
          today: today())
        // Recorded before the first commit: nothing was known, an empty result (docs/format.md §6).
        if history.head == nil { report.months = [] }
      } else {
        // HEAD's figures, or as recorded at a meeting's tag, a branch or a commit (with the
        // workflow and files it had): remembered for a repeat on the same commit and settings.
        var start: ObjectID?
        if case .commit(let id, _)? = rev { start = id }
        let repo =
          try start.map { (id) throws(TrackingError) in
            try TrackingRepository(repository: base.git, pinnedAt: id)
          } ?? base
        if start == nil { warnAboutUncommitted(base) }
        do {
          report = try ProgressReport.load(
            from: repo.git, at: start, from: first, to: last, filter: try forgivingFilter(repo),
            workflow: repo.workflow, today: today(), usingCache: !cache.noCache)
        } catch let error as GitError {
          throw TrackingError.git(error)
        }
      }
      for warning in report.warnings { Console.error("warning: \(warning)") }
      switch format {
      case .json: Console.data(ProgressRenderer.json(report))
      case .csv: Console.data(ProgressRenderer.csv(report, changeView: change))
      case .table:
        if chart {
          // The chart's own colour codes must reach the terminal; it shows its labels visibly itself.
          Console.data(
            ProgressRenderer.chart(
              report, width: max(10, min(60, (display.width ?? 80) - 20)), colour: display.useColour,
              lineWidth: display.width))
        }
        if !chart || change {
          Console.out(ProgressRenderer.table(report, changeView: change, width: display.width))
        }
      }
    }
  }
}
