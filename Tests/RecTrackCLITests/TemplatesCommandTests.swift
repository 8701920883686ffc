import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// `rectrack templates status|refresh` (issue 14) on real repositories whose Templates/ hold the
/// copies an older `rectrack init` wrote (the files of this project's history, kept in
/// Tests/Golden/Templates), one edited by the office, and one of the office's own.
@Suite struct TemplatesCommandTests {
  static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let older = project.appendingPathComponent("Tests/Golden/Templates")
  static let defaults = project.appendingPathComponent("Sources/RecTrackCore/Templates/Defaults")

  let repo: TestRepository

  static func text(_ url: URL, _ name: String) throws -> String {
    try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
  }

  /// A repository as an older rectrack left it: `init` (today's), then Templates/ as that
  /// version wrote them, one of them edited since by the office, plus the office's own template.
  init() throws {
    repo = try TestRepository()
    let r = try CLI.run(["init", repo.path, "--organisation", "OPCC"], in: repo.path)
    #expect(r.status == 0, "\(r.stderr)")
    try repo.write("Templates/summary.md.mustache", try Self.text(Self.older, "summary.md.mustache-255d11c"))
    try repo.write(
      "Templates/summary.html.mustache", try Self.text(Self.older, "summary.html.mustache-3a5ae5e"))
    try repo.write("Recommendations/R-1.yml", TestRepository.recommendation(id: "R-1", status: "open"))
    try repo.commit("As an older rectrack init wrote them\n", date: "2021-01-05T10:00:00+00:00")
    let html = try repo.read("Templates/summary.html.mustache")
    try repo.write(
      "Templates/summary.html.mustache", html.replacingOccurrences(of: "</body>", with: "<p>OPCC</p></body>"))
    try repo.write("Templates/board.md.mustache", "# Board paper {{asOf}}\n")
    try repo.commit("Office edits\n", date: "2021-01-06T10:00:00+00:00")
  }

  func rectrack(_ args: String...) throws -> ProcessResult {
    try CLI.run(args + ["--repo", repo.path], in: repo.path)
  }

  func git(_ args: String...) throws -> String { try repo.git.run(args) }

  func row(_ out: String, _ path: String) -> String {
    out.split(separator: "\n").first { $0.hasPrefix(path + " ") }.map(String.init) ?? ""
  }

