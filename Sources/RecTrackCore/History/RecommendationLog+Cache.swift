import Foundation

extension RecommendationLog {
  /// The log of `id` on the history of `start` (HEAD's when nil), remembered (`ReportCache`): a
  /// repeat on the same commit in the same month reads one small file; otherwise `compute` builds
  /// it (and an unknown ID's error is not remembered).
  public static func remembered(
    id: String, repository: Repository, at start: ObjectID? = nil, today: CalendarDate,
    compute: () throws(TrackingError) -> RecommendationLog
  ) throws(TrackingError) -> RecommendationLog {
    let opened: (store: ReportCache, key: ReportKey, start: ObjectID)?
    do { opened = try ReportCache.open(repository, for: "log", at: start) } catch { throw .git(error) }
    guard var (store, key, _) = opened else { return try compute() }
    key.text(id)
    // The month-end timeline runs to this month.
    key.month(today.yearMonth)
    let decoded = store.read(key.bytes) { (r) throws(ByteReader.Truncated) -> RecommendationLog in
      let length = Int(try r.u32())
      let json = try r.bytes.take(length)
      guard let log = try? JSONDecoder().decode(RecommendationLog.self, from: Data(json)) else {
        throw ByteReader.Truncated()
      }
      return log
    }
    if let decoded { return decoded }
    let log = try compute()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let json = try? encoder.encode(log) else { return log }
    store.save(key.bytes) { w, _ in
      w.u32(UInt32(json.count))
      w.bytes(json)
    }
    return log
  }
}
