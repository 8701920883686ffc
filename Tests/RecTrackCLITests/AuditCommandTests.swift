import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack audit` end to end: a history recorded with the binary passes, a closure by the
/// force fails with exit 1, `--seal` then a rewrite is reported with the lost commits, and a
/// real `git push` to a bare repository is refused by a pre-receive hook that runs the audit.
@Suite struct AuditCommandTests {
  let repo: TestRepository
  static let commissioner = AuditFixtures.commissioner
  static let force = AuditFixtures.force
  static let settings = AuditFixtures.settings()

  init() throws {
    repo = try TestRepository()
    try repo.write("rectrack.yml", Self.settings)
    try repo.commitAll("Settings with roles", date: "2021-02-01T09:00:00+00:00")
  }

  /// The day of February 2021 the last rectrack command was dated.
  private final class Day { var value = 2 }
  private let day = Day()

  /// Runs rectrack with a fixed author date, one day later than the last.
  @discardableResult
  func rectrack(_ args: String...) throws -> ProcessResult {
    day.value += 1
    let date = String(format: "2021-02-%02dT10:00:00+00:00", day.value)
    return try CLI.run(
      args, in: repo.path, environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
  }

  /// Records a recommendation and walks it to `complete`, all by the book.
  func recordHistory() throws {
    for id in ["R-01", "R-02"] {
      let r = try rectrack(
        "new", "--id", id, "--title", "Run campaigns", "--source", "Deep dive", "--owner", "Chief Constable",
        "--raised", "2021-01-15", "--due", "2021-06-30", "--author", Self.commissioner)
      #expect(r.status == 0, "\(r.stderr)")
    }
    try rectrack("status", "R-01", "in-progress", "--note", "Started", "--author", Self.force)
    try rectrack(
      "update", "R-01", "--due", "2021-09-30", "--reason", "Staff shortage", "--author", Self.force)
    let r = try rectrack(
      "status", "R-01", "complete", "--note", "Done", "--effective", "2021-02-05", "--author", Self.force)
    #expect(r.status == 0, "\(r.stderr)")
  }

  /// Closes R-01 as the force the way `status` wrote it before rectrack refused such changes:
  /// planted with git, for the audit and the hook to find.
  func plantClosureByTheForce() throws {
    day.value += 1
    let path = "Recommendations/R-01.yml"
    try repo.write(
      path, try repo.read(path).replacingOccurrences(of: "status: complete", with: "status: closed"))
    try repo.commitAll(
      "R-01: complete -> closed\n\nWe closed it\n\nRecommendation: R-01\nStatus: complete -> closed\n",
      date: String(format: "2021-02-%02dT10:00:00+00:00", day.value), author: Self.force)
  }

  @Test func historyRecordedWithTheBinaryPasses() throws {
    try recordHistory()
    try rectrack("status", "R-01", "closed", "--note", "Verified", "--author", Self.commissioner)
    let r = try rectrack("audit")
    #expect(r.status == 0)
    #expect(r.stderr == "")
    #expect(r.stdout.hasPrefix("COMMIT      RECORDED"))
    #expect(r.stdout.contains("(effective 2021-02-05)"))
    #expect(r.stdout.contains("\nNo findings.\n"))
    #expect(r.stdout.contains("R-01  status complete -> closed"))
    #expect(
      r.stdout.hasSuffix(
        "7 commits walked, 6 changes: 0 errors, 0 warnings, 0 notes. Passed (fails on error).\n"))
  }

  @Test func closureByTheForceFailsWithExit1InEveryFormat() throws {
    try recordHistory()
    try plantClosureByTheForce()
    let table = try rectrack("audit")
    #expect(table.status == 1)
    #expect(table.stdout.contains("  error   person-not-allowed  "))
    #expect(
      table.stdout.contains(
        "R-01 was set to closed by Bob Jones <bob.jones@police.example.org> (role force); only the commissioner's office (role 'commissioner': *@opcc.example.org) may set closed\n"
      ))
    #expect(table.stderr == "audit: 1 error(s), 0 warning(s); failing on error (see the findings above).\n")

    let json = try rectrack("audit", "--format", "json")
    #expect(json.status == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.map { $0["rule"] as? String } == ["person-not-allowed"])
    #expect(object["passed"] as? Bool == false)

    let csv = try rectrack("audit", "--format", "csv", "--id", "R-01")
    let lines = csv.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("record,commit,recorded,effective,author,") == true)
    #expect(lines.filter { $0.hasPrefix("change,") }.count == 5)
    #expect(lines.last?.hasPrefix("finding,") == true)
    #expect(lines.last?.contains(",person-not-allowed,error,") == true)

    // Outside the window, nothing fails.
    let early = try rectrack("audit", "--until", "2021-02-05")
    #expect(early.status == 0)
  }

  @Test func failOnWarningAndBadInput() throws {
    try recordHistory()
    try rectrack("status", "R-02", "in-progress", "--author", Self.force)
    #expect(try rectrack("audit").status == 0)
    let strict = try rectrack("audit", "--fail-on", "warning")
    #expect(strict.status == 1)
    #expect(strict.stdout.contains("warning status-without-note"))
    let bad = try rectrack("audit", "--since", "2021-13-01")
    #expect(bad.status == 2)
    #expect(
      bad.stderr
        == "error: --since '2021-13-01' is not a date: write it as 2021-03-31, 31/03/2021 or 31 Mar 2021.\n")
    let range = try rectrack("audit", "--range", "nosuch..HEAD")
    #expect(range.status == 2)
    #expect(range.stderr == "error: --range: 'nosuch' is not a commit in this repository.\n")
  }

  @Test func sealThenRewriteReportsTheCommitsThatDisappeared() throws {
    try recordHistory()
    let sealed = try rectrack("audit", "--seal")
    #expect(sealed.status == 0)
    #expect(sealed.stderr == "Sealed the audited head as audit/2021-02-08.\n")
    #expect(try repo.git("tag", "--list", "audit/*") == "audit/2021-02-08\n")
    #expect(
      try rectrack("audit", "--seal").stderr == "The audited head is already sealed as audit/2021-02-08.\n")
    let lost = try repo.git("log", "-2", "--format=%h").split(separator: "\n").map(String.init)

    try repo.git("reset", "-q", "--hard", "HEAD~2")
    try rectrack("status", "R-01", "complete", "--note", "Done, said differently", "--author", Self.force)
    let r = try rectrack("audit")
    #expect(r.status == 1)
    #expect(r.stdout.contains("history-rewritten"))
    #expect(r.stdout.contains("the seal audit/2021-02-08 ("))
    #expect(r.stdout.contains("2 commits disappeared from the record"))
    for id in lost { #expect(r.stdout.contains("      \(id)")) }
  }

  @Test func preReceiveHookRejectsAPushBySomeoneNotAllowedToClose() throws {
    try recordHistory()
    let server = repo.scratch + "/server.git"
    try TestRepository.gitCLI(["init", "-q", "--bare", "-b", "main", server], in: repo.scratch)
    try installAuditHook(inBareRepository: server)
    try repo.git("remote", "add", "origin", server)
    try repo.git("push", "-q", "origin", "main")

    try plantClosureByTheForce()
    let env = ["GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"]
    let refused = try runProcess(which("git")!, ["push", "origin", "main"], in: repo.path, environment: env)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("person-not-allowed"))
    #expect(refused.stderr.contains("rectrack: the push to refs/heads/main is refused"))
    #expect(refused.stderr.contains("pre-receive hook declined"))
    let serverTip = try TestRepository.gitCLI(["rev-parse", "main"], in: server)
    #expect(serverTip == (try repo.git("rev-parse", "HEAD~1")))

    try repo.git("reset", "-q", "--hard", "HEAD~1")
    try rectrack("status", "R-01", "closed", "--note", "Verified", "--author", Self.commissioner)
    let accepted = try runProcess(which("git")!, ["push", "origin", "main"], in: repo.path, environment: env)
    #expect(accepted.status == 0, "\(accepted.stderr)")
    #expect(
      try TestRepository.gitCLI(["rev-parse", "main"], in: server) == (try repo.git("rev-parse", "HEAD")))

    // Sealed and shared; then a forced push that rewrites the sealed history is refused.
    #expect(try rectrack("audit", "--seal").status == 0)
    let tagPush = try runProcess(
      which("git")!, ["push", "origin", "--tags"], in: repo.path, environment: env)
    #expect(tagPush.status == 0, "\(tagPush.stderr)")
    try repo.git("reset", "-q", "--hard", "HEAD~1")
    try rectrack("status", "R-01", "closed", "--note", "Verified again", "--author", Self.commissioner)
    let forced = try runProcess(
      which("git")!, ["push", "--force", "origin", "main"], in: repo.path, environment: env)
    #expect(forced.status != 0)
    #expect(forced.stderr.contains("history-rewritten"))
    #expect(forced.stderr.contains("1 commit disappeared from the record"))
  }
}
