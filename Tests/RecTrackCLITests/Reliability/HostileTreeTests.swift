import Foundation
import RecTrackTestSupport
import Testing

/// Trees built by hand (`git mktree`) with entries no checkout may write: `.git` in any
/// spelling, `..`, links in the way. `sync` refuses them whole and writes nothing; `list`
/// never shows them; `validate` and `audit` name them.
@Suite struct HostileTreeTests {
  let server: TestRepository
  let clone: String
  let who = ["--author", "Staff <staff@example.org>"]

  init() throws {
    server = try TestRepository(bare: true)
    clone = server.scratch + "/clone"
    try TestRepository.gitCLI(["clone", "-q", server.path, clone], in: server.scratch)
    try FileManager.default.createDirectory(
      atPath: clone + "/Recommendations", withIntermediateDirectories: true)
    try sampleRecommendation(id: "DP-01").write(
      toFile: clone + "/Recommendations/DP-01.yml", atomically: true, encoding: .utf8)
    try TestRepository.gitCLI(["add", "-A"], in: clone)
    try TestRepository.gitCLI(
      ["-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "Add"], in: clone)
    let first = try CLI.run(["sync"], in: clone)
    #expect(first.status == 0, "\(first.stderr)")
  }

  /// Commits, on the server's main, its tip's tree plus a blob at `components` (nested trees
  /// built with `git mktree`, which accepts any name), and returns the commit.
  @discardableResult
  func pushHostile(
    _ components: [String], content: String = "#!/bin/sh\ntouch /tmp/pwned\n",
    mode: String = "100755"
  ) throws -> String {
    let blob = try git(["hash-object", "-w", "--stdin"], stdin: content)
    let tip = try git(["rev-parse", "main^{tree}"])
    let tree = try add(components, blob: blob, mode: mode, to: tip)
    let commit = try git(["commit-tree", tree, "-p", "main", "-m", "Routine update"])
    _ = try git(["update-ref", "refs/heads/main", commit])
    return commit
  }

  func git(_ args: [String], stdin: String? = nil) throws -> String {
    try server.git(
      arguments: args,
      environment: [
        "GIT_AUTHOR_NAME": "Mallory", "GIT_AUTHOR_EMAIL": "mallory@example.org",
        "GIT_COMMITTER_NAME": "Mallory",
        "GIT_COMMITTER_EMAIL": "mallory@example.org",
      ], stdin: stdin
    ).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private func add(_ components: [String], blob: String, mode: String, to tree: String?) throws -> String {
    var lines: [String] = []
    var existing: String?
    if let tree {
      for line in try git(["ls-tree", tree]).split(separator: "\n") {
        let parts = line.split(separator: "\t", maxSplits: 1)
        if parts.count == 2, parts[1] == components[0] {
          // Replaced: a folder of that name is extended, anything else overwritten.
          if parts[0].contains(" tree ") { existing = parts[0].split(separator: " ").last.map(String.init) }
          continue
        }
        lines.append(String(line))
      }
    }
    if components.count == 1 {
      lines.append("\(mode) blob \(blob)\t\(components[0])")
    } else {
      let sub = try add(Array(components.dropFirst()), blob: blob, mode: mode, to: existing)
      lines.append("040000 tree \(sub)\t\(components[0])")
    }
    return try git(["mktree"], stdin: lines.joined(separator: "\n") + "\n")
  }

  func workingState() throws -> String {
    try TestRepository.gitCLI(["rev-parse", "HEAD"], in: clone)
      + (try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: clone))
  }

  @Test(arguments: [
    [".git", "hooks", "pre-commit"], [".GIT", "hooks", "pre-commit"], ["git~1", "hooks", "pre-commit"],
    [".git.", "hooks", "pre-commit"], ["Templates", "..", ".git", "hooks", "pre-commit"],
    ["Recommendations", "..", "..", "X.yml"], ["Recommendations", "sub", "..", "..", "..", "X.yml"],
    [".g\u{200C}it", "hooks", "pre-commit"],
  ])
  func syncRefusesAHostileTreeWholeAndWritesNothing(_ components: [String]) throws {
    // An innocent change in the same push: it must not arrive either.
    let before = try workingState()
    let commit = try pushHostile(components)
    let r = try CLI.run(["sync"], in: clone)
    #expect(r.status == 2, "\(components): \(r.stdout) \(r.stderr)")
    #expect(r.stderr.hasPrefix("error: refused: the commit to bring in has the entry '"), "\(r.stderr)")
    #expect(r.stderr.contains("Nothing was changed in this clone."))
    #expect(r.stderr.contains(String(commit.prefix(10))))
    #expect(try workingState() == before)
    let fm = FileManager.default
    #expect(!fm.fileExists(atPath: clone + "/.git/hooks/pre-commit"))
    #expect(!fm.fileExists(atPath: server.scratch + "/X.yml"))
    #expect(!fm.fileExists(atPath: clone + "/../X.yml"))
    #expect(!fm.fileExists(atPath: "/X.yml"))
  }

  /// A tree 20,000 folders deep (one `git fast-import`), with and without a local change to
  /// replay on top: refused like any hostile tree, at `Repository.maxTreeDepth`, nothing written.
  /// The third case: the deep tree reached this clone's branch by plain git (no rectrack read
  /// it), and the server then removes it. Comparing the two tips used to recurse 20,000 deep.
  @Test(arguments: ["arrives", "arrives over a local change", "is removed after arriving"])
  func syncRefusesATreeTwentyThousandFoldersDeep(_ scenario: String) throws {
    if scenario == "arrives over a local change" {
      let r = try CLI.run(["status", "DP-01", "in-progress"] + who, in: clone)
      #expect(r.status == 0, "\(r.stderr)")
    }
    let content = sampleRecommendation(id: "DEEP-01")
    let path = "Recommendations/" + String(repeating: "a/", count: 20_000) + "DEEP-01.yml"
    _ = try git(
      ["fast-import", "--quiet"],
      stdin:
        "commit refs/heads/main\ncommitter Mallory <mallory@example.org> 1612000000 +0000\ndata 5\ndeep\n"
        + "from main^0\nM 100644 inline \(path)\ndata \(content.utf8.count)\n\(content)\n")
    var commit = try git(["rev-parse", "main"])
    if scenario == "is removed after arriving" {
      try TestRepository.gitCLI(["fetch", "-q", "origin"], in: clone)
      try TestRepository.gitCLI(["update-ref", "refs/heads/main", "origin/main"], in: clone)
      _ = try git([
        "update-ref", "refs/heads/main",
        try git(["commit-tree", "main~1^{tree}", "-p", "main", "-m", "Remove"]),
      ])
      commit = try git(["rev-parse", "main"])
    }
    // `git status` itself crashes comparing a 20,000-deep HEAD with the index: compare files.
    func state() throws -> String {
      let index = try Data(contentsOf: URL(fileURLWithPath: clone + "/.git/index"))
      let files = try FileManager.default.subpathsOfDirectory(atPath: clone + "/Recommendations").sorted()
      return try TestRepository.gitCLI(["rev-parse", "HEAD"], in: clone) + index.base64EncodedString()
        + files.joined(separator: ",")
        + (try String(contentsOfFile: clone + "/Recommendations/DP-01.yml", encoding: .utf8))
    }
    let before = try state()
    let r = try CLI.run(["sync"], in: clone)
    #expect(r.status == 2, "\(r.stdout) \(r.stderr.prefix(400))")
    #expect(!r.stderr.contains("Backtrac") && !r.stderr.contains("Fatal error"))
    #expect(
      r.stderr.hasPrefix("error: refused: the commit to bring in has the entry '"), "\(r.stderr.prefix(400))")
    #expect(r.stderr.contains("folders are nested more than 72 deep"), "\(r.stderr.suffix(400))")
    if scenario != "is removed after arriving" { #expect(r.stderr.contains(String(commit.prefix(10)))) }
    #expect(try state() == before)
    #expect(!FileManager.default.fileExists(atPath: clone + "/Recommendations/a"))
  }

  @Test func readsIgnoreHostileEntriesAndValidateAndAuditNameThem() throws {
    try pushHostile(
      ["Recommendations", "..", "..", "X"], content: sampleRecommendation(id: "X"), mode: "100644")
    try pushHostile(
      ["Recommendations", "..", "..", "X.yml"], content: sampleRecommendation(id: "X"), mode: "100644")
    try pushHostile([".git", "hooks", "pre-commit"])
    let bare = ["--repo", server.path]
    let list = try CLI.run(["list", "--format", "json"] + bare, in: server.scratch)
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("DP-01"))
    #expect(!list.stdout.contains("X.yml"))
    let ids = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
    #expect(ids?.compactMap { $0["id"] as? String } == ["DP-01"])
    // progress counts one recommendation in every month, never the hostile one.
    let progress = try CLI.run(["progress", "--format", "json"] + bare, in: server.scratch)
    #expect(progress.status == 0, "\(progress.stderr)")
    #expect(!progress.stdout.contains("\"total\" : 2"), "\(progress.stdout)")
    #expect(progress.stdout.contains("\"total\" : 1"), "\(progress.stdout)")
    #expect(try CLI.run(["show", "X"] + bare, in: server.scratch).status == 2)
    let validate = try CLI.run(["validate"] + bare, in: server.scratch)
    #expect(validate.status == 1)
    #expect(
      validate.stdout.contains(".git:1:1: error: the last commit's tree has this entry"), "\(validate.stdout)"
    )
    #expect(validate.stdout.contains("Recommendations/..:1:1: error: "), "\(validate.stdout)")
    let audit = try CLI.run(["audit", "--format", "csv"] + bare, in: server.scratch)
    #expect(audit.status == 1)
    // One finding per commit that brings an unsafe entry in (three pushes).
    #expect(audit.stdout.components(separatedBy: "unsafe-path,error").count - 1 == 3, "\(audit.stdout)")
    #expect(audit.stdout.contains("Recommendations/..: it has a '..' component"))
    #expect(audit.stdout.contains(".git: it names git's own folder"))
  }

