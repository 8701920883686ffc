import Foundation
import RecTrackTestSupport
import Testing

/// End-to-end runs of the built binary: standard output, standard error and exit code for each
/// command, with good input and bad.
@Suite struct CommandLineTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/2019/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write(
      "Recommendations/DP-DDR-02.yml",
      sampleRecommendation(id: "DP-DDR-02", status: "in-progress", due: "2099-01-01", tags: ["treatment"]))
    try repo.commitAll("Add recommendations")
  }

  func rectrack(_ args: String..., env: [String: String] = [:]) throws -> ProcessResult {
    try CLI.run(args, in: repo.path, environment: env)
  }

  @Test func listTableJSONAndCSV() throws {
    let table = try rectrack("list")
    #expect(table.status == 0)
    #expect(table.stderr == "")
    #expect(table.stdout.hasPrefix("ID         STATUS       DUE"))
    #expect(table.stdout.contains("DP-DDR-01  open         30 Sep 2020 (overdue)"))
    #expect(table.stdout.hasSuffix("2 recommendations\n"))

    let json = try rectrack("list", "--format", "json", "--tag", "treatment")
    #expect(json.status == 0)
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(array.count == 1)
    #expect(array[0]["id"] as? String == "DP-DDR-02")
    #expect(array[0]["file"] as? String == "Recommendations/DP-DDR-02.yml")
    #expect(array[0]["tags"] as? [String] == ["treatment"])

    let csv = try rectrack("list", "--format", "csv", "--overdue")
    #expect(csv.stdout.split(separator: "\n").count == 2)
    #expect(
      csv.stdout.hasPrefix("id,status,title,owner,source,raised,due,priority,lead,tags,file\nDP-DDR-01,open,")
    )
  }

  @Test func showTextAndJSON() throws {
    let text = try rectrack("show", "DP-DDR-01")
    #expect(text.status == 0)
    #expect(text.stdout.hasPrefix("DP-DDR-01  Run targeted drug-intelligence campaigns\n"))
    #expect(text.stdout.contains("  Status: open\n"))
    let json = try rectrack("show", "DP-DDR-01", "--format", "json")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(obj["raised"] as? String == "2019-10-01")
    #expect(
      obj["description"] as? String
        == "Engage partner agencies such as CrimeStoppers to run localised,\ntargeted campaigns.\n")
  }

  @Test func unknownIDIsExit2WithSuggestions() throws {
    let r = try rectrack("show", "DP-DDR-1")
    #expect(r.status == 2)
    #expect(r.stdout == "")
    #expect(r.stderr == "error: there is no recommendation DP-DDR-1. Did you mean DP-DDR-01, DP-DDR-02?\n")
  }

  @Test func statusChangeThenLogInGit() throws {
    let r = try rectrack(
      "status", "DP-DDR-01", "in-progress", "--note", "Campaign launched in Llanelli", "--effective",
      "2020-03-02",
      "--author", "Jane Smith <jane@example.org>", env: ["GIT_AUTHOR_DATE": "2020-03-10T10:00:00+00:00"])
    #expect(r.status == 0)
    #expect(r.stderr == "")
    #expect(r.stdout.hasPrefix("Recorded DP-DDR-01: open -> in-progress (commit "))
    #expect(
      try repo.git("log", "-1", "--format=%an <%ae>|%s")
        == "Jane Smith <jane@example.org>|DP-DDR-01: open -> in-progress\n")
    #expect(try repo.git("status", "--porcelain") == "")
  }

  @Test func badInputIsOneClearLineAndExit2() throws {
    let cases: [([String], String)] = [
      (
        ["status", "DP-DDR-01", "closed"],
        "error: DP-DDR-01 cannot move from open to closed: from open you can go to: in-progress, complete, not-accepted, superseded.\n"
      ),
      (
        ["status", "DP-DDR-01", "finished"],
        "error: 'finished' is not a status of this workflow. Use one of: open, in-progress, complete, closed, not-accepted, superseded.\n"
      ),
      (
        ["status", "DP-DDR-01", "in-progress", "--effective", "2020-02-30"],
        "error: --effective '2020-02-30' is not a date: write it as 2021-03-31, 31/03/2021 or 31 Mar 2021.\n"
      ),
      (
        ["status", "DP-DDR-01", "in-progress", "--author", "Jane"],
        "error: --author 'Jane' is not of the form \"Name <email>\", e.g. --author \"Jane Smith <jane.smith@example.org>\".\n"
      ),
      (
        ["list", "--status", "done"],
        "error: 'done' is not a status of this workflow. Use one of: open, in-progress, complete, closed, not-accepted, superseded.\n"
      ),
    ]
    let head = try repo.git("rev-parse", "HEAD")
    for (args, message) in cases {
      let r = try CLI.run(args, in: repo.path)
      #expect(r.status == 2, "\(args)")
      #expect(r.stderr == message, "\(args)")
      #expect(r.stdout == "", "\(args)")
    }
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.git("status", "--porcelain") == "")
  }

  @Test func usageErrorsExit2() throws {
    let r = try rectrack("status")
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("error: Missing expected argument '<id>'"))
    let help = try rectrack("status", "--help")
    #expect(help.status == 0)
    #expect(help.stdout.contains("Examples:"))
  }

  @Test func notARepository() throws {
    let dir = repo.scratch + "/empty"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let r = try CLI.run(
      ["list", "--repo", dir], in: repo.scratch, environment: ["GIT_CEILING_DIRECTORIES": repo.scratch])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "error: \(dir) is not inside a git repository. Run 'rectrack init \(dir)' to make one, or pass --repo PATH.\n"
    )
  }

  @Test func missingAuthorIsAClearError() throws {
    let home = repo.scratch + "/home"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    try repo.git("config", "--unset", "user.name")
    try repo.git("config", "--unset", "user.email")
    let r = try rectrack("status", "DP-DDR-01", "in-progress", env: ["HOME": home, "XDG_CONFIG_HOME": home])
    #expect(r.status == 2)
    #expect(
      r.stderr.hasPrefix(
        "error: no author: pass --author \"Name <email>\", or set one once with: git config --global user.name"
      ))
  }

  @Test func uncommittedWarningOnReads() throws {
    try repo.write("Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "complete"))
    let r = try rectrack("list", "--format", "json")
    #expect(r.status == 0)
    #expect(r.stderr.hasPrefix("warning: Recommendations/DP-DDR-02.yml has changes that are not committed"))
    #expect(r.stdout.contains("\"status\" : \"in-progress\""))
  }

  @Test func validateReportsFileLineAndFixExit1() throws {
    try repo.write("Recommendations/DP-DDR-03.yml", "id: DP-DDR-03\ntitle: Phase 2: pilot\n")
    let r = try rectrack("validate")
    #expect(r.status == 1)
    #expect(r.stdout.hasPrefix("Recommendations/DP-DDR-03.yml:2:"))
    #expect(r.stdout.contains("3 recommendation files checked (working files): 1 error"))
    #expect(r.stderr.contains("validate: fix the errors above"))
    try FileManager.default.removeItem(atPath: repo.path + "/Recommendations/DP-DDR-03.yml")
    let ok = try rectrack("validate")
    #expect(ok.status == 0)
    #expect(ok.stdout == "2 recommendation files checked (working files): 0 errors, 0 warnings.\n")
  }

  @Test func newUpdateAndInitEndToEnd() throws {
    let dir = repo.scratch + "/office"
    let initResult = try CLI.run(
      ["init", dir, "--organisation", "OPCC", "--author", "A B <a@example.org>"], in: repo.scratch)
    #expect(initResult.status == 0)
    #expect(initResult.stdout.hasPrefix("Tracking repository ready at \(dir)"))
    let new = try CLI.run(
      [
        "new", "--id", "NY-CL-01", "--title", "Keep disrupting County Lines", "--source", "Panel report",
        "--owner", "Chief Constable", "--raised", "2022-01-20", "--due", "2023-03-31", "--tag",
        "county-lines",
        "--author", "A B <a@example.org>",
      ], in: dir)
    #expect(new.status == 0, "\(new.stderr)")
    #expect(new.stdout.hasPrefix("Added NY-CL-01 in Recommendations/NY-CL-01.yml (commit "))
    let upd = try CLI.run(
      [
        "update", "NY-CL-01", "--progress", "Ten Lines closed in 2021.", "--set", "lead=Head of SOC",
        "--author", "A B <a@example.org>",
      ], in: dir)
    #expect(upd.status == 0, "\(upd.stderr)")
    #expect(upd.stdout.hasPrefix("Recorded NY-CL-01: progress updated; lead changed (commit "))
    let show = try CLI.run(["show", "NY-CL-01", "--format", "json"], in: dir)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
    #expect(obj["progress"] as? String == "Ten Lines closed in 2021.\n")
    #expect(obj["lead"] as? String == "Head of SOC")
    #expect(try TestRepository.gitCLI(["status", "--porcelain"], in: dir) == "")
    #expect(try TestRepository.gitCLI(["fsck", "--no-progress"], in: dir) == "")
  }
}
