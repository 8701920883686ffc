import ArgumentParser
import Foundation
import RecTrackCore

/// `--repo PATH`, shared by every command.
struct RepoOptions: ParsableArguments {
  @Option(name: .long, help: "The tracking repository (default: the one containing the current folder).")
  var repo: String?

  func open() throws(TrackingError) -> TrackingRepository {
    try TrackingRepository(at: repo ?? FileManager.default.currentDirectoryPath)
  }

  /// Opens the repository for a reading command: warns on standard error when `rectrack.yml` or
  /// `Templates/` has uncommitted changes, since reports use the committed ones.
  func openForReading() throws(TrackingError) -> TrackingRepository {
    let r = try open()
    let paths = r.uncommittedSettingsPaths()
    if !paths.isEmpty {
      let shown = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
      Console.error(
        "warning: \(shown) \(paths.count == 1 ? "has" : "have") changes that are not committed; this uses the committed \(paths.count == 1 ? "version" : "versions"). Record them with 'rectrack record \(paths.prefix(3).joined(separator: " ")) --note \"why\"'.")
    }
    return r
  }
}

/// `--author` and `--note`, shared by the commands that record a change.
struct ChangeOptions: ParsableArguments {
  @Option(help: "Why the change is made; becomes the commit's body.")
  var note: String?

  @Option(help: ArgumentHelp(
    "Who makes the change, as \"Name <email>\" (default: git's user.name and user.email).",
    valueName: "name <email>"))
  var author: String?

  @Option(help: ArgumentHelp(
    "The day the change really happened, when recorded late (YYYY-MM-DD).", valueName: "date"))
  var effective: String?

  func effectiveDate() throws(TrackingError) -> CalendarDate? {
    try effective.map { (t) throws(TrackingError) -> CalendarDate in try parseDate(t, option: "--effective") }
  }
}

/// `--override`, shared by the commands that record a change.
struct OverrideOption: ParsableArguments {
  @Flag(
    help: ArgumentHelp(
      "Record a change a rule refuses, where rectrack.yml allows it (audit: overrides); needs --note."))
  var override = false

  /// A recorder for `repo` that overrides when asked to.
  func recorder(_ repo: TrackingRepository) -> Recorder {
    let r = Recorder(repo: repo)
    r.overrideRequested = override
    return r
  }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv
}

enum ShowFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// A strict `YYYY-MM-DD`, or the one-line error the user sees.
func parseDate(_ text: String, option: String) throws(TrackingError) -> CalendarDate {
  guard let d = CalendarDate(text) else { throw .badDate(text, option: option) }
  return d
}

/// Today in the local time zone.
func today() -> CalendarDate {
  let now = Date()
  return CalendarDate(
    secondsSinceEpoch: Int64(now.timeIntervalSince1970), offsetMinutes: TimeZone.current.secondsFromGMT(for: now) / 60)
}

/// The spec's warning when working files differ from what reports read (HEAD).
func warnAboutUncommitted(_ repo: TrackingRepository) {
  let paths = repo.uncommittedRecommendationPaths()
  guard !paths.isEmpty else { return }
  let shown = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
  Console.error(
    "warning: \(shown) \(paths.count == 1 ? "has" : "have") changes that are not committed; this shows the committed state. Record them with 'rectrack record PATH... --note \"why\"' to include them.")
}

/// Says on standard error which files have errors: those that still name their status are shown
/// with what could be read of them (as `progress` counts them), the others are left out.
/// Warnings are for `validate`.
func report(_ problems: [FormatError], shown catalog: Catalog? = nil) {
  let errors = problems.filter { $0.severity == .error }
  guard !errors.isEmpty else { return }
  for p in errors { Console.error(p.description) }
  let paths = Set(errors.map(\.path))
  let shownPaths = Set(catalog?.recommendations.map(\.file) ?? []).intersection(paths)
  let leftOut = paths.count - shownPaths.count
  var parts: [String] = []
  if !shownPaths.isEmpty {
    parts.append("\(shownPaths.count) file\(shownPaths.count == 1 ? " has" : "s have") errors and \(shownPaths.count == 1 ? "is" : "are") shown with what could be read")
  }
  if leftOut > 0 {
    parts.append("\(leftOut) file\(leftOut == 1 ? " is" : "s are") left out (no readable status)")
  }
  Console.error("warning: " + parts.joined(separator: "; ") + ". Run 'rectrack validate' for details.")
}

/// `--as-of DATE`: read the tracker as it stood at the end of that day instead of HEAD.
struct AsOfOption: ParsableArguments {
  @Option(name: .customLong("as-of"), help: ArgumentHelp(
    "Show the state as of the end of this day (YYYY-MM-DD), from the git history.", valueName: "date"))
  var asOf: String?

  /// The day the state is read for: --as-of, else today.
  func day() throws(TrackingError) -> CalendarDate {
    try asOf.map { (t) throws(TrackingError) -> CalendarDate in try parseDate(t, option: "--as-of") } ?? today()
  }

  /// The catalog the command reads: as of the day when --as-of is given, else HEAD's committed
  /// state (with the spec's warning about uncommitted working files).
  func catalog(_ repo: TrackingRepository, only id: String? = nil) throws(TrackingError) -> Catalog {
    if asOf != nil { return try repo.catalog(asOf: try day(), only: id) }
    warnAboutUncommitted(repo)
    return try repo.headCatalog()
  }
}
