/// One recommendation's history from git, for `rectrack log`: every change on the first-parent
/// history (when, by docs/format.md §4; who; what changed; the note) and its status at each month end.
///
/// Computed once as a `Codable` value; `--format json` prints it and `text` renders it.
public struct RecommendationLog: Codable, Sendable {
  /// A field whose value a change altered (`old`/`new` nil when the field was absent).
  public struct FieldChange: Codable, Sendable, Hashable {
    public var field: String
    public var old: String?
    public var new: String?
  }

  public struct Entry: Codable, Sendable {
    /// The commit's full id and its short form.
    public var commit: String
    public var shortCommit: String
    /// The date the change counts from (docs/format.md §4).
    public var date: CalendarDate
    /// "effective" when `date` comes from an `Effective:` trailer, else "author".
    public var dateSource: String
    /// The day the change was recorded: its committer date's calendar day in the committer's own
    /// offset, when the commit reached the branch (docs/format.md §6).
    public var recordedOn: CalendarDate
    public var author: String
    public var authorEmail: String
    public var summary: String
    /// added, changed, moved or deleted.
    public var kind: String
    public var path: String
    public var previousPath: String?
    public var changes: [FieldChange]
    /// The commit message's body: the note given with the change.
    public var note: String?
    /// The `Reason:` trailer of a due-date change.
    public var reason: String?
  }

  public struct MonthStatus: Codable, Sendable, Hashable {
    public var month: String
    public var asOf: CalendarDate
    /// nil when the recommendation did not exist (or could not be read) at that month end.
    public var status: String?
  }

  public var id: String
  public var title: String?
  /// The full id of the commit the history was recorded at (docs/format.md §6); null for none.
  @EncodedAsNull public var recordedAt: String?
  public var entries: [Entry]
  public var timeline: [MonthStatus]

  /// The log of a history recorded before the first commit: nothing known (docs/format.md §6).
  public static func nothingRecorded(id: String) -> RecommendationLog {
    RecommendationLog(id: id, title: nil, recordedAt: nil, entries: [], timeline: [])
  }

  /// Builds the log of `id`, or `unknownID` with the closest IDs the history knows.
  public static func build(
    id: String, repo: TrackingRepository, history: RecommendationHistory, today: CalendarDate
  ) throws(TrackingError) -> RecommendationLog {
    let changes = history.changes(of: id)
    guard !changes.isEmpty else {
      throw .unknownID(id, suggestions: TrackingRepository.closest(to: id, among: history.ids))
    }
    var documents = Documents(git: repo.git)
    var entries: [Entry] = []
    for change in changes { entries.append(try entry(change, &documents)) }
    var timeline: [MonthStatus] = []
    if let first = changes.map(\.commit.date).min()?.yearMonth {
      let last = max(today.yearMonth, first)
      for (month, change) in history.monthEndTimeline(of: id, from: first, to: last) {
        timeline.append(
          MonthStatus(
            month: month.description, asOf: month.lastDay, status: try documents.status(change?.version)))
      }
    }
    return RecommendationLog(
      id: id, title: try documents.title(changes.last?.version), recordedAt: history.head?.hex,
      entries: entries,
      timeline: timeline)
  }

  /// This log carried on to a later commit, `start`, whose first-parent commits since the log's
  /// made `newer`, this ID's changes in them, oldest first: their entries follow the log's, and
  /// each month end is decided again by the last of them dated on or before it (a later commit
  /// is later in first-parent order than every change the log holds, so it decides every month
  /// end on or after its date, docs/format.md §5), else keeps the log's status. nil when the
  /// months would not end where the log's do (then it is built afresh).
  func carried(
    by newer: [RecommendationChange], to start: ObjectID, in git: Repository, today: CalendarDate
  ) throws(TrackingError) -> RecommendationLog? {
    var log = self
    log.recordedAt = start.hex
    guard let latest = newer.last else { return log }
    var documents = Documents(git: git)
    for change in newer { log.entries.append(try Self.entry(change, &documents)) }
    guard let first = log.entries.map(\.date).min()?.yearMonth else { return nil }
    let last = max(today.yearMonth, first)
    guard last.description == timeline.last?.month else { return nil }
    var kept: [String: String?] = [:]
    for m in timeline { kept[m.month] = m.status }
    log.timeline = []
    var month = first
    while month <= last {
      let status: String?
      if let deciding = newer.last(where: { $0.commit.date <= month.lastDay }) {
        status = try documents.status(deciding.version)
      } else {
        status = kept[month.description] ?? nil
      }
      log.timeline.append(MonthStatus(month: month.description, asOf: month.lastDay, status: status))
      month = month.next
    }
    log.title = try documents.title(latest.version)
    return log
  }

  /// The file versions a log reads, each parsed once (nil when it does not parse).
  struct Documents {
    let git: Repository
    private var parsed: [ObjectID: RecommendationDocument?] = [:]

    init(git: Repository) { self.git = git }

