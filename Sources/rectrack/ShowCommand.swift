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
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.")
    var id: String
    @Option(help: "text or json.")
    var format: ShowFormat = .text

    func run() throws {
      let repo = try repoOptions.open()
      warnAboutUncommitted(repo)
      let catalog = try repo.headCatalog()
      let rec = try TrackingRepository.find(id, in: catalog)
      switch format {
      case .json: Console.out(RecommendationOutput.json(RecommendationOutput.jsonObject(rec)))
      case .text:
        Console.out(RecommendationOutput.card(rec, today: today(), workflow: repo.workflow, width: min(Console.width, 100)))
      }
    }
  }
}
