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
    let workflow = repo.workflow
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
      if self.enforceRules || rec.status == newStatus {
        try workflow.checkTransition(
          id: id, from: rec.status, to: newStatus, reopen: reopen,
          hasNote: !(note ?? "").trimmingWhitespace.isEmpty)
      }
      do throws(FormatError) {
        try doc.set("status", to: .text(newStatus))
        if let supersededBy { try doc.set("superseded-by", to: .text(supersededBy)) }
      } catch {
        throw .invalidFile(error)
      }
      var trailers: [(key: String, value: String)] = [
        ("Recommendation", id), ("Status", "\(rec.status) -> \(newStatus)"),
      ]
      if let effective { trailers.append(("Effective", effective.description)) }
      if reopen { trailers.append(("Reopened", "yes")) }
      return CommitMessage(summary: "\(id): \(rec.status) -> \(newStatus)", body: note, trailers: trailers)
    }
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
    if changes.due != nil, (changes.reason ?? "").trimmingWhitespace.isEmpty {
      throw .usage("a due-date change needs a reason: add --reason \"why the date moves\".")
    }
    if changes.set.contains(where: { $0.key == "due" }) {
      throw .usage("change the due date with --due DATE --reason \"why\", so the reason is recorded.")
    }
    if changes.unset.contains("due"), (changes.reason ?? "").trimmingWhitespace.isEmpty {
      throw .usage("removing the due date needs a reason: add --reason \"why there is no longer a date\".")
    }
    for (key, _) in changes.set where Self.protectedKeys.contains(key) {
      throw .usage(
        key == "status"
          ? "change the status with 'rectrack status \(id) NEW-STATUS', not --set."
          : "the id is the file name and cannot be changed with --set.")
    }
    for key in changes.unset where Self.requiredKeys.contains(key) {
      throw .usage("'\(key)' is required and cannot be removed.")
    }
    try Self.checkEffective(effective, author: author)
    return try change(id: id, author: author) { (doc, rec) throws(TrackingError) -> CommitMessage in
      try Self.checkEffective(effective, raised: rec.raised, id: id)
      var changed: [String] = []
      var trailers: [(key: String, value: String)] = [("Recommendation", id)]
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
      guard !summaryParts.isEmpty else { throw .nothingToChange("\(id) already has these values.") }
      if !changed.isEmpty { trailers.append(("Changed", changed.joined(separator: ", "))) }
      if let effective { trailers.append(("Effective", effective.description)) }
      return CommitMessage(
        summary: "\(id): " + summaryParts.joined(separator: "; "), body: note, trailers: trailers)
    }
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
