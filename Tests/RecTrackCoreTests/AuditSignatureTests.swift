import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Signed commits, when `rectrack.yml` requires them: unsigned and bad signatures are found once
/// each, good ones are verified with ssh-keygen against the repository's allowed-signers file,
/// and the report says what was not verified.
@Suite(.enabled(if: which("ssh-keygen") != nil, "needs ssh-keygen"))
struct AuditSignatureTests {
  let repo: TestRepository
  var unsigned = ""
  var mallory = ""

  init() throws {
    Libgit2.initialise()
    repo = try TestRepository()
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

  /// A force officer with a trusted key of their own signs a commit authored as the
  /// commissioner's office: the signature verifies, but the signer is not the author.
  @Test func aKeyOnlySpeaksForItsOwnPrincipal() throws {
    let keygen = which("ssh-keygen")!
    let r = try runProcess(
      keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "officer", "-f", repo.scratch + "/officer"])
    #expect(r.status == 0)
    let janeKey = try String(contentsOfFile: repo.scratch + "/jane.pub", encoding: .utf8)
    let officerKey = try String(contentsOfFile: repo.scratch + "/officer.pub", encoding: .utf8)
    try repo.write(
      ".rectrack/allowed_signers",
      "jane.smith@opcc.example.org namespaces=\"git\" \(janeKey)"
        + "officer@force.example.org namespaces=\"git\" \(officerKey)")
    try repo.git("config", "user.signingkey", repo.scratch + "/jane")
    try repo.commitAll(
      "Trust the force officer's key", date: "2021-03-05T10:00:00+00:00",
      author: AuditHistoryBuilder.commissioner)
    try repo.git("config", "user.signingkey", repo.scratch + "/officer")
    try repo.write(
      "Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01", status: "closed", progress: "Two"))
    let forged = try repo.commitAll(
      AuditHistoryBuilder.message("R-01", "in-progress -> closed", [("Status", "open -> closed")]),
      date: "2021-03-06T10:00:00+00:00", author: AuditHistoryBuilder.commissioner)
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    let finding = report.findings.first { $0.rule == .signerNotAuthor }
    #expect(finding?.commit == forged)
    #expect(finding?.severity == .error)
    #expect(
      finding?.message.contains("signed by officer@force.example.org; the signer must be the author") == true)
    #expect(report.findings.filter { $0.rule == .signerNotAuthor }.count == 1)
    #expect(!report.passed)
  }

  @Test func withoutAllowedSignersTheSignerIsNotVerifiedAndTheReportSaysSo() throws {
    try repo.git("config", "user.signingkey", repo.scratch + "/jane")
    try repo.write("rectrack.yml", "audit:\n  require-signed-commits: 2021-03-03\n")
    let drop = try repo.commitAll(
      "Drop the allowed signers", date: "2021-03-05T10:00:00+00:00", author: AuditHistoryBuilder.commissioner)
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    #expect(report.findingKeys == ["settings-changed@\(drop)", "unsigned-commit@\(unsigned)"])
    #expect(report.signatures.checked == 3)
    #expect(report.signatures.verified == 0)
    #expect(report.signatures.unverified == 2)
    #expect(
      report.signatures.statement.contains(
        "2 SSH signature intact; no allowed-signers file, so who signed was not checked"))
  }
}

/// PGP signatures, checked with gpg against the keyring `GNUPGHOME` names: a key in it verifies,
/// a key not in it is counted as present but not verified, and the report says which.
@Suite(.enabled(if: which("gpg") != nil && which("gpgconf") != nil, "needs gpg"))
struct AuditPGPSignatureTests {
  @Test func keyringDecidesWhatIsVerified() throws {
    Libgit2.initialise()
    let repo = try TestRepository()
    let signing = repo.scratch + "/gpg-sign"
    let checking = repo.scratch + "/gpg-check"
    for home in [signing, checking] {
      try FileManager.default.createDirectory(
        atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    defer {
      for home in [signing, checking] {
        _ = try? runProcess(which("gpgconf")!, ["--kill", "gpg-agent"], environment: ["GNUPGHOME": home])
      }
    }
    let gpg = which("gpg")!
    func run(_ home: String, _ args: [String]) throws -> String {
      let r = try runProcess(gpg, ["--batch", "--passphrase", ""] + args, environment: ["GNUPGHOME": home])
      guard r.status == 0 else { throw TestSupportError("gpg \(args): \(r.stderr)") }
      return r.stdout
    }
    _ = try run(
      signing, ["--quick-gen-key", "Jane Smith <jane.smith@opcc.example.org>", "ed25519", "sign", "never"])
    _ = try run(signing, ["--quick-gen-key", "Mallory <mallory@example.org>", "ed25519", "sign", "never"])
    let exported = repo.scratch + "/jane.asc"
    _ = try run(signing, ["--armor", "--output", exported, "--export", "jane.smith@opcc.example.org"])
    _ = try run(checking, ["--import", exported])

    try repo.write("rectrack.yml", "audit:\n  require-signed-commits: true\n")
    func commit(_ message: String, day: Int, key: String?) throws -> String {
      try repo.git("add", "-A")
      let date = "2021-04-0\(day)T10:00:00+00:00"
      var args = ["commit", "-q", "-m", message, "--author", AuditHistoryBuilder.commissioner]
      if let key { args += ["-S\(key)"] }
      try repo.git(
        arguments: args,
        environment: ["GNUPGHOME": signing, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
      return try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let jane = "jane.smith@opcc.example.org"
    _ = try commit("Require signed commits", day: 1, key: jane)
    try repo.write("Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01"))
    _ = try commit(
      AuditHistoryBuilder.message("R-01", "new recommendation (open)", [("Status", "none -> open")]), day: 2,
      key: jane)
    try repo.write("Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01", progress: "One"))
    let unknownKey = try commit(
      AuditHistoryBuilder.message("R-01", "progress updated", [("Changed", "progress")]), day: 3,
      key: "mallory@example.org")
    try repo.write("Recommendations/R-01.yml", AuditHistoryBuilder.file("R-01", progress: "Two"))
    let unsigned = try commit(
      AuditHistoryBuilder.message("R-01", "progress updated", [("Changed", "progress")]), day: 4, key: nil)

    var environment = ProcessInfo.processInfo.environment
    environment["GNUPGHOME"] = checking
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(
      AuditOptions(environment: environment))
    #expect(report.findingKeys == ["unsigned-commit@\(unsigned)"])
    #expect(report.signatures.verified == 2)
    #expect(report.signatures.unverified == 1)
    #expect(report.signatures.statement.contains("1 PGP signature by a key not in the gpg keyring"))
    #expect(report.changes.first { $0.commit == unknownKey }?.signature == .unverified)
    #expect(report.changes.map { $0.signature?.rawValue ?? "-" } == ["verified", "unverified", "unsigned"])
  }
}
