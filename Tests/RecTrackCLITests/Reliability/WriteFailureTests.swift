import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// True when this process may mount a small tmpfs (root, and mounting allowed in this container).
let tmpfsUnavailable: String? = {
  guard getuid() == 0 else { return "needs root to mount a small tmpfs (mount, Debian package mount)" }
  guard let mount = which("mount"), let umount = which("umount") else {
    return "needs mount and umount (Debian package mount)"
  }
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rectrack-mount-\(UUID())").path
  try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  guard let r = try? runProcess(mount, ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]), r.status == 0 else {
    return "mounting a tmpfs is not allowed here (mount -t tmpfs failed), so no full or read-only disk"
  }
  _ = try? runProcess(umount, [dir])
  return nil
}()

/// True when rectrack can be run as the user nobody (root, with setpriv).
let setprivUnavailable: String? = {
  guard getuid() == 0 else { return "needs root to run rectrack as the user nobody" }
  guard which("setpriv") != nil else { return "needs setpriv (Debian package util-linux)" }
  return nil
}()

/// What libgit2 says when a write fails, in plain words (`GitError.plainMessage`): a folder
/// needed where a file is (or the reverse), a full disk, a read-only disk, no permission. Each
/// made for real (a tmpfs filled up or remounted read-only, rectrack run as nobody).
@Suite struct WriteFailureTests {
  let who = ["--author", "Staff <staff@example.org>"]

  func state(_ path: String) throws -> String {
    try TestRepository.gitCLI(["rev-parse", "HEAD"], in: path)
      + (try TestRepository.gitCLI(["status", "--porcelain", "--untracked-files=all"], in: path))
  }

