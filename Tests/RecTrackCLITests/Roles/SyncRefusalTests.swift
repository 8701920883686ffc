import Foundation
import RecTrackTestSupport
import Testing

/// git's own daemon, which runs the server's hooks on a push (libgit2 pushing to a path on disk
/// does not run hooks, so the test needs a real git server; this one listens on 127.0.0.1 only).
private let gitDaemon: String? = {
  guard let git = which("git"), let r = try? runProcess(git, ["--exec-path"]), r.status == 0 else {
    return nil
  }
  let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/git-daemon"
  return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// `rectrack sync` against a server whose pre-receive hook runs `rectrack audit --range`: a push
/// the audit fails is shown to the user with the server's own `remote:` lines, is not retried
/// as if it were a race, and the clone keeps its commits.
@Suite struct SyncRefusalTests {
  static let office = "Olwen Evans <olwen.evans@opcc.example.org>"
  static let force = "Insp. Gareth Price <gareth.price@police.example.org>"

  @Test(.enabled(if: gitDaemon != nil, "needs git-daemon (Debian package git) to run a server's hooks"))
  func aPushRefusedByTheServersHookIsShownAndNotRetried() throws {
    let work = try TestRepository()
    let root = work.scratch + "/served"
    let server = root + "/opcc.git"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try TestRepository.gitCLI(["init", "-q", "--bare", "-b", "main", server], in: work.scratch)
    let runs = work.scratch + "/hook-runs"
    try installAuditHook(inBareRepository: server, countingRunsIn: runs)

    let port = Int.random(in: 20_000..<40_000)
    // Detached, so it does not hold this process's pipes; stopped by its PID at the end.
    let pidFile = work.scratch + "/daemon.pid"
    // Through bash with its output to /dev/null: the detached daemon must not keep our pipes open.
    let started = try runProcess(
      "/bin/bash",
      [
        "-c",
        // Close every inherited descriptor above 2 too (a pipe left open would never reach EOF).
        "for fd in $(/bin/ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; "
          + "'\(gitDaemon!)' --detach --pid-file='\(pidFile)' --reuseaddr --listen=127.0.0.1 --port=\(port) "
          + "--base-path='\(root)' --export-all --enable=receive-pack '\(root)' </dev/null >/dev/null 2>&1",
      ])
    try #require(started.status == 0, "git daemon did not start: \(started.stderr)")
    defer {
      if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        kill(pid, SIGKILL)
      }
    }
    let url = "git://127.0.0.1:\(port)/opcc.git"
    var up = false
    for _ in 0..<50 where !up {
      up = (try? runProcess(which("git")!, ["ls-remote", url]))?.status == 0
      if !up { usleep(100_000) }
    }
    try #require(up, "git daemon did not start on port \(port)")

    let dir = work.path
    try work.git("remote", "add", "origin", url)
    func rectrack(_ args: String..., date: String) throws -> ProcessResult {
      try CLI.run(args, in: dir, environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
    }
    #expect(
      try rectrack(
        "init", dir, "--office-domain", "opcc.example.org", "--force-domain", "police.example.org",
        "--author",
        Self.office, date: "2024-05-01T09:00:00+01:00"
      ).status == 0)
    #expect(
      try rectrack(
        "new", "--id", "DP-DDR-03", "--title", "Run campaigns", "--source", "Deep dive", "--owner",
        "Chief Constable",
        "--raised", "2024-04-01", "--author", Self.office, date: "2024-05-02T10:00:00+01:00"
      ).status == 0)
    #expect(
      try rectrack(
        "status", "DP-DDR-03", "complete", "--note", "Done", "--author", Self.force,
        date: "2024-05-03T10:00:00+01:00"
      ).status == 0)
    let first = try rectrack("sync", date: "2024-05-03T11:00:00+01:00")
    #expect(first.status == 0, "\(first.stderr)")
    let accepted = try TestRepository.gitCLI(["rev-parse", "main"], in: server)

    // The force closes it with plain git, around rectrack; the server's hook refuses the push.
    let path = "Recommendations/DP-DDR-03.yml"
    try work.write(
      path, try work.read(path).replacingOccurrences(of: "status: complete", with: "status: closed"))
    try work.commitAll(
      "DP-DDR-03: complete -> closed\n\nClosed\n\nRecommendation: DP-DDR-03\nStatus: complete -> closed\n",
      date: "2024-05-04T10:00:00+01:00", author: Self.force)
    let mine = try work.git("rev-parse", "HEAD")
    try? FileManager.default.removeItem(atPath: runs)
    let refused = try rectrack("sync", date: "2024-05-04T11:00:00+01:00")
    #expect(refused.status == 1)
    #expect(
      refused.stderr.hasPrefix(
        "error: origin refused the push to main (pre-receive hook declined). The server said:\n"))
    #expect(
      refused.stderr.contains(
        "\nremote: rectrack: the push to refs/heads/main is refused; see the findings above.\n"))
    #expect(refused.stderr.contains("person-not-allowed"))
    #expect(
      refused.stderr.contains(
        "not a race, so rectrack did not try again. Your 1 change is kept in this clone"))
    // The hook ran once: the refusal was not retried.
    #expect(try String(contentsOfFile: runs, encoding: .utf8) == "run\n")
    // The clone keeps its commit; the server did not move.
    #expect(try work.git("rev-parse", "HEAD") == mine)
    #expect(try TestRepository.gitCLI(["rev-parse", "main"], in: server) == accepted)
  }
}
