import Foundation
import RecTrackTestSupport
import Testing

/// A remembered paper (`summary` in JSON, Markdown or HTML) is byte for byte the paper computed
/// afresh (`--no-cache`), through new meetings, new commits, a moved meeting tag and a changed
/// template; a repeat is read from `.git/rectrack/history/report-*.cache`.
@Suite struct SummaryCacheCommandTests {
  @Test func rememberedPapersEqualFreshOnes() throws {
    let repo = try HistoryGenerator.generate(seed: 23, steps: 30)
    func run(_ args: [String]) throws -> ProcessResult {
      try CLI.run(args + ["--repo", repo.path], in: repo.path)
    }
    let asks: [[String]] = [
      ["summary", "--format", "json"], ["summary", "--format", "md"], ["summary", "--format", "html"],
      ["summary", "--as-of", "2020-12-31", "--since", "2020-06-30", "--format", "md"],
      ["summary", "--recorded-at", "HEAD~2", "--format", "json"],
      ["summary", "--recorded-at", "2020-09-30", "--format", "md"],
      ["summary", "--format", "md", "--paper-title", "Scrutiny of the year", "--next-meeting", "2031-09-01"],
    ]
    let dir = repo.path + "/.git/rectrack/history"
    func reports() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("report-") }
    }
    func expectSame(_ label: String) throws {
      for ask in asks {
        let fresh = try run(ask + ["--no-cache"])
        #expect(fresh.status == 0, "\(label) \(ask): \(fresh.stderr)")
        for round in ["first", "remembered"] {
          let got = try run(ask)
          #expect(
            got.status == fresh.status && got.stdout == fresh.stdout && got.stderr == fresh.stderr,
            "\(label) \(ask) \(round)")
        }
      }
    }
    try expectSame("no meeting")
    #expect(!reports().isEmpty, "no paper was remembered")

    // Meetings recorded: the default paper becomes the last meeting's, compared with the one before.
    let ids = try repo.git.run(["ls-tree", "-r", "--name-only", "HEAD~6", "--", "Recommendations/"])
    #expect(!ids.isEmpty)
    try repo.git.run(["tag", "-a", "meeting/2020-06-30", "-m", "Panel, June", "HEAD~6"])
    try expectSame("one meeting")
    try repo.git.run([
      "tag", "-a", "meeting/2020-12-31", "-m", "Panel, December\n\nNotes of the meeting.", "HEAD~2",
    ])
    try expectSame("two meetings")

    // The meeting's tag moved to another commit (same name): another paper.
    try repo.git.run(["tag", "-f", "-a", "meeting/2020-12-31", "-m", "Panel, December (restated)", "HEAD~1"])
    try expectSame("tag moved")
    // The previous meeting retitled on the same commit: only its tag's message differs.
    try repo.git.run(["tag", "-f", "-a", "meeting/2020-06-30", "-m", "Extraordinary panel, June", "HEAD~6"])
    try expectSame("previous meeting retitled")

    // A new commit with the repository's own template: HEAD and the template's text change.
    try FileManager.default.createDirectory(
      atPath: repo.path + "/Templates", withIntermediateDirectories: true)
    try repo.write("Templates/summary.md.mustache", "# {{title}}\n\nOwn template: {{asOf}}\n")
    try repo.commit("Templates: our own paper", date: "2031-03-04T10:00:00+01:00")
    try expectSame("own template")
  }
}
