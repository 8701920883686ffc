import Foundation

/// The changes staff make, each one commit: create, change status, update fields.
///
/// These are what the CLI's write commands call; they check the input against the workflow
/// and the file format before anything is written.
extension Recorder {
  /// Moves a recommendation to another status.
  public func setStatus(
    id: String, to newStatus: String, note: String?, effective: CalendarDate?, reopen: Bool = false,
    supersededBy: String? = nil, author: Signature
  ) throws(TrackingError) -> RecordedChange {
    try Self.checkEffective(effective, author: author)
    if let supersededBy, !TrackingRepository.isValidID(supersededBy) { throw .invalidID(supersededBy) }
    if let supersededBy {
      if supersededBy == id {
        throw .usage("\(id) cannot be superseded by itself; give the ID that replaces it.")
      }
      let ids = try repo.versions().versions.map(\.id)
      if !ids.contains(supersededBy) {
        throw .unknownID(supersededBy, suggestions: TrackingRepository.closest(to: supersededBy, among: ids))
      }
    }
    return try change(id: id, author: author) { (doc, rec) throws(TrackingError) -> CommitMessage in
      try Self.checkEffective(effective, raised: rec.raised, id: id)
      var trailers: [(key: String, value: String)] = [("Recommendation", id)]
      let summary = try self.editStatus(
        &doc, rec, to: newStatus, note: note, reopen: reopen, supersededBy: supersededBy, trailers: &trailers)
      if let effective { trailers.append(("Effective", effective.description)) }
      if reopen { trailers.append(("Reopened", "yes")) }
      return CommitMessage(summary: "\(id): \(summary)", body: note, trailers: trailers)
    }
  }

  /// The status half of a change: checks the workflow, sets `status` (and `superseded-by`), adds
  /// the `Status:` trailer and returns the summary words ("open -> in-progress").
  func editStatus(
    _ doc: inout RecommendationDocument, _ rec: Recommendation, to newStatus: String, note: String?,
    reopen: Bool, supersededBy: String?, trailers: inout [(key: String, value: String)]
  ) throws(TrackingError) -> String {
    if enforceRules || rec.status == newStatus {
      try repo.workflow.checkTransition(
        id: rec.id, from: rec.status, to: newStatus, reopen: reopen,
        hasNote: !(note ?? "").trimmingWhitespace.isEmpty)
    }
    do throws(FormatError) {
      try doc.set("status", to: .text(newStatus))
      if let supersededBy { try doc.set("superseded-by", to: .text(supersededBy)) }
    } catch {
      throw .invalidFile(error)
    }
    trailers.append(("Status", "\(rec.status) -> \(newStatus)"))
    return "\(rec.status) -> \(newStatus)"
  }

  /// What `update` may change at once.
  public struct FieldChanges: Sendable {
    public var progress: String?
    public var due: CalendarDate?
    public var reason: String?
    /// Other fields to set (`lead`, `priority`, `tags`, the user's own keys...).
    public var set: [(key: String, value: FieldValue)] = []
    /// Optional fields to remove.
    public var unset: [String] = []

    public init(
      progress: String? = nil, due: CalendarDate? = nil, reason: String? = nil,
      set: [(key: String, value: FieldValue)] = [], unset: [String] = []
    ) {
      self.progress = progress
      self.due = due
      self.reason = reason
      self.set = set
      self.unset = unset
    }

    public var isEmpty: Bool { progress == nil && due == nil && set.isEmpty && unset.isEmpty }
  }

  /// Keys `update --set/--unset` may not touch: they have their own commands or must not change.
  public static let protectedKeys: Set<String> = ["id", "status"]
  public static let requiredKeys: Set<String> = ["id", "title", "source", "raised", "owner", "status"]

  /// Updates the progress narrative, the due date (with a reason) or other fields.
  public func update(
    id: String, changes: FieldChanges, note: String?, effective: CalendarDate?, author: Signature
  ) throws(TrackingError) -> RecordedChange {
    guard !changes.isEmpty else {
      throw .usage("nothing to update: give --progress, --due with --reason, --set key=value or --unset key.")
    }
    return try setStatusAndUpdate(
      id: id, to: nil, changes: changes, note: note, effective: effective, author: author)
  }