  @Test func aFolderWhereTheRepositoryHasAFileIsRefusedPlainly() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.write("Recommendations/sub", "notes\n")
    try repo.commitAll("Add")
    let before = try state(repo.path)
    let r = try CLI.run(
      ["new", "--id", "DP-02", "--folder", "sub", "--title", "t", "--source", "s", "--owner", "o"] + who,
      in: repo.path)
    #expect(r.status == 2)
    #expect(
      r.stderr.hasPrefix(
        "error: nothing was recorded: the change needs a folder 'Recommendations/sub', but the "
          + "repository has a file"
      ), "\(r.stderr)")
    #expect(!r.stderr.contains("D/F") && !r.stderr.contains("git_tree_create_updated"))
    #expect(try state(repo.path) == before)
    // The reverse: a committed folder where the new file would go (was "... is not committed").
    try repo.write("Recommendations/DP-03.yml/notes.txt", "notes\n")
    try repo.commitAll("Add a folder")
    let folder = try CLI.run(
      ["new", "--id", "DP-03", "--title", "t", "--source", "s", "--owner", "o"] + who, in: repo.path)
    #expect(folder.status == 2)
    #expect(
      folder.stderr.hasPrefix(
        "error: nothing was recorded: the change would write the file 'Recommendations/DP-03.yml', but the "
          + "repository has a folder of that name."), "\(folder.stderr)")
  }

  /// The reverse, through the library: a file where the committed tree has a folder.
  @Test func aFileWhereTheRepositoryHasAFolderIsSaidPlainly() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-03.yml/notes.txt", "notes\n")
    try repo.commitAll("Add")
    let git = try TrackingRepository(at: repo.path).git
    let tree = try git.commit(try #require(git.head().commit)).tree
    let blob = try git.createBlob(Array(sampleRecommendation(id: "DP-03").utf8))
    do {
      _ = try git.updatedTree(
        base: tree, updates: [TreeUpdate(path: "Recommendations/DP-03.yml", blob: blob)])
      Issue.record("libgit2 accepted a file over a folder")
    } catch {
      // libgit2 words this one "cannot replace 'tree' with 'blob' at ...".
      #expect(error.message.contains("cannot replace 'tree'"), "the real libgit2 error: \(error)")
      let text = TrackingError.git(error).description
      #expect(
        text.hasPrefix(
          "nothing was recorded: the change would write the file 'Recommendations/DP-03.yml', but the "
            + "repository has a folder of that name."), "\(text)")
    }
  }

  /// A tracking repository on a fresh tmpfs of `size`, mounted at `scratch/mnt`; `body` runs with
  /// its path, then the tmpfs is unmounted.
  func onTmpfs(size: String, _ body: (String, String) throws -> Void) throws {
    let scratch = try TestRepository()
    let mnt = scratch.scratch + "/mnt"
    try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
    let m = try runProcess(which("mount")!, ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mnt])
    try #require(m.status == 0, "\(m.stderr)")
    defer { _ = try? runProcess(which("umount")!, ["-l", mnt]) }
    let repo = mnt + "/repo"
    try TestRepository.gitCLI(["init", "-q", "-b", "main", repo], in: mnt)
    #expect(try CLI.run(["init", "."] + who, in: repo).status == 0)
    let new = try CLI.run(
      ["new", "--id", "DP-01", "--title", "t", "--source", "s", "--owner", "o"] + who, in: repo)
    #expect(new.status == 0, "\(new.stderr)")
    try body(mnt, repo)
  }

  @Test(.enabled(if: tmpfsUnavailable == nil, "\(tmpfsUnavailable ?? "")"))
  func aFullDiskIsSaidPlainly() throws {
    try onTmpfs(size: "400k") { mnt, repo in
      let before = try state(repo)
      // Fill the disk: dd stops when it is full.
      _ = try runProcess(which("dd")!, ["if=/dev/zero", "of=\(mnt)/filler", "bs=4k"])
      for args in [["status", "DP-01", "in-progress"] + who, ["audit", "--seal"]] {
        let r = try CLI.run(args, in: repo)
        #expect(r.status == 2, "\(args)")
        #expect(
          r.stderr.hasPrefix(
            "error: rectrack could not write to the repository: the disk holding it is full (no space "
              + "left on device). Free some space there, then run 'rectrack validate'"),
          "\(args): \(r.stderr)")
        #expect(!r.stderr.contains("git_"), "\(args): \(r.stderr)")
      }
      try FileManager.default.removeItem(atPath: mnt + "/filler")
      #expect(try state(repo) == before)
      #expect(try CLI.run(["validate"], in: repo).status == 0)
      #expect(try CLI.run(["status", "DP-01", "in-progress"] + who, in: repo).status == 0)
    }
  }

  @Test(.enabled(if: tmpfsUnavailable == nil, "\(tmpfsUnavailable ?? "")"))
  func aReadOnlyDiskIsSaidPlainly() throws {
    try onTmpfs(size: "2m") { mnt, repo in
      let before = try state(repo)
      let ro = try runProcess(which("mount")!, ["-o", "remount,ro", mnt])
      try #require(ro.status == 0, "\(ro.stderr)")
      for args in [["status", "DP-01", "in-progress"] + who, ["audit", "--seal"]] {
        let r = try CLI.run(args, in: repo)
        #expect(r.status == 2, "\(args)")
        #expect(
          r.stderr.hasPrefix(
            "error: rectrack could not write to the repository: it is on a read-only disk or share"),
          "\(args): \(r.stderr)")
      }
      #expect(try CLI.run(["list"], in: repo).status == 0, "reading still works")
      #expect(try state(repo) == before)
    }
  }

  /// `rectrack` run as the user nobody, with a global git config trusting `repo` (owned by root).
  func asNobody(_ args: [String], in repo: String, scratch: String) throws -> ProcessResult {
    // libgit2 reads $HOME/.gitconfig (git itself GIT_CONFIG_GLOBAL): the same file for both.
    let config = scratch + "/.gitconfig"
    try "[safe]\n\tdirectory = \(repo)\n[user]\n\tname = Nobody\n\temail = nobody@example.org\n"
      .write(toFile: config, atomically: true, encoding: .utf8)
    var env = Hermetic.environment
    env["NO_COLOR"] = "1"
    env["GIT_CONFIG_GLOBAL"] = config
    env["HOME"] = scratch
    return try runProcess(
      which("setpriv")!, ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.executable] + args,
      in: repo,
      environment: env)
  }

  @Test(.enabled(if: setprivUnavailable == nil, "\(setprivUnavailable ?? "")"))
  func noPermissionIsSaidPlainly() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.commitAll("Add")
    _ = try runProcess(which("chmod")!, ["-R", "a+rX", repo.scratch])
    let before = try state(repo.path)
    // Without safe.directory, git's own rule: another user's repository is not opened.
    var env = Hermetic.environment
    env["HOME"] = repo.scratch
    env["GIT_CONFIG_GLOBAL"] = repo.scratch + "/none"
    let untrusted = try runProcess(
      which("setpriv")!, ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.executable, "list"],
      in: repo.path, environment: env)
    #expect(untrusted.status == 2)
    #expect(
      untrusted.stderr.hasPrefix(
        "error: git refuses to open \(repo.path): the repository belongs to another user"),
      "\(untrusted.stderr)")
    #expect(untrusted.stderr.contains("git config --global --add safe.directory \(repo.path)'"))

    #expect(try asNobody(["list"], in: repo.path, scratch: repo.scratch).status == 0, "reading still works")
    let seal = try asNobody(["audit", "--seal"], in: repo.path, scratch: repo.scratch)
    #expect(seal.status == 2)
    #expect(
      seal.stderr.hasPrefix("error: rectrack could not write to the repository: permission denied"),
      "\(seal.stderr)")
    #expect(try state(repo.path) == before)
  }

  /// docs/security.md: a lock file this user cannot open (EACCES) is refused, never ignored.
  @Test(.enabled(if: setprivUnavailable == nil, "\(setprivUnavailable ?? "")"))
  func aLockFileThatCannotBeOpenedIsRefused() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.commitAll("Add")
    // Everything writable by nobody but the lock: root's, mode 000.
    _ = try runProcess(which("chmod")!, ["-R", "a+rwX", repo.scratch])
    let lock = repo.path + "/.git/rectrack.lock"
    #expect(FileManager.default.createFile(atPath: lock, contents: nil))
    #expect(chmod(lock, 0) == 0)
    let before = try state(repo.path)
    let file = try repo.read("Recommendations/DP-01.yml")
    for args in [
      ["status", "DP-01", "in-progress"] + who,
      ["new", "--id", "DP-02", "--title", "t", "--source", "s", "--owner", "o"] + who,
    ] {
      let r = try asNobody(args, in: repo.path, scratch: repo.scratch)
      #expect(r.status == 2, "\(args): \(r.stdout)")
      #expect(
        r.stderr.hasPrefix(
          "error: nothing was written: rectrack could not take its lock \(lock) (Permission denied)"),
        "\(args): \(r.stderr)")
    }
    #expect(try state(repo.path) == before)
    #expect(try repo.read("Recommendations/DP-01.yml") == file)
    // As its owner, the same command works once the lock is usable again.
    #expect(chmod(lock, 0o644) == 0)
    #expect(try CLI.run(["status", "DP-01", "in-progress"] + who, in: repo.path).status == 0)
  }
}
