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
        let length = Int(try r.u32())
        let json = try r.bytes.take(length)
        guard let log = try? JSONDecoder().decode(RecommendationLog.self, from: Data(json)) else {
          throw ByteReader.Truncated()
        }
        return log
      }
    }
    func save(_ log: RecommendationLog) {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      guard let json = try? encoder.encode(log) else { return }
      store.save(key(first)) { w, _ in
        w.u32(UInt32(json.count))
        w.bytes(json)
      }
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
}
