import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// A remembered progress report carried on to a later commit (`ProgressReport.carried`): every
/// carried report equals the report of a cold walk of that commit's history, on random
/// histories (back-dated `Effective:` trailers, moves, deletions, merges, unusable files) and on
/// hand-made commits on top (two files of one ID, new IDs, removals, changes dated before the
/// kept months); and the carry is really taken where it can be, and refused where it cannot.
@Suite struct ProgressCarryTests {
  struct Ask: CustomStringConvertible {
    var workflow = Workflow.standard
    var filter = RecommendationFilter()
    var from: YearMonth?
    var to: YearMonth?
    var description: String {
      "\(workflow.statuses.count) statuses, \(filter), \(String(describing: from))-\(String(describing: to))"
    }
  }

  static let parked = ReportCacheTests.parked

  static func before(_ m: YearMonth, _ n: Int = 1) -> YearMonth {
    var out = m
    for _ in 0..<n { out = out.firstDay.adding(days: -1).yearMonth }
    return out
  }

  /// The asks, for a history whose last change is in `month`.
  static func asks(_ month: YearMonth) -> [Ask] {
    let back = before(month, 5)
    return [
      Ask(),
      Ask(workflow: parked),
      Ask(filter: RecommendationFilter(owner: "Chief Constable")),
      Ask(filter: RecommendationFilter(tag: "beta")),
      Ask(from: back),
      Ask(from: month, to: month),
      Ask(to: before(month)),
    ]
  }

  func load(_ repo: TestRepository, at commit: ObjectID, _ ask: Ask, today: CalendarDate) throws
    -> (report: ProgressReport, origin: ProgressReport.Origin)
  {
    try ProgressReport.loadTracing(
      from: Repository(discoveringFrom: repo.path), at: commit, from: ask.from, to: ask.to,
      filter: ask.filter,
      workflow: ask.workflow, today: today, usingCache: true)
  }

