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
}
