import ArgumentParser
import RecTrackCore

/// `--status/--owner/--source/--tag/--overdue`, shared by list-like commands.
struct FilterOptions: ParsableArguments {
  @Option(help: "Only this status.", completion: Complete.statuses)
  var status: String?
  @Option(help: "Only this owner (case and spacing do not matter).", completion: Complete.owners)
  var owner: String?
  @Option(help: "Only this source (case and spacing do not matter).", completion: Complete.sources)
  var source: String?
  @Option(help: "Only recommendations with this tag.", completion: Complete.tags)
  var tag: String?
  @Flag(help: "Only overdue ones: due date passed, neither awaiting verification nor finished.")
  var overdue = false

  /// The recommendations that pass every filter. Owners, sources, tags and statuses are matched
  /// forgivingly (`Forgiving`): "chief constable" finds "Chief Constable", and a value nobody has
  /// gets a note naming the nearest.
  func apply(_ recs: [Recommendation], on day: CalendarDate, workflow: Workflow) throws(TrackingError)
    -> [Recommendation]
  {
    let status = try self.status.map { (s) throws(TrackingError) in
      try Forgiving.status(s, workflow: workflow, option: "--status")
    }
    // No filter: every recommendation, not a copy of each (5,000 on a large tracker).
    if status == nil && self.owner == nil && self.source == nil && self.tag == nil && !overdue { return recs }
    let owner = self.owner.flatMap {
      Forgiving.filter($0, among: recs.map(\.owner), option: "--owner", what: "owner")
    }
    let source = self.source.flatMap {
      Forgiving.filter($0, among: recs.map(\.source), option: "--source", what: "source")
    }
    let tag = self.tag.flatMap {
      Forgiving.filter($0, among: recs.flatMap(\.tags), option: "--tag", what: "tag")
    }
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
        Shows the committed state (HEAD), or with --as-of the state at the end of a past day. \
        --recorded-at shows what the history said at a meeting, day or commit instead of now.

        Examples:
          rectrack list --status in-progress
          rectrack list --as-of 2021-06-30 --format json
          rectrack list --owner "chief constable" --as-of 30/06/2021
          rectrack list --as-of 2021-09-30 --recorded-at meeting/2022-01-20
          rectrack list --overdue --format csv > overdue.csv
        """)

    @OptionGroup var repoOptions: RepoOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var recordedAt: RecordedAtOption
    @Option(help: "table, json or csv.")
    var format: ListFormat = .table
    @OptionGroup var display: DisplayOptions

    func run() throws {
      let day = try asOf.day()
      let state = try ReadState.read(try repoOptions.openForReading(), asOf: asOf, recordedAt: recordedAt)
      let repo = state.repo
      let catalog = state.catalog
      KeptUntilExit.keep(state)
      report(catalog.problems, shown: catalog)
      let recs = try filters.apply(catalog.recommendations, on: day, workflow: repo.workflow)
      switch format {
      case .json:
        Console.data(bytes: RecommendationOutput.jsonBytes(recs, recordedAt: .some(state.recordedAt)))
      case .csv: Console.data(RecommendationOutput.csv(recs))
      case .table:
        if recs.isEmpty {
          Console.out(
            catalog.recommendations.isEmpty
              ? (state.recordedAt == nil && recordedAt.isGiven
                ? "Nothing was recorded by \(recordedAt.recordedAt ?? "then").\n"
                : asOf.asOf == nil
                  ? "No recommendations yet. Add one with 'rectrack new'.\n"
                  : "No recommendation existed on \(day).\n")
              : "No recommendation matches these filters.\n")
        } else {
          Console.out(
            RecommendationOutput.table(
              recs, width: display.width, today: day, workflow: repo.workflow,
              palette: display.palette(repo.workflow.statuses)))
        }
      }
    }
  }
}
