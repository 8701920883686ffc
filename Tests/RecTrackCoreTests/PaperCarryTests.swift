import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// A remembered paper carried on to a later commit (`PaperText.carried`): every carried paper is
/// byte for byte the paper computed afresh from that commit, in JSON, Markdown and HTML, along
/// random histories and through hand-made commits on top; and it is carried exactly when the
/// commits since cannot change it (changes dated after the paper's day, nothing outside
/// `Recommendations/` changed, no meeting or update tag on them); a paper asked again on
/// another day is the same paper when its day and meeting are.
@Suite struct PaperCarryTests {
  struct Ask: CustomStringConvertible {
    var day: CalendarDate
    var since: CalendarDate?
    var format: String
    var description: String { "\(format) as of \(day) since \(since.map(\.description) ?? "-")" }
  }

  static func paper(
    _ repo: TestRepository, _ ask: Ask, at commit: ObjectID?, today: CalendarDate, usingCache: Bool
  ) throws -> (paper: RememberedPaper, origin: Summary.PaperOrigin) {
    var request = PaperRequest(
      asOf: ask.day, since: ask.since, recordedAt: commit.map { .commit($0, text: $0.hex) }, today: today)
    request.usingCache = usingCache
    let name = ask.format == "json" ? nil : SummaryRenderer.defaultTemplate(forFormat: ask.format)
    return try Summary.rememberedTracing(
      request, in: TrackingRepository(at: repo.path), format: ask.format, template: name
    ) { (p) throws(TrackingError) -> String in
      guard let name else { return SummaryRenderer.json(p.summary) }
      return try SummaryRenderer.render(p.summary, template: name, store: TemplateStore(repo: p.repo))
    }
  }

  /// The paper from the cache and afresh, which must be the same; where the first came from.
  static func compare(
    _ repo: TestRepository, _ ask: Ask, at commit: ObjectID? = nil, today: CalendarDate,
    _ label: String
  ) throws -> Summary.PaperOrigin {
    let (got, origin) = try paper(repo, ask, at: commit, today: today, usingCache: true)
    let fresh = try paper(repo, ask, at: commit, today: today, usingCache: false).paper
    #expect(got.text == fresh.text, "\(label) \(ask) (\(origin)): the texts differ")
    #expect(got.recordedAt == fresh.recordedAt, "\(label) \(ask)")
    #expect(got.warnings == fresh.warnings, "\(label) \(ask)")
    return origin
  }

