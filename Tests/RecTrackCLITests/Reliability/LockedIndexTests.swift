import Foundation
import RecTrackTestSupport
import Testing

/// A change recorded while another git program holds the index (`.git/index.lock`): the commit
/// lands, and the landing waits for the index (up to a second) instead of failing. Once the lock
/// goes, the index holds the recorded file and keeps what the user had staged, as if it had
/// never been locked: the attempts that failed on the lock leave nothing behind.
@Suite struct LockedIndexTests {
  let author = "Test Author <author@example.org>"

  @Test func aLandingWaitsForALockedIndexAndKeepsStagedWork() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.write("Recommendations/DP-02.yml", sampleRecommendation(id: "DP-02"))
    try repo.commitAll("Add recommendations")
    try repo.write("notes.txt", "my staged work\n")
    try repo.git("add", "notes.txt")
    let before = try repo.git("rev-parse", "HEAD")
    let lock = repo.path + "/.git/index.lock"
    try "".write(toFile: lock, atomically: true, encoding: .utf8)

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
    try FileManager.default.removeItem(atPath: lock)
    let r = child.wait()
    #expect(landed, "the commit never landed while the index was locked: \(r.stdout) \(r.stderr)")
    #expect(r.status == 0, "\(r.stdout) \(r.stderr)")

    let path = "Recommendations/DP-01.yml"
    #expect(try repo.git("rev-parse", "HEAD~1") == before)
    #expect(try repo.git("show", "HEAD:" + path).contains("status: in-progress"))
    // The index has HEAD's new file, the staged work, and nothing else staged.
    #expect(try repo.git("rev-parse", ":" + path) == repo.git("rev-parse", "HEAD:" + path))
    #expect(try repo.git("diff", "--cached", "--name-only") == "notes.txt\n")
    #expect(try repo.git("status", "--porcelain") == "A  notes.txt\n")
    #expect(try repo.git("fsck", "--no-progress", "--strict", "--no-dangling").isEmpty)
  }
}
