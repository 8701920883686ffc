import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Signed commits, when `rectrack.yml` requires them: unsigned and bad signatures are found once
/// each, good ones are verified with ssh-keygen against the repository's allowed-signers file,
/// and the report says what was not verified.
@Suite(.enabled(if: which("ssh-keygen") != nil, "needs ssh-keygen"))
struct AuditSignatureTests {
  let repo: TempRepository
  var unsigned = ""
  var mallory = ""

  init() throws {
    Libgit2.initialise()
    repo = try TempRepository()
    let keygen = which("ssh-keygen")!
    for name in ["jane", "mallory"] {
      let r = try runProcess(
        keygen, ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", repo.scratch + "/" + name])
      guard r.status == 0 else { throw TestSupportError("ssh-keygen: \(r.stderr)") }
    }
    let janeKey = try String(contentsOfFile: repo.scratch + "/jane.pub", encoding: .utf8)
    try repo.write(".rectrack/allowed_signers", "jane.smith@opcc.example.org namespaces=\"git\" \(janeKey)")
    try repo.write(
      "rectrack.yml",
      """
      audit:
        require-signed-commits: true
        allowed-signers: .rectrack/allowed_signers

      """)
    try repo.git("config", "gpg.format", "ssh")
    try repo.git("config", "user.signingkey", repo.scratch + "/jane")
    try repo.git("config", "commit.gpgsign", "true")
    let c = AuditHistoryBuilder.commissioner
    try repo.commitAll("Require signed commits", date: "2021-03-01T10:00:00+00:00", author: c)
    try repo.write("Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01"))
    try repo.commitAll(
      AuditHistoryBuilder.message("R-01", "new recommendation (open)", [("Status", "none -> open")]),
      date: "2021-03-02T10:00:00+00:00", author: c)
    try repo.write("Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01", progress: "One"))
    try repo.git("config", "commit.gpgsign", "false")
    unsigned = try repo.commitAll(
      AuditHistoryBuilder.message("R-01", "progress updated", [("Changed", "progress")]),
      date: "2021-03-03T10:00:00+00:00", author: c)
    try repo.git("config", "commit.gpgsign", "true")
    try repo.git("config", "user.signingkey", repo.scratch + "/mallory")
    try repo.write("Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01", progress: "Two"))
    mallory = try repo.commitAll(
      AuditHistoryBuilder.message("R-01", "progress updated", [("Changed", "progress")]),
      date: "2021-03-04T10:00:00+00:00", author: c)
  }

  @Test func unsignedAndBadSignaturesAreFoundOnce() throws {
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    #expect(report.findingKeys == ["bad-signature@\(mallory)", "unsigned-commit@\(unsigned)"].sorted())
    #expect(report.signatures.checked == 4)
    #expect(report.signatures.verified == 2)
    #expect(report.signatures.unsigned == 1)
    #expect(report.signatures.bad == 1)
    #expect(report.signatures.statement.contains("2 signatures verified"))
    #expect(
      report.findings.first { $0.rule == .badSignature }?.message.contains("not in the allowed-signers file")
        == true)
    #expect(report.changes.map { $0.signature?.rawValue ?? "-" } == ["verified", "unsigned", "bad"])
  }

  @Test func withoutAllowedSignersTheSignerIsNotVerifiedAndTheReportSaysSo() throws {
    try repo.git("config", "user.signingkey", repo.scratch + "/jane")
    try repo.write("rectrack.yml", "audit:\n  require-signed-commits: 2021-03-03\n")
    try repo.commitAll(
      "Drop the allowed signers", date: "2021-03-05T10:00:00+00:00", author: AuditHistoryBuilder.commissioner)
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    #expect(report.findingKeys == ["unsigned-commit@\(unsigned)"])
    #expect(report.signatures.checked == 3)
    #expect(report.signatures.verified == 0)
    #expect(report.signatures.unverified == 2)
    #expect(
      report.signatures.statement.contains(
        "2 SSH signature intact; no allowed-signers file, so who signed was not checked"))
  }
}
