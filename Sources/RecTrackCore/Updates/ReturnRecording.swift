/// Recording an owner's returned sheet: every row checked first, then one change per row
/// through the recorder's public functions (so the workflow and any role rules apply).
public enum ReturnRecording {
  /// A change one row asks for.
  public enum Action: Sendable, Hashable {
    case status(from: String, to: String)
    case progress(String)
    case due(from: CalendarDate?, to: CalendarDate, reason: String)

    public var description: String {
      switch self {
      case .status(let from, let to): return "status \(from) -> \(to)"
      case .progress: return "progress updated"
      case .due(let from, let to, _): return "due \(from?.description ?? "none") -> \(to)"
      }
    }
  }

  /// A value the office changed after the request was made: what the sheet showed, what HEAD has.
  public struct Difference: Sendable, Hashable {
    public var field: String
    public var sent: String
    public var now: String
  }

  /// What a row does.
  public enum Outcome: Sendable, Hashable {
    case record([Action])
    case unchanged
    /// The recommendation changed since the request; nothing is recorded for the row.
    case conflict(actions: [Action], differences: [Difference])
    case refused(String)
  }

  /// One row's plan.
  public struct RowPlan: Sendable, Hashable {
    public var row: Int
    public var id: String
    public var owner: String
    public var outcome: Outcome
    /// Who the change is recorded as (the owner's identity), when it is recorded.
    public var identity: String?
    /// The commit note: the owner's own text.
    public var note: String
  }

  /// What recording a row did.
  public struct RowResult: Sendable {
    public var plan: RowPlan
    /// The commit made for the row (one, whatever it changes; none when it was not recorded).
    public var commits: [ObjectID]
    /// Why recording failed, when the recorder refused it (e.g. a role rule).
    public var refusal: String?

    public init(plan: RowPlan, commits: [ObjectID], refusal: String?) {
      self.plan = plan
      self.commits = commits
      self.refusal = refusal
    }
  }

  /// Checks every row against HEAD; writes nothing.
  /// - Parameters:
  ///   - returned: the day the owner returned the sheet (the changes' `Effective:` date when
  ///     earlier than `today`).
  ///   - anyOwner: record rows for recommendations the sheet's owner does not own.
  public static func plan(
    rows: [ReturnSheet.Row], repo: TrackingRepository, today: CalendarDate, returned: CalendarDate,
    anyOwner: Bool
  ) throws(TrackingError) -> [RowPlan] {
    if returned > today {
      throw .usage(
        "--returned \(returned) is in the future (today is \(today)); give the day the sheet came back.")
    }
    let (versions, _) = try repo.versions()
    let catalog = try repo.catalog(versions)
    let blobs = Dictionary(versions.map { ($0.id, $0.blob.hex) }, uniquingKeysWith: { a, _ in a })
    let directory = try OwnerDirectory(settings: repo.settings)
    let workflow = repo.workflow
    let roles = try AuditSettings(settingsText: repo.settings.text, workflow: workflow)
    var seen: [String: Int] = [:]
    var plans: [RowPlan] = []
    for row in rows {
      var plan = RowPlan(row: row.number, id: row.id, owner: row.owner, outcome: .unchanged, note: "")
      plan.outcome = outcome(
        row, catalog: catalog, blobs: blobs, directory: directory, workflow: workflow, roles: roles,
        anyOwner: anyOwner, seen: &seen, plan: &plan, returned: returned)
      plans.append(plan)
    }
    return plans
  }

