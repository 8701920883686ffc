import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: "One recommendation's history from git: when, who, what changed, the notes.",
      discussion: """
        Dates are the days changes count from: the 'Effective:' date when a change was recorded \
        late, else the day it was made. Ends with the status at each month end.

        Examples:
          rectrack log DP-DDR-01
          rectrack log DP-DDR-01 --format json
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @Option(help: "text or json.")
    var format: ShowFormat = .text
    @OptionGroup var display: DisplayOptions

    func run() throws {
      let repo = try repoOptions.open()
      guard TrackingRepository.isValidID(id) else { throw TrackingError.invalidID(id) }
      let history: RecommendationHistory
      do { history = try RecommendationHistory.load(from: repo.git) } catch { throw TrackingError.git(error) }
      let log = try RecommendationLog.build(id: id, repo: repo, history: history, today: today())
      switch format {
      case .text: Console.out(log.text(width: display.width.map { min($0, 100) } ?? 100))
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(log)) ?? Data()
        Console.data(String(decoding: data, as: UTF8.self) + "\n")
      }
    }
  }
}
