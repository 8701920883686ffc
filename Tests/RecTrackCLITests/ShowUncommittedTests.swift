import Foundation
import RecTrackTestSupport
import Testing

/// `show ID` of HEAD checks only the shown recommendation's files for uncommitted edits (one
/// index entry and one working file, no scan of the folder): edited, staged or deleted, its own
/// file gets the warning; another file's edit does not concern it; `list` still checks them all.
@Suite struct ShowUncommittedTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/2019/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write(
      "Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "in-progress"))
    try repo.commitAll("Add recommendations")
  }

  func rectrack(_ args: String...) throws -> ProcessResult { try CLI.run(args, in: repo.path) }

  let warning = "warning: Recommendations/DP-DDR-02.yml has changes that are not committed"

  @Test func theShownFileIsCheckedAndNoOther() throws {
    #expect(try rectrack("show", "DP-DDR-02").stderr == "")
    try repo.write("Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "closed"))
    try repo.write("Recommendations/2019/NEW-01.yml", sampleRecommendation(id: "NEW-01"))
    let own = try rectrack("show", "DP-DDR-02")
    #expect(own.status == 0)
    #expect(own.stderr.hasPrefix(warning), "\(own.stderr)")
    #expect(!own.stderr.contains("NEW-01"), "another folder's untracked file was reported")
    #expect(own.stdout.contains("in-progress"), "show did not read the committed state")
    let other = try rectrack("show", "DP-DDR-01")
    #expect(other.status == 0)
    #expect(other.stderr == "", "another file's edit was reported: \(other.stderr)")
    // `list` shows every file: it still names every uncommitted one.
    let list = try rectrack("list")
    #expect(list.stderr.contains("DP-DDR-02.yml") && list.stderr.contains("NEW-01.yml"), "\(list.stderr)")
  }

  @Test func aStagedOrDeletedFileIsAnUncommittedEdit() throws {
    try repo.write("Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "closed"))
    _ = try repo.git("add", "Recommendations/DP-DDR-02.yml")
    // Staged, with the working file put back as committed: the index still differs from HEAD.
    try repo.write(
      "Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "in-progress"))
    #expect(try rectrack("show", "DP-DDR-02").stderr.hasPrefix(warning))
    _ = try repo.git("reset", "-q")
    #expect(try rectrack("show", "DP-DDR-02").stderr == "")
    try FileManager.default.removeItem(atPath: repo.path + "/Recommendations/DP-DDR-02.yml")
    let deleted = try rectrack("show", "DP-DDR-02")
    #expect(deleted.status == 0 && deleted.stderr.hasPrefix(warning), "\(deleted.stderr)")
  }
}
