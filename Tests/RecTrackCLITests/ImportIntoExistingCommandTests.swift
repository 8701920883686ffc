import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Sheets about recommendations already in the repository (issue 17): a later snapshot whose
/// rows are all updates asks only what they need, and a dated log whose references are already
/// here adds only what happened after each one's last recorded change. Each checked with `log`,
/// `progress`, `export` and the git CLI.
@Suite struct ImportIntoExistingCommandTests {
  let shapes: ImportShapesCommandTests
  var repo: TestRepository { shapes.repo }

  init() throws { shapes = try ImportShapesCommandTests() }

  func rectrack(_ args: [String]) throws -> ProcessResult { try shapes.rectrack(args) }

  // MARK: - A later snapshot of updates only

  /// The snapshot options without `--raised`: the second sheet's rows are all updates.
  static func updateArgs(_ file: String) -> [String] {
    Array(ImportShapesCommandTests.snapshotArgs(file).filter { $0 != "--raised" && $0 != "2023-07-01" })
  }

  @Test func snapshotOfUpdatesOnlyDoesNotAskForTheRaisedDate() throws {
    _ = try shapes.write("q1.csv", ImportShapesCommandTests.q1)
    #expect(
      try rectrack(ImportShapesCommandTests.snapshotArgs("../q1.csv") + ["--date", "2023-07-01"]).status == 0)
    let updates =
      ImportShapesCommandTests.q2.split(separator: "\n").filter { !$0.hasPrefix("Q-4") }
      .joined(separator: "\n") + "\n"
    _ = try shapes.write("q2.csv", updates)

    let dry = try rectrack(Self.updateArgs("../q2.csv") + ["--date", "2023-09-30", "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(!dry.stderr.contains("--raised") && !dry.stdout.contains("--raised"))
    #expect(dry.stdout.contains("Recommendations it would create: 0\n"))
    #expect(dry.stdout.contains("Recommendations already here (a later snapshot): 2, 2 changed\n"))

    let done = try rectrack(Self.updateArgs("../q2.csv") + ["--date", "2023-09-30"])
    #expect(done.status == 0, "\(done.stderr)")
    #expect(done.stdout.hasPrefix("Updated 2 from q2.csv in 2 commits (2 dated changes); last commit "))
    #expect(try shapes.exported()["Q-2"]?["status"] == "complete")
    #expect(try shapes.progress("2023-09", "2023-09")["2023-09"] == ["in-progress": 2, "complete": 1])

    // With one new row, the raised date is asked for that row alone, and nothing is written.
    let head = try repo.git("rev-parse", "HEAD")
    _ = try shapes.write("q3.csv", ImportShapesCommandTests.q2)
    let mixed = try rectrack(Self.updateArgs("../q3.csv") + ["--dry-run"])
    #expect(mixed.status == 2)
    #expect(
      mixed.stderr.contains(
        "no column gives the date the recommendations were made for the 1 new recommendation (the other rows update recommendations already here): give --raised DATE"
      ), "\(mixed.stderr)")
    #expect(mixed.stderr.contains("needs one more answer"), "\(mixed.stderr)")
    #expect(try repo.git("rev-parse", "HEAD") == head)
  }

  // MARK: - A dated log of recommendations already here

  /// The log of `ImportShapesCommandTests`, three months on: new rows after each recommendation's
  /// last recorded change (R2's is 31 May, so its 15 June row is new), and a new recommendation.
  static let longerLog =
    ImportShapesCommandTests.log + """
      R2,15/06/2023,,,,Refresher course planned
      R4,01/07/2023,Publish the stop and search data,Chief Constable,Not started,
      R1,15/08/2023,,,,Figures checked by the panel
      R2,01/09/2023,,,Complete,All officers trained

      """

  @Test func datedLogOfRecommendationsAlreadyHereAddsOnlyWhatIsNew() throws {
    _ = try shapes.write("log.csv", ImportShapesCommandTests.log)
    #expect(try rectrack(ImportShapesCommandTests.logArgs).status == 0)
    let before = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    let args = ImportShapesCommandTests.logArgs.map { $0 == "../log.csv" ? "../log2.csv" : $0 }
    _ = try shapes.write("log2.csv", Self.longerLog)

    let dry = try rectrack(args + ["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("Recommendations it would create: 1\n"), "\(dry.stdout)")
    #expect(dry.stdout.contains("Recommendations already here (a dated log): 3, 2 changed\n"))
    #expect(dry.stdout.contains("  row 13: R2: progress\n"))
    #expect(dry.stdout.contains("  row 16: R2: in-progress -> complete; progress\n"))
    #expect(
      dry.stdout.contains("Already recorded (the repository has what they say), so skipped: rows 2-12\n"))

    let done = try rectrack(args)
    #expect(done.status == 0, "\(done.stderr)")
    #expect(
      done.stdout.hasPrefix(
        "Imported 1 recommendation and updated 2 from log2.csv in 4 commits (3 dated changes)"),
      "\(done.stdout)")
    #expect(done.stdout.hasSuffix(". Already recorded, so skipped: rows 2-12.\n"), "\(done.stdout)")

    // git's own view: only the new rows, each dated by Effective:, on top of the first import.
    #expect(
      try shapes.subjectsAndDates("\(before)..HEAD") == [
        "Import 1 recommendation from log2.csv|2023-07-01",
        "R2: progress|2023-06-15",
        "R1: progress|2023-08-15",
        "R2: in-progress -> complete; progress|2023-09-01",
      ])
    #expect(try repo.git("diff", "--stat", "\(before)..HEAD", "--", "Recommendations/R3.yml") == "")
    #expect(try repo.git("status", "--porcelain") == "")

