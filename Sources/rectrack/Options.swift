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
      let shown =
        paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
      Console.error(
        "warning: \(shown) \(paths.count == 1 ? "has" : "have") changes that are not committed; this uses the committed \(paths.count == 1 ? "version" : "versions"). Record them with 'rectrack record \(paths.prefix(3).joined(separator: " ")) --note \"why\"'."
      )
    }
    return r
  }
}

/// `--author` and `--note`, shared by the commands that record a change.
struct ChangeOptions: ParsableArguments {
  @Option(help: "Why the change is made; becomes the commit's body.")
  var note: String?

  @Option(
    help: ArgumentHelp(
      "Who makes the change, as \"Name <email>\" (default: git's user.name and user.email).",
      valueName: "name <email>"))
  var author: String?

  @Option(
    help: ArgumentHelp(
      "The day the change really happened, when recorded late (e.g. 2021-03-31 or 31/03/2021).",
      valueName: "date"))
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

/// The one reading of a date typed on the command line: ISO `2021-03-31`, or any form
/// `SheetDate.parse` reads in spreadsheet cells (31/03/2021, 31-Mar-2021, "1 Oct 2023"; day first,
/// four-digit years). A date not written in ISO is shown back in ISO on standard error, so the
/// reading is never a surprise. Otherwise the one-line error the user sees.
func parseDate(_ text: String, option: String) throws(TrackingError) -> CalendarDate {
  if let d = CalendarDate(text) { return d }
  guard let d = SheetDate.parse(text) else { throw .badDate(text, option: option) }
  let note = "note: \(option) '\(text)' read as \(d) (\(TextTable.humanDate(d)))."
  if !DateNotes.shown.contains(note) { Console.error(note) }
  DateNotes.shown.insert(note)
  return d
}

/// A month as typed: `2021-06`, or as people write one ("Jun 2021", "06/2021", "June 2021"),
/// read by the same date parser as the first of that month; nil when it is not a month.
func parseMonth(_ text: String) -> YearMonth? {
  if let m = YearMonth(text) { return m }
  return SheetDate.parse("1 " + text.trimmingCharacters(in: .whitespaces))?.yearMonth
}

/// Values a command is done with, kept until the process exits instead of freed one by one: the
/// 5,000 parsed files of `list` took 5% of its time to free (perf), and the exit frees them at once.
enum KeptUntilExit {
  nonisolated(unsafe) private static var values: [Any] = []

  static func keep(_ value: Any) { values.append(value) }
}

/// The notes already given in this run (a date may be read twice; it is said once).
enum DateNotes {
  nonisolated(unsafe) static var shown: Set<String> = []
}

/// Today in the local time zone.
func today() -> CalendarDate {
  let now = Date()
  return CalendarDate(
    secondsSinceEpoch: Int64(now.timeIntervalSince1970),
    offsetMinutes: TimeZone.current.secondsFromGMT(for: now) / 60)
}

/// The warning (docs/format.md §8) when working files differ from what reports read (HEAD).
/// With `among`, only those files are checked (the ones a command about one recommendation shows).
func warnAboutUncommitted(_ repo: TrackingRepository, among files: [String]? = nil) {
  warnAboutUncommitted(
    repo, found: files.map { repo.uncommittedPaths(among: $0) } ?? repo.uncommittedRecommendationPaths())
}

/// The whole folder's check for `warnAboutUncommitted`, started on another thread (with its own
/// handle on the repository) while the caller reads HEAD's files: a status of 5,000 working
/// files costs about as much as reading a fifth of them. `finish()` says the warning.
final class UncommittedCheck: @unchecked Sendable {
  private let repo: TrackingRepository
  private let done = DispatchSemaphore(value: 0)
  /// Written by the other thread before it signals `done`; nil when it could not open the repository.
  private var found: [String]?

  init(_ repo: TrackingRepository) {
    self.repo = repo
    guard let workdir = repo.workdir else {
      found = []
      done.signal()
      return
    }
    Thread.detachNewThread { [self] in
      found = TrackingRepository.uncommittedRecommendationPaths(ofWorkingTree: workdir)
      done.signal()
    }
  }

  /// Waits for the check and says the warning, as `warnAboutUncommitted(repo)` does.
  func finish() {
    done.wait()
    warnAboutUncommitted(repo, found: found ?? repo.uncommittedRecommendationPaths())
  }
}

private func warnAboutUncommitted(_ repo: TrackingRepository, found: [String]) {
  var paths = found
  guard !paths.isEmpty else { return }
  // Copies an interrupted rectrack command left behind are not the user's edits: committing
  // them would undo the last recorded change (a colleague's, after a sync).
  let interrupted = paths.filter { repo.isLeftover($0) }
  if !interrupted.isEmpty {
    let shown =
      interrupted.prefix(3).joined(separator: ", ")
      + (interrupted.count > 3 ? " and \(interrupted.count - 3) more" : "")
    Console.error(
      "warning: \(shown) \(interrupted.count == 1 ? "is" : "are") behind the last commit because a rectrack command was interrupted; do not commit \(interrupted.count == 1 ? "it" : "them"). Run 'rectrack validate' for the one command that brings each up to date."
    )
    paths.removeAll { interrupted.contains($0) }
    guard !paths.isEmpty else { return }
  }
  let shown =
    paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
  Console.error(
    "warning: \(shown) \(paths.count == 1 ? "has" : "have") changes that are not committed; this shows the committed state. Record them with 'rectrack record PATH... --note \"why\"' to include them."
  )
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
    parts.append(
      "\(shownPaths.count) file\(shownPaths.count == 1 ? " has" : "s have") errors and \(shownPaths.count == 1 ? "is" : "are") shown with what could be read"
    )
  }
  if leftOut > 0 {
    parts.append("\(leftOut) file\(leftOut == 1 ? " is" : "s are") left out (no readable status)")
  }
  Console.error("warning: " + parts.joined(separator: "; ") + ". Run 'rectrack validate' for details.")
}

/// `--as-of DATE`: read the tracker as it stood at the end of that day instead of HEAD.
struct AsOfOption: ParsableArguments {
  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Show the state as of the end of this day (e.g. 2021-06-30 or 30/06/2021), from the git history.",
      valueName: "date"))
  var asOf: String?
  @OptionGroup var cache: CacheOption

  /// The day the state is read for: --as-of, else today.
  func day() throws(TrackingError) -> CalendarDate {
    try asOf.map { (t) throws(TrackingError) -> CalendarDate in try parseDate(t, option: "--as-of") }
      ?? today()
  }

  /// The catalog the command reads: as of the day when --as-of is given, else HEAD's committed
  /// state (with the warning of docs/format.md §8 about uncommitted working files).
  func catalog(_ repo: TrackingRepository, only id: String? = nil) throws(TrackingError) -> Catalog {
    if asOf != nil { return try repo.catalog(asOf: try day(), only: id, history: try cache.history(repo)) }
    warnAboutUncommitted(repo)
    if let id { return try repo.headCatalog(only: id) }
    return try repo.headCatalog()
  }
}
