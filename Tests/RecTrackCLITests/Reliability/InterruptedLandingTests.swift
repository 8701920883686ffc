import Foundation
import RecTrackTestSupport
import Testing

/// `new`, `import` and `sync` killed (SIGKILL) at every step of their landing in turn
/// (`RECTRACK_TEST_KILL_AT=N`: after the objects, after the branch moved, after each working file,
/// after the index): `validate` names whatever was left and the one command that repairs it, and
/// following that advice leaves a clean clone in which an unrelated `git commit` deletes nothing
/// and a colleague's work brought by sync stays.
@Suite struct InterruptedLandingTests {
  let who = ["--author", "Crash Test <crash@example.org>"]

  /// Runs `command` killed at step 1, 2, ... until it runs to the end, each time on a fresh
  /// repository from `setup` (which returns the folder to run in); checks every outcome.
  func killAtEveryStep(
    _ command: [String], setup: () throws -> (TestRepository, String), landed: (String) throws -> Void
  ) throws -> Int {
    var step = 1
    while step < 40 {
      let (repo, dir) = try setup()
      defer { withExtendedLifetime(repo) {} }
      let before = try TestRepository.gitCLI(["rev-parse", "HEAD"], in: dir)
      let r = try CLI.run(command, in: dir, environment: ["RECTRACK_TEST_KILL_AT": "\(step)"])
      let finished = r.status == 0
      #expect(finished || r.stderr.isEmpty, "step \(step): \(r.stderr)")
      let status = try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: dir)
      if !status.isEmpty {
        let v = try CLI.run(["validate"], in: dir)
        #expect(
          v.status == 1, "step \(step): git status says \(status) but validate: \(v.stdout) \(v.stderr)")
        #expect((v.stdout + v.stderr).contains("interrupted"), "step \(step): \(v.stdout)")
        // Reads warn about the left-over copies without advising to commit them.
        let list = try CLI.run(["list"], in: dir)
        #expect(!list.stderr.contains("Commit them"), "step \(step): \(list.stderr)")
        if status.contains("Recommendations/") {
          #expect(
            list.stderr.contains("because a rectrack command was interrupted; do not commit"), "step \(step)")
        }
        try repairAsValidateSays(dir, step: step)
      }
      #expect(
        try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: dir) == "",
        "step \(step): not clean after the repair")
      let after = try CLI.run(["validate"], in: dir)
      #expect(after.status == 0, "step \(step): \(after.stdout) \(after.stderr)")
      let head = try TestRepository.gitCLI(["rev-parse", "HEAD"], in: dir)
      if head != before { try landed(dir) }
      // An unrelated commit made now takes nothing else with it.
      try "notes\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
      try TestRepository.gitCLI(["add", "notes.txt"], in: dir)
      try TestRepository.gitCLI(
        ["-c", "user.name=U", "-c", "user.email=u@example.org", "commit", "-qm", "Notes"], in: dir)
      let touched = try TestRepository.gitCLI(["diff", "--name-status", "HEAD~1", "HEAD"], in: dir)
      #expect(touched == "A\tnotes.txt\n", "step \(step): the unrelated commit also did \(touched)")
      if finished { return step }
      step += 1
    }
    Issue.record("the command never finished")
    return step
  }

  /// Runs every `run: COMMAND` hint of `rectrack validate`.
  func repairAsValidateSays(_ dir: String, step: Int) throws {
    let out = try CLI.run(["validate"], in: dir)
    for line in (out.stdout + out.stderr).split(separator: "\n") where line.hasPrefix("hint: ") {
      guard let range = line.range(of: "run: ") else { continue }
      let command = String(line[range.upperBound...])
      let r = try runProcess("/bin/sh", ["-c", command], in: dir)
      #expect(r.status == 0, "step \(step): \(command): \(r.stderr)")
    }
  }

  @Test func newKilledAtEveryStepIsRepairedByValidatesAdvice() throws {
    let steps = try killAtEveryStep(
      ["new", "--id", "DP-02", "--title", "Fund outreach", "--source", "Panel", "--owner", "PCC"] + who,
      setup: {
        let repo = try TestRepository()
        try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
        try repo.commitAll("Add")
        return (repo, repo.path)
      },
      landed: { dir in
        let files = try TestRepository.gitCLI(["ls-files", "Recommendations"], in: dir)
        #expect(files == "Recommendations/DP-01.yml\nRecommendations/DP-02.yml\n")
      })
    #expect(steps == 5)  // objects, branch, file, index, then a whole run
  }

  @Test func importKilledAtEveryStepIsRepairedByValidatesAdvice() throws {
    let sheet =
      "Ref;Recommendation;Lead officer;Status\r\nNY-01;Keep disrupting;Chief Constable;Ongoing\r\n"
      + "NY-02;Expand testing;Chief Constable;Ongoing\r\nNY-03;Fund outreach;PCC;Ongoing\r\n"
    let steps = try killAtEveryStep(
      [
        "import", "../tracker.csv", "--source", "Panel report", "--raised", "2022-01-20",
        "--map", "id=Ref,title=Recommendation,owner=Lead officer,status=Status",
        "--status-map", "Ongoing=in-progress",
      ] + who,
      setup: {
        let repo = try TestRepository()
        try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
        try repo.commitAll("Add")
        try repo.write("../tracker.csv", sheet)
        return (repo, repo.path)
      },
      landed: { dir in
        let files = try TestRepository.gitCLI(["ls-files", "Recommendations"], in: dir)
        #expect(files.split(separator: "\n").count == 4, "\(files)")
      })
    #expect(steps == 7)  // objects, branch, three files, index, then a whole run
  }

  @Test func syncKilledAtEveryStepKeepsTheColleaguesWork() throws {
    let steps = try killAtEveryStep(
      ["sync"],
      setup: {
        let server = try TestRepository(bare: true)
        let a = server.scratch + "/a"
        let b = server.scratch + "/b"
        try TestRepository.gitCLI(["clone", "-q", server.path, a], in: server.scratch)
        try FileManager.default.createDirectory(
          atPath: a + "/Recommendations", withIntermediateDirectories: true)
        for id in ["DP-01", "DP-02"] {
          try sampleRecommendation(id: id).write(
            toFile: a + "/Recommendations/\(id).yml", atomically: true, encoding: .utf8)
        }
        try TestRepository.gitCLI(["add", "-A"], in: a)
        try TestRepository.gitCLI(
          ["-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "Add"], in: a)
        #expect(try CLI.run(["sync"], in: a).status == 0)
        // A colleague closes DP-01, adds DP-03 and removes DP-02.
        try TestRepository.gitCLI(["clone", "-q", server.path, b], in: server.scratch)
        #expect(try CLI.run(["status", "DP-01", "complete", "--note", "Done"] + who, in: b).status == 0)
        #expect(
          try CLI.run(["new", "--id", "DP-03", "--title", "t", "--source", "s", "--owner", "o"] + who, in: b)
            .status == 0)
        try TestRepository.gitCLI(["rm", "-q", "Recommendations/DP-02.yml"], in: b)
        try TestRepository.gitCLI(
          ["-c", "user.name=B", "-c", "user.email=b@example.org", "commit", "-qm", "Withdrawn"], in: b)
        #expect(try CLI.run(["sync"], in: b).status == 0)
        return (server, a)
      },
      landed: { dir in
        let files = try TestRepository.gitCLI(["ls-files", "Recommendations"], in: dir)
        #expect(files == "Recommendations/DP-01.yml\nRecommendations/DP-03.yml\n")
        let text = try String(contentsOfFile: dir + "/Recommendations/DP-01.yml", encoding: .utf8)
        #expect(text.contains("status: complete"), "the colleague's change was reverted: \(text)")
      })
    #expect(steps == 7)  // objects, branch, one removal, two files, index, then a whole run
  }
}
