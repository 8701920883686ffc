import ArgumentParser
import RecTrackCore

/// `--no-cache`, for the commands that read the history.
struct CacheOption: ParsableArguments {
  @Flag(
    name: .customLong("no-cache"),
    help: "Read the whole history again, not what .git/rectrack/ remembers of it (same answer, slower).")
  var noCache = false

  /// HEAD's first-parent history, remembered in `.git/rectrack/history/` unless --no-cache.
  func history(_ repo: TrackingRepository, readingContents: Bool = false) throws(TrackingError)
    -> RecommendationHistory
  {
    do {
      return try RecommendationHistory.load(
        from: repo.git, readingContents: readingContents, usingCache: !noCache)
    } catch {
      throw .git(error)
    }
  }
}
