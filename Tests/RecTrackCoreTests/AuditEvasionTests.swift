import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Ways to get a change past the audit: a typed author date, a deletion, a hand-typed
/// `Imported-From:`, tags under `audit/` that are not seals. Each is found, or stated as a
/// limit in docs/security.md.
@Suite struct AuditEvasionTests {
  typealias M = AuditHistoryBuilder
  let b: AuditHistoryBuilder

  init() throws {
    Libgit2.initialise()
    b = try AuditHistoryBuilder()
    try b.write("R-01")
    try b.commit(
      M.message("R-01", "new recommendation (open)", [("Status", "none -> open")]), author: M.commissioner)
    try b.write("R-02")
    try b.commit(
      M.message("R-02", "new recommendation (open)", [("Status", "none -> open")]), author: M.commissioner)
  }

  func audit() throws -> AuditReport {
    try Auditor(repo: try TrackingRepository(at: b.repo.path)).run(AuditOptions())
  }

  func commit(_ message: String, author: String = M.commissioner, authored: String, committed: String) throws
    -> String
  {
    try b.repo.git("add", "-A")
    try b.repo.git(
      arguments: ["commit", "-q", "--author", author, "-m", message],
      environment: ["GIT_AUTHOR_DATE": authored, "GIT_COMMITTER_DATE": committed])
    return try b.repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func backdatingThroughTheAuthorDateIsFound() throws {
    try b.write("R-01", status: "complete")
    let backdated = try commit(
      M.message("R-01", "open -> complete", note: "Done", [("Status", "open -> complete")]),
      authored: "2021-01-06T10:00:00+00:00", committed: "2021-09-01T10:00:00+00:00")
    let report = try audit()
    let f = report.findings.filter { $0.rule == .authorDateFarFromCommitter }
    #expect(f.map(\.commit) == [backdated])
    #expect(f.first?.severity == .warning)
    #expect(f.first?.message.contains("the author date is 238 days earlier; the limit is 14") == true)
  }

  @Test func deletingARecommendationIsFound() throws {
    try b.repo.git("rm", "-q", "Recommendations/R-02.yml")
    let gone = try b.commit("Tidy up", author: M.force)
    let report = try audit()
    let f = report.findings.filter { $0.rule == .recommendationDeleted }
    #expect(f.map(\.commit) == [gone])
    #expect(f.first?.recommendation == "R-02")
    #expect(f.first?.message.hasPrefix("R-02 was deleted (Recommendations/R-02.yml) by Bob Jones") == true)
  }

  @Test func aHandTypedImportedFromExemptsNothing() throws {
    // A status change with no note and an old Effective date, dressed as an import.
    try b.write("R-01", status: "in-progress")
    let dressed = try b.commit(
      CommitMessage(
        summary: "R-01: open -> in-progress",
        trailers: [
          ("Recommendation", "R-01"), ("Status", "open -> in-progress"), ("Effective", "2020-01-01"),
          ("Imported-From", "tracker.csv"),
        ]
      ).text, author: M.commissioner)
    let keys = try audit().findingKeys
    #expect(keys.contains("status-without-note@\(dressed)"))
    #expect(keys.contains("effective-backdated@\(dressed)"))
  }

  @Test func tagsThatAreNotSealsAreFindingsNotFailures() throws {
    // A tag on a blob, synced to every clone, and a plain tag on a commit not in history.
    let blob = try b.repo.git("hash-object", "-w", "--stdin", stdin: "not a seal\n")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try b.repo.git("tag", "audit/2021-02-01", blob)
    try b.repo.git("checkout", "-q", "-b", "elsewhere")
    try b.write("R-03")
    let stray = try b.commit(M.message("R-03", "new recommendation (open)"), author: M.force)
    try b.repo.git("tag", "audit/2021-02-02")
    try b.repo.git("checkout", "-q", "main")
    let report = try audit()
    #expect(!report.findings.contains { $0.rule == .historyRewritten })
    let notSeals = report.findings.filter { $0.rule == .sealNotTrusted }
    #expect(notSeals.count == 2)
    #expect(
      notSeals.contains { $0.message.hasPrefix("audit/2021-02-01 points at a file (blob), not at a commit") })
    #expect(
      notSeals.contains { $0.message.hasPrefix("audit/2021-02-02 is a plain tag") && $0.commit == stray })
    #expect(report.seals.isEmpty)
    // Sealing on a day whose name a non-seal holds picks the next free name.
    let auditor = Auditor(repo: try TrackingRepository(at: b.repo.path))
    let tagger = Signature(
      name: "Jane", email: "jane.smith@opcc.example.org", time: 1_612_220_400, offsetMinutes: 0)
    let (tag, created) = try auditor.seal(
      try auditor.run(AuditOptions()), tagger: tagger, on: CalendarDate("2021-02-01")!)
    #expect(tag == "audit/2021-02-01-2" && created)
  }

  @Test func aSealMovedWithTagForceIsFound() throws {
    let sealed = try b.repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    try b.seal("2021-02-01")
    #expect(try audit().findings.isEmpty)
    let original = try b.repo.git("rev-parse", "refs/tags/audit/2021-02-01").trimmingCharacters(
      in: .whitespacesAndNewlines)
    // Rewritten, and the seal moved onto the rewritten tip with a seal-like message, today.
    try b.repo.git("reset", "-q", "--hard", "HEAD~1")
    try b.write("R-02", title: "Something else")
    try b.commit(M.message("R-02", "new recommendation (open)"), author: M.force)
    try b.repo.git(
      arguments: ["tag", "-f", "-a", "-m", "Audited by rectrack on 2021-02-01: moved.", "audit/2021-02-01"],
      environment: ["GIT_COMMITTER_DATE": "2021-03-01T10:00:00+00:00"])
    let moved = try audit()
    #expect(
      moved.findings.contains { $0.rule == .sealNotTrusted && $0.message.contains("moved with 'git tag -f'") }
    )
    // Moved with a date typed in to match: the copy the server sent at the last sync still differs.
    try b.repo.git(
      arguments: ["tag", "-f", "-a", "-m", "Audited by rectrack on 2021-02-01: moved.", "audit/2021-02-01"],
      environment: ["GIT_COMMITTER_DATE": "2021-02-01T23:00:00+00:00"])
    try b.repo.git("update-ref", "refs/rectrack/remotes/origin/tags/audit/2021-02-01", original)
    let againstServer = try audit()
    #expect(
      againstServer.findings.contains {
        $0.rule == .sealNotTrusted && $0.message.contains("differs from the server's tag of the same name")
      })
    _ = sealed
  }
}