  /// Along the second half of random histories (back-dated trailers, merges, moves, unusable
  /// files), papers as of days early, midway and after the end, from each commit in turn:
  /// whatever is carried on equals the paper computed afresh.
  @Test(arguments: [5, 12, 31] as [UInt64])
  func carriedPapersEqualFreshOnesAlongRandomHistories(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 60)
    let whole = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true, usingCache: false)
    let range = try #require(whole.dateRange)
    let middle = whole.commits[whole.commits.count / 2].date
    let today = range.upperBound.adding(days: 30)
    var random = SeededRandom(seed: seed)
    let asks = [
      Ask(day: whole.commits[whole.commits.count / 4].date, since: nil, format: "json"),
      Ask(day: middle, since: middle.adding(days: -90), format: "json"),
      Ask(day: middle, since: middle.adding(days: -90), format: "md"),
      Ask(day: middle, since: nil, format: "html"),
      Ask(day: range.upperBound.adding(days: 1), since: middle, format: "json"),
    ]
    var carried = 0
    var computed = 0
    for ask in asks {
      var position = whole.chain.count / 2
      while position < whole.chain.count {
        switch try Self.compare(
          repo, ask, at: whole.chain[position].id, today: today, "seed \(seed) at \(position)")
        {
        case .carried: carried += 1
        case .computed: computed += 1
        case .remembered: break
        }
        position += random.chance(0.2) ? Int.random(in: 2...4, using: &random) : 1
      }
    }
    print("seed \(seed): \(carried) papers carried on, \(computed) computed")
    #expect(computed > 0)
    #expect(carried > 0, "seed \(seed): no paper was carried on")
  }

  /// Hand-made commits on a random history, recorded one after another as an office does: each
  /// paper carried on or computed as expected, and equal to the fresh paper.
  @Test func handMadeCommitsCarryThePaperOnOrNot() throws {
    let repo = try HistoryGenerator.generate(seed: 41, steps: 30)
    let whole = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true, usingCache: false)
    let last = try #require(whole.dateRange?.upperBound)
    let middle = whole.commits[whole.commits.count / 2].date
    let recordingDay = last.adding(days: 30)
    let later = recordingDay.adding(days: 20)
    let today = later
    let ids = whole.headSnapshot().sorted { $0.key < $1.key }
    let (someID, someVersion) = try #require(ids.first)
    let (otherID, otherVersion) = try #require(ids.dropFirst().first)
    var hour = 8
    /// A commit recorded on `day` (author and committer), an hour after the one before.
    func record(_ message: String, on day: CalendarDate = recordingDay, _ change: () throws -> Void) throws {
      try change()
      hour += 1
      try repo.commit(message, date: "\(day)T\(hour < 10 ? "0" : "")\(hour):00:00+00:00")
    }
    let asOfMiddle = [
      Ask(day: middle, since: middle.adding(days: -60), format: "json"),
      Ask(day: middle, since: nil, format: "md"),
      Ask(day: middle, since: middle.adding(days: -60), format: "html"),
    ]
    let asOfLater = Ask(day: later, since: middle, format: "json")
    func expect(
      _ label: String, middle: Summary.PaperOrigin, later: Summary.PaperOrigin, on today: CalendarDate = today
    ) throws {
      for ask in asOfMiddle {
        let origin = try Self.compare(repo, ask, today: today, label)
        #expect(origin == middle, "\(label) \(ask): \(origin), expected \(middle)")
      }
      let origin = try Self.compare(repo, asOfLater, today: today, label)
      #expect(origin == later, "\(label) \(asOfLater): \(origin), expected \(later)")
    }

    try record("Start of the day") {}
    try expect("first papers", middle: .computed, later: .computed)
    try expect("asked again", middle: .remembered, later: .remembered)
    try expect("asked again a week on", middle: .remembered, later: .remembered, on: today.adding(days: 7))

    try record("A status moves") {
      try repo.write(someVersion.path, TestRepository.recommendation(id: someID, status: "in-progress"))
    }
    try expect("a change dated after the middle", middle: .carried(1), later: .computed)

    try record("Nothing but a note") {}
    try expect("a commit changing nothing", middle: .carried(1), later: .carried(1))

    try record("Another status") {
      try repo.write(otherVersion.path, TestRepository.recommendation(id: otherID, status: "open"))
    }
    try record("A new recommendation") {
      try repo.write("Recommendations/ZZ-1.yml", TestRepository.recommendation(id: "ZZ-1", status: "open"))
    }
    try expect("two changes since", middle: .carried(2), later: .computed)

    try record("A late record\n\nEffective: \(middle.adding(days: -5))\n") {
      try repo.write(otherVersion.path, TestRepository.recommendation(id: otherID, status: "closed"))
    }
    try expect("a change dated before the middle", middle: .computed, later: .computed)

    try record("The office's name") {
      try repo.write("rectrack.yml", (repo.contents("rectrack.yml") ?? "") + "organisation: Test Office\n")
    }
    try expect("rectrack.yml changed", middle: .computed, later: .computed)

    try record("A template's notes") {
      try FileManager.default.createDirectory(
        atPath: repo.path + "/Templates", withIntermediateDirectories: true)
      try repo.write("Templates/README.txt", "Our papers.\n")
    }
    try expect("Templates/ changed", middle: .computed, later: .computed)

    try record("Next day's change", on: recordingDay.adding(days: 1)) {
      try repo.write(
        "Recommendations/ZZ-1.yml", TestRepository.recommendation(id: "ZZ-1", status: "in-progress"))
    }
    // The paper names the day its commit was recorded: written anew.
    try expect("recorded the next day", middle: .carried(1), later: .computed)

    try record("Removed", on: recordingDay.adding(days: 1)) { try repo.remove("Recommendations/ZZ-1.yml") }
    try expect("a removal the same day", middle: .carried(1), later: .computed)
  }
}
