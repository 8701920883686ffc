import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack sync` over a real OpenSSH server on loopback (issue 19): connections go through the
/// system's `ssh`, so an RSA key, a host alias from an ssh_config, `core.sshCommand`, known_hosts
/// and its `@revoked` marks behave exactly as they do for `git fetch`; failures are explained with
/// a command that works as printed and exit 3.
@Suite(.serialized, .enabled(if: SSHServer.unavailableReason == nil, "\(SSHServer.unavailableReason ?? "")"))
struct SSHSyncTests {
  let server: SSHServer
  let bare: String
  let clone: TemporaryDirectory
  let author = "Rhian Evans <rhian.evans@opcc.example.org>"

  var work: String { clone.path + "/work" }

  init() throws {
    server = try SSHServer()
    bare = try server.bareRepository("tracker.git")
    let seed = try TestRepository()
    try seed.write("Recommendations/DP-01.yml", TestRepository.recommendation(id: "DP-01", status: "open"))
    try seed.commit("Add DP-01\n", date: "2021-01-10T10:00:00+00:00")
    try seed.git.run(["push", "-q", bare, "main"])
    clone = try TemporaryDirectory(prefix: "rectrack-ssh-clone")
    // git itself clones over the same server, with the same ssh command rectrack will use.
    try GitCLI(directory: clone.path).run(
      ["clone", "-q", "\(server.alias):\(bare)", "work"],
      environment: ["GIT_SSH_COMMAND": server.sshCommand()])
    try GitCLI(directory: work).run(["config", "core.sshCommand", server.sshCommand()])
  }

  func rectrack(_ args: String...) throws -> ProcessResult {
    try CLI.run(args + ["--repo", work], in: work, environment: ["SSH_AUTH_SOCK": ""])
  }

  func serverLog() throws -> String {
    try GitCLI(directory: bare).run(["log", "--format=%s", "main"])
  }

  @Test func syncsThroughOpenSSHWithAnRSAKeyAndAHostAlias() throws {
    let s = try rectrack("status", "DP-01", "in-progress", "--note", "Started", "--author", author)
    #expect(s.status == 0, "\(s.stderr)")
    let sync = try rectrack("sync")
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: open -> in-progress\n"))
    // An ssh:// address with the port in it (no alias) reaches the same server.
    try GitCLI(directory: work).run(
      ["remote", "set-url", "origin", "ssh://\(server.user)@127.0.0.1:\(server.port)\(bare)"])
    try GitCLI(directory: work).run([
      "config", "core.sshCommand",
      "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i \(server.path)/id_rsa -o UserKnownHostsFile=\(server.knownHosts)",
    ])
    _ = try rectrack("status", "DP-01", "complete", "--note", "Done", "--author", author)
    let again = try rectrack("sync")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try serverLog().hasPrefix("DP-01: in-progress -> complete\n"))
  }

  /// Runs sync with `sshCommand` and checks it failed with exit 3, changed nothing, and said `words`.
  func expectRefused(sshCommand: String, url: String? = nil, _ words: [String]) throws {
    try GitCLI(directory: work).run(["config", "core.sshCommand", sshCommand])
    if let url { try GitCLI(directory: work).run(["remote", "set-url", "origin", url]) }
    _ = try rectrack("status", "DP-01", "in-progress", "--note", "Started", "--author", author)
    let before = try GitCLI(directory: work).run(["rev-parse", "HEAD", "refs/remotes/origin/main"])
    let sync = try rectrack("sync")
    #expect(sync.status == 3, "\(sync.stderr)")
    for w in words { #expect(sync.stderr.contains(w), "no '\(w)' in: \(sync.stderr)") }
    #expect(!sync.stderr.contains("@@@"))
    #expect(try GitCLI(directory: work).run(["rev-parse", "HEAD", "refs/remotes/origin/main"]) == before)
    #expect(try serverLog() == "Add DP-01\n")
  }

  @Test func anUnknownHostKeyIsRefusedWithAWorkingHint() throws {
    let empty = server.path + "/known_hosts_empty"
    try "".write(toFile: empty, atomically: true, encoding: .utf8)
    try expectRefused(
      sshCommand: server.sshCommand("-o UserKnownHostsFile=\(empty)"),
      ["host key is not the one this machine knows", "hint:", "ssh -T \(server.alias)"])
    // The hint's command is one OpenSSH accepts as printed (it fails the same way here).
    let probe = try runProcess(
      "/usr/bin/ssh", ["-F", server.configFile, "-o", "UserKnownHostsFile=\(empty)", "-T", server.alias])
    #expect(probe.stderr.contains("Host key verification failed"))
  }

  @Test func aRevokedHostKeyIsRefusedEvenWithANormalEntry() throws {
    let revoked = server.path + "/known_hosts_revoked"
    try
      "@revoked [127.0.0.1]:\(server.port) \(server.hostPublicKey)\n[127.0.0.1]:\(server.port) \(server.hostPublicKey)\n"
      .write(toFile: revoked, atomically: true, encoding: .utf8)
    try expectRefused(
      sshCommand: server.sshCommand("-o UserKnownHostsFile=\(revoked)"), ["revoked", "Do not go on"])
  }

  @Test func aKeyTheServerDoesNotKnowIsExplained() throws {
    let other = server.path + "/id_other"
    _ = try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other])
    try expectRefused(
      sshCommand:
        "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i \(other) -o UserKnownHostsFile=\(server.knownHosts)",
      url: "ssh://\(server.user)@127.0.0.1:\(server.port)\(bare)",
      [
        "did not accept your credentials", "Permission denied",
        "ssh -T -p \(server.port) \(server.user)@127.0.0.1",
      ])
  }

  @Test func aServerThatIsDownIsUnreachableNotBadUsage() throws {
    try expectRefused(
      sshCommand: "ssh -o BatchMode=yes", url: "ssh://\(server.user)@127.0.0.1:1/\(bare)",
      ["could not be reached", "ssh -T -p 1 \(server.user)@127.0.0.1"])
  }
}

/// git's TLS settings are read for HTTPS remotes (issue 19): a certificate authority file named by
/// `http.sslCAInfo` that is not there is one clear line before any connection is tried.
@Suite struct TLSSettingsTests {
  @Test func aMissingSslCAInfoIsNamedBeforeConnecting() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", TestRepository.recommendation(id: "DP-01", status: "open"))
    try repo.commit("Add DP-01\n", date: "2021-01-10T10:00:00+00:00")
    try repo.git.run(["remote", "add", "origin", "https://127.0.0.1:1/tracker.git"])
    try repo.git.run(["config", "http.sslCAInfo", repo.path + "/no-such-ca.pem"])
    // GIT_SSL_CAINFO would win over the setting, as in git: empty means unset.
    let r = try CLI.run(
      ["sync", "--repo", repo.path], in: repo.path,
      environment: ["GIT_TERMINAL_PROMPT": "0", "GIT_SSL_CAINFO": "", "GIT_SSL_CAPATH": ""])
    #expect(r.status != 0)
    #expect(r.stderr.contains("no-such-ca.pem") && r.stderr.contains("http.sslCAInfo"), "\(r.stderr)")
  }
}

/// Why Python's pexpect cannot drive a terminal here, or nil.
let pexpectUnavailable: String? = {
  guard let python = which("python3") else { return "python3 is missing" }
  let r = try? runProcess(python, ["-c", "import pexpect"])
  return r?.status == 0 ? nil : "Python's pexpect is missing (pip install pexpect)"
}()

/// git's own prompt for a user name and password works on a terminal (issue 19): `git credential
/// fill` must run in the terminal's foreground process group. A real HTTP server that refuses
/// every password, a real pseudo-terminal (Python's pexpect), and the answer typed at each prompt.
@Suite(.enabled(if: pexpectUnavailable == nil, "\(pexpectUnavailable ?? "")"))
struct PromptTests {
  static let script = #"""
    import http.server, os, sys, threading, pexpect
    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="tracker"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        do_POST = do_GET
        def log_message(self, *a):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rectrack, repo = sys.argv[1:3]
    os.system("git -C %s remote add origin http://127.0.0.1:%d/tracker.git" % (repo, server.server_address[1]))
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_ASKPASS="", SSH_ASKPASS="", NO_COLOR="1")
    env.pop("GIT_TERMINAL_PROMPT", None)
    child = pexpect.spawn(rectrack, ["sync", "--repo", repo], env=env, encoding="utf-8", timeout=30)
    child.expect("Username for")
    child.sendline("alice")
    child.expect("Password for")
    child.sendline("not-the-password")
    child.expect(pexpect.EOF)
    child.close()
    print("EXIT %d" % child.exitstatus)
    print(child.before)
    server.shutdown()
    """#

  @Test func gitsPromptAsksOnTheTerminalAndARefusalExits3() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", TestRepository.recommendation(id: "DP-01", status: "open"))
    try repo.commit("Add DP-01\n", date: "2021-01-10T10:00:00+00:00")
    // Empty global and system configuration: no credential helper, so git asks.
    let home = try TemporaryDirectory(prefix: "rectrack-prompt-home")
    let file = home.path + "/prompt.py"
    try Self.script.write(toFile: file, atomically: true, encoding: .utf8)
    let r = try runProcess(
      which("python3")!, [file, CLI.executable, repo.path],
      environment: [
        "HOME": home.path, "GIT_CONFIG_GLOBAL": home.path + "/gitconfig", "XDG_CONFIG_HOME": home.path,
      ])
    #expect(r.status == 0, "the prompt did not appear: \(r.stdout) \(r.stderr)")
    #expect(r.stdout.contains("EXIT 3"), "\(r.stdout)")
    #expect(
      r.stdout.contains("did not accept your credentials") || r.stdout.contains("refused the user name"),
      "\(r.stdout)")
    #expect(!r.stdout.contains("not-the-password"), "the password was echoed or printed")
  }
}
