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

  /// One ID in two folders at once (a copy added, each copy edited, the first removed), the
  /// copy moved, a second copy, both removed in one commit and the ID added again elsewhere,
  /// with another ID edited in the same commits: the one-ID walk records what the whole walk does
  /// for every ID, and gives the same log.
  @Test func duplicatesMovesAndReAddsAgreeWithTheWholeWalk() throws {
    for seed in Self.seeds.prefix(3) {
      let repo = try HistoryGenerator.generate(seed: seed, steps: 30)
      let live = try TrackingRepository(at: repo.path).versions().versions.sorted { $0.path < $1.path }
      try #require(live.count >= 2)
      let target = try #require(live.first)
      let other = try #require(live.last)
      let id = target.id
      func path(_ folder: String) -> String {
        folder.isEmpty ? "Recommendations/\(id).yml" : "Recommendations/\(folder)/\(id).yml"
      }
      let copy = ["review-b/annex", "review-a"].map(path).first { $0 != target.path }!
      let second = ["review-a", "review-b"].map(path).first { $0 != copy && $0 != target.path }!
      var day = 1
      func commit(_ message: String) throws {
        try repo.commit(message, date: "2030-02-\(day < 10 ? "0" : "")\(day)T10:00:00+00:00")
        day += 1
      }
      func edit(_ file: String, _ status: String) throws {
        try repo.write(file, TestRepository.recommendation(id: id, status: status, title: "Copy \(day)"))
      }
      try repo.write(copy, try repo.read(target.path))
      try repo.write(other.path, TestRepository.recommendation(id: other.id, status: "closed"))
      try commit("A copy of \(id) in another folder")
      try edit(copy, "closed")
      try commit("The copy edited")
      try edit(target.path, "in-progress")
      try commit("The first edited")
      try repo.remove(target.path)
      try commit("The first removed, the copy stays")
      try repo.move(copy, path(""))
      try repo.write(other.path, TestRepository.recommendation(id: other.id, status: "open"))
      try commit("The copy moved to the top folder")
      try repo.write(second, try repo.read(path("")))
      try commit("A second copy")
      try edit(second, "complete")
      try edit(path(""), "not-accepted")
      try commit("Both copies edited in one commit")
      try repo.remove(path(""))
      try repo.remove(second)
      try repo.write(other.path, TestRepository.recommendation(id: other.id, status: "closed"))
      try commit("Every copy removed")
      try repo.write("README.md", "nothing about recommendations\n")
      try commit("Docs only")
      try edit(copy, "open")
      try commit("Added again")
      let tracking = try TrackingRepository(at: repo.path)
      let whole = try RecommendationHistory.load(from: tracking.git, usingCache: false)
      let changes = whole.changes(of: id)
      let moved = changes.contains { $0.isMove }
      let removedBefore = changes.dropLast().contains { $0.isDeletion }
      let addedAgain = changes.last.map { !$0.isDeletion } ?? false
      #expect(moved && removedBefore && addedAgain, "seed \(seed)")
      for each in whole.ids {
        let one = try RecommendationHistory.load(from: tracking.git, usingCache: false, onlyID: each)
        #expect(one.changes(of: each) == whole.changes(of: each), "seed \(seed) id \(each)")
        #expect(one.chain == whole.chain, "seed \(seed) id \(each)")
        let a = try logs(one, each, tracking)
        let b = try logs(whole, each, tracking)
        #expect(a.0 == b.0, "seed \(seed) id \(each): table")
        #expect(a.1 == b.1, "seed \(seed) id \(each): json")
      }
    }
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
