import Yams

/// The thresholds of a summary, from the `summary:` section of `rectrack.yml`:
///
/// ```yaml
/// summary:
///   stale-months: 6              # no change for this many months: "stale"
///   amber-days: 30               # due within this many days: amber
///   green: [complete, closed]    # statuses rated green whatever the due date (default:
///                                # the status awaiting verification, and closed)
///   grey: [not-accepted, superseded]
///   chart-months: 12             # month ends shown before the meeting day
/// ```
/// The rules live in rectrack, the numbers in the repository: each office agrees its own with
/// its panel, and the summary prints the ones it used.
public struct SummarySettings: Codable, Sendable, Hashable {
  public var staleMonths = 6
  public var amberDays = 30
  public var green: [String]
  public var grey: [String]
  public var chartMonths = 12

  /// The defaults for `workflow`: green is its status awaiting verification and `closed`, grey
  /// its other terminal statuses (for the standard workflow: [complete, closed] and
  /// [not-accepted, superseded]).
  public init(workflow: Workflow = .standard) {
    let green =
      [workflow.awaitingVerification].compactMap { $0 } + ["closed"].filter(workflow.statuses.contains)
    self.green = green
    grey = workflow.statuses.filter { workflow.isTerminal($0) && !green.contains($0) }
  }

  /// Reads the `summary:` section of the settings file's text; absent keys keep their defaults.
  public init(settingsText text: String, workflow: Workflow = .standard, path: String = Settings.fileName)
    throws(TrackingError)
  {
    self.init(workflow: workflow)
    let root: Node?
    do {
      root = try SettingsYAML.compose(text)
    } catch {
      throw .settings(path: path, message: "\(error)")
    }
    guard let section = root?.mapping?["summary"] else { return }
    guard let map = section.mapping else {
      throw .settings(
        path: path,
        message:
          "'summary' must be a section of 'key: value' settings (stale-months, amber-days, green, grey, chart-months)"
      )
    }
    func int(_ key: String, _ range: ClosedRange<Int>) throws(TrackingError) -> Int? {
      guard let n = map[key] else { return nil }
      guard let v = n.int, range.contains(v) else {
        throw .settings(
          path: path + (n.mark.map { ":\($0.line)" } ?? ""),
          message: "'summary.\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
      }
      return v
    }
    func list(_ key: String) throws(TrackingError) -> [String]? {
      guard let n = map[key] else { return nil }
      guard let seq = n.sequence else {
        throw .settings(
          path: path + (n.mark.map { ":\($0.line)" } ?? ""),
          message: "'summary.\(key)' must be a list of statuses, e.g. \(key): [closed]")
      }
      return seq.compactMap(\.string)
    }
    for key in map.keys.compactMap(\.string)
    where !["stale-months", "amber-days", "green", "grey", "chart-months"].contains(key) {
      throw .settings(
        path: path,
        message:
          "'summary.\(key)' is not a summary setting; use stale-months, amber-days, green, grey or chart-months"
      )
    }
    if let v = try int("stale-months", 1...120) { staleMonths = v }
    if let v = try int("amber-days", 0...3650) { amberDays = v }
    if let v = try int("chart-months", 1...120) { chartMonths = v }
    if let v = try list("green") { green = v }
    if let v = try list("grey") { grey = v }
  }
}
