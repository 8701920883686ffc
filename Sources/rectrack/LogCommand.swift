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
        late, else the day it was made. Each change also says the day it was recorded (its \
        commit reached the branch). Ends with the status at each month end.

        Examples:
          rectrack log DP-DDR-01
          rectrack log DP-DDR-01 --format json
          rectrack log DP-DDR-01 --recorded-at meeting/2022-01-20
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @Option(help: "text or json.")
    var format: ShowFormat = .text
    @OptionGroup var cache: CacheOption
    @OptionGroup var recordedAt: RecordedAtOption
    @OptionGroup var display: DisplayOptions

    func run() throws {
      let repo = try repoOptions.openForReading()
      guard TrackingRepository.isValidID(id) else { throw TrackingError.invalidID(id) }
      // A walk of this ID's files alone, unless a saved history answers; an ID it never met is
      // looked for again in the whole history, for the closest IDs to suggest.
      func history() throws(TrackingError) -> RecommendationHistory {
        let one = try recordedAt.history(repo, usingCache: !cache.noCache, onlyID: id)
        guard one.head != nil, one.changes(of: id).isEmpty else { return one }
        return try recordedAt.history(repo, usingCache: !cache.noCache)
      }
      let day = today()
      let log: RecommendationLog
      // HEAD's log, or a commit's (--recorded-at a tag, branch or commit), remembered for a
      // repeat on the same commit this month; a day's is cut from HEAD's history each time.
      var start: ObjectID?
      var remember = !cache.noCache
      switch try recordedAt.revision(repo) {
      case .commit(let commit, _)?: start = commit
      case .day?: remember = false
      case nil: break
      }
      if remember {
        log = try RecommendationLog.remembered(id: id, repository: repo.git, at: start, today: day) {
          () throws(TrackingError) -> RecommendationLog in
          try RecommendationLog.build(id: id, repo: repo, history: try history(), today: day)
        }
      } else {
        let walked = try history()
        if recordedAt.isGiven, walked.head == nil {
          // Recorded before the first commit: nothing was known, an empty result (docs/format.md §6).
          log = RecommendationLog.nothingRecorded(id: id)
          if format == .text {
            Console.out("Nothing was recorded by \(recordedAt.recordedAt ?? "then").\n")
            return
          }
        } else {
          log = try RecommendationLog.build(id: id, repo: repo, history: walked, today: day)
        }
      }
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
