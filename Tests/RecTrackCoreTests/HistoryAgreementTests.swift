import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The engine against the brute-force git-CLI replay, on generated repositories.
///
/// Default run: 6 seeds of ~25 steps plus one of ~60. `RECTRACK_SLOW_TESTS=1` (CI): 16 seeds of
/// ~150 steps; `RECTRACK_SLOW_TESTS=full`: 60 seeds of ~150 steps.
@Suite struct HistoryAgreementTests {
  static let slow = SlowTests.enabled
  static let seeds: [UInt64] = Array(1...UInt64(SlowTests.size(6, slow: 16, full: 60)))
  static let steps = slow ? 150 : 25
  static let randomDates = slow ? 200 : 40

  @Test(arguments: seeds)
  func engineAgreesWithBruteForceReplay(seed: UInt64) throws {
    try checkAgreement(try HistoryGenerator.generate(seed: seed, steps: Self.steps), seed: seed)
  }

  /// The same agreement on histories packed the ways git packs them, so that the walk reads its
  /// trees through `PackReader` (a history just committed is loose objects, which libgit2 reads):
  /// deltas by offset in chains 50 deep, deltas by id, and two packs with loose objects beside.
  @Test(arguments: [UInt64(31), 32, 33])
  func engineAgreesOnPackedHistories(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: Self.steps * 2)
    switch seed % 3 {
    case 1: try repo.git("repack", "-a", "-d", "-f", "--depth=50", "--window=50")
    case 2: try repo.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f")
    default:
      // One pack, a commit packed into a second, and a last commit left loose.
      try repo.git("repack", "-d", "--depth=50")
      try repo.write(
        "Recommendations/late/LATE-001.yml", TestRepository.recommendation(id: "LATE-001", status: "open"))
      _ = try repo.commitAll("A late one", date: "2030-01-01T12:00:00+00:00")
      try repo.git("repack", "-d")
      try repo.write(
        "Recommendations/late/LATE-002.yml", TestRepository.recommendation(id: "LATE-002", status: "open"))
      _ = try repo.commitAll("A loose one", date: "2030-01-02T12:00:00+00:00")
    }
    #expect(!(try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/objects/pack")).isEmpty)
    try checkAgreement(repo, seed: seed)
  }

  /// One longer history that must contain every case the generator knows, so the agreement
  /// above is not passing on histories too tame to test anything.
  @Test func generatedHistoriesCoverEveryRule() throws {
    let repo = try HistoryGenerator.generate(seed: 2024, steps: 60)
    let git = repo.git
    let merges = try git.run(["rev-list", "--first-parent", "--merges", "HEAD"]).split(separator: "\n")
    #expect(merges.count >= 2)
    let all = try git.run(["rev-list", "--count", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let firstParent = try git.run(["rev-list", "--first-parent", "--count", "HEAD"])
    #expect(Int(all)! > Int(firstParent.trimmingCharacters(in: .whitespacesAndNewlines))!)
    let log = try git.run(["log", "--first-parent", "--format=%B%x00%ad", "--date=iso-strict"])
    #expect(log.contains("\nEffective: "))
    #expect(
      log.contains("T23:") && log.contains("-02:00") || log.contains("-05:00") || log.contains("-08:00"))
    #expect(log.contains("+05:30"))
    let raw = try git.run([
      "log", "--first-parent", "-m", "--raw", "--no-renames", "--format=", "--", "Recommendations/",
    ])
    #expect(raw.contains(" D\tRecommendations/"))
    let history = try RecommendationHistory.load(from: Repository(discoveringFrom: repo.path))
    #expect(history.changes.contains { $0.isMove })
    #expect(history.changes.contains { $0.isMove && $0.previous?.blob == $0.version?.blob })
    #expect(history.changes.contains { $0.commit.dateFromTrailer })
    let recreated = history.ids.filter { id in
      let c = history.changes(of: id)
      return c.dropLast().contains { $0.isDeletion }
    }
    #expect(!recreated.isEmpty)
    let dates = history.commits.map(\.date)
    #expect(zip(dates, dates.dropFirst()).contains { $0 > $1 }, "dates must go backwards somewhere")
    let crlf = try git.run(["grep", "-l", "-I", "\r", "HEAD", "--", "Recommendations/"])
    #expect(!crlf.isEmpty)
    #expect(history.commits.contains { c in history.changes.filter { $0.commit.id == c.id }.count >= 2 })
    try checkAgreement(repo, seed: 2024)
  }

  func checkAgreement(_ repo: TestRepository, seed: UInt64) throws {
    let reference = try BruteForceHistory(repositoryPath: repo.path)
    let history = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true)

    // The same changes, commit by commit and ID by ID, and no side-branch commit among them.
    let referenceChanges = reference.commits.filter { !$0.changed.isEmpty }
    #expect(history.commits.map(\.id.hex) == referenceChanges.map(\.id), "seed \(seed)")
    #expect(history.commits.map(\.date) == referenceChanges.map(\.date), "seed \(seed)")
    for id in Set(reference.commits.flatMap { $0.changed.keys }) {
      let expected = reference.commits.filter { $0.changed[id] != nil }.map(\.id)
      #expect(history.changes(of: id).map(\.commit.id.hex) == expected, "seed \(seed) id \(id)")
    }

    // Every month end, the day before each commit's date, each commit's date, and random days.
    let dates = reference.commits.map(\.date)
    let low = dates.min()!.adding(days: -20)
    let high = dates.max()!.adding(days: 40)
    var days = Set(dates + dates.map { $0.adding(days: -1) })
    var random = SeededRandom(seed: seed &* 7919)
    for _ in 0..<Self.randomDates {
      days.insert(
        low.adding(days: Int.random(in: 0...(high.daysSinceEpoch - low.daysSinceEpoch), using: &random)))
    }
    var month = low.yearMonth
    while month <= high.yearMonth {
      days.insert(month.lastDay)
      month = month.next
    }
    for day in days.sorted() {
      let engine = history.snapshot(asOf: day).mapValues {
        BruteForceHistory.Version(path: $0.path, blob: $0.blob.hex, mode: String($0.mode, radix: 8))
      }
      #expect(engine == reference.snapshot(asOf: day), "seed \(seed) as of \(day)")
    }

    // Monthly figures, unfiltered and with each kind of filter.
    let workflow = Workflow.standard
    for filter in [
      RecommendationFilter(), RecommendationFilter(owner: "OPCC"), RecommendationFilter(tag: "beta"),
      RecommendationFilter(source: "Review B"),
    ] {
      let report = ProgressReport.build(
        history: history, from: low.yearMonth, to: high.yearMonth, filter: filter, workflow: workflow,
        today: high)
      for m in report.months {
        let expected = reference.counts(
          asOf: m.asOf, statuses: workflow.statuses, terminal: workflow.terminal, owner: filter.owner,
          tag: filter.tag, source: filter.source)
        #expect(m.counts.values == expected.counts, "seed \(seed) \(m.month) \(filter)")
        #expect(m.total == expected.counts.reduce(0, +))
        #expect(m.overdue == expected.overdue, "seed \(seed) \(m.month) overdue \(filter)")
      }
    }

    // As of today the state is HEAD's.
    #expect(history.headSnapshot() == history.snapshot(asOf: CalendarDate("9999-12-31")!))
  }
}
