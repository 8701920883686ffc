import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// `log ID`'s cold walk (`RecommendationHistory.load(onlyID:)`), which records one ID's files
/// alone, against the whole walk on generated histories: the same changes of that ID, the same
/// chain, and the same log (table and JSON). Lookalike names in other folders must not count.
@Suite struct OneIDWalkTests {
  static let seeds: [UInt64] = Array(1...UInt64(SlowTests.size(6, slow: 16, full: 40)))
  static let today = CalendarDate("2026-12-01")!

  /// Adds, next to an existing ID, files whose names look like it but are not `<ID>.yml`, or
  /// are another valid ID, in other folders; then changes them again.
  func addLookalikes(_ repo: TestRepository, of id: String) throws {
    let names = [
      "review-a/\(id).yml.bak", "review-b/X\(id).yml", "review-b/annex/\(id.lowercased()).yml",
      "\(id).yaml", "review-a/\(id)-A.yml", "other/\(id).yml/notes.txt",
    ]
    for n in names {
      try repo.write("Recommendations/" + n, TestRepository.recommendation(id: id + "-A", status: "open"))
    }
    try repo.commit("Lookalikes", date: "2030-01-02T10:00:00+00:00")
    for n in names.prefix(3) {
      try repo.write("Recommendations/" + n, TestRepository.recommendation(id: id + "-A", status: "closed"))
    }
    try repo.commit("Lookalikes changed", date: "2030-01-03T10:00:00+00:00")
  }

  func logs(_ history: RecommendationHistory, _ id: String, _ repo: TrackingRepository) throws -> (
    String, String
  ) {
    let log = try RecommendationLog.build(id: id, repo: repo, history: history, today: Self.today)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (log.text(width: 100), String(decoding: try encoder.encode(log), as: UTF8.self))
  }

  @Test func oneIDWalkEqualsTheWholeWalk() throws {
    var moved = 0
    var recreated = 0
    for seed in Self.seeds {
      let repo = try HistoryGenerator.generate(seed: seed, steps: 40)
      let git = try Repository(discoveringFrom: repo.path)
      let first = try RecommendationHistory.load(from: git, usingCache: false)
      try addLookalikes(repo, of: try #require(first.ids.first))
      let tracking = try TrackingRepository(at: repo.path)
      let whole = try RecommendationHistory.load(from: tracking.git, usingCache: false)
      for id in whole.ids + ["GEN-99"] {
        let one = try RecommendationHistory.load(from: tracking.git, usingCache: false, onlyID: id)
        #expect(one.changes(of: id) == whole.changes(of: id), "seed \(seed) id \(id)")
        #expect(one.chain == whole.chain, "seed \(seed) id \(id)")
        #expect(one.ids == (whole.changes(of: id).isEmpty ? [] : [id]), "seed \(seed) id \(id)")
        guard !whole.changes(of: id).isEmpty else { continue }
        let a = try logs(one, id, tracking)
        let b = try logs(whole, id, tracking)
        #expect(a.0 == b.0, "seed \(seed) id \(id): table")
        #expect(a.1 == b.1, "seed \(seed) id \(id): json")
        let changes = whole.changes(of: id)
        if changes.contains(where: \.isMove) { moved += 1 }
        if changes.dropLast().contains(where: \.isDeletion) { recreated += 1 }
      }
      // The lookalikes are other files: an ID named like them is recorded, theirs are not.
      #expect(whole.ids.contains(whole.ids[0] + "-A"))
    }
    #expect(moved > 0, "some ID must move between folders")
    #expect(recreated > 0, "some ID must be deleted and recreated")
  }

  /// With a saved history the saved answer is used, as before: the same log as a cold walk.
  @Test func warmCacheGivesTheSameLog() throws {
    let repo = try HistoryGenerator.generate(seed: 7, steps: 40)
    let tracking = try TrackingRepository(at: repo.path)
    let whole = try RecommendationHistory.load(from: tracking.git, usingCache: true)
    let id = try #require(whole.ids.last)
    let warm = try RecommendationHistory.load(from: tracking.git, usingCache: true, onlyID: id)
    #expect(warm.ids == whole.ids, "a saved history answers whole")
    let cold = try RecommendationHistory.load(from: tracking.git, usingCache: false, onlyID: id)
    #expect(try logs(warm, id, tracking) == logs(cold, id, tracking))
  }
}