  /// A new status and field changes as one commit: what an owner's returned row asks for
  /// (`updates record`). Each half is checked as `setStatus` and `update` check it; `trailers`
  /// are added after rectrack's own (e.g. `Update-Request:`).
  public func setStatusAndUpdate(
    id: String, to newStatus: String?, changes: FieldChanges, note: String?, effective: CalendarDate?,
    trailers extra: [(key: String, value: String)] = [], author: Signature
  ) throws(TrackingError) -> RecordedChange {
    guard newStatus != nil || !changes.isEmpty else {
      throw .usage("nothing to record: give a new status or a field to change.")
    }
    try Self.check(changes, id: id)
    try Self.checkEffective(effective, author: author)
    return try change(id: id, author: author) { (doc, rec) throws(TrackingError) -> CommitMessage in
      try Self.checkEffective(effective, raised: rec.raised, id: id)
      var trailers: [(key: String, value: String)] = [("Recommendation", id)]
      var summaryParts: [String] = []
      if let newStatus, newStatus != rec.status {
        summaryParts.append(
          try self.editStatus(
            &doc, rec, to: newStatus, note: note, reopen: false, supersededBy: nil, trailers: &trailers))
      }
      if !changes.isEmpty { summaryParts += try Self.editFields(&doc, rec, changes, trailers: &trailers) }
      guard !summaryParts.isEmpty else { throw .nothingToChange("\(id) already has these values.") }
      if let effective { trailers.append(("Effective", effective.description)) }
      return CommitMessage(
        summary: "\(id): " + summaryParts.joined(separator: "; "), body: note, trailers: trailers + extra)
    }
  }

  /// What field changes may not do (before anything is read).
  static func check(_ changes: FieldChanges, id: String) throws(TrackingError) {
    if changes.due != nil, (changes.reason ?? "").trimmingWhitespace.isEmpty {
      throw .usage("a due-date change needs a reason: add --reason \"why the date moves\".")
    }
    if changes.set.contains(where: { $0.key == "due" }) {
      throw .usage("change the due date with --due DATE --reason \"why\", so the reason is recorded.")
    }
    if changes.unset.contains("due"), (changes.reason ?? "").trimmingWhitespace.isEmpty {
      throw .usage("removing the due date needs a reason: add --reason \"why there is no longer a date\".")
    }
    for (key, _) in changes.set where protectedKeys.contains(key) {
      throw .usage(
        key == "status"
          ? "change the status with 'rectrack status \(id) NEW-STATUS', not --set."
          : "the id is the file name and cannot be changed with --set.")
    }
    for key in changes.unset where requiredKeys.contains(key) {
      throw .usage("'\(key)' is required and cannot be removed.")
    }
  }

  /// The fields half of a change: sets what differs, adds the `Due:`, `Reason:` and `Changed:`
  /// trailers and returns the summary words (none when nothing differs).
  static func editFields(
    _ doc: inout RecommendationDocument, _ rec: Recommendation, _ changes: FieldChanges,
    trailers: inout [(key: String, value: String)]
  ) throws(TrackingError) -> [String] {
    var changed: [String] = []
    var summaryParts: [String] = []
    do throws(FormatError) {
      if let progress = changes.progress {
        let text = progress.hasSuffix("\n") ? progress : progress + "\n"
        if doc["progress"] != .text(text) {
          try doc.set("progress", to: .text(text))
          changed.append("progress")
          summaryParts.append("progress updated")
        }
      }
      if let due = changes.due, rec.due != due {
        try doc.set("due", to: .text(due.description))
        let old = rec.due?.description ?? "none"
        trailers.append(("Due", "\(old) -> \(due)"))
        trailers.append(("Reason", changes.reason ?? ""))
        summaryParts.append("due \(old) -> \(due)")
      }
      for (key, value) in changes.set where doc[key] != value {
        try doc.set(key, to: value)
        changed.append(key)
      }
      for key in changes.unset where doc[key] != nil {
        doc.remove(key)
        if key == "due" {
          trailers.append(("Due", "\(rec.due?.description ?? "none") -> none"))
          trailers.append(("Reason", changes.reason ?? ""))
          summaryParts.append("due removed")
        } else {
          changed.append(key)
        }
      }
    } catch {
      throw .invalidFile(error)
    }
    let others = changed.filter { $0 != "progress" }
    if !others.isEmpty { summaryParts.append(others.joined(separator: ", ") + " changed") }
    if !changed.isEmpty { trailers.append(("Changed", changed.joined(separator: ", "))) }
    return summaryParts
  }

  /// An `Effective:` date must not be before the recommendation was raised.
  static func checkEffective(_ effective: CalendarDate?, raised: CalendarDate, id: String)
    throws(TrackingError)
  {
    guard let effective, effective < raised else { return }
    throw .usage(
      "--effective \(effective) is before \(id) was raised (\(raised)); a change cannot count from before the "
        + "recommendation existed. Give a date on or after \(raised); nothing was recorded.")
  }
}
