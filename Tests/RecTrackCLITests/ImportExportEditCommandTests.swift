import Foundation
import RecTrackTestSupport
import Testing

/// End-to-end runs of `import`, `export` and `edit`, and of the polish every command shares
/// (examples in `--help`, shell completion): standard output, standard error and exit code.
@Suite struct ImportExportEditCommandTests {
  let repo: TestRepository
  let author = "Rhian Evans <rhian@example.org>"

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add a recommendation")
  }

  func rectrack(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
    try CLI.run(args, in: repo.path, environment: env)
  }

  static let sheet =
    "\u{FEFF}Ref;Recommendation;Lead officer;Status;Target date;Date completed;Notes\r\n"
    + "NY-01;\"Keep disrupting\r\nCounty Lines\";Chief Constable;Ongoing;31/03/2023;;Ten lines closed\r\n"
    + "NY-02;Expand drug testing on arrest;Chief Constable;Complete;30/09/2022;15/08/2022;\r\n"
    + "NY-03;Fund outreach;PCC;Unknown;2023-13-01;;\r\n"

  static let importArgs = [
    "import", "tracker.csv", "--source", "Panel report January 2022", "--raised", "2022-01-20",
    "--map", "id=Ref,title=Recommendation,owner=Lead officer,status=Status,due=Target date",
    "--status-map", "Ongoing=in-progress,Complete=complete", "--status-date", "complete=Date completed",
    "--folder", "north-yorkshire", "--author", "Rhian Evans <rhian@example.org>",
  ]
  static let day = [
    "GIT_AUTHOR_DATE": "2022-10-01T10:00:00+01:00", "GIT_COMMITTER_DATE": "2022-10-01T10:00:00+01:00",
  ]

  @Test func importBadSheetThenFixedThenDryRun() throws {
    try repo.write("../tracker.csv", Self.sheet)
    let head = try repo.git("rev-parse", "HEAD")
    let bad = try rectrack(Self.importArgs.map { $0 == "tracker.csv" ? "../tracker.csv" : $0 }, env: Self.day)
    #expect(bad.status == 2)
    #expect(bad.stdout == "")
    #expect(
      bad.stderr == """
        tracker.csv: row 4, column "Status": error: 'Unknown' is not a status of the workflow
        hint: say which status it means with --status-map "Unknown=STATUS" (statuses: open, in-progress, complete, closed, not-accepted, superseded)
        tracker.csv: row 4, column "Target date": error: '2023-13-01' is not a date
        hint: write it as 31/03/2022, 2022-03-31, 4 March 2022 or March 2022
        hint: map the sheet's status words, e.g. --status-map "Unknown=?" (replace each ? with a status)
        error: nothing was imported: 2 problems in 1 row of tracker.csv. Fix the sheet or the options and run again (--dry-run checks without writing).

        """)
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.git("status", "--porcelain") == "")

    try repo.write(
      "../tracker.csv", Self.sheet.replacingOccurrences(of: "Unknown;2023-13-01", with: "Ongoing;2023-01-31"))
    let args = Self.importArgs.map { $0 == "tracker.csv" ? "../tracker.csv" : $0 }
    let dry = try rectrack(args + ["--dry-run"], env: Self.day.merging(["COLUMNS": "100"]) { $1 })
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stderr == "")
    #expect(dry.stdout.contains("  Notes           ->  notes (your own key)\n"))
    #expect(dry.stdout.contains("  Date completed  ->  dates it became complete\n"))
    #expect(
      dry.stdout.contains(
        "2    NY-01  in-progress  20 Jan 2022  31 Mar 2023  Chief Constable  Keep disrupting County Lines\n"))
    #expect(
      dry.stdout.contains(
        "  20 Jan 2022: Import 3 recommendations from tracker.csv\n  15 Aug 2022: NY-02: open -> complete\n"))
    #expect(dry.stdout.hasSuffix("Dry run: nothing was written. Run again without --dry-run to import.\n"))
    #expect(try repo.git("rev-parse", "HEAD") == head)

    let done = try rectrack(args, env: Self.day)
    #expect(done.status == 0, "\(done.stderr)")
    #expect(done.stderr == "")
    #expect(
      done.stdout.hasPrefix(
        "Imported 3 recommendations from tracker.csv in 2 commits (1 dated change); last commit "))
    #expect(
      try repo.git("log", "--format=%s|%(trailers:key=Effective,valueonly,separator=)", "-3").split(
        separator: "\n") == [
          "NY-02: open -> complete|2022-08-15", "Import 3 recommendations from tracker.csv|2022-01-20",
          "Add a recommendation|",
        ])
    #expect(
      try repo.read("Recommendations/north-yorkshire/NY-01.yml").contains(
        "title: Keep disrupting County Lines\n"))
    #expect(try repo.git("status", "--porcelain") == "")

    // The same sheet again is a later snapshot that changes nothing.
    let again = try rectrack(args, env: Self.day)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout == "Nothing to record: tracker.csv says what the repository already says.\n")
  }

  @Test func exportCSVAndJSONThenImportElsewhere() throws {
    let csv = try rectrack(["export", "--format", "csv"])
    #expect(csv.status == 0)
    #expect(csv.stderr == "")
    #expect(
      csv.stdout == "\u{FEFF}id,status,title,owner,source,raised,due,tags,description,file\r\n"
        + "DP-DDR-01,open,Run targeted drug-intelligence campaigns,Chief Constable,Deep Dive Scrutiny Review - Illegal Drugs,"
        + "2019-10-01,2020-09-30,intelligence,\"Engage partner agencies such as CrimeStoppers to run localised,\ntargeted campaigns.\","
        + "Recommendations/DP-DDR-01.yml\r\n")
    let json = try rectrack(["export", "--format", "json", "--status", "open"])
    #expect(json.status == 0)
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(array.count == 1)
    #expect(array.first?["tags"] as? [String] == ["intelligence"])

    let out = repo.scratch + "/export.csv"
    let file = try rectrack(["export", "--output", out])
    #expect(file.status == 0)
    #expect(file.stdout == "")
    #expect(file.stderr == "Wrote 1 recommendation to \(out).\n")

    let other = try TestRepository()
    let imported = try CLI.run(["import", out, "--author", author], in: other.path, environment: Self.day)
    #expect(imported.status == 0, "\(imported.stderr)")
    let back = try CLI.run(["export"], in: other.path)
    #expect(back.stdout == csv.stdout)

    // Before the first commit nothing existed: the header alone.
    let early = try rectrack(["export", "--as-of", "1999-01-01"])
    #expect(early.status == 0)
    #expect(early.stdout.split(whereSeparator: \.isNewline).count == 1)
    let bad = try rectrack(["export", "--as-of", "2021-13-01"])
    #expect(bad.status == 2)
    #expect(
      bad.stderr
        == "error: --as-of '2021-13-01' is not a date: write it as 2021-03-31, 31/03/2021 or 31 Mar 2021.\n")
  }

  /// Writes an editor script: each run applies the next of `steps` (a shell command on "$1").
  func editor(_ steps: [String]) throws -> String {
    let dir = repo.scratch
    var script =
      "#!/bin/sh\nn=$(cat \(dir)/editor-count 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > \(dir)/editor-count\n"
    script += "cp \"$1\" \(dir)/editor-saw-$n\n"
    for (i, step) in steps.enumerated() { script += "if [ $n = \(i + 1) ]; then \(step); fi\n" }
    let path = dir + "/editor.sh"
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
  }

  @Test func editValidChangeIsOneCommit() throws {
    let ed = try editor([
      "sed -i 's/^owner: .*/owner: Head of Intelligence/; s/^status: open/status: in-progress/' \"$1\""
    ])
    let r = try rectrack(
      ["edit", "DP-DDR-01", "--note", "Restructure", "--author", author], env: ["EDITOR": ed])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr == "")
    #expect(r.stdout.hasPrefix("Recorded DP-DDR-01: open -> in-progress; owner edited (commit "))
    #expect(
      try repo.git("log", "-1", "--format=%B")
        == "DP-DDR-01: open -> in-progress; owner edited\n\nRestructure\n\nRecommendation: DP-DDR-01\nStatus: open -> in-progress\nChanged: owner\n\n"
    )
    #expect(
      try repo.git("diff", "HEAD~1", "--stat").contains("1 file changed, 2 insertions(+), 2 deletions(-)"))
    #expect(try repo.git("status", "--porcelain") == "")
  }

  @Test func editInvalidThenFixedShowsTheErrorOnTop() throws {
    let ed = try editor([
      "sed -i 's/^title: .*/title: Phase 2: pilot/' \"$1\"",
      "sed -i '/^#!/d; s/^title: .*/title: \"Phase 2: pilot\"/' \"$1\"",
    ])
    let r = try rectrack(["edit", "DP-DDR-01", "--author", author], env: ["EDITOR": ed])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("Recorded DP-DDR-01: title edited (commit "))
    let second = try String(contentsOfFile: repo.scratch + "/editor-saw-2", encoding: .utf8)
    #expect(second.hasPrefix("#! rectrack: this file was not recorded because of the error(s) below."))
    #expect(
      second.contains("#! Recommendations/DP-DDR-01.yml:3:15: error: the value of 'title' contains ': '"))
    #expect(
      second.contains("\n# Deep Dive Scrutiny Review: illegal drugs\nid: DP-DDR-01\ntitle: Phase 2: pilot\n"))
    #expect(try repo.read("Recommendations/DP-DDR-01.yml").contains("title: \"Phase 2: pilot\"\n"))
  }

  @Test func editWithoutChangesOrGivingUpRecordsNothing() throws {
    let head = try repo.git("rev-parse", "HEAD")
    let none = try rectrack(["edit", "DP-DDR-01", "--author", author], env: ["EDITOR": "true"])
    #expect(none.status == 0)
    #expect(none.stdout == "No changes to DP-DDR-01; nothing recorded.\n")

    let ed = try editor(["sed -i 's/^status: open/status: closed/' \"$1\"", "true"])
    let gaveUp = try rectrack(["edit", "DP-DDR-01", "--author", author], env: ["EDITOR": ed])
    #expect(gaveUp.status == 1)
    #expect(gaveUp.stdout == "")
    #expect(
      gaveUp.stderr.hasPrefix(
        "error: DP-DDR-01 was not recorded: the file still had errors when you quit. Your edited copy is "))
    let saw = try String(contentsOfFile: repo.scratch + "/editor-saw-2", encoding: .utf8)
    #expect(
      saw.contains(
        "#! Recommendations/DP-DDR-01.yml: error: DP-DDR-01 cannot move from open to closed: from open you can go to"
      ))

    let failing = try rectrack(["edit", "DP-DDR-01", "--author", author], env: ["EDITOR": "false"])
    #expect(failing.status == 2)
    #expect(failing.stderr == "error: the editor 'false' exited with status 1; nothing was recorded.\n")
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.git("status", "--porcelain") == "")
  }

  @Test func everyCommandsHelpHasAnExample() throws {
    let root = try rectrack(["--help"])
    #expect(root.status == 0)
    #expect(root.stdout.contains("Examples:"))
    let section = try #require(root.stdout.components(separatedBy: "SUBCOMMANDS:").last)
    let names = section.split(separator: "\n").compactMap { line -> String? in
      let t = line.trimmingCharacters(in: .whitespaces)
      guard line.hasPrefix("  "), let first = t.split(separator: " ").first, !t.hasPrefix("See ") else {
        return nil
      }
      return String(first)
    }.filter { $0 != "help" }
    #expect(names.count >= 10)
    for name in names {
      let help = try rectrack([name, "--help"])
      #expect(help.status == 0, "\(name)")
      #expect(help.stdout.contains("Example"), "rectrack \(name) --help has no example")
    }
  }

  @Test func shellCompletionScripts() throws {
    for shell in ["bash", "zsh", "fish"] {
      let r = try rectrack(["--generate-completion-script", shell])
      #expect(r.status == 0, "\(shell)")
      #expect(r.stdout.contains("import") && r.stdout.contains("export"), "\(shell)")
    }
  }
}
