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
        trailer, else from its author's calendar day (spec sections 4-5).

        Columns: total, a count per status, the share in a final status, the number overdue \
        (due date passed, neither complete nor final) and the change from the previous month.

        --change shows the movements within each month instead: opened (new, or newly \
        matching the filters), completed, closed (into a final status), reopened (out of \
        complete or a final status) and removed.

        Examples:
          rectrack progress --from 2019-10 --to 2022-01
          rectrack progress --owner "Chief Constable" --chart
          rectrack progress --change --format csv > movements.csv
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(
      help: ArgumentHelp("First month (default: the month of the earliest change).", valueName: "YYYY-MM"))
    var from: String?
    @Option(help: ArgumentHelp("Last month (default: this month).", valueName: "YYYY-MM"))
    var to: String?
    @Option(help: "Only recommendations with this tag (as of each month).")
    var tag: String?
    @Option(help: "Only this owner (exact, as of each month).")
    var owner: String?
    @Option(help: "Only this source (exact, as of each month).")
    var source: String?
    @Option(help: "table, json or csv.")
    var format: ProgressFormat = .table
    @Flag(help: "Draw a stacked bar per month (table format).")
    var chart = false
    @Flag(help: "Show the movements within each month instead of month-end counts.")
    var change = false

    func validate() throws {
      for (text, option) in [(from, "--from"), (to, "--to")] {
        if let text, YearMonth(text) == nil {
          throw ValidationError("\(option) expects a month as YYYY-MM, e.g. 2021-06; got '\(text)'.")
        }
      }
      if let f = from.flatMap({ YearMonth($0) }), let t = to.flatMap({ YearMonth($0) }), t < f {
        throw ValidationError("--to \(t) is before --from \(f).")
      }
      if chart && format != .table {
        throw ValidationError("--chart draws in the terminal; use it without --format \(format.rawValue).")
      }
    }

    func run() throws {
      let repo = try repoOptions.open()
      warnAboutUncommitted(repo)
      let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
      let workflow = StatusModel(statuses: repo.workflow.statuses, terminal: repo.workflow.terminal)
      let report = ProgressReport.build(
        history: history, from: from.flatMap { YearMonth($0) }, to: to.flatMap { YearMonth($0) },
        filter: RecommendationFilter(tag: tag, owner: owner, source: source), workflow: workflow,
        today: today())
      for warning in report.warnings { Console.error("warning: \(warning)") }
      switch format {
      case .json: Console.data(ProgressRenderer.json(report))
      case .csv: Console.data(ProgressRenderer.csv(report, changeView: change))
      case .table:
        if chart {
          // The chart's own colour codes must reach the terminal; it shows its labels visibly itself.
          Console.data(
            ProgressRenderer.chart(
              report, width: max(10, min(60, Console.width - 20)), colour: Console.colour))
        }
        if !chart || change { Console.out(ProgressRenderer.table(report, changeView: change)) }
      }
    }
  }
}
