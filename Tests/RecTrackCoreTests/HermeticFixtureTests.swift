import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Test repositories never see the developer's or the machine's git configuration: every git
/// process of the fixtures reads the test's own home's `.gitconfig`, and nothing else; libgit2
/// inside the test process reads the process home; two tests never share a home.
@Suite struct HermeticFixtureTests {
  @Test func gitReadsOnlyTheTestHome() throws {
    let repo = try TestRepository()
    let origins = try repo.git("config", "--list", "--show-origin", "--global")
    #expect(origins.contains(Hermetic.home + "/.gitconfig"), "\(origins)")
    #expect(try repo.git("config", "--global", "user.email") == "author@example.org\n")
    let shown = try repo.git.run(["config", "--list", "--show-origin"])
    for line in shown.split(separator: "\n") {
      #expect(
        line.contains(Hermetic.home) || line.hasPrefix("file:.git/config") || line.hasPrefix("command line:"),
        "a setting from outside the test: \(line)")
    }
  }

  /// What one test writes into its global configuration, another test does not read.
  @Test func eachTestHasItsOwnHome() throws {
    let repo = try TestRepository()
    try repo.git("config", "--global", "rectrack.marker", "first")
    #expect(Hermetic.home != Hermetic.processHome)
    #expect(try repo.git("config", "--global", "rectrack.marker") == "first\n")
  }

  @Test func aSecondTestDoesNotSeeTheFirstTestsSetting() throws {
    let repo = try TestRepository()
    #expect(throws: TestSupportError.self) { try repo.git("config", "--global", "rectrack.marker") }
  }

  /// libgit2 searches the process home for global, XDG and system settings, never `~`.
  @Test func libgit2ReadsTheProcessHome() throws {
    _ = try TestRepository()
    #expect(try Libgit2.configSearchPath(.global) == Hermetic.processHome)
    #expect(try Libgit2.configSearchPath(.xdg) == Hermetic.processHome + "/.config/git")
    #expect(try Libgit2.configSearchPath(.system) == Hermetic.processHome + "/system")
  }

  /// A generated history is one `git fast-import`: dates and offsets as given, a merge with
  /// two parents, the working folder checked out.
  @Test func fastImportWritesTheDatesAndTheTree() throws {
    let repo = try TestRepository()
    var stream = FastImport()
    let one = stream.commit(
      branch: "main", message: "First\n", date: "2021-03-31T23:30:00-02:00", files: ["a.txt": "a\r\n"])
    let side = stream.commit(
      branch: "side", message: "Side\n", date: "2021-04-02T01:00:00+05:30",
      files: ["a.txt": "a\r\n", "b": "b"],
      parent: one)
    stream.commit(
      branch: "main", message: "Merge\n", date: "2021-04-03T12:00:00+00:00", files: ["b": "b"], parent: one,
      merged: side)
    try stream.run(in: repo)
    #expect(
      try repo.git("log", "--format=%ad %s", "--date=iso-strict") == """
        2021-04-03T12:00:00+00:00 Merge
        2021-04-02T01:00:00+05:30 Side
        2021-03-31T23:30:00-02:00 First

        """)
    #expect(try repo.git("rev-list", "--parents", "-n1", "HEAD").split(separator: " ").count == 3)
    #expect(try repo.read("b") == "b")
    #expect(!FileManager.default.fileExists(atPath: repo.path + "/a.txt"))
    #expect(try repo.git("status", "--porcelain") == "")
  }
}