  static func outcome(
    _ row: ReturnSheet.Row, catalog: Catalog, blobs: [String: String], directory: OwnerDirectory,
    workflow: Workflow, roles: AuditSettings, anyOwner: Bool, seen: inout [String: Int], plan: inout RowPlan,
    returned: CalendarDate
  ) -> Outcome {
    guard !row.id.isEmpty else { return .refused("the row has no ID; fill in the ID the request gave.") }
    if let first = seen[row.id] {
      return .refused("\(row.id) is also on row \(first); keep one row per recommendation.")
    }
    seen[row.id] = row.number
    guard let rec = catalog.recommendation(row.id), let blob = blobs[row.id] else {
      return .refused(
        "\(row.id) is not in the tracker (removed or renamed since the request?); check the ID.")
    }
    guard !row.owner.isEmpty else {
      return .refused(
        "the Owner cell is empty; use the sheet attached to the request, with its Owner column.")
    }
    guard let entry = directory.entry(for: row.owner), let identity = entry.identity else {
      return .refused(
        "'\(row.owner)' has no identity in rectrack.yml: add it under 'owners:' (identity: \"Name <email>\"), then run again."
      )
    }
    plan.identity = identity
    // The owner, or the lead a request went to (`--to lead`), reports on it.
    let reporter = row.owner.trimmingWhitespace.lowercased()
    let reports = [rec.owner, rec.lead ?? ""].contains { $0.trimmingWhitespace.lowercased() == reporter }
    if !anyOwner, !reports {
      return .refused(
        "\(row.id) is owned by \(rec.owner), not \(row.owner); record it with --any-owner if \(row.owner) may report on it."
      )
    }
    // The owner's cells.
    var newStatus: String?
    if !row.newStatus.isEmpty {
      guard let s = matchStatus(row.newStatus, workflow: workflow) else {
        return .refused(
          "New status '\(row.newStatus)' is not a status; use one of: \(workflow.statuses.joined(separator: ", "))."
        )
      }
      newStatus = s
    }
    var newDue: CalendarDate?
    if !row.proposedDue.isEmpty {
      guard let d = CalendarDate(row.proposedDue) ?? SheetDate.parse(row.proposedDue) else {
        return .refused(
          "Proposed due date '\(row.proposedDue)' is not a date; write it as 31/03/2024 or 2024-03-31.")
      }
      newDue = d
    }
    var actions: [Action] = []
    if let newStatus, newStatus != rec.status { actions.append(.status(from: rec.status, to: newStatus)) }
    let progress = row.progressUpdate
    if !progress.isEmpty, progress != (rec.progress ?? "").trimmingWhitespace {
      actions.append(.progress(progress))
    }
    if let newDue, newDue != rec.due {
      guard !row.reason.isEmpty else {
        return .refused(
          "a Proposed due date needs a Reason: say why the date moves, then send the sheet again.")
      }
      actions.append(.due(from: rec.due, to: newDue, reason: row.reason))
    }
    plan.note = note(row, returned: returned)
    if actions.isEmpty {
      if !row.evidence.isEmpty, row.newStatus.isEmpty, row.progressUpdate.isEmpty, row.proposedDue.isEmpty {
        return .refused(
          "Evidence is given but nothing else changes; add a New status or Progress update that the evidence supports."
        )
      }
      return .unchanged
    }
    if row.version.isEmpty {
      return .refused(
        "the Version cell is empty; use the sheet attached to the request, with its Version column.")
    }
    if row.version.lowercased() != blob {
      var diffs: [Difference] = []
      if !row.sentStatus.isEmpty, row.sentStatus != rec.status {
        diffs.append(Difference(field: "Status", sent: row.sentStatus, now: rec.status))
      }
      if row.sentDue != (rec.due?.description ?? ""),
        (CalendarDate(row.sentDue) ?? SheetDate.parse(row.sentDue)) != rec.due
      {
        diffs.append(Difference(field: "Due", sent: row.sentDue, now: rec.due?.description ?? ""))
      }
      let nowUpdate = (rec.progress ?? "").trimmingWhitespace
      if row.sentUpdate != nowUpdate {
        diffs.append(Difference(field: "Latest update", sent: row.sentUpdate, now: nowUpdate))
      }
      if !reports {
        diffs.append(Difference(field: "Owner", sent: row.owner, now: rec.owner))
      }
      if diffs.isEmpty {
        diffs.append(
          Difference(
            field: "File", sent: "version \(row.version.prefix(10))", now: "version \(blob.prefix(10))"))
      }
      return .conflict(actions: actions, differences: diffs)
    }
    if let newStatus, newStatus != rec.status {
      do throws(TrackingError) {
        try workflow.checkTransition(
          id: rec.id, from: rec.status, to: newStatus, reopen: false, hasNote: true)
      } catch {
        return .refused(error.description)
      }
      // Who may set which status (`roles:` in rectrack.yml): the audit's rule, checked here so
      // that the dry run shows it and nothing is written for the row.
      if !roles.roles.isEmpty, let email = Signature.parse(identity)?.email {
        let decision = roles.may(email, set: newStatus, workflow: workflow)
        if !decision.allowed {
          let who = decision.roles.isEmpty ? "" : " (\(decision.roles.joined(separator: ", ")))"
          let may = roles.rolesAllowed(toSet: newStatus)
          return .refused(
            "\(identity)\(who) may not set \(newStatus)"
              + (may.isEmpty ? "" : "; only \(may.joined(separator: ", ")) may")
              + ". The office records it after checking, with 'rectrack status \(rec.id) \(newStatus)'.")
        }
      }
    }
    return .record(actions)
  }

