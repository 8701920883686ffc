import Foundation
import RecTrackCore

/// `rectrack` with no arguments inside a tracking repository: where things stand (counts per
/// status, overdue, what changed since the last meeting) and the commands people use most.
/// Outside one, or when the repository cannot be read, the usage text.
enum Overview {
  /// The overview, or nil when the repository is a plain git repository (no rectrack.yml and
  /// no recommendations), where the usage text helps more.
  static func text(for repo: TrackingRepository, width: Int, today day: CalendarDate) throws -> String? {
    let catalog = try repo.headCatalog()
    let workflow = repo.workflow
    let recs = catalog.recommendations
    if recs.isEmpty && repo.settings.text.isEmpty { return nil }
    var out = ""
    let name = repo.settings.organisation ?? "This tracking repository"
    out += TextTable.wrap(
      "\(name): \(recs.count) recommendation\(recs.count == 1 ? "" : "s").", width: width, indent: "")
    if !recs.isEmpty {
      let counts = workflow.statuses.compactMap { s -> String? in
        let n = recs.filter { $0.status == s }.count
        return n == 0 ? nil : "\(n) \(s)"
      }
      out += TextTable.wrap(counts.joined(separator: ", "), width: width, indent: "  ")
      let overdue = recs.filter { RecommendationOutput.isOverdue($0, on: day, workflow: workflow) }.map(\.id)
      let shown =
        overdue.prefix(5).joined(separator: ", ")
        + (overdue.count > 5 ? " and \(overdue.count - 5) more" : "")
      out += TextTable.wrap(
        overdue.isEmpty ? "None overdue." : "\(overdue.count) overdue: \(shown).", width: width, indent: "  ")
    }
    if let meeting = try MeetingCalendar.list(in: repo).filter({ $0.date <= day }).last {
      let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
      let since = history.changes.filter { $0.commit.date > meeting.date }
      var parts: [String] = []
      let added = since.filter { $0.previous == nil && $0.version != nil }.count
      if added > 0 { parts.append("\(added) new") }
      var moves: [String: Int] = [:]
      for c in since {
        guard let new = c.version.flatMap({ history.contents[$0.blob]?.summary?.status }),
          let old = c.previous.flatMap({ history.contents[$0.blob]?.summary?.status }), new != old
        else { continue }
        moves[new, default: 0] += 1
      }
      for s in workflow.statuses { if let n = moves[s] { parts.append("\(n) moved to \(s)") } }
      let ids = Set(since.map(\.id)).count
      let what =
        since.isEmpty
        ? "no changes"
        : "\(since.count) change\(since.count == 1 ? "" : "s") to \(ids) recommendation\(ids == 1 ? "" : "s")"
          + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
      out += TextTable.wrap(
        "Since the meeting on \(TextTable.humanDate(meeting.date)) (\(meeting.title)): \(what).",
        width: width,
        indent: "  ")
    }
    out += "\nMost used:\n"
    let commands = [
      ("rectrack list", "where every recommendation stands"),
      ("rectrack status ID STATUS --note \"why\"", "record a change of status"),
      ("rectrack progress", "month by month, from the history"),
    ]
    for (c, what) in commands {
      if width >= 44 + what.count {
        out += "  " + c.padding(toLength: 40, withPad: " ", startingAt: 0) + "  " + what + "\n"
      } else {
        out += "  " + c + "\n" + TextTable.wrap(what, width: width, indent: "      ")
      }
    }
    out += TextTable.wrap("Run 'rectrack --help' for every command.", width: width, indent: "")
    return out
  }
}