  func cold(_ repo: TestRepository, at commit: ObjectID, _ ask: Ask, today: CalendarDate) throws
    -> ProgressReport
  {
    let history = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), at: commit, readingContents: true, usingCache: false)
    return ProgressReport.build(
      history: history, from: ask.from, to: ask.to, filter: ask.filter, workflow: ask.workflow, today: today)
  }

  func expectEqual(_ a: ProgressReport, _ b: ProgressReport, _ label: String) {
    ReportCacheTests().expectEqual(a, b, label)
  }

  /// Whether a hand-made commit's report is carried on.
  enum Expect {
    case carried, refused
    /// Only the report of this month alone, which keeps every point it has.
    case onlyForThisMonthAlone

    func holds(for ask: Ask, _ month: YearMonth) -> Bool {
      switch self {
      case .carried: true
      case .refused: false
      case .onlyForThisMonthAlone: ask.from == month
      }
    }
  }

  struct Tally {
    var carried = 0
    var swept = 0
    var deepest = 0
    mutating func add(_ origin: ProgressReport.Origin) {
      switch origin {
      case .carried(let depth):
        carried += 1
        deepest = max(deepest, depth)
      case .swept: swept += 1
      case .remembered: break
      }
    }
  }

  /// Every commit of a random history's second half, in order (sometimes skipping a few), each
  /// asked on the day after its latest change (as an office runs the report after recording
  /// one), so that reports are carried on within a month: equal to the cold report.
  @Test(arguments: [3, 8, 17, 29] as [UInt64])
  func carriedReportsEqualColdOnesAlongRandomHistories(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 80)
    let whole = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true, usingCache: false)
    let last = try #require(whole.dateRange?.upperBound)
    var random = SeededRandom(seed: seed)
    var tally = Tally()
    for ask in Self.asks(last.yearMonth) {
      var position = whole.chain.count / 2
      while position < whole.chain.count {
        let commit = whole.chain[position].id
        let latest = whole.commits.filter { $0.position <= position }.map(\.date).max() ?? last
        let today = latest.adding(days: 1)
        let (report, origin) = try load(repo, at: commit, ask, today: today)
        expectEqual(
          report, try cold(repo, at: commit, ask, today: today), "seed \(seed) \(ask) at \(position)")
        tally.add(origin)
        position += random.chance(0.2) ? Int.random(in: 2...5, using: &random) : 1
      }
    }
    print("seed \(seed): \(tally.carried) carried on (deepest \(tally.deepest)), \(tally.swept) swept")
    #expect(
      tally.carried * 3 > tally.swept, "seed \(seed): \(tally.carried) carried on, \(tally.swept) swept")
    #expect(tally.deepest > 1, "seed \(seed): no report was carried over several commits")
  }

  /// Hand-made commits on a random history, dated this month or back-dated, each carried on or
  /// refused as expected and equal to the cold report.
  @Test func handMadeCommitsAreCarriedOnOrRefused() throws {
    let repo = try HistoryGenerator.generate(seed: 41, steps: 30)
    let whole = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true, usingCache: false)
    let last = try #require(whole.dateRange?.upperBound)
    let today = last.adding(days: 40)
    let month = today.yearMonth
    let ids = whole.headSnapshot().sorted { $0.key < $1.key }
    let (someID, someVersion) = try #require(ids.first)
    let (otherID, otherVersion) = try #require(ids.dropFirst().first)
    func file(_ id: String, _ status: String, due: String? = nil) -> String {
      TestRepository.recommendation(id: id, status: status, due: due)
    }
    func date(_ d: CalendarDate) -> String { "\(d)T10:00:00+00:00" }
    /// A commit, then every ask that reaches this month: equal to the cold report, and carried
    /// on when `carried` says so for the ask.
    func step(
      _ label: String, carried: Expect = .carried, _ message: String, on day: CalendarDate,
      _ change: () throws -> Void
    ) throws {
      try change()
      let id = try #require(ObjectID(hex: try repo.commit(message, date: date(day))))
      for ask in Self.asks(month) where ask.to == nil || ask.to! >= day.yearMonth {
        let (report, origin) = try load(repo, at: id, ask, today: today)
        expectEqual(report, try cold(repo, at: id, ask, today: today), "\(label), \(ask)")
        #expect((origin == .carried(1)) == carried.holds(for: ask, month), "\(label), \(ask): \(origin)")
      }
    }
    // The reports of the history as it is, kept with their tails.
    let head = try #require(whole.head)
    for ask in Self.asks(month) { _ = try load(repo, at: head, ask, today: today) }

    try step("a status change today", "Moved on", on: today) {
      try repo.write(someVersion.path, file(someID, "in-progress", due: "\(today.adding(days: -10))"))
    }
    try step(
      "closed, back-dated to last month", "Closed\n\nEffective: \(Self.before(month).lastDay)\n",
      on: today
    ) {
      try repo.write(someVersion.path, file(someID, "closed"))
    }
    try step("a second file of one ID (a smaller path wins)", "Copied", on: today) {
      try repo.write("Recommendations/0-first/\(otherID).yml", file(otherID, "complete"))
    }
    try step("the smaller path removed again", "Removed copy", on: today) {
      try repo.remove("Recommendations/0-first/\(otherID).yml")
    }
    try step("moved to another folder and edited", "Moved", on: today) {
      try repo.move(otherVersion.path, "Recommendations/moved/\(otherID).yml")
      try repo.write("Recommendations/moved/\(otherID).yml", file(otherID, "not-accepted"))
    }
    try step("a new recommendation and a removal", "New and gone", on: today) {
      try repo.write("Recommendations/new/ZZ-NEW-01.yml", file("ZZ-NEW-01", "open", due: "\(today)"))
      try repo.remove("Recommendations/moved/\(otherID).yml")
    }
    try step("nothing under Recommendations/", "Docs", on: today) {
      try repo.write("README.md", "changed\n")
    }
    try step("an unusable file", carried: .refused, "Broken", on: today) {
      try repo.write("Recommendations/new/ZZ-NEW-01.yml", "id: ZZ-NEW-01\nstatus: [unclosed\n")
    }
    try step("mended again", carried: .refused, "Mended", on: today) {
      try repo.write("Recommendations/new/ZZ-NEW-01.yml", file("ZZ-NEW-01", "in-progress"))
    }
    let longAgo = Self.before(month, SweepTail.depth)
    try step(
      "back-dated before the kept months", carried: .onlyForThisMonthAlone,
      "Late\n\nEffective: \(longAgo.firstDay)\n",
      on: today
    ) {
      try repo.write("Recommendations/new/ZZ-NEW-01.yml", file("ZZ-NEW-01", "complete"))
    }
    try step("after that, today again", "Today", on: today) {
      try repo.write("Recommendations/new/ZZ-NEW-01.yml", file("ZZ-NEW-01", "closed"))
    }
  }

  /// A damaged tail is never believed: the report is swept, equal to the cold one, and the tail
  /// written anew (a foreign or future file is left alone).
  @Test func aDamagedTailIsNeverBelieved() throws {
    let repo = try HistoryGenerator.generate(seed: 12, steps: 20)
    let whole = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true, usingCache: false)
    let today = try #require(whole.dateRange?.upperBound).adding(days: 2)
    let ask = Ask()
    let base = try #require(whole.head)
    _ = try load(repo, at: base, ask, today: today)
    let dir = repo.path + "/.git/rectrack/history"
    let mark = Data("progress-tail".utf8)
    let tail = try #require(
      try FileManager.default.contentsOfDirectory(atPath: dir).map { dir + "/" + $0 }.first {
        $0.contains("/report-") && FileManager.default.contents(atPath: $0)?.range(of: mark) != nil
      })
    let original = try Data(contentsOf: URL(fileURLWithPath: tail))
    let snapshot = whole.headSnapshot().sorted { $0.key < $1.key }
    let (id, version) = try #require(snapshot.first)
    try repo.write(version.path, TestRepository.recommendation(id: id, status: "complete"))
    let later = try #require(ObjectID(hex: try repo.commit("On", date: "\(today)T09:00:00+00:00")))
    let expected = try cold(repo, at: later, ask, today: today)
    /// Removes the later commit's own report and tail, so that each case carries on again.
    func forgetLater() throws {
      for f in try FileManager.default.contentsOfDirectory(atPath: dir) where f.hasPrefix("report-") {
        let path = dir + "/" + f
        if path != tail, FileManager.default.contents(atPath: path)?.range(of: Data(later.hex.utf8)) != nil {
          try FileManager.default.removeItem(atPath: path)
        }
      }
    }
    for c in CacheDamage.all {
      var d = original
      c.change(&d)
      try d.write(to: URL(fileURLWithPath: tail))
      try forgetLater()
      let (report, origin) = try load(repo, at: later, ask, today: today)
      expectEqual(report, expected, c.label)
      #expect(origin == .swept, "\(c.label): a damaged tail was used (\(origin))")
      let now = FileManager.default.contents(atPath: tail)
      if !c.ours { #expect(now == d, "\(c.label): another program's file was touched") }
    }
    try original.write(to: URL(fileURLWithPath: tail))
    try forgetLater()
    let (report, origin) = try load(repo, at: later, ask, today: today)
    expectEqual(report, expected, "sound tail")
    #expect(origin == .carried(1), "a sound tail was not used (\(origin))")
  }
}