  /// A status as an owner may write it: any case, spaces for hyphens ("In progress").
  static func matchStatus(_ text: String, workflow: Workflow) -> String? {
    let key = text.trimmingWhitespace.lowercased().replacingOccurrences(of: " ", with: "-")
    return workflow.statuses.first { $0.lowercased() == key }
  }

  /// The commit note: the owner's own words, then who returned them and when.
  static func note(_ row: ReturnSheet.Row, returned: CalendarDate) -> String {
    var parts: [String] = []
    if !row.progressUpdate.isEmpty { parts.append(row.progressUpdate) }
    if !row.evidence.isEmpty { parts.append("Evidence: " + row.evidence) }
    parts.append("Returned by \(row.owner) on \(returned) (updates record).")
    return parts.joined(separator: "\n\n")
  }

  /// Records the rows planned as `.record`, each as one commit through
  /// `Recorder.setStatusAndUpdate` (a new status and a field change together); a row the
  /// recorder refuses is reported and the others go on.
  /// - Parameters:
  ///   - time: the author date of the changes (seconds, offset), e.g. `Signature.now()`.
  ///   - request: the request the sheet answers (its tag), carried as an `Update-Request:` trailer.
  public static func record(
    _ plans: [RowPlan], repo: TrackingRepository, today: CalendarDate, returned: CalendarDate,
    time: (time: Int64, offset: Int), request: String? = nil
  ) -> [RowResult] {
    let recorder = Recorder(repo: repo)
    let effective: CalendarDate? = returned < today ? returned : nil
    var results: [RowResult] = []
    for plan in plans {
      guard case .record(let actions) = plan.outcome, let identity = plan.identity,
        let (name, email) = Signature.parse(identity)
      else {
        results.append(RowResult(plan: plan, commits: [], refusal: nil))
        continue
      }
      let author = Signature(name: name, email: email, time: time.time, offsetMinutes: time.offset)
      var status: String?
      var changes = Recorder.FieldChanges()
      for action in actions {
        switch action {
        case .status(_, let to): status = to
        case .progress(let text): changes.progress = text
        case .due(_, let to, let reason):
          changes.due = to
          changes.reason = reason
        }
      }
      do throws(TrackingError) {
        let done = try recorder.setStatusAndUpdate(
          id: plan.id, to: status, changes: changes, note: plan.note, effective: effective,
          trailers: request.map { [("Update-Request", $0)] } ?? [], author: author)
        results.append(RowResult(plan: plan, commits: [done.commit], refusal: nil))
      } catch {
        results.append(RowResult(plan: plan, commits: [], refusal: error.description))
      }
    }
    return results
  }
}
