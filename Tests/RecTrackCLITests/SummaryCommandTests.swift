import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack meeting` and `rectrack summary` end to end: tags survive push and clone, formats,
/// output files, template overrides and errors.
@Suite struct SummaryCommandTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write(
      "Recommendations/DP-01.yml",
      TestRepository.recommendation(id: "DP-01", status: "open", due: "2021-03-31"))
    try repo.commit("Add DP-01\n", date: "2021-01-10T10:00:00+00:00")
    try repo.write(
      "Recommendations/DP-01.yml",
      TestRepository.recommendation(id: "DP-01", status: "closed", due: "2021-03-31"))
    try repo.commit("DP-01: open -> closed\n\nVerified <at> panel.\n", date: "2021-02-10T10:00:00+00:00")
  }

  func rectrack(_ args: String..., in path: String? = nil) throws -> ProcessResult {
    try CLI.run(args + ["--repo", path ?? repo.path], in: path ?? repo.path)
  }

  func addMeetings() throws {
    let a = try rectrack(
      "meeting", "add", "2021-01-31", "--title", "Panel <January>", "--author", "Clerk <clerk@example.org>",
      "--at", "2021-01-31")
    #expect(a.status == 0, "\(a.stderr)")
    let b = try rectrack(
      "meeting", "add", "2021-02-28", "--title", "Panel", "--notes", "Item 4", "--author",
      "Clerk <clerk@example.org>")
    #expect(b.status == 0, "\(b.stderr)")
  }

  @Test func meetingsAreTagsThatSurvivePushAndClone() throws {
    try addMeetings()
    #expect(try repo.git.run(["tag", "--list", "meeting/*"]) == "meeting/2021-01-31\nmeeting/2021-02-28\n")
    let first = try repo.git.run(["rev-list", "-n", "1", "meeting/2021-01-31"]).trimmingCharacters(
      in: .whitespacesAndNewlines)
    #expect(
      first == (try repo.git.run(["rev-parse", "HEAD~1"]).trimmingCharacters(in: .whitespacesAndNewlines)))
    let here = try rectrack("meeting", "list", "--format", "json")
    #expect(here.status == 0)

    let server = try TemporaryDirectory(prefix: "rectrack-server")
    try GitCLI(directory: server.path).run(["init", "-q", "--bare"])
    try repo.git.run(["push", "-q", server.path, "main", "refs/tags/meeting/*"])
    let clones = try TemporaryDirectory(prefix: "rectrack-clone")
    try GitCLI(directory: clones.path).run(["clone", "-q", server.path, "copy"])
    let there = try rectrack("meeting", "list", "--format", "json", in: clones.path + "/copy")
    #expect(there.status == 0)
    #expect(there.stdout == here.stdout)
    let bare = try rectrack("meeting", "list", in: server.path)
    #expect(bare.stdout.contains("2021-02-28") && bare.stdout.contains("Panel <January>"))
  }

  @Test func addingTheSameMeetingTwiceIsRefused() throws {
    try addMeetings()
    let again = try rectrack(
      "meeting", "add", "2021-02-28", "--title", "Again", "--author", "Clerk <clerk@example.org>")
    #expect(again.status == 2)
    #expect(again.stderr.contains("already recorded"))
    let early = try rectrack(
      "meeting", "add", "2020-01-01", "--title", "Too early", "--author", "C <c@example.org>")
    #expect(early.status == 2 && early.stderr.contains("no commit on or before 2020-01-01"))
  }

  @Test func summaryOfTheLatestMeetingInEachFormat() throws {
    try addMeetings()
    let json = try rectrack("summary", "--format", "json")
    #expect(json.status == 0, "\(json.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(doc["asOf"] as? String == "2021-02-28")
    #expect((doc["period"] as? [String: Any])?["from"] as? String == "2021-01-31")
    #expect((doc["closedSince"] as? [[String: Any]])?.first?["id"] as? String == "DP-01")

    let md = try rectrack("summary", "--meeting", "2021-02-28")
    #expect(md.status == 0 && md.stdout.hasPrefix("# Panel\n"))
    #expect(md.stdout.contains("Verified \\<at> panel."))

    let file = repo.path + "/../paper.html"
    let html = try rectrack(
      "summary", "--format", "html", "--output", file, "--as-of", "2021-03-15", "--since", "2021-01-01")
    #expect(html.status == 0 && html.stdout.isEmpty && html.stderr.contains("Wrote"))
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("Progress summary"))
    try? FileManager.default.removeItem(atPath: file)
  }

  @Test func badInputIsExitTwoWithOneMessage() throws {
    let unknown = try rectrack("summary", "--meeting", "2021-05-05")
    #expect(unknown.status == 2 && unknown.stderr.contains("no meeting is recorded on 2021-05-05"))
    let date = try rectrack("summary", "--as-of", "2021-02-30")
    #expect(date.status == 2 && date.stderr.contains("--as-of '2021-02-30' is not a date"))
    let since = try rectrack("summary", "--as-of", "2021-02-01", "--since-meeting")
    #expect(since.status == 2 && since.stderr.contains("no meeting before 2021-02-01"))
  }

  @Test func theRepositorysOwnTemplatesWinAndTheirErrorsAreLocated() throws {
    try repo.write("Templates/summary.md.mustache", "Own: {{title}} {{headline.total}}\n")
    try repo.write("Templates/broken.md.mustache", "ok\n{{#commits}}\n")
    try repo.commit("Templates\n", date: "2021-02-11T10:00:00+00:00")
    let own = try rectrack("summary", "--as-of", "2021-02-28")
    #expect(own.stdout == "Own: Progress summary 1\n")
    let broken = try rectrack("summary", "--as-of", "2021-02-28", "--template", "broken.md")
    #expect(broken.status == 2)
    #expect(broken.stderr.hasPrefix("error: template Templates/broken.md.mustache: error: line"))
  }
}
