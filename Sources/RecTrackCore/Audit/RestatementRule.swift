/// The audit rule `restates-meeting` (info), kept in one place so it can move with the audit's
/// rules: a change recorded after a meeting's tag but dated on or before the meeting's day
/// restates that meeting's paper (docs/format.md §6). One finding per change, naming every
/// meeting it restates. Uses the one first-parent history walk from the audited tip.
enum RestatementRule {
  struct Found {
    var commit: ObjectID
    var recommendation: String
    var file: String?
    var recorded: CalendarDate
    var message: String
  }

  /// With `base` (an audited range), only changes after it on the chain are reported.
  static func findings(tip: ObjectID?, base: ObjectID?, in repo: TrackingRepository) throws -> [Found] {
    guard let tip else { return [] }
    let meetings = try MeetingCalendar.list(in: repo)
    guard !meetings.isEmpty else { return [] }
    let history = try RecommendationHistory.load(from: repo.git, at: tip)
    // Meetings whose tag is on the chain, with the tag's position.
    let placed: [(meeting: Meeting, position: Int)] = meetings.compactMap { m in
      guard let id = ObjectID(hex: m.commit), let p = history.position(of: id) else { return nil }
      return (m, p)
    }
    let after = base.flatMap { history.position(of: $0) } ?? -1
    var out: [Found] = []
    for c in history.changes where c.commit.position > after {
      let restated = placed.filter { c.commit.position > $0.position && c.commit.date <= $0.meeting.date }
      guard !restated.isEmpty else { continue }
      let days = restated.map(\.meeting.date.description)
      let list = days.count == 1 ? days[0] : days.dropLast().joined(separator: ", ") + " and " + days.last!
      out.append(
        Found(
          commit: c.commit.id, recommendation: c.id, file: (c.version ?? c.previous)?.path,
          recorded: c.commit.recorded,
          message:
            "\(c.id): \(c.commit.id.short) was recorded on \(c.commit.recorded) with a change dated "
            + "\(c.commit.date), so it restates the paper\(days.count == 1 ? "" : "s") of the \(list) "
            + "meeting\(days.count == 1 ? "" : "s") "
            + "('rectrack summary' lists it under restatements)"))
    }
    return out
  }
}
