import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack sync` over a real Apache server with `git http-backend` on loopback (issue 19):
/// HTTPS with a test certificate authority trusted through git's own settings, an untrusted
/// authority, a certificate for another name, basic auth through a credential helper, plain HTTP
/// and a server hook that refuses a push. Every failure leaves HEAD, origin/main and the server
/// as they were and says what to do; what rectrack did is cross-checked with `git`.
@Suite(
  .serialized, .enabled(if: HTTPSServer.unavailableReason == nil, "\(HTTPSServer.unavailableReason ?? "")"))
struct HTTPSSyncTests {
  let server: HTTPSServer
  let bare: String
  let clone: TemporaryDirectory
  let author = "Rhian Evans <rhian.evans@opcc.example.org>"

  var work: String { clone.path + "/work" }
  var git: GitCLI { GitCLI(directory: work) }
  /// git itself trusts the test CA through its environment variable.
  var trusting: [String: String] { ["GIT_SSL_CAINFO": server.caFile, "GIT_TERMINAL_PROMPT": "0"] }

  init() throws {
    server = try HTTPSServer()
    bare = try server.bareRepository("tracker.git")
    let seed = try TestRepository()
    try seed.write("Recommendations/DP-01.yml", TestRepository.recommendation(id: "DP-01", status: "open"))
    try seed.commit("Add DP-01\n", date: "2021-01-10T10:00:00+00:00")
    // git pushes the first commit and clones over the server itself.
    let trust = ["GIT_SSL_CAINFO": server.caFile, "GIT_TERMINAL_PROMPT": "0"]
    try seed.git.run(["push", "-q", server.url("tracker.git"), "main"], environment: trust)
    clone = try TemporaryDirectory(prefix: "rectrack-https-clone")
    try GitCLI(directory: clone.path).run(
      ["clone", "-q", server.url("tracker.git"), "work"], environment: trust)
  }

  /// rectrack in the clone with GIT_SSL_CAINFO and GIT_SSL_CAPATH really unset (these machines
  /// set GIT_SSL_CAINFO), unless `environment` gives them; git never prompts.
  func rectrack(_ args: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    var env = Hermetic.environment
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env["GIT_TERMINAL_PROMPT"] = "0"
    for (k, v) in environment { env[k] = v }
    let unset = ["GIT_SSL_CAINFO", "GIT_SSL_CAPATH"].filter { environment[$0] == nil }.flatMap { ["-u", $0] }
    return try runProcess(
      "/usr/bin/env", unset + [CLI.executable] + args + ["--repo", work], in: work, environment: env)
  }

  func change(_ status: String = "in-progress") throws {
    let s = try rectrack(["status", "DP-01", status, "--note", "Changed", "--author", author])
    #expect(s.status == 0, "\(s.stderr)")
  }

  func serverLog() throws -> String {
    try GitCLI(directory: bare).run(["log", "--format=%s", "main"])
  }

  /// The server's main as git sees it over HTTPS (`git ls-remote`).
  func lsRemote(_ url: String? = nil) throws -> String {
    let out = try git.run(
      ["ls-remote", url ?? server.url("tracker.git"), "refs/heads/main"], environment: trusting)
    return String(out.prefix(40))
  }

  /// Runs sync, expects exit `status`, and that HEAD, origin/main and the server did not move.
  func expectRefused(
    status: Int32 = 3, environment: [String: String] = [:], _ words: [String]
  ) throws -> ProcessResult {
    let before = try git.run(["rev-parse", "HEAD", "refs/remotes/origin/main"])
    let served = try serverLog()
    let sync = try rectrack(["sync"], environment: environment)
    #expect(sync.status == status, "\(sync.stderr)")
    for w in words { #expect(sync.stderr.contains(w), "no '\(w)' in: \(sync.stderr)") }
    #expect(try git.run(["rev-parse", "HEAD", "refs/remotes/origin/main"]) == before)
    #expect(try serverLog() == served)
    return sync
  }

  @Test func syncsWithTheTestCATrustedThroughHttpSslCAInfo() throws {
    try git.run(["config", "http.sslCAInfo", server.caFile])
    try change()
    let sync = try rectrack(["sync"])
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: open -> in-progress\n"))
    // libgit2 sends the pack in chunks (no Content-Length), which Apache's mod_cgi passes on.
    let requests = try String(contentsOfFile: server.accessLog, encoding: .utf8)
    #expect(requests.contains("POST /git/tracker.git/git-receive-pack 200 te=chunked"), "\(requests)")
    // git, over the same server, sees the commit rectrack pushed, and fetching changes nothing.
    let head = try git.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try lsRemote() == head)
    try git.run(["fetch", "-q", "origin"], environment: trusting)
    #expect(try git.run(["rev-parse", "refs/remotes/origin/main"]).hasPrefix(head))
    // A change pushed with git by another clone comes back through rectrack's sync.
    let other = try TemporaryDirectory(prefix: "rectrack-https-other")
    try GitCLI(directory: other.path).run(
      ["clone", "-q", server.url("tracker.git"), "o"], environment: trusting)
    let o = GitCLI(directory: other.path + "/o")
    try TestRepository.recommendation(id: "DP-02", status: "open")
      .write(toFile: other.path + "/o/Recommendations/DP-02.yml", atomically: true, encoding: .utf8)
    try o.run(["add", "-A"])
    try o.run(["commit", "-q", "-m", "Add DP-02"])
    try o.run(["push", "-q", "origin", "main"], environment: trusting)
    let again = try rectrack(["sync"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(FileManager.default.fileExists(atPath: work + "/Recommendations/DP-02.yml"))
    #expect(try git.run(["rev-parse", "HEAD"]).hasPrefix(try lsRemote()))
  }

  @Test func syncsWithTheTestCATrustedThroughGIT_SSL_CAINFO() throws {
    try change()
    let sync = try rectrack(["sync"], environment: ["GIT_SSL_CAINFO": server.caFile])
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: open -> in-progress\n"))
    #expect(try git.run(["rev-parse", "HEAD"]).hasPrefix(try lsRemote()))
  }

  @Test func aCertificateNoTrustedAuthoritySignedIsRefusedWithAHintThatWorks() throws {
    // Nothing names the test CA: the system's authorities do not know it.
    try change()
    _ = try expectRefused(["not trusted by this machine", "git config http.sslCAInfo"])
    // Trusting the test CA does not make a certificate from another authority good.
    try git.run(["config", "http.sslCAInfo", server.caFile])
    try git.run(["remote", "set-url", "origin", server.url("tracker.git", door: .untrustedCA)])
    let refused = try expectRefused(["not trusted by this machine", "hint: ", "git config http.sslCAInfo"])
    #expect(!refused.stderr.contains("SSL certificate is invalid: 0x"), "\(refused.stderr)")
    // git refuses the same server.
    let probe = try runProcess(
      Hermetic.git, ["-C", work, "ls-remote", server.url("tracker.git", door: .untrustedCA)],
      environment: Hermetic.environment.merging(trusting) { $1 })
    #expect(probe.status != 0 && probe.stderr.contains("certificate"), "\(probe.stderr)")
    // The hint's command, with the authority's certificate in place of /path/to/ca.pem, works.
    let command = try #require(
      refused.stderr.range(of: #"git config http\.sslCAInfo \S+"#, options: .regularExpression).map {
        String(refused.stderr[$0])
      })
    let words = command.split(separator: " ").dropFirst().map(String.init)
    #expect(words.last == "/path/to/ca.pem")
    try git.run(words.dropLast() + [server.path + "/rogue-ca.pem"])
    let sync = try rectrack(["sync"])
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: open -> in-progress\n"))
  }

  /// The test CA trusted, a door whose certificate is still bad: refused by rectrack and by git,
  /// for its own reason (not as "not trusted").
  func expectCertificateRefused(door: HTTPSServer.Door, _ words: [String]) throws {
    try git.run(["config", "http.sslCAInfo", server.caFile])
    try git.run(["remote", "set-url", "origin", server.url("tracker.git", door: door)])
    try change()
    let refused = try expectRefused(words + ["hint: "])
    #expect(!refused.stderr.contains("not trusted"), "\(refused.stderr)")
    let probe = try runProcess(
      Hermetic.git, ["-C", work, "ls-remote", server.url("tracker.git", door: door)],
      environment: Hermetic.environment.merging(trusting) { $1 })
    #expect(probe.status != 0, "git accepted it: \(probe.stdout)")
  }

  @Test func aCertificateForAnotherNameIsRefused() throws {
    try expectCertificateRefused(door: .wrongName, ["is not made out to localhost", "git remote -v"])
  }

  @Test func anExpiredCertificateIsRefusedAndTheClockNamed() throws {
    try expectCertificateRefused(door: .expired, ["certificate is out of date", "(date)", "renew"])
  }

  /// libgit2's TLS library here (mbedTLS 2.28) matches a certificate's names, not the IP
  /// addresses in it, where git accepts them: the message says to use the server's name.
  @Test func anAddressByNumberIsExplained() throws {
    try git.run(["config", "http.sslCAInfo", server.caFile])
    let byNumber = server.url("tracker.git", host: "127.0.0.1")
    try git.run(["remote", "set-url", "origin", byNumber])
    try change()
    _ = try expectRefused(["not made out to 127.0.0.1", "rectrack matches names, not numbers"])
    // git takes the address in the certificate; by name, rectrack does too.
    #expect(try lsRemote(byNumber).count == 40)
    try git.run(["remote", "set-url", "origin", server.url("tracker.git")])
    let sync = try rectrack(["sync"])
    #expect(sync.status == 0, "\(sync.stderr)")
  }

  func helper(_ password: String, log: String) -> String {
    // A credential helper as a shell function: it answers `get` and notes every call.
    "!f() { echo \"$1\" >> '\(log)'; test \"$1\" = get || exit 0; "
      + "echo username=\(server.user); echo password=\(password); }; f"
  }

  @Test func basicAuthThroughACredentialHelperThatAnswers() throws {
    let log = clone.path + "/helper.log"
    try git.run(["config", "http.sslCAInfo", server.caFile])
    try git.run(["remote", "set-url", "origin", server.url("tracker.git", login: true)])
    try git.run(["config", "credential.helper", helper(server.password, log: log)])
    // Without credentials the server says no: git agrees.
    let anonymous = try runProcess(
      Hermetic.git,
      ["-c", "credential.helper=", "-C", work, "ls-remote", server.url("tracker.git", login: true)],
      environment: Hermetic.environment.merging(trusting) { $1 })
    #expect(anonymous.status != 0)
    try change()
    let sync = try rectrack(["sync"])
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: open -> in-progress\n"))
    #expect(!sync.stdout.contains(server.password) && !sync.stderr.contains(server.password))
    let calls = try String(contentsOfFile: log, encoding: .utf8)
    #expect(calls.hasPrefix("get\n") && calls.contains("store\n") && !calls.contains("erase"), "\(calls)")
  }

  @Test func aWrongPasswordFromTheHelperExits3AndIsNeverPrinted() throws {
    let log = clone.path + "/helper.log"
    let wrong = "Not-The-Password-4410"
    try git.run(["config", "http.sslCAInfo", server.caFile])
    try git.run(["remote", "set-url", "origin", server.url("tracker.git", login: true)])
    try git.run(["config", "credential.helper", helper(wrong, log: log)])
    try change()
    let refused = try expectRefused(["refused the user name and password", "hint: "])
    #expect(!refused.stdout.contains(wrong) && !refused.stderr.contains(wrong), "\(refused.stderr)")
    #expect(!refused.stderr.contains(server.password))
    // The refused password was handed back to the helper to forget.
    let calls = try String(contentsOfFile: log, encoding: .utf8)
    #expect(calls.contains("get\n") && calls.contains("erase\n"), "\(calls)")
  }

  @Test func plainHTTPWorksToo() throws {
    let url = server.url("tracker.git", door: .plain)
    try git.run(["remote", "set-url", "origin", url])
    try change()
    let sync = try rectrack(["sync"])
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: open -> in-progress\n"))
    #expect(try git.run(["rev-parse", "HEAD"]).hasPrefix(try lsRemote(url)))
  }

  @Test func aPushTheServersHookRefusesIsShownAndNotRetried() throws {
    let runs = server.path + "/repos/hook-runs"
    try """
    #!/bin/sh
    echo run >> '\(runs)'
    echo "Pushes to main are closed while the audit runs." >&2
    echo "Ask Olwen Evans (audit lead) before Friday." >&2
    exit 1

    """.write(toFile: bare + "/hooks/pre-receive", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: bare + "/hooks/pre-receive")
    try git.run(["config", "http.sslCAInfo", server.caFile])
    try change()
    let mine = try git.run(["rev-parse", "HEAD"])
    let before = try git.run(["rev-parse", "refs/remotes/origin/main"])
    let sync = try rectrack(["sync"])
    #expect(sync.status == 1, "\(sync.stderr)")
    #expect(sync.stderr.contains("refused the push to main (pre-receive hook declined)"), "\(sync.stderr)")
    #expect(sync.stderr.contains("remote: Pushes to main are closed while the audit runs."), "\(sync.stderr)")
    #expect(sync.stderr.contains("remote: Ask Olwen Evans (audit lead) before Friday."))
    #expect(sync.stderr.contains("did not try again"), "\(sync.stderr)")
    #expect(try String(contentsOfFile: runs, encoding: .utf8) == "run\n")
    #expect(try git.run(["rev-parse", "HEAD"]) == mine)
    #expect(try git.run(["rev-parse", "refs/remotes/origin/main"]) == before)
    #expect(try serverLog() == "Add DP-01\n")
    // git's own push is refused by the same hook, with the same words.
    let probe = try runProcess(
      Hermetic.git, ["-C", work, "push", "origin", "main"],
      environment: Hermetic.environment.merging(trusting) { $1 })
    #expect(probe.status != 0 && probe.stderr.contains("pre-receive hook declined"), "\(probe.stderr)")
    #expect(probe.stderr.contains("remote: Pushes to main are closed while the audit runs."))
  }
}