    mutating func document(_ v: RecommendationVersion?) throws(TrackingError) -> RecommendationDocument? {
      guard let v else { return nil }
      if let known = parsed[v.blob] { return known }
      let bytes: [UInt8]
      do { bytes = try git.blob(v.blob) } catch { throw .git(error) }
      let doc = try? RecommendationDocument(bytes: bytes, path: v.path)
      parsed[v.blob] = doc
      return doc
    }

    /// The `status` a version gives, as a month end shows it.
    mutating func status(_ v: RecommendationVersion?) throws(TrackingError) -> String? {
      if let doc = try document(v), case .text(let s)? = doc["status"] { return s }
      return nil
    }

    /// The `title` of a version, the log's heading.
    mutating func title(_ v: RecommendationVersion?) throws(TrackingError) -> String? {
      if let doc = try document(v), case .text(let t)? = doc["title"] { return t }
      return nil
    }
  }

  /// One change as the log shows it.
  static func entry(_ change: RecommendationChange, _ documents: inout Documents) throws(TrackingError)
    -> Entry
  {
    let info: CommitInfo
    do { info = try documents.git.commit(change.commit.id) } catch { throw .git(error) }
    let message = CommitMessage(parsing: info.message)
    let old = try documents.document(change.previous)
    let new = try documents.document(change.version)
    let kind =
      change.version == nil
      ? "deleted" : change.previous == nil ? "added" : change.isMove ? "moved" : "changed"
    return Entry(
      commit: info.id.hex, shortCommit: info.id.short, date: change.commit.date,
      dateSource: change.commit.dateFromTrailer ? "effective" : "author",
      recordedOn: change.commit.recorded,
      author: info.author.name, authorEmail: info.author.email, summary: info.summary, kind: kind,
      path: (change.version ?? change.previous)?.path ?? "",
      previousPath: change.isMove ? change.previous?.path : nil,
      changes: fieldChanges(old: old, new: new, kind: kind), note: message.body,
      reason: message.trailer("Reason"))
  }

  static func fieldChanges(old: RecommendationDocument?, new: RecommendationDocument?, kind: String)
    -> [FieldChange]
  {
    func text(_ v: FieldValue?) -> String? {
      switch v {
      case .text(let s)?: return s
      case .list(let items)?: return "[" + items.joined(separator: ", ") + "]"
      case nil: return nil
      }
    }
    if kind == "added" || kind == "deleted" {
      let doc = new ?? old
      return doc.flatMap { d in text(d["status"]).map { [FieldChange(field: "status", old: nil, new: $0)] } }
        ?? []
    }
    guard let old, let new else { return [] }
    var keys = old.keys
    for k in new.keys where !keys.contains(k) { keys.append(k) }
    return keys.compactMap { k in
      let a = text(old[k])
      let b = text(new[k])
      return a == b ? nil : FieldChange(field: k, old: a, new: b)
    }
  }

  /// The log as people read it: one block per change, then the month-end statuses as ranges.
  public func text(width: Int) -> String {
    var out = (title.map { TextTable.hanging("\(id)  ", $0, width: width) } ?? "\(id)\n") + "\n"
    for e in entries {
      var what: [String] = []
      switch e.kind {
      case "added": what.append("added" + (e.changes.first.flatMap(\.new).map { " (\($0))" } ?? ""))
      case "deleted": what.append("deleted")
      case "moved": what.append("moved from \(e.previousPath ?? "?")")
      default: break
      }
      if e.kind == "changed" || e.kind == "moved" {
        for c in e.changes {
          if c.field == "status" || c.field == "due"
            || ((c.old ?? "").count < 40 && (c.new ?? "").count < 40
              && !(c.old ?? "").contains("\n") && !(c.new ?? "").contains("\n"))
          {
            what.append("\(c.field) \(c.old ?? "none") -> \(c.new ?? "none")")
          } else {
            what.append(c.new == nil ? "\(c.field) removed" : "\(c.field) updated")
          }
        }
        if what.isEmpty { what.append(e.summary) }
      }
      out += TextTable.hanging("\(e.date)  ", what.joined(separator: "; "), width: width, parts: "; ")
      var facts =
        "by \(VisibleText.line(e.author)) <\(VisibleText.line(e.authorEmail))>, commit \(e.shortCommit), recorded \(e.recordedOn)"
      if e.recordedOn > e.date { facts += " (late)" }
      out += TextTable.wrap(facts, width: width, indent: "            ")
      if let reason = e.reason {
        out += TextTable.hanging("            reason: ", reason, width: width, indent: 12)
      }
      if let note = e.note {
        out += TextTable.wrap(note, width: width, indent: "            ")
      }
    }
    if !timeline.isEmpty {
      out += "\nStatus at each month end\n"
      var i = 0
      while i < timeline.count {
        var j = i
        while j + 1 < timeline.count && timeline[j + 1].status == timeline[i].status { j += 1 }
        let range = i == j ? timeline[i].month : "\(timeline[i].month) to \(timeline[j].month)"
        out +=
          "  " + range.padding(toLength: 20, withPad: " ", startingAt: 0)
          + (timeline[i].status ?? "(not there)") + "\n"
        i = j + 1
      }
    }
    return out
  }
}
