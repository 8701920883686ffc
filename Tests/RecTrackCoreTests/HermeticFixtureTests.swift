import Foundation
import RecTrackTestSupport
import Testing

/// Test repositories never see the developer's or the machine's git configuration: every git
/// process of the fixtures reads the test home's `.gitconfig`, and nothing else.
@Suite struct HermeticFixtureTests {
  @Test func gitReadsOnlyTheTestHome() throws {
    let repo = try TempRepository()
    let origins = try repo.git("config", "--list", "--show-origin", "--global")
    #expect(origins.contains(Hermetic.home + "/.gitconfig"), "\(origins)")
    #expect(try repo.git("config", "--global", "user.email") == "author@example.org\n")
    let history = try TestRepository()
    let shown = try history.git.run(["config", "--list", "--show-origin"])
    for line in shown.split(separator: "\n") {
      #expect(
        line.contains(Hermetic.home) || line.hasPrefix("file:.git/config") || line.hasPrefix("command line:"),
        "a setting from outside the test: \(line)")
    }
  }
}