    let log = try rectrack(["log", "R2"])
    #expect(log.status == 0, "\(log.stderr)")
    #expect(log.stdout.contains("Refresher course planned"), "\(log.stdout)")
    #expect(log.stdout.range(of: "2023-05-31")!.lowerBound < log.stdout.range(of: "2023-09-01")!.lowerBound)
    let months = try shapes.progress("2023-06", "2023-09")
    #expect(months["2023-06"] == ["complete": 1, "in-progress": 2])
    #expect(months["2023-07"] == ["complete": 1, "in-progress": 2, "open": 1])
    #expect(months["2023-09"] == ["complete": 2, "in-progress": 1, "open": 1])
    let rows = try shapes.exported()
    #expect(rows["R1"]?["progress"] == "Figures checked by the panel")
    #expect(rows["R2"]?["status"] == "complete")
    #expect(rows["R4"]?["raised"] == "2023-07-01")

    // The same log again: everything is already recorded, nothing is written.
    let head = try repo.git("rev-parse", "HEAD")
    let again = try rectrack(args)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(
      again.stdout
        == "Nothing to record: log2.csv says what the repository already says. Already recorded, so skipped: rows 2-16.\n"
    )
    #expect(try repo.git("rev-parse", "HEAD") == head)
  }

  @Test func datedLogRowThatContradictsRecordedHistoryStopsTheImport() throws {
    _ = try shapes.write("log.csv", ImportShapesCommandTests.log)
    #expect(try rectrack(ImportShapesCommandTests.logArgs).status == 0)
    let head = try repo.git("rev-parse", "HEAD")
    let changed = Self.longerLog.replacingOccurrences(
      of: "Half the officers trained", with: "Most officers trained")
    _ = try shapes.write("log3.csv", changed)
    let args = ImportShapesCommandTests.logArgs.map { $0 == "../log.csv" ? "../log3.csv" : $0 }
    let r = try rectrack(args)
    #expect(r.status == 2)
    #expect(r.stdout == "")
    #expect(
      r.stderr.contains(
        "log3.csv: row 10, column \"Date\": error: R2 is recorded up to 2023-05-31, and this row of 2023-05-31 says what its history does not have for that day (progress \"Most officers trained\", not \"Half the officers trained\")\nhint: a dated log adds only what happened after the last recorded change: correct or remove the row, or record the correction with rectrack update R2 ... --effective 2023-05-31"
      ), "\(r.stderr)")
    #expect(r.stderr.contains("error: nothing was imported: 1 problem in 1 row of log3.csv."), "\(r.stderr)")
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.git("status", "--porcelain") == "")
  }

  // MARK: - The trees an import writes

  /// The import builds each commit's tree from the previous one in memory (`ChainTrees`): every
  /// tree must be the one git itself writes for the same files, in git's order (a folder sorts
  /// as if its name ended with "/": "Recommendations-notes.txt" and "Recommendations.txt" before
  /// the folder, "Recommendations0.txt" after), in new and existing sub-folders.
  @Test func everyImportedTreeIsTheOneGitWrites() throws {
    for name in ["Recommendations-notes.txt", "Recommendations.txt", "Recommendations0.txt"] {
      try repo.write(name, "notes\n")
    }
    try repo.commitAll("Notes", date: "2019-01-02T12:00:00+00:00")
    let start = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    let looseBefore = try repo.git("count-objects", "-v").split(separator: "\n").first
    _ = try shapes.write("q1.csv", ImportShapesCommandTests.q1)
    _ = try shapes.write("q2.csv", ImportShapesCommandTests.q2)
    _ = try shapes.write("log.csv", ImportShapesCommandTests.log)
    #expect(
      try rectrack(ImportShapesCommandTests.snapshotArgs("../q1.csv") + ["--date", "2023-07-01"]).status == 0)
    #expect(try rectrack(ImportShapesCommandTests.logArgs + ["--folder", "2023-review"]).status == 0)
    #expect(
      try rectrack(ImportShapesCommandTests.snapshotArgs("../q2.csv") + ["--date", "2023-09-30"]).status == 0)
    let commits = try repo.git("rev-list", "--reverse", "\(start)..HEAD").split(separator: "\n")
    #expect(commits.count == 1 + 10 + 3)
    #expect(try repo.read("Recommendations/2023-review/R1.yml").contains("status: complete\n"))
    // git replays each commit's changes on its parent's tree with its own index: same tree.
    let index = repo.scratch + "/replay.index"
    for c in commits {
      let env = ["GIT_INDEX_FILE": index]
      _ = try repo.git("read-tree", "\(c)^", environment: env)
      let changes = try repo.git("diff-tree", "-r", "--no-commit-id", "\(c)^", String(c))
      for line in changes.split(separator: "\n") {
        let fields = line.split(separator: "\t")
        let meta = fields[0].split(separator: " ")
        _ = try repo.git(
          "update-index", "--add", "--cacheinfo", "\(meta[1]),\(meta[3]),\(fields[1])", environment: env)
      }
      let replayed = try repo.git("write-tree", environment: env)
      #expect(replayed == (try repo.git("rev-parse", "\(c)^{tree}")), "commit \(c)")
    }
    #expect(try repo.git("fsck", "--strict", "--no-dangling") == "")
    // Nothing was written as a loose object: the imports' objects are in packfiles.
    #expect(try repo.git("count-objects", "-v").split(separator: "\n").first == looseBefore)
    #expect(try repo.git("status", "--porcelain") == "")
  }
}