  @Test func aLinkInTheWorkingFolderIsNeverWrittenThrough() throws {
    let outside = server.scratch + "/outside"
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: clone + "/Recommendations/sub", withDestinationPath: outside)
    try pushHostile(
      ["Recommendations", "sub", "S-01.yml"], content: sampleRecommendation(id: "S-01"), mode: "100644")
    let r = try CLI.run(["sync"], in: clone)
    #expect(r.status == 2)
    #expect(r.stderr.contains("Recommendations/sub is a symbolic link in the working folder"), "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
  }

  @Test func aLinkAndAFolderOfOneNameAreRefused() throws {
    // On a case-insensitive disk `Evil` (a link out of the clone) and `evil/` are one name.
    let outside = server.scratch + "/outside"
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    let link = try git(["hash-object", "-w", "--stdin"], stdin: outside)
    let blob = try git(["hash-object", "-w", "--stdin"], stdin: sampleRecommendation(id: "S-01"))
    let tip = try git(["rev-parse", "main^{tree}"])
    let withLink = try add(["Recommendations", "Evil"], blob: link, mode: "120000", to: tip)
    let both = try add(["Recommendations", "evil", "S-01.yml"], blob: blob, mode: "100644", to: withLink)
    let c = try git(["commit-tree", both, "-p", "main", "-m", "Routine update"])
    _ = try git(["update-ref", "refs/heads/main", c])
    let before = try workingState()
    let r = try CLI.run(["sync"], in: clone)
    #expect(r.status == 2)
    #expect(r.stderr.contains("a symbolic link and a folder have the same name here"), "\(r.stderr)")
    #expect(try workingState() == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
  }

  @Test func aLinkReplacedByAFolderLeavesACleanIndex() throws {
    // The server's history: a link Recommendations/sub, then a folder of that name.
    let link = try git(["hash-object", "-w", "--stdin"], stdin: "../Templates")
    let tip = try git(["rev-parse", "main^{tree}"])
    let withLink = try add(["Recommendations", "sub"], blob: link, mode: "120000", to: tip)
    let c1 = try git(["commit-tree", withLink, "-p", "main", "-m", "Link"])
    _ = try git(["update-ref", "refs/heads/main", c1])
    #expect(try CLI.run(["sync"], in: clone).status == 0)
    let attrs = try FileManager.default.attributesOfItem(atPath: clone + "/Recommendations/sub")
    #expect(attrs[.type] as? FileAttributeType == .typeSymbolicLink)
    let blob = try git(["hash-object", "-w", "--stdin"], stdin: sampleRecommendation(id: "S-01"))
    var recs = try git(["ls-tree", "main:Recommendations"]).split(separator: "\n").filter {
      !$0.hasSuffix("\tsub")
    }
    let sub = try git(["mktree"], stdin: "100644 blob \(blob)\tS-01.yml\n")
    recs.append("040000 tree \(sub)\tsub")
    let recTree = try git(["mktree"], stdin: recs.joined(separator: "\n") + "\n")
    var root = try git(["ls-tree", "main"]).split(separator: "\n").filter {
      !$0.hasSuffix("\tRecommendations")
    }
    root.append("040000 tree \(recTree)\tRecommendations")
    let rootTree = try git(["mktree"], stdin: root.joined(separator: "\n") + "\n")
    let c2 = try git(["commit-tree", rootTree, "-p", "main", "-m", "Folder"])
    _ = try git(["update-ref", "refs/heads/main", c2])
    let r = try CLI.run(["sync"], in: clone)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: clone) == "")
    let validate = try CLI.run(["validate"], in: clone)
    #expect(validate.status == 0, "\(validate.stdout) \(validate.stderr)")
    #expect(
      try String(contentsOfFile: clone + "/Recommendations/sub/S-01.yml", encoding: .utf8).contains("S-01"))
    #expect(try CLI.run(["status", "S-01", "in-progress"] + who, in: clone).status == 0)
  }

  @Test func anUnusableLockIsRefusedWithAReason() throws {
    try? FileManager.default.removeItem(atPath: clone + "/.git/rectrack.lock")
    try FileManager.default.createDirectory(
      atPath: clone + "/.git/rectrack.lock", withIntermediateDirectories: true)
    let head = try TestRepository.gitCLI(["rev-parse", "HEAD"], in: clone)
    for args in [
      ["status", "DP-01", "in-progress"] + who, ["sync"],
      ["new", "--id", "DP-02", "--title", "t", "--source", "s", "--owner", "o"] + who,
    ] {
      let r = try CLI.run(args, in: clone)
      #expect(r.status == 2, "\(args)")
      #expect(
        r.stderr.hasPrefix("error: nothing was written: rectrack could not take its lock "), "\(r.stderr)")
      #expect(r.stderr.contains("Is a directory"))
    }
    #expect(try TestRepository.gitCLI(["rev-parse", "HEAD"], in: clone) == head)
    #expect(try TestRepository.gitCLI(["status", "--porcelain"], in: clone) == "")
  }
}

