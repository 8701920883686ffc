import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack` killed with SIGKILL at random moments while it records changes: the repository
/// stays valid, no recorded commit is lost, and the working tree either matches HEAD or
/// `rectrack validate` says what was left over and how to clear it.
@Suite struct CrashTests {
  @Test func killedAtRandomMomentsLosesNothing() throws {
    let kills = Reliability.size(6, slow: 100, full: 500)
    let repo = try TestRepository()
    for i in 0..<3 { try repo.write("Recommendations/K-\(i).yml", sampleRecommendation(id: "K-\(i)")) }
    try repo.commitAll("Add recommendations")
    var generator = SystemRandomNumberGenerator()
    var landed: [String] = []  // commits HEAD had after each round
    var outcomes: [String: Int] = [:]
    var leftovers: [String: Int] = [:]
    // How long one uninterrupted change takes here: the kills are spread over that time.
    let t0 = Date()
    let probe = try CLI.run(
      ["status", "K-0", "in-progress", "--author", "Crash Test <crash@example.org>"], in: repo.path)
    #expect(probe.status == 0)
    let window = UInt32(Date().timeIntervalSince(t0) * 1_100_000)
    let start = Date()
    for round in 0..<kills {
      let target = "K-\(round % 3)"
      let current =
        try repo.read("Recommendations/\(target).yml").contains("status: open") ? "in-progress" : "open"
      let child = try Child(
        CLI.executable,
        [
          "status", target, current, "--note", "round \(round)", "--author", "Crash Test <crash@example.org>",
        ],
        in: repo.path)
      // Kill anywhere in a typical run, or just after it.
      usleep(UInt32.random(in: 0...window, using: &generator))
      child.kill()
      let end = child.wait()
      let outcome = child.process.terminationReason == .uncaughtSignal ? "killed" : "exit \(end.status)"
      outcomes[outcome, default: 0] += 1

      // No commit lost: everything HEAD had before is still in its history.
      let head = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
      if let previous = landed.last {
        #expect(try repo.git("merge-base", "--is-ancestor", previous, head) == "")
      }
      landed.append(head)
      // Unreferenced objects from a killed run are harmless (gc removes them); anything else is not.
      let fsck = try repo.git("fsck", "--no-progress", "--strict", "--no-dangling")
      #expect(fsck.isEmpty, "round \(round): \(fsck)")

      // Clean, or explained by validate; then cleared the way validate says.
      let status = try repo.git("status", "--porcelain", "--untracked-files=all")
      let lockFiles = ["index.lock", "refs/heads/main.lock", "HEAD.lock", "packed-refs.lock"].filter {
        FileManager.default.fileExists(atPath: repo.path + "/.git/" + $0)
      }
      if status.isEmpty && lockFiles.isEmpty { continue }
      let v = try CLI.run(["validate"], in: repo.path)
      #expect(
        v.status == 1,
        "round \(round): status \(status) locks \(lockFiles) but validate said \(v.stdout) \(v.stderr)")
      let text = v.stdout + v.stderr
      #expect(text.contains("interrupted"), "round \(round): \(text)")
      for kind in ["index.lock", "temporary file", "not up to date", "lock"] where text.contains(kind) {
        leftovers[kind, default: 0] += 1
        break
      }
      try clearLeftovers(repo)
      #expect(try repo.git("status", "--porcelain", "--untracked-files=all") == "")
      let after = try CLI.run(["validate"], in: repo.path)
      #expect(after.status == 0, "round \(round): after clearing: \(after.stdout) \(after.stderr)")
    }
    let seconds = Date().timeIntervalSince(start)
    let commits = try repo.git("rev-list", "--count", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    Reliability.report(
      "crash: \(kills) runs killed with SIGKILL at a random moment (0-\(window / 1000) ms): \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \(Int(commits)! - 1) changes committed, none lost, fsck clean every time; leftovers explained by validate: \(leftovers.isEmpty ? "none" : leftovers.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \(String(format: "%.1f", seconds)) s"
    )
  }

  /// `new` and `import` killed at random moments, in turn: after validate's advice is followed
  /// the clone is clean, nothing is staged, and an unrelated commit deletes no recommendation.
  @Test func newAndImportKilledAtRandomMomentsLoseNothing() throws {
    let kills = Reliability.size(6, slow: 60, full: 300)
    let repo = try TestRepository()
    try repo.write("Recommendations/K-0.yml", sampleRecommendation(id: "K-0"))
    try repo.commitAll("Add")
    let who = ["--author", "Crash Test <crash@example.org>"]
    func command(_ round: Int) throws -> [String] {
      if round % 2 == 0 {
        return ["new", "--id", "N-\(round)", "--title", "t", "--source", "s", "--owner", "o"] + who
      }
      try repo.write(
        "../sheet-\(round).csv",
        "Ref;Title;Owner\r\nI-\(round)-1;One;PCC\r\nI-\(round)-2;Two;PCC\r\nI-\(round)-3;Three;PCC\r\n")
      return [
        "import", "../sheet-\(round).csv", "--source", "Panel", "--raised", "2022-01-20",
        "--map", "id=Ref,title=Title,owner=Owner",
      ] + who
    }
    let t0 = Date()
    #expect(try CLI.run(try command(1_000), in: repo.path).status == 0)
    let window = UInt32(Date().timeIntervalSince(t0) * 1_100_000)
    var generator = SystemRandomNumberGenerator()
    var repaired = 0
    for round in 0..<kills {
      let child = try Child(CLI.executable, try command(round), in: repo.path)
      usleep(UInt32.random(in: 0...window, using: &generator))
      child.kill()
      _ = child.wait()
      let locks = ["index.lock", "refs/heads/main.lock", "HEAD.lock"].filter {
        FileManager.default.fileExists(atPath: repo.path + "/.git/" + $0)
      }
      if try repo.git("status", "--porcelain", "--untracked-files=all") != "" || !locks.isEmpty {
        repaired += 1
        try clearLeftovers(repo)
      }
      #expect(try repo.git("status", "--porcelain", "--untracked-files=all") == "", "round \(round)")
      let committed = try repo.git("ls-tree", "-r", "--name-only", "HEAD", "Recommendations")
      try repo.write("notes.txt", "round \(round)\n")
      try repo.git("add", "notes.txt")
      try repo.git("commit", "-qm", "Notes")
      #expect(
        try repo.git("ls-tree", "-r", "--name-only", "HEAD", "Recommendations") == committed, "round \(round)"
      )
    }
    Reliability.report(
      "crash: new/import killed \(kills) times at random moments; \(repaired) repaired as validate said, nothing lost"
    )
  }

  /// `sync` killed at random moments while it brings a colleague's changes in: after validate's
  /// advice the clone is clean and, once a sync completes, has every change the colleague made.
  @Test func syncKilledAtRandomMomentsKeepsTheColleaguesWork() throws {
    let kills = Reliability.size(4, slow: 30, full: 150)
    let server = try TestRepository(bare: true)
    let a = server.scratch + "/a"
    let b = server.scratch + "/b"
    let who = ["--author", "Crash Test <crash@example.org>"]
    try TestRepository.gitCLI(["clone", "-q", server.path, a], in: server.scratch)
    #expect(try CLI.run(["init", "."] + who, in: a).status == 0)
    #expect(try CLI.run(["sync"], in: a).status == 0)
    try TestRepository.gitCLI(["clone", "-q", server.path, b], in: server.scratch)
    var generator = SystemRandomNumberGenerator()
    var window: UInt32 = 0
    for round in 0..<kills {
      let id = "S-\(round)"
      #expect(
        try CLI.run(["new", "--id", id, "--title", "t", "--source", "s", "--owner", "o"] + who, in: b).status
          == 0)
      #expect(try CLI.run(["sync"], in: b).status == 0)
      if round == 0 {
        let t0 = Date()
        #expect(try CLI.run(["sync"], in: a).status == 0)
        window = UInt32(Date().timeIntervalSince(t0) * 1_100_000)
        continue
      }
      let child = try Child(CLI.executable, ["sync"], in: a)
      usleep(UInt32.random(in: 0...window, using: &generator))
      child.kill()
      _ = child.wait()
      if try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: a) != ""
        || FileManager.default.fileExists(atPath: a + "/.git/index.lock")
        || FileManager.default.fileExists(atPath: a + "/.git/refs/heads/main.lock")
        || FileManager.default.fileExists(atPath: a + "/.git/refs/remotes/origin/main.lock")
      {
        let out = try CLI.run(["validate"], in: a)
        for line in (out.stdout + out.stderr).split(separator: "\n") where line.hasPrefix("hint: ") {
          guard let range = line.range(of: "run: ") else { continue }
          #expect(try runProcess("/bin/sh", ["-c", String(line[range.upperBound...])], in: a).status == 0)
        }
      }
      #expect(
        try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: a) == "",
        "round \(round)")
    }
    let last = try CLI.run(["sync"], in: a)
    #expect(last.status == 0, "\(last.stderr)")
    let files = try TestRepository.gitCLI(["ls-files", "Recommendations"], in: a)
    for round in 0..<kills { #expect(files.contains("S-\(round).yml"), "S-\(round) missing: \(files)") }
    #expect(try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: a) == "")
    Reliability.report(
      "crash: sync killed \(kills - 1) times at random moments; every colleague's change arrived")
  }

  /// Does what `rectrack validate`'s hints say.
  func clearLeftovers(_ repo: TestRepository) throws {
    let out = try CLI.run(["validate"], in: repo.path)
    // Hints end in "run: COMMAND" ("hint: run: ...", or "hint: if no git command is running, run: ...").
    for line in (out.stdout + out.stderr).split(separator: "\n") where line.hasPrefix("hint: ") {
      guard let range = line.range(of: "run: ") else { continue }
      let command = String(line[range.upperBound...])
      let r = try runProcess("/bin/sh", ["-c", command], in: repo.path)
      #expect(r.status == 0, "\(command): \(r.stderr)")
    }
  }
}
