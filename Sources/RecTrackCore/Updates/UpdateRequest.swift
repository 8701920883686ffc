/// What `updates request` asks each owner: the recommendations that need their update.
///
/// A recommendation is asked about when it is not terminal and is overdue on the request day,
/// due on or before the cut-off, at the workflow's "done, awaiting verification" status, or has
/// had no change recorded (committed) since the last meeting. This is the one place that rule lives.
public struct UpdateRequests: Sendable {
  /// Why a recommendation is on the list (in the order shown).
  public enum Reason: String, Sendable, Hashable, CaseIterable {
    case overdue = "overdue"
    case dueSoon = "due soon"
    case awaitingVerification = "awaiting verification"
    case noUpdateSinceMeeting = "no update since the last meeting"
  }

  /// One recommendation to ask about.
  public struct Item: Sendable, Hashable {
    public var id: String
    public var title: String
    public var status: String
    public var due: CalendarDate?
    /// The latest progress narrative (the `progress` field), if any.
    public var latestUpdate: String?
    public var reasons: [Reason]
    /// The committed file's blob id the request was made from (the sheet's `Version` cell).
    public var version: String
  }

  /// One owner's request.
  public struct OwnerRequest: Sendable {
    public var owner: String
    /// From the owners directory (nil: the owner is not listed, or has no email).
    public var email: String?
    public var items: [Item]
  }

  /// The request day.
  public var today: CalendarDate
  /// Recommendations due on or before this day are asked about.
  public var before: CalendarDate
  /// The last meeting on or before the request day (nil: none recorded).
  public var lastMeeting: Meeting?
  /// The commit the requests were made from (hex): HEAD at the time.
  public var madeFrom: String
  /// Owners with something to ask, by name.
  public var requests: [OwnerRequest]
  /// Owners with recommendations but nothing to ask (no file is written for them).
  public var nothingToAsk: [String]

  /// Who a request goes to.
  public enum Recipient: String, Sendable, CaseIterable {
    /// Each recommendation's `owner`.
    case owner
    /// Each recommendation's `lead` when the owners directory lists them, else its owner.
    case lead
  }

  /// The person a recommendation's request goes to: its owner, or with `.lead` its `lead` when
  /// the owners directory lists them. The one reading of `--to`; `updates record` accepts a
  /// return from either.
  public static func recipient(of r: Recommendation, to: Recipient, directory: OwnerDirectory) -> String {
    if to == .lead, let lead = r.lead?.trimmingWhitespace, !lead.isEmpty,
      let entry = directory.entry(for: lead)
    {
      return entry.name
    }
    return r.owner
  }

  /// Builds the requests from HEAD's committed files.
  /// - Parameters:
  ///   - owner: only the requests to this person (matched ignoring case); nil: everyone's.
  ///   - to: owners, or leads where the directory lists them.
  public static func build(
    repo: TrackingRepository, today: CalendarDate, before: CalendarDate, owner: String? = nil,
    to: Recipient = .owner
  ) throws(TrackingError) -> UpdateRequests {
    let headCommit: ObjectID?
    do { headCommit = try repo.git.head().commit } catch { throw .git(error) }
    guard let head = headCommit else {
      throw .usage("the repository has no commits yet: add recommendations first (rectrack new).")
    }
    let (versions, _) = try repo.versions(at: head)
    let catalog = try repo.catalog(versions)
    let blobs = Dictionary(versions.map { ($0.id, $0.blob.hex) }, uniquingKeysWith: { a, _ in a })
    let meeting = try MeetingCalendar.list(in: repo).last { $0.date <= today }
    var atMeeting: [String: String]?
    if let meeting, let commit = ObjectID(hex: meeting.commit) {
      let (old, _) = try repo.versions(at: commit)
      atMeeting = Dictionary(old.map { ($0.id, $0.blob.hex) }, uniquingKeysWith: { a, _ in a })
    }
    let directory = try OwnerDirectory(settings: repo.settings)
    let workflow = repo.workflow
    var byOwner: [String: [Item]] = [:]
    var ownerOrder: [String] = []
    let wanted = owner?.trimmingWhitespace.lowercased()
    for r in catalog.recommendations.sorted(by: { $0.id < $1.id }) {
      let person = recipient(of: r, to: to, directory: directory)
      if let wanted, person.trimmingWhitespace.lowercased() != wanted { continue }
      if byOwner[person] == nil {
        byOwner[person] = []
        ownerOrder.append(person)
      }
      guard !workflow.terminal.contains(r.status), let version = blobs[r.id] else { continue }
      var reasons: [Reason] = []
      if RecommendationOutput.isOverdue(r, on: today, workflow: workflow) {
        reasons.append(.overdue)
      } else if let due = r.due, due <= before, !workflow.isAwaitingVerification(r.status) {
        reasons.append(.dueSoon)
      }
      if workflow.isAwaitingVerification(r.status) { reasons.append(.awaitingVerification) }
      if let atMeeting, atMeeting[r.id] == version { reasons.append(.noUpdateSinceMeeting) }
      guard !reasons.isEmpty else { continue }
      byOwner[person, default: []].append(
        Item(
          id: r.id, title: r.title, status: r.status, due: r.due,
          latestUpdate: r.progress?.trimmingWhitespace.isEmpty == false
            ? r.progress?.trimmingWhitespace : nil,
          reasons: reasons, version: version))
    }
    if let owner, ownerOrder.isEmpty {
      let owners = Set(catalog.recommendations.map { recipient(of: $0, to: to, directory: directory) })
        .sorted()
      throw .usage(
        "no recommendation has the owner '\(owner)'. Owners are: \(owners.joined(separator: "; ")).")
    }
    let sortedOwners = ownerOrder.sorted()
    return UpdateRequests(
      today: today, before: before, lastMeeting: meeting, madeFrom: head.hex,
      requests: sortedOwners.compactMap { name in
        guard let items = byOwner[name], !items.isEmpty else { return nil }
        return OwnerRequest(owner: name, email: directory.entry(for: name)?.email, items: items)
      },
      nothingToAsk: sortedOwners.filter { byOwner[$0]?.isEmpty ?? true })
  }

  /// A file name for an owner's request: lower case letters, digits and hyphens.
  public static func fileStem(for owner: String) -> String {
    var out = ""
    for ch in owner.lowercased() {
      if ch.isASCII, ch.isLetter || ch.isNumber {
        out.append(ch)
      } else if !out.hasSuffix("-"), !out.isEmpty {
        out.append("-")
      }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "owner" : out
  }
}
