import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Remembered progress reports (`.git/rectrack/history/report-*.cache`): a repeat with the same
/// HEAD, workflow, filter and months reads the saved report, anything else in the key computes
/// anew, and every answer equals `ProgressReport.build` on a cold walk. A damaged, foreign or
/// future file is never believed. No timings.
@Suite struct ReportCacheTests {
  func dir(_ repo: TestRepository) -> String { repo.path + "/.git/rectrack/history" }

  func files(_ repo: TestRepository, _ prefix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir(repo))) ?? []).filter { $0.hasPrefix(prefix) }
      .sorted().map { dir(repo) + "/" + $0 }
  }

  /// The saved progress reports, or (`tails`) the tails kept beside them for carrying a report
  /// on: a file holds its whole key, whose kind is `progress` or `progress-tail`.
  func reports(_ repo: TestRepository, tails: Bool = false) -> [String] {
    let mark = Data("progress-tail".utf8)
    return files(repo, "report-").filter { file in
      (FileManager.default.contents(atPath: file)?.range(of: mark) != nil) == tails
    }
  }

  /// The ways a command asks: workflow, filter and months.
  struct Ask: CustomStringConvertible {
    var workflow = Workflow.standard
    var filter = RecommendationFilter()
    var from: YearMonth?
    var to: YearMonth?
    var today = CalendarDate("2031-06-15")!
    var description: String {
      "\(workflow.statuses) \(filter) \(String(describing: from))-\(String(describing: to)) \(today)"
    }
  }

  static let parked = Workflow(
    statuses: ["open", "in-progress", "complete", "closed", "not-accepted", "superseded", "parked"],
    terminal: ["closed", "not-accepted", "parked"], initial: "open",
    transitions: Workflow.standard.transitions, awaitingVerification: "complete")

  static let asks: [Ask] = [
    Ask(),
    Ask(workflow: parked),
    Ask(filter: RecommendationFilter(owner: "Chief Constable")),
    Ask(filter: RecommendationFilter(tag: "beta", source: "Review A")),
    Ask(from: YearMonth("2020-03"), to: YearMonth("2021-02")),
    Ask(to: YearMonth("2020-12")),
    Ask(today: CalendarDate("2031-07-01")!),
  ]

  func remembered(_ repo: TestRepository, _ ask: Ask) throws -> ProgressReport {
    try ProgressReport.load(
      from: Repository(discoveringFrom: repo.path), from: ask.from, to: ask.to, filter: ask.filter,
      workflow: ask.workflow, today: ask.today)
  }

  func cold(_ repo: TestRepository, _ ask: Ask) throws -> ProgressReport {
    let history = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), readingContents: true, usingCache: false)
    return ProgressReport.build(
      history: history, from: ask.from, to: ask.to, filter: ask.filter, workflow: ask.workflow,
      today: ask.today)
  }

  func expectEqual(_ a: ProgressReport, _ b: ProgressReport, _ label: String) {
    #expect(ProgressRenderer.json(a) == ProgressRenderer.json(b), "\(label): JSON differs")
    #expect(a.warnings == b.warnings, "\(label): warnings differ")
    #expect(
      ProgressRenderer.table(a, changeView: true, width: 200)
        == ProgressRenderer.table(b, changeView: true, width: 200), "\(label): movements differ")
  }

  /// Every ask, twice, equals the cold report; the second time the history is not read at all
  /// (its caches were removed and are not written again).
  func expectSame(_ repo: TestRepository, _ label: String) throws {
    for ask in Self.asks {
      let expected = try cold(repo, ask)
      expectEqual(try remembered(repo, ask), expected, "\(label) \(ask) first")
      for f in files(repo, "commits-") + files(repo, "readings-") + files(repo, "assembled-") {
        try FileManager.default.removeItem(atPath: f)
      }
      expectEqual(try remembered(repo, ask), expected, "\(label) \(ask) remembered")
      #expect(
        files(repo, "assembled-").isEmpty && files(repo, "commits-").isEmpty,
        "\(label) \(ask): the history was read again instead of the saved report")
    }
  }

  @Test(arguments: [4, 13, 21] as [UInt64])
  func rememberedReportsEqualColdOnesThroughRewrites(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 30)
    try expectSame(repo, "seed \(seed)")
    #expect(reports(repo).count == Self.asks.count, "one report per ask")
    #expect(reports(repo, tails: true).count == Self.asks.count, "one tail per report")

    // A new commit: a new HEAD, a new key.
    try repo.write(
      "Recommendations/new/ZZ-NEW-01.yml", TestRepository.recommendation(id: "ZZ-NEW-01", status: "open"))
    try repo.commit("ZZ-NEW-01: new\n\nEffective: 2020-02-01", date: "2031-03-04T10:00:00+01:00")
    try expectSame(repo, "seed \(seed) one commit on")

    // Amended, then reset: the reports of commits no longer on the branch are not used.
    try repo.git.run(
      ["commit", "-q", "--amend", "--allow-empty", "-m", "Amended\n\nEffective: 2020-01-02"],
      environment: ["GIT_COMMITTER_DATE": "2032-01-01T00:00:00Z"])
    try expectSame(repo, "seed \(seed) amended")
    try repo.git.run(["reset", "-q", "--hard", "HEAD~4"])
    try expectSame(repo, "seed \(seed) reset")
    #expect(files(repo, "report-").count <= 32, "old reports are not pruned")
  }

  /// Each way the saved file can be wrong: the answer is the cold one, its own damaged file is
  /// written anew, another program's or version's file is left alone.
  @Test func damagedForeignAndFutureReportsAreNeverBelieved() throws {
    let repo = try HistoryGenerator.generate(seed: 9, steps: 25)
    let ask = Ask()
    let expected = try cold(repo, ask)
    _ = try remembered(repo, ask)
    let file = try #require(reports(repo).first)
    let original = try Data(contentsOf: URL(fileURLWithPath: file))

    func damage(_ label: String, ours: Bool, _ change: (inout Data) -> Void) throws {
      var d = original
      change(&d)
      try d.write(to: URL(fileURLWithPath: file))
      expectEqual(try remembered(repo, ask), expected, label)
      let now = FileManager.default.contents(atPath: file)
      #expect(ours ? now == original : now == d, "\(label): \(ours ? "not written anew" : "touched")")
      try original.write(to: URL(fileURLWithPath: file))
    }

    for c in CacheDamage.all { try damage(c.label, ours: c.ours, c.change) }
  }

  /// Another ask's report under this ask's name (a digest collision): never believed.
  @Test func anotherKeysReportIsNeverBelieved() throws {
    let repo = try HistoryGenerator.generate(seed: 10, steps: 20)
    let plain = Ask()
    let parked = Ask(workflow: Self.parked)
    _ = try remembered(repo, plain)
    let plainFile = try #require(reports(repo).first)
    _ = try remembered(repo, parked)
    let parkedFile = try #require(reports(repo).first { $0 != plainFile })
    try FileManager.default.removeItem(atPath: parkedFile)
    try FileManager.default.copyItem(atPath: plainFile, toPath: parkedFile)
    expectEqual(try remembered(repo, parked), try cold(repo, parked), "another key's report")
  }

  /// The log of a cold walk, as `log ID --no-cache` computes it.
  static func coldLog(_ id: String, _ tracking: TrackingRepository, _ today: CalendarDate)
    throws(TrackingError)
    -> RecommendationLog
  {
    let history: RecommendationHistory
    do throws(GitError) {
      history = try RecommendationHistory.load(from: tracking.git, usingCache: false)
    } catch {
      throw .git(error)
    }
    return try RecommendationLog.build(id: id, repo: tracking, history: history, today: today)
  }

  /// `log ID` remembered: equal to the cold log (JSON and text) for every ID, and a repeat
  /// reads no history; a new commit or another month is a new key.
  @Test(arguments: [5, 14] as [UInt64])
  func rememberedLogsEqualColdOnes(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 25)
    func build(_ id: String, _ today: CalendarDate) throws(TrackingError) -> RecommendationLog {
      try Self.coldLog(id, try TrackingRepository(at: repo.path), today)
    }
    func log(_ id: String, _ today: CalendarDate, cached: Bool) throws -> RecommendationLog {
      guard cached else { return try build(id, today) }
      let tracking = try TrackingRepository(at: repo.path)
      return try RecommendationLog.remembered(id: id, repository: tracking.git, today: today) {
        () throws(TrackingError) -> RecommendationLog in try build(id, today)
      }
    }
    func text(_ l: RecommendationLog) throws -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      return String(decoding: try encoder.encode(l), as: UTF8.self) + l.text(width: 100)
    }
    let history = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), usingCache: false)
    for today in [CalendarDate("2031-06-15")!, CalendarDate("2031-08-01")!] {
      for id in history.ids {
        let cold = try text(try log(id, today, cached: false))
        #expect(try text(try log(id, today, cached: true)) == cold, "\(id) \(today) first")
        #expect(try text(try log(id, today, cached: true)) == cold, "\(id) \(today) remembered")
      }
    }
    // A computation that fails is not remembered; a remembered one is not computed again.
    let id = try #require(history.ids.first)
    let tracking = try TrackingRepository(at: repo.path)
    let today = CalendarDate("2031-06-15")!
    _ = try log(id, today, cached: true)
    let again = try RecommendationLog.remembered(id: id, repository: tracking.git, today: today) {
      () throws(TrackingError) -> RecommendationLog in
      Issue.record("\(id): computed again")
      throw .invalidID(id)
    }
    #expect(try text(again) == (try text(try log(id, today, cached: false))))
    #expect(throws: TrackingError.self) {
      try RecommendationLog.remembered(id: "ZZ-NONE-01", repository: tracking.git, today: today) {
        () throws(TrackingError) -> RecommendationLog in throw .invalidID("ZZ-NONE-01")
      }
    }
  }

  /// `log ID` on a HEAD a few commits on: the log below is carried on (not computed again),
  /// whether the commits since left the ID's files alone or changed them (an edit, a copy in
  /// another folder, a removal); every log equals the cold one.
  @Test func logsAreCarriedOnThroughLaterCommits() throws {
    let repo = try HistoryGenerator.generate(seed: 31, steps: 25)
    let today = CalendarDate("2031-06-15")!
    var computed: [String] = []
    func cold(_ id: String) throws -> String {
      let tracking = try TrackingRepository(at: repo.path)
      let history = try RecommendationHistory.load(from: tracking.git, usingCache: false)
      return try text(try RecommendationLog.build(id: id, repo: tracking, history: history, today: today))
    }
    func remembered(_ id: String) throws -> String {
      let tracking = try TrackingRepository(at: repo.path)
      let log = try RecommendationLog.remembered(id: id, repository: tracking.git, today: today) {
        () throws(TrackingError) -> RecommendationLog in
        computed.append(id)
        return try Self.coldLog(id, tracking, today)
      }
      return try text(log)
    }
    func text(_ l: RecommendationLog) throws -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      return String(decoding: try encoder.encode(l), as: UTF8.self) + l.text(width: 100)
    }
    let snapshot = try RecommendationHistory.load(
      from: Repository(discoveringFrom: repo.path), usingCache: false
    )
    .headSnapshot().sorted { $0.key < $1.key }
    try #require(snapshot.count >= 4)
    let ids = snapshot.map(\.key)
    for id in ids { _ = try remembered(id) }
    func expectAll(_ label: String, computedOnly touched: [String]) throws {
      computed = []
      for id in ids { #expect(try remembered(id) == (try cold(id)), "\(label): \(id)") }
      #expect(computed.sorted() == touched.sorted(), "\(label): computed again")
    }
    try repo.write(snapshot[0].value.path, TestRepository.recommendation(id: ids[0], status: "closed"))
    try repo.commit("Closed", date: "2031-05-01T10:00:00+00:00")
    try expectAll("an edit", computedOnly: [])
    try repo.write(
      "Recommendations/0-copy/\(ids[1]).yml", TestRepository.recommendation(id: ids[1], status: "open"))
    try repo.write("README.md", "changed\n")
    try repo.commit("Copied", date: "2031-05-02T10:00:00+00:00")
    try repo.remove(snapshot[2].value.path)
    try repo.commit("Removed", date: "2031-05-03T10:00:00+00:00")
    try expectAll("a copy and a removal two commits apart", computedOnly: [])
    try repo.write("README.md", "changed again\n")
    try repo.commit("Docs", date: "2031-05-04T10:00:00+00:00")
    try expectAll("a commit outside Recommendations/", computedOnly: [])
  }

  /// `list --as-of DAY` remembered: the day's snapshot equals the cold catalog for days before,
  /// inside and after the history, for all and for one ID, and a repeat reads no history.
  @Test(arguments: [6, 15] as [UInt64])
  func rememberedSnapshotsEqualColdOnes(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 25)
    let tracking = try TrackingRepository(at: repo.path)
    let days = ["2019-12-31", "2020-01-31", "2020-03-15", "2020-06-30", "2021-01-01", "2031-12-31"]
      .map { CalendarDate($0)! }
    func same(_ a: Catalog, _ b: Catalog, _ label: String) {
      #expect(a.recommendations == b.recommendations, "\(label): recommendations differ")
      #expect(a.problems.map(\.description) == b.problems.map(\.description), "\(label): problems differ")
    }
    for day in days {
      let cold = try tracking.catalog(asOf: day)
      same(try tracking.rememberedCatalog(asOf: day), cold, "\(day) first")
      for f in files(repo, "commits-") + files(repo, "readings-") + files(repo, "assembled-") {
        try FileManager.default.removeItem(atPath: f)
      }
      same(try tracking.rememberedCatalog(asOf: day), cold, "\(day) remembered")
      #expect(files(repo, "assembled-").isEmpty, "\(day): the history was read again")
      if let id = cold.recommendations.first?.id {
        same(
          try tracking.rememberedCatalog(asOf: day, only: id), try tracking.catalog(asOf: day, only: id), id)
      }
    }
  }

  /// A HEAD a few commits on: a day before every change since keeps the snapshot below (no
  /// history is read), a day on or after one of them reads the history; both equal the cold
  /// catalog. Changes since: an edit, a back-dated edit, a removal, a commit outside
  /// `Recommendations/`, and two commits at once.
  @Test func snapshotsAreCarriedOnOnlyForDaysBeforeTheChangesSince() throws {
    let repo = try HistoryGenerator.generate(seed: 23, steps: 25)
    let days = ["2020-01-31", "2020-06-30", "2030-12-31", "2031-06-30", "2031-12-31"].map {
      CalendarDate($0)!
    }
    func same(_ a: Catalog, _ b: Catalog, _ label: String) {
      #expect(a.recommendations == b.recommendations, "\(label): recommendations differ")
      #expect(a.problems.map(\.description) == b.problems.map(\.description), "\(label): problems differ")
    }
    /// Every day: equal to the cold catalog, and carried on (no history read) exactly for the
    /// days before `firstChange`.
    func check(_ label: String, firstChange: CalendarDate?) throws {
      for day in days {
        for f in files(repo, "commits-") + files(repo, "readings-") + files(repo, "assembled-") {
          try FileManager.default.removeItem(atPath: f)
        }
        let tracking = try TrackingRepository(at: repo.path)
        let remembered = try tracking.rememberedCatalog(asOf: day)
        let carried = firstChange.map { day < $0 } ?? true
        #expect(
          files(repo, "assembled-").isEmpty == carried,
          "\(label) \(day): \(carried ? "the history was read" : "the snapshot below was used")")
        let cold = try RecommendationHistory.load(from: tracking.git, usingCache: false)
        same(remembered, try tracking.catalog(asOf: day, history: cold), "\(label) \(day)")
      }
    }
    try check("as generated", firstChange: CalendarDate("1970-01-01"))
    let head = try RecommendationHistory.load(from: Repository(discoveringFrom: repo.path), usingCache: false)
      .headSnapshot().sorted { $0.key < $1.key }
    try #require(head.count >= 3)
    let ids = head.map(\.key)
    let paths = head.map(\.value.path)
    try repo.write(paths[0], TestRepository.recommendation(id: ids[0], status: "closed"))
    try repo.commit("Closed", date: "2031-03-01T10:00:00+00:00")
    try check("an edit on 2031-03-01", firstChange: CalendarDate("2031-03-01"))
    try repo.write(paths[1], TestRepository.recommendation(id: ids[1], status: "complete"))
    try repo.commit("Late\n\nEffective: 2020-05-01\n", date: "2031-04-01T10:00:00+00:00")
    try check("a change back-dated to 2020-05-01", firstChange: CalendarDate("2020-05-01"))
    try repo.remove(paths[2])
    try repo.commit("Removed", date: "2031-07-02T10:00:00+00:00")
    try check("a removal on 2031-07-02", firstChange: CalendarDate("2031-07-02"))
    try repo.write("README.md", "not a recommendation\n")
    try repo.commit("Docs", date: "2020-01-01T10:00:00+00:00")
    try check("a commit outside Recommendations/", firstChange: nil)
    try repo.write(paths[0], TestRepository.recommendation(id: ids[0], status: "open"))
    try repo.commit("Reopened", date: "2031-08-01T10:00:00+00:00")
    try repo.write(paths[1], TestRepository.recommendation(id: ids[1], status: "open"))
    try repo.commit("Reopened too", date: "2031-09-01T10:00:00+00:00")
    try check("two commits on 2031-08-01 and 2031-09-01", firstChange: CalendarDate("2031-08-01"))
  }

  @Test func aBareRepositoryIsReadWithoutSaving() throws {
    let repo = try HistoryGenerator.generate(seed: 8, steps: 15)
    let bare = try TemporaryDirectory(prefix: "rectrack-bare")
    let path = bare.path + "/server.git"
    try repo.git.run(["clone", "-q", "--bare", repo.path, path])
    let history = try RecommendationHistory.load(
      from: Repository(discoveringFrom: path), readingContents: true, usingCache: false)
    let expected = ProgressReport.build(history: history, today: CalendarDate("2031-06-15")!)
    let got = try ProgressReport.load(
      from: Repository(discoveringFrom: path), today: CalendarDate("2031-06-15")!)
    expectEqual(got, expected, "bare")
    #expect(!FileManager.default.fileExists(atPath: path + "/rectrack"), "a bare repository got a cache")
  }
}
