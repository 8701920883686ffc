import Foundation
import RecTrackTestSupport
import Testing

/// A git identity that git cannot use is reported, never taken for "no identity" (which would
/// quietly record the change under another name) nor ignored.
@Suite struct IdentityErrorTests {
  @Test func anUnusableIdentityIsReportedAndNothingIsRecorded() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    let head = try repo.commitAll("Add")
    try repo.git("config", "user.name", "Jane <Smith>")
    let new = [
      "new", "--id", "DP-02", "--title", "T", "--source", "S", "--owner", "O", "--raised", "2020-01-01",
    ]
    let r = try CLI.run(new, in: repo.path)
    #expect(r.status == 2)
    #expect(r.stderr.contains("git's configured identity cannot be used"), "\(r.stderr)")
    #expect(r.stderr.contains("git config user.name"), "\(r.stderr)")
    #expect(try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == head)
    // With --author the author is given, but the committer is still git's identity: also refused.
    let withAuthor = try CLI.run(new + ["--author", "Staff <staff@example.org>"], in: repo.path)
    #expect(withAuthor.status == 2, "\(withAuthor.stderr)")
    #expect(withAuthor.stderr.contains("git's configured identity cannot be used"))
    #expect(try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == head)
  }
}
