import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Sizes a colleague can push: a commit adding thousands of recommendations, a file with a
/// hundred thousand keys. Work and output must grow in proportion, not with the square.
@Suite struct LinearSizeTests {
  /// The summary's JSON after one commit that adds `count` recommendations.
  static func summarySize(_ count: Int) throws -> (bytes: Int, summary: Summary) {
    let test = try TestRepository()
    for i in 0..<count {
      try test.write(
        "Recommendations/B-\(i).yml", TestRepository.recommendation(id: "B-\(i)", status: "open"))
    }
    try test.commit("Add \(count) recommendations\n", date: "2021-01-10T10:00:00+00:00")
    let repo = try TrackingRepository(at: test.path)
    let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
    let summary = try Summary.build(
      repo: repo, history: history, request: SummaryRequest(asOf: CalendarDate("2021-02-01")!, since: nil),
      settings: SummarySettings())
    return (SummaryRenderer.json(summary).utf8.count, summary)
  }

  @Test func summaryOfOneBigCommitGrowsLinearly() throws {
    let small = try Self.summarySize(60)
    let large = try Self.summarySize(240)
    // Each of the 240 status changes used to carry the commit with all 240 IDs (ratio ~16).
    let ratio = Double(large.bytes) / Double(small.bytes)
    #expect(ratio < 5.5, "summary JSON: \(small.bytes) bytes for 60, \(large.bytes) for 240 (x\(ratio))")
    // Counted as well: every commit and recommendation ID the summary cites, wherever it is cited.
    func citations(_ s: Summary) -> Int {
      s.statusChanges.reduce(0) { n, c in
        n + c.steps.reduce(0) { $0 + 1 + ($1.commit.recommendations?.count ?? 0) }
      } + s.commits.reduce(0) { $0 + 1 + ($1.recommendations?.count ?? 0) }
    }
    let cited = Double(citations(large.summary)) / Double(citations(small.summary))
    #expect(cited < 4.5, "citations: \(citations(small.summary)) for 60, \(citations(large.summary)) for 240")
    #expect(large.summary.statusChanges.count == 240)
    #expect(
      large.summary.statusChanges.allSatisfy { $0.steps.allSatisfy { $0.commit.recommendations == nil } })
    #expect(large.summary.commits.count == 1)
    #expect(large.summary.commits.first?.recommendations?.count == 240)
  }

  /// A file with `keys` keys of the user's own.
  static func manyKeys(_ keys: Int) -> [UInt8] {
    var text = "id: DP-01\ntitle: t\nsource: s\nraised: 2021-01-01\nowner: o\nstatus: open\n"
    for i in 0..<keys { text += "key-\(i): value \(i)\n" }
    return Array(text.utf8)
  }

  /// Key comparisons made parsing `bytes`, after checking the file reads and validates.
  static func parseCost(_ bytes: [UInt8]) throws -> Int {
    let doc = try RecommendationDocument(bytes: bytes, path: "Recommendations/DP-01.yml")
    let r = try doc.recommendation(expectedID: "DP-01", statuses: ["open", "closed"])
    #expect(r.fields.count > 1000)
    return doc.keyComparisons
  }

  @Test func parsingIsLinearInTheNumberOfKeys() throws {
    // The duplicate-key check compared each key with every earlier one: 100k keys took 44 s
    // (5e9 comparisons). Counted, not timed: the machine is shared.
    let small = try Self.parseCost(Self.manyKeys(10_000))
    let large = try Self.parseCost(Self.manyKeys(40_000))
    // Four times the keys: about four times the comparisons when linear, sixteen when quadratic.
    let ratio = Double(large) / Double(max(small, 1))
    #expect(small >= 10_000, "every key is checked once: \(small)")
    #expect(ratio < 4.5, "\(small) key comparisons for 10k keys, \(large) for 40k (x\(ratio))")
  }
}
