import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// `log ID` carried on to a later commit (`RecommendationLog.carried`, with the ID's changes
/// since from `RecommendationHistory.changes(of:in:from:downTo:)`): along random histories
/// (back-dated `Effective:` trailers, moves, copies, deletions, merges, unusable files), the log
/// of every ID at each commit in turn equals the log built from a cold walk of that commit's
/// history, in JSON and as text, and most are carried on rather than computed.
@Suite struct LogCarryTests {
  static func text(_ l: RecommendationLog) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(l), as: UTF8.self) + l.text(width: 100)
  }

  @Test(arguments: [4, 21, 33] as [UInt64])
  func carriedLogsEqualColdOnesAlongRandomHistories(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 60)
    let git = try Repository(discoveringFrom: repo.path)
    let tracking = try TrackingRepository(at: repo.path)
    let whole = try RecommendationHistory.load(from: git, usingCache: false)
    let last = try #require(whole.dateRange?.upperBound)
    let ids = whole.ids.sorted()
    var random = SeededRandom(seed: seed)
    var carried = 0
    var computed = 0
    for today in [last.adding(days: 1), last.adding(days: 200)] {
      var position = whole.chain.count / 2
      while position < whole.chain.count {
        let commit = whole.chain[position].id
        let cold = try RecommendationHistory.load(from: git, at: commit, usingCache: false)
        for id in ids {
          let label = "seed \(seed) \(id) at \(position), today \(today)"
          let expected = try? Self.text(
            RecommendationLog.build(id: id, repo: tracking, history: cold, today: today))
          var didCompute = false
          let got = try? RecommendationLog.remembered(id: id, repository: git, at: commit, today: today) {
            () throws(TrackingError) -> RecommendationLog in
            didCompute = true
            return try RecommendationLog.build(id: id, repo: tracking, history: cold, today: today)
          }
          #expect(try got.map(Self.text) == expected, "\(label)")
          if expected != nil { if didCompute { computed += 1 } else { carried += 1 } }
        }
        position += random.chance(0.2) ? Int.random(in: 2...4, using: &random) : 1
      }
    }
    print("seed \(seed): \(carried) logs carried on, \(computed) computed")
    #expect(carried > computed, "seed \(seed): \(carried) carried on, \(computed) computed")
  }

  /// The remembered form (`encode`/`decode`) gives back every field, set or absent, and a
  /// damaged one (cut short anywhere, a bad presence byte, a date out of range) is refused.
  @Test func theRememberedFormReadsBackEveryFieldAndRefusesDamage() throws {
    typealias Log = RecommendationLog
    let day = try #require(CalendarDate(year: 2026, month: 2, day: 28))
    let full = Log.Entry(
      commit: String(repeating: "ab", count: 20), shortCommit: "abababa", date: day, dateSource: "effective",
      recordedOn: day.adding(days: 3), author: "Zoë Ní Bhriain", authorEmail: "zoe@example.org",
      summary: "BR-01: status changed", kind: "moved", path: "Recommendations/b/BR-01.yml",
      previousPath: "Recommendations/a/BR-01.yml",
      changes: [
        .init(field: "status", old: "open", new: "in-progress"), .init(field: "owner", old: nil, new: ""),
        .init(field: "due", old: "2026-03-01", new: nil),
      ], note: "Line one.\n\nLine two — done.", reason: "Court date moved")
    let bare = Log.Entry(
      commit: "", shortCommit: "", date: CalendarDate(daysSinceEpoch: -719_162), dateSource: "author",
      recordedOn: CalendarDate(daysSinceEpoch: 2_932_896), author: "", authorEmail: "", summary: "",
      kind: "added", path: "p", previousPath: nil, changes: [], note: nil, reason: nil)
    let logs = [
      Log(
        id: "BR-01", title: "Drugs “county lines”", recordedAt: String(repeating: "cd", count: 20),
        entries: [full, bare, full],
        timeline: [
          .init(month: "2026-01", asOf: day, status: "open"), .init(month: "2026-02", asOf: day, status: nil),
        ]),
      Log.nothingRecorded(id: "BR-02"),
    ]
    for log in logs {
      var strings = StringTable()
      var w = ByteWriter()
      log.encode(&w, &strings)
      let payload = strings.encoded() + w.buffer
      let back = try payload.withUnsafeBytes { raw throws -> Log in
        var r = try SegmentReader(raw)
        let value = try Log.decode(&r)
        try r.end()
        return value
      }
      #expect(try Self.text(back) == Self.text(log), "\(log.id)")
      for cut in 0..<payload.count {
        let refused = payload.prefix(cut).withUnsafeBytes { raw -> Bool in
          guard var r = try? SegmentReader(raw), (try? Log.decode(&r)) != nil, (try? r.end()) != nil else {
            return true
          }
          return false
        }
        #expect(refused, "\(log.id) cut at \(cut) of \(payload.count)")
      }
    }
    // The first presence byte after the table (the ID's) set to 2, then a date out of range.
    var strings = StringTable()
    var w = ByteWriter()
    logs[0].encode(&w, &strings)
    let table = strings.encoded()
    var badPresence = w.buffer
    badPresence[0] = 2
    var badDate = w.buffer
    let firstDate = try #require(firstDateOffset(in: w.buffer))
    for i in 0..<8 { badDate[firstDate + i] = 0x7f }
    for bad in [badPresence, badDate] {
      let refused = (table + bad).withUnsafeBytes { raw -> Bool in
        guard var r = try? SegmentReader(raw) else { return true }
        return (try? Log.decode(&r)) == nil
      }
      #expect(refused)
    }
  }

  /// Where the first entry's `date` starts in an encoding of `logs[0]` above: after the log's
  /// three texts (ID, title, recorded-at: each a presence byte and a number), the entry count and
  /// the entry's eight texts.
  private func firstDateOffset(in buffer: [UInt8]) -> Int? {
    let offset = 3 * 5 + 4 + 8 * 5
    return offset + 8 <= buffer.count ? offset : nil
  }
}
