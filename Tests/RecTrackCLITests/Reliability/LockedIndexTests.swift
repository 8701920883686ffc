import Foundation
import RecTrackTestSupport
import Testing

/// A change recorded while another git program holds the index (`.git/index.lock`): the commit
/// lands, and the landing waits for the index (up to a second) instead of failing. Once the lock
/// goes, the index holds the recorded file and keeps what the user had staged, as if it had
/// never been locked: the attempts that failed on the lock leave nothing behind, and what the
/// other program wrote to the index when it let go is kept too.
@Suite struct LockedIndexTests {
  let author = "Test Author <author@example.org>"

  /// How the other program lets go of the index.
  enum Release: CaseIterable, Sendable {
    /// It gave up: the lock file is deleted, the index is as it was.
    case deleted
    /// It finished: its new index (with `other.txt` staged) replaces the old one, as git writes it.
    case written
  }

  @Test(arguments: Release.allCases)
  func aLandingWaitsForALockedIndexAndKeepsStagedWork(release: Release) throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.write("Recommendations/DP-02.yml", sampleRecommendation(id: "DP-02"))
    try repo.commitAll("Add recommendations")
    try repo.write("notes.txt", "my staged work\n")
    try repo.git("add", "notes.txt")
    try repo.write("other.txt", "the other program's work\n")
    let before = try repo.git("rev-parse", "HEAD")
    let index = repo.path + "/.git/index"
    let lock = index + ".lock"
    // The lock holds the index the other program is writing: today's, plus other.txt.
    let theirs = repo.scratch + "/their-index"
    try FileManager.default.copyItem(atPath: index, toPath: theirs)
    try TestRepository.gitCLI(["add", "other.txt"], in: repo.path, environment: ["GIT_INDEX_FILE": theirs])
    try FileManager.default.copyItem(atPath: theirs, toPath: lock)

    let child = try Child(
      CLI.executable, ["status", "DP-01", "in-progress", "--author", author, "--note", "Started."],
      in: repo.path)
    // The lock goes once the commit has landed, while the landing is waiting for the index.
    var landed = false
    for _ in 0..<500 where child.process.isRunning {
      if try repo.git("rev-parse", "HEAD") != before {
        landed = true
        break
      }
      usleep(10_000)
    }
    switch release {
    case .deleted: try FileManager.default.removeItem(atPath: lock)
    case .written: #expect(rename(lock, index) == 0)
    }
    let r = child.wait()
    #expect(landed, "the commit never landed while the index was locked: \(r.stdout) \(r.stderr)")
    #expect(r.status == 0, "\(r.stdout) \(r.stderr)")

    let path = "Recommendations/DP-01.yml"
    #expect(try repo.git("rev-parse", "HEAD~1") == before)
    #expect(try repo.git("show", "HEAD:" + path).contains("status: in-progress"))
    // The index has HEAD's new file, the staged work, and nothing else staged.
    #expect(try repo.git("rev-parse", ":" + path) == repo.git("rev-parse", "HEAD:" + path))
    let staged = release == .written ? "notes.txt\nother.txt\n" : "notes.txt\n"
    #expect(try repo.git("diff", "--cached", "--name-only") == staged)
    let status = release == .written ? "A  notes.txt\nA  other.txt\n" : "A  notes.txt\n?? other.txt\n"
    #expect(try repo.git("status", "--porcelain", "--untracked-files=all") == status)
    #expect(try repo.git("fsck", "--no-progress", "--strict", "--no-dangling").isEmpty)
  }
}
