import Foundation
import RecTrackTestSupport
import Testing

/// A passphrase-protected SSH key and no agent (issue 19): OpenSSH itself asks for the passphrase
/// on the terminal, as it does for `git fetch`, and the right answer syncs. A real sshd on
/// loopback, a real pseudo-terminal (Python's pexpect), the passphrase typed at the prompt.
@Suite(
  .serialized,
  .enabled(
    if: SSHServer.unavailableReason == nil && pexpectUnavailable == nil,
    "\(SSHServer.unavailableReason ?? pexpectUnavailable ?? "")"))
struct SSHPassphraseTests {
  static let script = #"""
    import os, sys, pexpect
    rectrack, repo, passphrase = sys.argv[1:4]
    env = dict(os.environ, NO_COLOR="1")
    for name in ("SSH_AUTH_SOCK", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "DISPLAY", "GIT_TERMINAL_PROMPT"):
        env.pop(name, None)
    child = pexpect.spawn(rectrack, ["sync", "--repo", repo], env=env, encoding="utf-8", timeout=60)
    prompts = 0
    while child.expect(["Enter passphrase for key", pexpect.EOF]) == 0:
        prompts += 1
        child.sendline(passphrase)
    child.close()
    print("PROMPTS %d" % prompts)
    print("EXIT %d" % child.exitstatus)
    print(child.before)
    """#

  @Test func openSSHAsksForThePassphraseOnTheTerminalAndTheRightOneSyncs() throws {
    let server = try SSHServer()
    let bare = try server.bareRepository("tracker.git")
    // A key locked with a passphrase, allowed on the server like the others.
    let key = server.path + "/id_locked"
    let passphrase = "Brecon-Beacons-2231"
    let made = try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-f", key])
    try #require(made.status == 0, "\(made.stderr)")
    let authorized = try String(contentsOfFile: server.path + "/authorized_keys", encoding: .utf8)
    let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8)
    try (authorized + "restrict,command=\"git-shell -c \\\"$SSH_ORIGINAL_COMMAND\\\"\" \(publicKey)")
      .write(toFile: server.path + "/authorized_keys", atomically: true, encoding: .utf8)

    let seed = try TestRepository()
    try seed.write("Recommendations/DP-01.yml", TestRepository.recommendation(id: "DP-01", status: "open"))
    try seed.commit("Add DP-01\n", date: "2021-01-10T10:00:00+00:00")
    try seed.git.run(["push", "-q", bare, "main"])
    let clone = try TemporaryDirectory(prefix: "rectrack-ssh-passphrase")
    let work = clone.path + "/work"
    try GitCLI(directory: clone.path).run(
      ["clone", "-q", "\(server.alias):\(bare)", "work"],
      environment: ["GIT_SSH_COMMAND": server.sshCommand()])
    // No BatchMode: OpenSSH may ask. Only the locked key is offered.
    try GitCLI(directory: work).run([
      "config", "core.sshCommand",
      "ssh -F /dev/null -o IdentitiesOnly=yes -i \(key) -o UserKnownHostsFile=\(server.knownHosts)",
    ])
    try GitCLI(directory: work).run(
      ["remote", "set-url", "origin", "ssh://\(server.user)@127.0.0.1:\(server.port)\(bare)"])
    let s = try CLI.run(
      [
        "status", "DP-01", "in-progress", "--note", "Started", "--author",
        "Rhian Evans <rhian.evans@opcc.example.org>",
      ],
      in: work)
    #expect(s.status == 0, "\(s.stderr)")

    let file = clone.path + "/passphrase.py"
    try Self.script.write(toFile: file, atomically: true, encoding: .utf8)
    let r = try runProcess(
      which("python3")!, [file, CLI.executable, work, passphrase], environment: Hermetic.environment)
    // OpenSSH asks once a connection: sync's fetch, its push and its tags (an agent asks once).
    let prompts = r.stdout.split(separator: "\n").first { $0.hasPrefix("PROMPTS ") }.flatMap {
      Int($0.dropFirst(8))
    }
    #expect((1...3).contains(prompts ?? 0), "OpenSSH asked \(prompts ?? 0) times: \(r.stdout) \(r.stderr)")
    #expect(r.stdout.contains("EXIT 0"), "\(r.stdout) \(r.stderr)")
    #expect(!r.stdout.contains(passphrase), "the passphrase was echoed or printed")
    let log = try GitCLI(directory: bare).run(["log", "--format=%s", "main"])
    #expect(log.hasPrefix("DP-01: open -> in-progress\n"), "\(log)")
  }
}
