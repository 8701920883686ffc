import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack progress` end to end: the docs/format.md §8 JSON shape, CSV, table, chart, errors.
@Suite struct HistoryProgressCommandTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    func rec(_ id: String, _ status: String, owner: String = "Chief Constable") -> String {
      TestRepository.recommendation(id: id, status: status, owner: owner, due: "2021-02-15")
    }
    try repo.write("Recommendations/a/DP-01.yml", rec("DP-01", "open"))
    try repo.write("Recommendations/DP-02.yml", rec("DP-02", "in-progress", owner: "OPCC"))
    try repo.commit("Add two", date: "2021-01-10T10:00:00+00:00")
    try repo.write("Recommendations/a/DP-01.yml", rec("DP-01", "closed"))
    try repo.commit("Close DP-01\n\nEffective: 2021-02-20\n", date: "2021-03-05T10:00:00+00:00")
    try repo.write("Recommendations/DP-03.yml", "id: DP-03\ntitle: [broken\n")
    try repo.commit("Add a broken file", date: "2021-03-06T10:00:00+00:00")
  }

  func rectrack(_ args: String...) throws -> ProcessResult {
    try CLI.run(args + ["--repo", repo.path], in: repo.path)
  }

  @Test func jsonFollowsSpecSection6() throws {
    let r = try rectrack("progress", "--from", "2021-01", "--to", "2021-03", "--format", "json")
    #expect(r.status == 0)
    #expect(r.stderr.contains("warning: Recommendations/DP-03.yml"))
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(
      doc["statuses"] as? [String] == [
        "open", "in-progress", "complete", "closed", "not-accepted", "superseded",
      ])
    let months = try #require(doc["months"] as? [[String: Any]])
    #expect(months.map { $0["month"] as? String } == ["2021-01", "2021-02", "2021-03"])
    #expect(months.map { $0["asOf"] as? String } == ["2021-01-31", "2021-02-28", "2021-03-31"])
    #expect(months.map { $0["total"] as? Int } == [2, 2, 2])
    let counts = months.map { $0["counts"] as? [String: Int] }
    #expect(
      counts[0] == [
        "open": 1, "in-progress": 1, "complete": 0, "closed": 0, "not-accepted": 0, "superseded": 0,
      ])
    #expect(
      counts[1] == [
        "open": 0, "in-progress": 1, "complete": 0, "closed": 1, "not-accepted": 0, "superseded": 0,
      ])
    #expect(months.map { $0["overdue"] as? Int } == [0, 1, 1])
  }

  @Test func filtersApplyToEachMonthsState() throws {
    let r = try rectrack(
      "progress", "--from", "2021-01", "--to", "2021-02", "--format", "json", "--owner", "OPCC")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let months = try #require(doc["months"] as? [[String: Any]])
    #expect(months.map { $0["total"] as? Int } == [1, 1])
  }

  @Test func csvTableChangeAndChart() throws {
    let csv = try rectrack("progress", "--from", "2021-01", "--to", "2021-03", "--format", "csv")
    #expect(csv.status == 0)
    let lines = csv.stdout.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(
      lines[0]
        == "month,asOf,total,open,in-progress,complete,closed,not-accepted,superseded,final,finalShare,overdue,change"
    )
    #expect(lines[2] == "2021-02,2021-02-28,2,0,1,0,1,0,0,1,0.5,1,0")

    let change = try rectrack("progress", "--from", "2021-01", "--to", "2021-02", "--change")
    #expect(change.stdout.hasPrefix("Month    Opened  Completed  Closed  Reopened  Removed  Total\n"))
    #expect(change.stdout.contains("2021-02       0          0       1         0        0      2\n"))

    let chart = try rectrack("progress", "--from", "2021-01", "--to", "2021-02", "--chart")
    #expect(chart.status == 0)
    #expect(!chart.stdout.contains("\u{1B}"))
    #expect(chart.stdout.contains("2021-02 2 |"))
    #expect(chart.stdout.contains("# closed"))
  }

  @Test func badInputExitsTwoWithOneMessage() throws {
    for args in [
      ["--from", "2021-13"], ["--from", "2021-03", "--to", "2021-01"], ["--chart", "--format", "json"],
    ] {
      let r = try CLI.run(["progress"] + args + ["--repo", repo.path], in: repo.path)
      #expect(r.status == 2)
      #expect(r.stdout == "")
      #expect(r.stderr.hasPrefix("error: "))
    }
  }
}
