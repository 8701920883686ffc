import ArgumentParser
import RecTrackCore

/// `--status/--owner/--source/--tag/--overdue`, shared by list-like commands.
struct FilterOptions: ParsableArguments {
  @Option(help: "Only this status.")
  var status: String?
  @Option(help: "Only this owner (exact).")
  var owner: String?
  @Option(help: "Only this source (exact).")
  var source: String?
  @Option(help: "Only recommendations with this tag.")
  var tag: String?
  @Flag(help: "Only overdue ones: due date passed, neither complete nor finished.")
  var overdue = false

  func apply(_ recs: [Recommendation], on day: CalendarDate, workflow: Workflow) throws(TrackingError) -> [Recommendation] {
    if let status, !workflow.statuses.contains(status) { throw .unknownStatus(status, allowed: workflow.statuses) }
    return recs.filter { r in
      (status == nil || r.status == status) && (owner == nil || r.owner == owner)
        && (source == nil || r.source == source) && (tag == nil || r.tags.contains(tag!))
        && (!overdue || RecommendationOutput.isOverdue(r, on: day, workflow: workflow))
    }
  }
}

extension Rectrack {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List recommendations, filtered.",
      discussion: """
        Shows the committed state (HEAD), or with --as-of the state at the end of a past day.

        Examples:
          rectrack list --status in-progress
          rectrack list --as-of 2021-06-30 --format json
          rectrack list --overdue --format csv > overdue.csv
        """)

    @OptionGroup var repoOptions: RepoOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "table, json or csv.")
    var format: ListFormat = .table

    func run() throws {
      let repo = try repoOptions.open()
      let day = try asOf.day()
      let catalog = try asOf.catalog(repo)
      report(catalog.problems, shown: catalog)
      let recs = try filters.apply(catalog.recommendations, on: day, workflow: repo.workflow)
      switch format {
      case .json: Console.data(RecommendationOutput.json(recs.map(RecommendationOutput.jsonObject)))
      case .csv: Console.data(RecommendationOutput.csv(recs))
      case .table:
        if recs.isEmpty {
          Console.out(catalog.recommendations.isEmpty
            ? (asOf.asOf == nil
              ? "No recommendations yet. Add one with 'rectrack new'.\n"
              : "No recommendation existed on \(day).\n")
            : "No recommendation matches these filters.\n")
        } else {
          Console.out(RecommendationOutput.table(recs, width: Console.width, today: day, workflow: repo.workflow))
        }
      }
    }
  }
}