  @Test func statusTellsCurrentOlderEditedAndOwnApart() throws {
    let r = try CLI.run(
      ["templates", "status", "--repo", repo.path], in: repo.path, environment: ["COLUMNS": "80"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(row(r.stdout, "Templates/summary.md.mustache").contains("older built-in"), "\(r.stdout)")
    #expect(row(r.stdout, "Templates/summary.html.mustache").contains("edited by the office"), "\(r.stdout)")
    #expect(row(r.stdout, "Templates/new-recommendation.yml.mustache").contains("current built-in"))
    #expect(row(r.stdout, "Templates/board.md.mustache").contains("the office's own"))
    #expect(r.stdout.contains("rectrack templates refresh"))
    for line in r.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    // The older copy's id, as git computes it, is one this rectrack knows.
    let id = try git("rev-parse", "HEAD:Templates/summary.md.mustache").trimmingCharacters(
      in: .whitespacesAndNewlines)
    #expect(BuiltinTemplatesForTests.olderBlobs("summary.md.mustache").contains(id))
  }

  @Test func summaryPrintsOneNoticeForAnOlderCopyAndNoneOnceRefreshed() throws {
    let md = try rectrack("summary", "--as-of", "2021-02-01")
    #expect(md.status == 0, "\(md.stderr)")
    let notices = md.stderr.split(separator: "\n").filter { $0.hasPrefix("notice:") }
    #expect(notices.count == 1, "\(md.stderr)")
    #expect(notices.first?.contains("Templates/summary.md.mustache") == true)
    #expect(notices.first?.contains("rectrack templates refresh") == true)
    // The edited HTML copy is the office's: no notice.
    let html = try rectrack("summary", "--as-of", "2021-02-01", "--format", "html")
    #expect(!html.stderr.contains("notice:"), "\(html.stderr)")

    // A meeting's paper as circulated keeps the templates of its commit, after a refresh too.
    #expect(try rectrack("meeting", "add", "2021-02-01", "--title", "Panel").status == 0)
    #expect(try rectrack("templates", "refresh").status == 0)
    let circulated = try rectrack("summary", "--meeting", "2021-02-01")
    #expect(circulated.status == 0, "\(circulated.stderr)")
    let kept = circulated.stderr.split(separator: "\n").filter { $0.hasPrefix("notice:") }
    #expect(kept.count == 1 && kept[0].contains("--recorded-at HEAD"), "\(circulated.stderr)")
    #expect(!circulated.stderr.contains("run 'rectrack templates refresh'"))
    let restated = try rectrack("summary", "--meeting", "2021-02-01", "--recorded-at", "HEAD")
    #expect(restated.status == 0 && !restated.stderr.contains("notice:"), "\(restated.stderr)")
    let after = try rectrack("summary", "--as-of", "2021-02-01")
    #expect(after.status == 0)
    #expect(after.stderr.isEmpty, "no notice, and no warning about Templates/*.new: \(after.stderr)")
    #expect(after.stdout.contains("## Executive summary"), "the current template's sections")
  }

  @Test func dryRunChangesNothing() throws {
    let head = try repo.head()
    let r = try rectrack("templates", "refresh", "--dry-run")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Would replace Templates/summary.md.mustache"), "\(r.stdout)")
    #expect(r.stdout.contains("Templates/summary.html.mustache was edited by the office"))
    #expect(try repo.head() == head)
    #expect(try git("status", "--porcelain").isEmpty)
  }

  @Test func refreshReplacesOnlyUneditedOlderCopiesInOneCommit() throws {
    let head = try repo.head()
    let editedBefore = repo.contents("Templates/summary.html.mustache")
    let r = try rectrack("templates", "refresh")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Replaced Templates/summary.md.mustache"), "\(r.stdout)")
    // One commit on the old HEAD, changing exactly the older copy, to the current built-in.
    #expect(
      try git("rev-list", "--count", "\(head)..HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    #expect(try git("rev-parse", "HEAD^").trimmingCharacters(in: .whitespacesAndNewlines) == head)
    let changed = try git("diff", "--name-only", head, "HEAD").split(separator: "\n")
    #expect(changed == ["Templates/summary.md.mustache"])
    let builtIn = try Self.text(Self.defaults, "summary.md.mustache")
    #expect(try git("show", "HEAD:Templates/summary.md.mustache") == builtIn)
    #expect(repo.contents("Templates/summary.md.mustache") == builtIn)
    // The edited copy is kept; the current built-in is beside it, untracked, to compare.
    #expect(repo.contents("Templates/summary.html.mustache") == editedBefore)
    #expect(
      repo.contents("Templates/summary.html.mustache.new")
        == (try Self.text(Self.defaults, "summary.html.mustache")))
    #expect(r.stdout.contains("git diff --no-index"), "\(r.stdout)")
    #expect(try git("status", "--porcelain") == "?? Templates/summary.html.mustache.new\n")
    let status = try rectrack("templates", "status")
    #expect(row(status.stdout, "Templates/summary.md.mustache").contains("current built-in"))
    #expect(try rectrack("validate").status == 0)

    // Again: nothing to replace, and a .new the office has worked on is left alone.
    try repo.write("Templates/summary.html.mustache.new", "my merge in progress\n")
    let again = try rectrack("templates", "refresh")
    #expect(again.status == 0)
    #expect(again.stdout.contains("nothing was replaced"), "\(again.stdout)")
    #expect(again.stdout.contains("left alone"), "\(again.stdout)")
    #expect(repo.contents("Templates/summary.html.mustache.new") == "my merge in progress\n")
    #expect(
      try git("rev-list", "--count", "\(head)..HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
  }

  @Test func uncommittedEditsOfAnOlderCopyAreRefusedAndKept() throws {
    let head = try repo.head()
    let edited = (repo.contents("Templates/summary.md.mustache") ?? "") + "Extra line\n"
    try repo.write("Templates/summary.md.mustache", edited)
    let r = try rectrack("templates", "refresh")
    #expect(r.status != 0)
    #expect(r.stderr.contains("not committed") && r.stderr.contains("Nothing was changed"), "\(r.stderr)")
    #expect(try repo.head() == head)
    #expect(repo.contents("Templates/summary.md.mustache") == edited)
    #expect(repo.contents("Templates/summary.html.mustache.new") == nil)
  }

  /// Every version of the built-in templates in this project's history is either today's or in
  /// the list of older ones, so `refresh` recognises what any earlier build wrote.
  @Test func theOlderVersionsCoverTheProjectsHistory() throws {
    let shallow = try? runProcess(
      "/usr/bin/env", ["git", "-C", Self.project.path, "rev-parse", "--is-shallow-repository"])
    guard let shallow, shallow.status == 0, shallow.stdout.hasPrefix("false") else {
      print(
        "skipping: \(Self.project.path) is not a full git clone of rectrack, so its history cannot be read")
      return
    }
    for name in BuiltinTemplatesForTests.names {
      let current = try runProcess(
        "/usr/bin/env", ["git", "hash-object", Self.defaults.appendingPathComponent(name).path]
      ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(
        !BuiltinTemplatesForTests.olderBlobs(name).contains(current), "\(name): today's is listed as older")
      var seen = Set<String>()
      for path in ["Templates/" + name, "Sources/RecTrackCore/Templates/Defaults/" + name] {
        let log = try runProcess(
          "/usr/bin/env",
          ["git", "-C", Self.project.path, "log", "--first-parent", "--format=%H", "--", path])
        for commit in log.stdout.split(separator: "\n") {
          let blob = try runProcess(
            "/usr/bin/env",
            ["git", "-C", Self.project.path, "rev-parse", "-q", "--verify", "\(commit):\(path)"])
          if blob.status == 0 { seen.insert(blob.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
      }
      #expect(!seen.isEmpty)
      let missing = seen.subtracting(BuiltinTemplatesForTests.olderBlobs(name)).subtracting([current])
      #expect(
        missing.isEmpty,
        "\(name): add \(missing.sorted()) to OlderBuiltinTemplates.blobs (Templates/TemplateVersions.swift)")
    }
  }
}
