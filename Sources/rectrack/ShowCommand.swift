import ArgumentParser
import RecTrackCore

extension Rectrack {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one recommendation in full.",
      discussion: """
        Example:
          rectrack show DP-DDR-01
          rectrack show DP-DDR-01 --format json
          rectrack show DP-DDR-01 --as-of 2021-06-30
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @OptionGroup var asOf: AsOfOption
    @Option(help: "text or json.")
    var format: ShowFormat = .text

    func run() throws {
      let repo = try repoOptions.open()
      let day = try asOf.day()
      // As of a day, read just this file; all of them only when it is not there (for a
      // differently written ID or suggestions).
      var catalog = try asOf.catalog(repo, only: id)
      if asOf.asOf != nil, catalog.recommendation(id) == nil { catalog = try asOf.catalog(repo) }
      let rec: Recommendation
      do {
        rec = try TrackingRepository.find(id, in: catalog)
      } catch {
        if asOf.asOf != nil, case .unknownID = error, (try? repo.headCatalog().recommendation(id)) != nil {
          throw TrackingError.usage(
            "\(id) did not exist on \(day). Run 'rectrack log \(id)' to see when it was added.")
        }
        throw error
      }
      report(catalog.errors(of: rec.id), shown: catalog)
      switch format {
      case .json: Console.data(RecommendationOutput.json(RecommendationOutput.jsonObject(rec)))
      case .text:
        Console.out(RecommendationOutput.card(rec, today: day, workflow: repo.workflow, width: min(Console.width, 100)))
      }
    }
  }
}
