import Foundation

/// What the repository has already recorded of its recommendations, for a dated log whose
/// references are already here: the day of each one's last recorded change, and the versions
/// its file had on a given day (to tell a row that is already recorded from one that is not).
///
/// Built from the one history (`RecommendationHistory`, dates by docs/format.md §4), so the
/// import and `log`/`progress` agree on what "recorded on day D" means.
public struct RecordedVersions {
  /// The latest date (docs/format.md §4) of any change of each ID that exists at HEAD.
  public var lastChange: [String: CalendarDate]
  /// The texts of `id`'s file that were in force at some time on `day`: the version as of the
  /// day before, and every version dated that day, oldest first.
  public var onDay: (_ id: String, _ day: CalendarDate) -> [String]

  public init(
    lastChange: [String: CalendarDate], onDay: @escaping (String, CalendarDate) -> [String]
  ) {
    self.lastChange = lastChange
    self.onDay = onDay
  }

  /// Nothing recorded: every row is a new change.
  public static var none: RecordedVersions { RecordedVersions(lastChange: [:], onDay: { _, _ in [] }) }

  /// The recorded history of HEAD's recommendations. The blobs a day needs are read when it is
  /// asked for, so a log that only adds rows after the last change reads none.
  public static func load(from repository: TrackingRepository) throws(TrackingError) -> RecordedVersions {
    let history: RecommendationHistory
    do throws(GitError) { history = try RecommendationHistory.load(from: repository.git) } catch {
      throw .git(error)
    }
    var last: [String: CalendarDate] = [:]
    for id in history.ids {
      let changes = history.changes(of: id)
      guard changes.last?.version != nil else { continue }
      last[id] = changes.map(\.commit.date).max()
    }
    let git = repository.git
    return RecordedVersions(lastChange: last) { id, day in
      var versions: [RecommendationVersion] = []
      if let before = history.version(of: id, asOf: day.adding(days: -1)) { versions.append(before) }
      for c in history.changes(of: id) where c.commit.date == day {
        if let v = c.version, !versions.contains(v) { versions.append(v) }
      }
      return versions.compactMap { v in
        (try? git.blob(v.blob)).map { String(decoding: $0, as: UTF8.self) }
      }
    }
  }
}
