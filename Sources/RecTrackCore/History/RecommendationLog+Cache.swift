import Foundation

extension RecommendationLog {
  /// The log of `id` on the history of `start` (HEAD's when nil), remembered (`ReportCache`): a
  /// repeat on the same commit in the same month reads one small file; a commit a few
  /// first-parent commits on carries the log below on by the recommendation's changes since
  /// (`carried(by:to:in:today:)`; none: the same log, recorded at the new commit); otherwise
  /// `compute` builds it (and an unknown ID's error is not remembered).
  public static func remembered(
    id: String, repository: Repository, at start: ObjectID? = nil, today: CalendarDate,
    compute: () throws(TrackingError) -> RecommendationLog
  ) throws(TrackingError) -> RecommendationLog {
    let opened: (store: ReportCache, key: ReportKey, start: ObjectID)?
    do { opened = try ReportCache.open(repository, for: "log", at: start) } catch { throw .git(error) }
    guard let (store, _, first) = opened else { return try compute() }
    func key(_ commit: ObjectID) -> [UInt8] {
      var key = ReportKey("log")
      key.oid(commit)
      key.text(id)
      // The month-end timeline runs to this month.
      key.month(today.yearMonth)
      return key.bytes
    }
    func read(_ commit: ObjectID) -> RecommendationLog? {
      store.read(key(commit)) { (r) throws(ByteReader.Truncated) -> RecommendationLog in
        try RecommendationLog.decode(&r)
      }
    }
    func save(_ log: RecommendationLog) {
      store.save(key(first)) { w, strings in log.encode(&w, &strings) }
    }
    if let remembered = read(first) { return remembered }
    // The log of a commit below, carried on by this recommendation's changes since (none: the
    // same log, recorded at the new commit).
    if let (below, _, found) = ReportCache.nearestBelow(first, in: repository, read) {
      let newer: [RecommendationChange]?
      do {
        newer = try RecommendationHistory.changes(of: id, in: repository, from: first, downTo: below)
      } catch {
        throw .git(error)
      }
      if let newer, let log = try found.carried(by: newer, to: first, in: repository, today: today) {
        save(log)
        return log
      }
    }
    let log = try compute()
    save(log)
    return log
  }

  // MARK: The remembered form (a `ReportCache` value)

  /// Every field, strings numbered in the table (`decode` reads it back; JSONDecoder took a fifth
  /// of a warm `log ID`).
  func encode(_ w: inout ByteWriter, _ strings: inout StringTable) {
    func text(_ s: String?) { w.text(s, &strings) }
    func date(_ d: CalendarDate) { w.u64(UInt64(bitPattern: Int64(d.daysSinceEpoch))) }
    text(id)
    text(title)
    text(recordedAt)
    w.u32(UInt32(entries.count))
    for e in entries {
      for s in [e.commit, e.shortCommit, e.dateSource, e.author, e.authorEmail, e.summary, e.kind, e.path] {
        text(s)
      }
      date(e.date)
      date(e.recordedOn)
      text(e.previousPath)
      text(e.note)
      text(e.reason)
      w.u32(UInt32(e.changes.count))
      for c in e.changes {
        text(c.field)
        text(c.old)
        text(c.new)
      }
    }
    w.u32(UInt32(timeline.count))
    for m in timeline {
      text(m.month)
      date(m.asOf)
      text(m.status)
    }
  }

  static func decode(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> RecommendationLog {
    func day(_ r: inout SegmentReader) throws(ByteReader.Truncated) -> CalendarDate {
      let days = Int64(bitPattern: try r.u64())
      // Dates of years 1-9999 only, as `CalendarDate` holds them (a damaged value is refused).
      guard (-719_162...2_932_896).contains(days) else { throw ByteReader.Truncated() }
      return CalendarDate(daysSinceEpoch: Int(days))
    }
    let id = try r.requiredText()
    let title = try r.text()
    let recordedAt = try r.text()
    let entryCount = try r.count()
    var entries: [Entry] = []
    entries.reserveCapacity(entryCount)
    for _ in 0..<entryCount {
      let commit = try r.requiredText()
      let shortCommit = try r.requiredText()
      let dateSource = try r.requiredText()
      let author = try r.requiredText()
      let authorEmail = try r.requiredText()
      let summary = try r.requiredText()
      let kind = try r.requiredText()
      let path = try r.requiredText()
      let date = try day(&r)
      let recordedOn = try day(&r)
      let previousPath = try r.text()
      let note = try r.text()
      let reason = try r.text()
      let changeCount = try r.count()
      var changes: [FieldChange] = []
      changes.reserveCapacity(changeCount)
      for _ in 0..<changeCount {
        changes.append(FieldChange(field: try r.requiredText(), old: try r.text(), new: try r.text()))
      }
      entries.append(
        Entry(
          commit: commit, shortCommit: shortCommit, date: date, dateSource: dateSource,
          recordedOn: recordedOn,
          author: author, authorEmail: authorEmail, summary: summary, kind: kind, path: path,
          previousPath: previousPath, changes: changes, note: note, reason: reason))
    }
    let monthCount = try r.count()
    var timeline: [MonthStatus] = []
    timeline.reserveCapacity(monthCount)
    for _ in 0..<monthCount {
      timeline.append(MonthStatus(month: try r.requiredText(), asOf: try day(&r), status: try r.text()))
    }
    return RecommendationLog(
      id: id, title: title, recordedAt: recordedAt, entries: entries, timeline: timeline)
  }
}