/// The committer date is when rectrack recorded the change (docs/format.md §6): a typed
/// `GIT_AUTHOR_DATE` does not backdate it, and an author date in the future is refused.
@Suite struct RecordedDateTests {
  @Test func theCommitterDateIsTheRealTimeAndFutureAuthorDatesAreRefused() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.commitAll("Add")
    let who = ["--author", "Staff <staff@example.org>"]
    let typed = ["GIT_AUTHOR_DATE": "2021-02-01T10:00:00+00:00"]
    let r = try CLI.run(["status", "DP-01", "in-progress"] + who, in: repo.path, environment: typed)
    #expect(r.status == 0, "\(r.stderr)")
    let dates = try repo.git("log", "-1", "--format=%at %ct").split(separator: " ").map {
      Int64($0.trimmingCharacters(in: .whitespacesAndNewlines))!
    }
    #expect(dates[0] == 1_612_173_600)
    #expect(abs(dates[1] - Int64(Date().timeIntervalSince1970)) < 120, "committer date \(dates[1])")
    // GIT_COMMITTER_DATE, when given, is used as git uses it.
    let both = typed.merging(["GIT_COMMITTER_DATE": "2021-02-02T10:00:00+00:00"]) { a, _ in a }
    #expect(try CLI.run(["status", "DP-01", "complete"] + who, in: repo.path, environment: both).status == 0)
    #expect(try repo.git("log", "-1", "--format=%cI") == "2021-02-02T10:00:00+00:00\n")

    let head = try repo.git("rev-parse", "HEAD")
    let future = try CLI.run(
      ["new", "--id", "DP-02", "--title", "t", "--source", "s", "--owner", "o"] + who, in: repo.path,
      environment: ["GIT_AUTHOR_DATE": "2099-06-01T00:00:00+00:00"])
    #expect(future.status == 2)
    #expect(
      future.stderr.hasPrefix("error: GIT_AUTHOR_DATE '2099-06-01T00:00:00+00:00' is in the future"),
      "\(future.stderr)")
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.git("status", "--porcelain") == "")
  }
}
