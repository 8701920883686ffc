import ArgumentParser
import Foundation
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
          rectrack show DP-DDR-01 --as-of 2021-06-30 --recorded-at meeting/2022-01-20
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var recordedAt: RecordedAtOption
    @Option(help: "text or json.")
    var format: ShowFormat = .text

    func run() throws {
      let base = try repoOptions.openForReading()
      let day = try asOf.day()
      // Read just this file (found by name); all of them only when it is not there (for a
      // differently written ID or suggestions).
      let state = try ReadState.read(base, asOf: asOf, recordedAt: recordedAt, only: id)
      let repo = state.repo
      var catalog = state.catalog
      if recordedAt.isGiven, state.recordedAt == nil {
        // Recorded before the first commit: nothing existed (docs/format.md §6), an empty result.
        try TrackingRepository.refusePathLike(id)
        switch format {
        case .json: Console.out(RecommendationOutput.json(["recordedAt": NSNull()]))
        case .text: Console.out("Nothing was recorded by \(recordedAt.recordedAt ?? "then").\n")
        }
        return
      }
      if asOf.asOf != nil, catalog.recommendation(id) == nil {
        catalog =
          state.history == nil && !recordedAt.isGiven && !asOf.cache.noCache
          ? try repo.rememberedCatalog(asOf: day) : try repo.catalog(asOf: day, history: state.history)
      } else if catalog.recommendations.isEmpty && catalog.problems.isEmpty {
        catalog = try repo.headCatalog()
      }
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
      case .json: Console.data(RecommendationOutput.json(rec, recordedAt: .some(state.recordedAt)))
      case .text:
        Console.out(
          RecommendationOutput.card(rec, today: day, workflow: repo.workflow, width: min(Console.width, 100)))
      }
    }
  }
}
