import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack log` end to end: changes recorded by rectrack itself and by hand, read back.
@Suite struct LogCommandTests {
  @Test func logShowsEachChangeAndTheMonthEndTimeline() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add", date: "2020-01-10T10:00:00+00:00")
    // Recorded on 10 March (the committer date), done on 2 March (--effective).
    let env = [
      "GIT_AUTHOR_DATE": "2020-03-10T10:00:00+00:00", "GIT_COMMITTER_DATE": "2020-03-10T10:00:00+00:00",
    ]
    let s = try CLI.run(
      [
        "status", "DP-DDR-01", "in-progress", "--note", "Campaign launched in Llanelli", "--effective",
        "2020-03-02",
        "--author", "Jane Smith <jane@example.org>",
      ], in: repo.path, environment: env)
    #expect(s.status == 0, "\(s.stderr)")
    let u = try CLI.run(
      [
        "update", "DP-DDR-01", "--due", "2021-03-31", "--reason", "Delayed by the pandemic",
        "--author", "Jane Smith <jane@example.org>",
      ], in: repo.path, environment: ["GIT_AUTHOR_DATE": "2020-04-15T10:00:00+01:00"])
    #expect(u.status == 0, "\(u.stderr)")
    let r = try CLI.run(["log", "DP-DDR-01"], in: repo.path)
    #expect(r.status == 0)
    #expect(r.stderr == "")
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "DP-DDR-01  Run targeted drug-intelligence campaigns")
    #expect(lines[2] == "2020-01-10  added (open)")
    #expect(lines[4] == "2020-03-02  status open -> in-progress")
    #expect(lines[5].hasSuffix(", recorded 2020-03-10 (late)"))
    #expect(lines[6] == "            Campaign launched in Llanelli")
    #expect(lines[7] == "2020-04-15  due 2020-09-30 -> 2021-03-31")
    #expect(lines[9] == "            reason: Delayed by the pandemic")
    #expect(r.stdout.contains("Status at each month end\n  2020-01 to 2020-02  open\n  2020-03 to "))

    let json = try CLI.run(["log", "DP-DDR-01", "--format", "json"], in: repo.path)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let entries = try #require(obj["entries"] as? [[String: Any]])
    #expect(entries.map { $0["kind"] as? String } == ["added", "changed", "changed"])
    #expect(entries[1]["dateSource"] as? String == "effective")
    #expect(entries[1]["author"] as? String == "Jane Smith")
    let timeline = try #require(obj["timeline"] as? [[String: Any]])
    #expect(timeline.first?["status"] as? String == "open")
    #expect(timeline.first?["asOf"] as? String == "2020-01-31")
  }

  @Test func unknownAndInvalidIDs() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add")
    let r = try CLI.run(["log", "DP-DDR-1"], in: repo.path)
    #expect(r.status == 2)
    #expect(r.stderr == "error: there is no recommendation DP-DDR-1. Did you mean DP-DDR-01?\n")
    let bad = try CLI.run(["log", "../etc"], in: repo.path)
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("error: '../etc' is not a valid ID"))
  }
}
