import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// One test per rule of docs/format.md §4 and §5, on small repositories built with the git CLI.
@Suite struct HistoryRuleTests {
  let path = "Recommendations/DP-01.yml"

  func rec(_ status: String, id: String = "DP-01", due: String? = nil, crlf: Bool = false) -> String {
    TestRepository.recommendation(id: id, status: status, due: due, crlf: crlf)
  }

  func load(_ repo: TestRepository) throws -> RecommendationHistory {
    try RecommendationHistory.load(from: Repository(discoveringFrom: repo.path), readingContents: true)
  }

  func status(_ h: RecommendationHistory, _ day: String, id: String = "DP-01") -> String? {
    h.version(of: id, asOf: CalendarDate(day)!).flatMap { h.reading(of: $0)?.summary?.status }
  }

  @Test func effectiveTrailerBeatsAuthorDate() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open"))
    try repo.commit("Add", date: "2021-01-05T10:00:00+00:00")
    try repo.write(path, rec("closed"))
    try repo.commit("Close DP-01\n\nEffective: 2021-03-15\n", date: "2021-05-10T10:00:00+00:00")
    let h = try load(repo)
    #expect(h.commits.map(\.date) == [CalendarDate("2021-01-05")!, CalendarDate("2021-03-15")!])
    #expect(h.commits.map(\.dateFromTrailer) == [false, true])
    #expect(status(h, "2021-03-14") == "open")
    #expect(status(h, "2021-03-15") == "closed")
    #expect(status(h, "2021-04-30") == "closed")
  }

  @Test func anOlderCommitNeverOverridesANewerOne() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open"))
    try repo.commit("Add", date: "2021-01-10T10:00:00+00:00")
    try repo.write(path, rec("closed"))
    try repo.commit("Close", date: "2021-03-10T10:00:00+00:00")
    try repo.write(path, rec("in-progress"))
    try repo.commit("Reopen, recorded late\n\nEffective: 2021-02-01\n", date: "2021-04-01T10:00:00+00:00")
    let h = try load(repo)
    #expect(status(h, "2021-01-31") == "open")
    #expect(status(h, "2021-02-28") == "in-progress")
    // Dated on or before 31 March: all three; the latest in first-parent order is the third.
    #expect(status(h, "2021-03-31") == "in-progress")
    let report = ProgressReport.build(
      history: h, from: YearMonth("2021-01"), to: YearMonth("2021-04"), today: CalendarDate("2021-04-30")!)
    #expect(report.months.map { $0.counts["closed"] } == [0, 0, 0, 0])
    #expect(report.months.map { $0.counts["in-progress"] } == [0, 1, 1, 1])
  }

  @Test func authorOffsetDecidesTheDayAtMonthEnds() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open"))
    // 01:30 UTC on 1 April, but 31 March for the author.
    try repo.commit("Add", date: "2021-03-31T23:30:00-02:00")
    try repo.write(path, rec("complete"))
    // 19:00 UTC on 30 April, but 1 May for the author.
    try repo.commit("Complete", date: "2021-05-01T00:30:00+05:30")
    let h = try load(repo)
    #expect(h.commits.map(\.date.description) == ["2021-03-31", "2021-05-01"])
    let report = ProgressReport.build(
      history: h, from: YearMonth("2021-03"), to: YearMonth("2021-05"), today: CalendarDate("2021-05-31")!)
    #expect(report.months.map(\.total) == [1, 1, 1])
    #expect(report.months.map { $0.counts["complete"] } == [0, 0, 1])
  }

  @Test func aMoveBetweenFoldersIsAChangeOfTheSameID() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/a/DP-01.yml", rec("open"))
    try repo.commit("Add", date: "2021-01-10T10:00:00+00:00")
    try repo.move("Recommendations/a/DP-01.yml", "Recommendations/b/c/DP-01.yml")
    try repo.commit("Move, same content", date: "2021-02-10T10:00:00+00:00")
    let h = try load(repo)
    #expect(h.ids == ["DP-01"])
    let changes = h.changes(of: "DP-01")
    #expect(changes.count == 2)
    #expect(changes[1].isMove)
    #expect(changes[1].version?.blob == changes[0].version?.blob)
    #expect(h.version(of: "DP-01", asOf: CalendarDate("2021-01-31")!)?.path == "Recommendations/a/DP-01.yml")
    #expect(
      h.version(of: "DP-01", asOf: CalendarDate("2021-02-28")!)?.path == "Recommendations/b/c/DP-01.yml")
    let report = ProgressReport.build(
      history: h, from: YearMonth("2021-01"), to: YearMonth("2021-02"), today: CalendarDate("2021-02-28")!)
    #expect(report.months.map(\.total) == [1, 1])
  }

  @Test func aMoveDatedEarlierStillWinsInFirstParentOrder() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/a/DP-01.yml", rec("open"))
    try repo.commit("Add", date: "2021-01-10T10:00:00+00:00")
    try repo.write("Recommendations/a/DP-01.yml", rec("closed"))
    try repo.commit("Close", date: "2021-03-10T10:00:00+00:00")
    try repo.move("Recommendations/a/DP-01.yml", "Recommendations/b/DP-01.yml")
    try repo.commit("Regroup\n\nEffective: 2021-02-01\n", date: "2021-04-01T10:00:00+00:00")
    let h = try load(repo)
    // The move carries the closed content, and as of February it is the deciding change.
    #expect(status(h, "2021-02-15") == "closed")
    #expect(h.version(of: "DP-01", asOf: CalendarDate("2021-02-15")!)?.path == "Recommendations/b/DP-01.yml")
  }

  @Test func deletionAndRecreation() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open"))
    try repo.commit("Add", date: "2021-01-10T10:00:00+00:00")
    try repo.remove(path)
    try repo.commit("Withdraw", date: "2021-02-10T10:00:00+00:00")
    try repo.write("Recommendations/x/DP-01.yml", rec("in-progress"))
    try repo.commit("Bring back", date: "2021-04-10T10:00:00+00:00")
    let h = try load(repo)
    #expect(h.changes(of: "DP-01").map(\.isDeletion) == [false, true, false])
    #expect(h.version(of: "DP-01", asOf: CalendarDate("2021-03-31")!) == nil)
    #expect(h.snapshot(asOf: CalendarDate("2021-03-31")!).isEmpty)
    #expect(status(h, "2021-04-30") == "in-progress")
    let report = ProgressReport.build(
      history: h, from: YearMonth("2021-01"), to: YearMonth("2021-04"), today: CalendarDate("2021-04-30")!)
    #expect(report.months.map(\.total) == [1, 0, 0, 1])
    #expect(report.months.map(\.movements.removed) == [0, 1, 0, 0])
    #expect(report.months.map(\.movements.opened) == [1, 0, 0, 1])
  }

  @Test func aMergeIsOneChangeAgainstItsFirstParent() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open"))
    try repo.commit("Add", date: "2021-01-05T10:00:00+00:00")
    try repo.checkout("side", create: true)
    try repo.write(path, rec("in-progress"))
    let side1 = try repo.commit("Start", date: "2021-01-10T10:00:00+00:00")
    try repo.write(path, rec("complete"))
    let side2 = try repo.commit("Finish", date: "2021-01-20T10:00:00+00:00")
    try repo.checkout("main")
    let merge = try repo.merge("side", message: "Merge side", date: "2021-03-05T10:00:00+00:00")
    let h = try load(repo)
    #expect(!h.commits.map(\.id.hex).contains(side1))
    #expect(!h.commits.map(\.id.hex).contains(side2))
    #expect(h.commits.last?.id.hex == merge)
    #expect(h.changes(of: "DP-01").count == 2)
    #expect(status(h, "2021-01-31") == "open")
    #expect(status(h, "2021-02-28") == "open")
    #expect(status(h, "2021-03-31") == "complete")
  }

  @Test func commitsOutsideRecommendationsAndOtherFilesDoNotCount() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open"))
    try repo.write("Recommendations/README.md", "notes\n")
    try repo.write("Recommendations/notes.yml", "status: open\n")
    try repo.write("Elsewhere/DP-02.yml", rec("open", id: "DP-02"))
    try repo.commit("Add", date: "2021-01-05T10:00:00+00:00")
    try repo.write("rectrack.yml", "organisation: x\n")
    try repo.commit("Settings", date: "2021-02-05T10:00:00+00:00")
    try repo.write("Recommendations/README.md", "more notes\n")
    try repo.commit("Notes", date: "2021-02-06T10:00:00+00:00")
    let h = try load(repo)
    #expect(h.ids == ["DP-01"])
    #expect(h.commits.count == 1)
    #expect(h.firstParentLength == 3)
  }

  @Test func crlfFilesAndUnusableFiles() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("complete", crlf: true))
    try repo.write("Recommendations/DP-02.yml", "id: DP-02\ntitle: no status here\n")
    try repo.write("Recommendations/DP-03.yml", rec("pending", id: "DP-03"))
    let add = try repo.commit("Add", date: "2021-01-05T10:00:00+00:00")
    let h = try load(repo)
    let report = ProgressReport.build(
      history: h, from: YearMonth("2021-01"), to: YearMonth("2021-02"), today: CalendarDate("2021-02-28")!)
    #expect(report.months.map(\.total) == [1, 1])
    #expect(report.months[0].counts["complete"] == 1)
    #expect(
      report.warnings.map(\.path).sorted() == ["Recommendations/DP-02.yml", "Recommendations/DP-03.yml"])
    #expect(report.warnings.allSatisfy { $0.commit.hex == add })
  }

  @Test func overdueAtMonthEnd() throws {
    let repo = try TestRepository()
    try repo.write(path, rec("open", due: "2021-02-28"))
    try repo.write("Recommendations/DP-02.yml", rec("complete", id: "DP-02", due: "2021-01-01"))
    try repo.write("Recommendations/DP-03.yml", rec("closed", id: "DP-03", due: "2021-01-01"))
    try repo.commit("Add", date: "2021-01-05T10:00:00+00:00")
    let h = try load(repo)
    let report = ProgressReport.build(
      history: h, from: YearMonth("2021-01"), to: YearMonth("2021-03"), today: CalendarDate("2021-03-31")!)
    // Due 28 February is not overdue as of 28 February (due < D), but is as of 31 March.
    #expect(report.months.map(\.overdue) == [0, 0, 1])
  }

  @Test func emptyRepositoryHasNoHistory() throws {
    let repo = try TestRepository()
    let h = try load(repo)
    #expect(h.head == nil)
    #expect(h.changes.isEmpty)
  }
}
