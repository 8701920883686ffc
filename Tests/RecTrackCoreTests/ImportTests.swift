import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// A tracker as an office keeps it, saved from Excel with a UK locale: BOM, semicolons, CRLF,
/// cells with line breaks and separators, UK dates, columns rectrack does not know, blank rows,
/// and a "Date completed" column. Row 6 is bad in three ways.
let realisticSheet =
  "\u{FEFF}Ref;Recommendation;Lead officer;Status;Target date;Date raised;Date completed;Notes (2021);Review\r\n"
  + "DP-DDR-01;\"Run targeted campaigns;\r\nwith partner agencies\";Chief Constable;Ongoing;31/03/2022;01/10/2019;;\"Llanelli first.\r\nNewtown next.\";Deep dive\r\n"
  + "DP-DDR-02;Publish a treatment protocol;Head of SOC;Complete;2021-06-30;01/10/2019;26/02/2021;;Deep dive\r\n"
  + ";;;;;;;;\r\n"
  + ";\"Train officers in \"\"county lines\"\" work\";Chief Constable;Closed;;20/01/2022;14/02/2022;;Panel\r\n"
  + "DP-DDR-04;Review custody;Chief Constable;Maybe;31/02/2022;2019-10-01;;;Deep dive\r\n"
  + "DP-DDR-05;Map hot spots;Chief Constable;Not accepted;;01/10/2019;;;Deep dive\r\n"

let realisticOptions = ImportOptions(
  mapping: [
    ("id", "Ref"), ("title", "Recommendation"), ("owner", "Lead officer"), ("status", "Status"),
    ("due", "Target date"),
    ("raised", "Date raised"), ("folder", "Review"),
  ],
  statusMap: [("Ongoing", "in-progress"), ("Complete", "complete"), ("Closed", "closed")],
  statusDates: [("complete", "Date completed")],
  source: "Deep Dive Scrutiny Review - Illegal Drugs")

let importDay = CalendarDate(year: 2022, month: 6, day: 1)!
let importAuthor = Signature(
  name: "Rhian Evans", email: "rhian@example.org", time: 1_654_077_600, offsetMinutes: 60)

@Suite struct SheetReadingTests {
  @Test(arguments: [
    ("31/03/2022", "2022-03-31"), ("1/3/2022", "2022-03-01"), ("2022-03-31", "2022-03-31"),
    ("2022-03-31 00:00:00", "2022-03-31"), ("2022-03-31T09:30:00Z", "2022-03-31"),
    ("31/03/2022 00:00", "2022-03-31"),
    ("31-Mar-2022", "2022-03-31"), ("31 March 2022", "2022-03-31"), ("31.03.2022", "2022-03-31"),
    ("29/02/2020", "2020-02-29"),
  ])
  func datesAsOfficesWriteThem(_ text: String, _ iso: String) {
    #expect(SheetDate.parse(text)?.description == iso)
  }

  @Test(arguments: [
    "03/31/2022", "29/02/2021", "2022-3-31", "next March", "31/03/2022x", "", "3/21", "Sep '19 5",
    "32nd May 2018",
  ])
  func datesRefused(_ text: String) {
    #expect(SheetDate.parse(text) == nil)
  }

  /// The forms public trackers use (issue 17), as a start date and as a deadline.
  @Test(arguments: [
    ("4th September 2014", "2014-09-04", "2014-09-04"), ("22nd May 2018", "2018-05-22", "2018-05-22"),
    ("1st March 2021", "2021-03-01", "2021-03-01"), ("30 Sep 2023", "2023-09-30", "2023-09-30"),
    ("Sep '19", "2019-09-01", "2019-09-30"), ("Sep \u{2019}19", "2019-09-01", "2019-09-30"),
    ("March 2021", "2021-03-01", "2021-03-31"), ("Feb 2024", "2024-02-01", "2024-02-29"),
    ("31/03/22", "2022-03-31", "2022-03-31"), ("1/4/99", "1999-04-01", "1999-04-01"),
    ("2023-09-30", "2023-09-30", "2023-09-30"), ("March 31, 2022", "2022-03-31", "2022-03-31"),
    ("31-Mar-22", "2022-03-31", "2022-03-31"), ("Sep-19", "2019-09-01", "2019-09-30"),
    ("1 Oct 2023", "2023-10-01", "2023-10-01"),
  ])
  func datesAsPeopleWriteThem(_ text: String, _ start: String, _ deadline: String) {
    #expect(SheetDate.parse(text)?.description == start)
    #expect(SheetDate.parse(text, monthEnd: true)?.description == deadline)
  }

  @Test func ambiguousDatesFollowTheDateOrder() {
    #expect(SheetDate.parse("03/04/2021")?.description == "2021-04-03")
    #expect(SheetDate.parse("03/04/2021", order: .mdy)?.description == "2021-03-04")
    #expect(SheetDate.parse("03/31/2022", order: .mdy)?.description == "2022-03-31")
    #expect(SheetDate.parse("31/03/2022", order: .mdy) == nil)
    // Words are never ambiguous.
    #expect(SheetDate.parse("4 March 2021", order: .mdy)?.description == "2021-03-04")
  }

  @Test func excelSerialsAndNoDateWordsInCells() {
    #expect(SheetDate.cell("44651") == .date(CalendarDate(year: 2022, month: 3, day: 31)!))
    #expect(SheetDate.cell("44651.5") == .date(CalendarDate(year: 2022, month: 3, day: 31)!))
    #expect(SheetDate.excelSerial(of: CalendarDate(year: 2022, month: 3, day: 31)!) == 44651)
    for word in ["TBC", "N/A", "ongoing", "tbc"] { #expect(SheetDate.cell(word) == .none(word)) }
    #expect(SheetDate.cell("March 2021") == .month(YearMonth(year: 2021, month: 3)!))
    #expect(SheetDate.parse("44651") == nil)
    #expect(SheetDate.cell("soon") == nil)
  }

  @Test func excelCSVWithBOMSemicolonsAndLineBreaks() throws {
    let sheet = try Sheet(bytes: Array(realisticSheet.utf8), name: "tracker.csv")
    #expect(sheet.delimiter == ";")
    #expect(sheet.header.first == "Ref")
    #expect(sheet.header.count == 9)
    // The blank row 4 is skipped but still counted, as Excel numbers rows.
    #expect(sheet.rows.map(\.number) == [2, 3, 5, 6, 7])
    #expect(sheet.rows[0].cells[1] == "Run targeted campaigns;\nwith partner agencies")
    #expect(sheet.rows[2].cells[1] == "Train officers in \"county lines\" work")
  }

  @Test func commaSeparatedWithoutBOM() throws {
    let sheet = try Sheet(bytes: Array("Ref,Title\nA-1,\"One, two\"\n".utf8), name: "t.csv")
    #expect(sheet.delimiter == ",")
    #expect(sheet.rows.map(\.cells) == [["A-1", "One, two"]])
  }

  @Test func brokenFilesAreOneClearError() {
    func message(_ text: [UInt8]) -> String? {
      do {
        _ = try Sheet(bytes: text, name: "t.csv")
        return nil
      } catch {
        return error.description
      }
    }
    #expect(
      message(Array("Ref,Title\nA-1,\"never closed\n".utf8))
        == "t.csv has a quoted cell that never ends (an odd number of \" characters). Check the cells that contain quotes and save the sheet again."
    )
    #expect(message([0x52, 0x65, 0x66, 0x0A, 0xE9, 0x0A])?.hasPrefix("t.csv is not UTF-8 text.") == true)
    #expect(message(Array("\n\n".utf8))?.hasPrefix("t.csv has no header row") == true)
    #expect(
      message(Array("Ref,Title\nA-1,fine\nA-2,\"two\nlines\"\nA-3,Train in \"county lines\" work\n".utf8))
        == "t.csv is not valid CSV: line 5 has a quote inside a cell that does not start with one (Can't have non-quote here: c). Put the whole cell in quotes and double the quotes inside it (\"Train in \"\"county lines\"\" work\"), as Excel does."
    )
  }

  @Test(arguments: [
    ("Notes (2021)", "notes-2021"), ("Équipe", "equipe"), ("2020 notes", "col-2020-notes"),
    ("Risk_rating", "risk_rating"),
    ("  Date raised (est.) ", "date-raised-est"),
  ])
  func headingsBecomeKeys(_ heading: String, _ key: String) {
    #expect(ImportPlan.slug(heading) == key)
    #expect(RecommendationDocument.isValidKey(key))
  }

  @Test func optionPairsKeepCommasInColumnNames() throws {
    let pairs = try ImportOptions.pairs(
      ["title=Recommendation, short,owner=Lead officer", "due=Target"], option: "--map")
    #expect(
      pairs.map { "\($0.0)|\($0.1)" } == ["title|Recommendation, short", "owner|Lead officer", "due|Target"])
  }
}

@Suite struct ImportTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write("rectrack.yml", "organisation: Test\n")
    try repo.commitAll("Start", date: "2019-09-01T12:00:00+01:00")
  }

  func plan(_ text: String, _ options: ImportOptions = realisticOptions) throws(TrackingError) -> ImportPlan {
    let tracking = try TrackingRepository(at: repo.path)
    let existing = Dictionary(
      try tracking.versions().versions.map { ($0.id, $0.path) }, uniquingKeysWith: { a, _ in a })
    return try ImportPlan.make(
      sheet: try Sheet(bytes: Array(text.utf8), name: "tracker.csv"), options: options,
      workflow: tracking.workflow,
      existing: existing, today: importDay)
  }

  @Test func everyProblemReportedWithRowAndColumnAndNothingWritten() throws {
    let head = try repo.git("rev-parse", "HEAD")
    var caught: TrackingError?
    do { _ = try plan(realisticSheet) } catch { caught = error }
    let error = try #require(caught)
    #expect(
      error.description == """
        tracker.csv: row 6, column "Status": error: 'Maybe' is not a status of the workflow
        hint: say which status it means with --status-map "Maybe=STATUS" (statuses: open, in-progress, complete, closed, not-accepted, superseded)
        tracker.csv: row 6, column "Target date": error: '31/02/2022' is not a date
        hint: write it as 31/03/2022, 2022-03-31, 4 March 2022 or March 2022
        hint: map the sheet's status words, e.g. --status-map "Maybe=?" (replace each ? with a status)
        error: nothing was imported: 2 problems in 1 row of tracker.csv. Fix the sheet or the options and run again (--dry-run checks without writing).
        """)
    #expect(error.exitCode == 2)
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(!FileManager.default.fileExists(atPath: repo.path + "/Recommendations"))
  }

  @Test func moreProblemsEachOnItsRow() throws {
    let sheet =
      "Ref,Recommendation,Lead officer,Status,Date raised,Date completed\n"
      + "1.2,Ok title,CC,Complete,01/10/2019,15/03/2019\n"
      + "A-1,,CC,open,01/10/2019,\n"
      + "A-1,Dup,CC,open,2030-01-01,\n"
    var options = realisticOptions
    options.mapping = [
      ("id", "Ref"), ("title", "Recommendation"), ("owner", "Lead officer"), ("status", "Status"),
      ("raised", "Date raised"),
    ]
    var caught: TrackingError?
    do { _ = try plan(sheet, options) } catch { caught = error }
    guard case .importProblems(_, let problems, _)? = caught else {
      Issue.record("expected import problems, got \(String(describing: caught))")
      return
    }
    #expect(
      Set(problems.map { "\($0.row ?? 0)|\($0.column ?? "")|\($0.message)" }) == [
        "2|Ref|'1.2' cannot be an ID: IDs are capital letters, digits and single hyphens, starting with a letter",
        "2|Date completed|2019-03-15 is before the recommendation was raised (2019-10-01)",
        "3|Recommendation|the title is empty",
        "4|Date raised|raised 2030-01-01 is in the future (today is 2022-06-01)",
        "4|Ref|the ID A-1 is already used by row 3",
      ])
    #expect(problems.map { $0.row ?? 0 } == problems.map { $0.row ?? 0 }.sorted())
  }

  @Test func optionsThatDoNotFitTheSheetAreUsageErrors() throws {
    func message(_ options: ImportOptions) -> String {
      do {
        _ = try plan(realisticSheet, options)
        return ""
      } catch {
        return error.description
      }
    }
    var o = realisticOptions
    o.mapping.append(("lead", "Deputy"))
    #expect(
      message(o).hasPrefix(
        "--map lead=Deputy: the sheet has no column \"Deputy\". Its columns are \"Ref\", \"Recommendation\""))
    o = realisticOptions
    o.source = nil
    #expect(message(o).hasPrefix("tracker.csv needs 2 more answers before anything can be imported:\n"))
    #expect(message(o).contains("  - every recommendation needs a source"))
    #expect(message(o).contains("say what \"Maybe\" means"))
    o = realisticOptions
    o.mapping.append(("notes-2021", "Review"))
    o.mapping.removeAll { $0.field == "folder" }
    #expect(
      message(o)
        == "column \"Notes (2021)\" would become the key 'notes-2021', but --map already takes 'notes-2021' from \"Review\". Leave it out with --skip \"Notes (2021)\", or keep it under another name with --map notes-2021-sheet=\"Notes (2021)\"."
    )
    o.skip = ["Notes (2021)"]
    #expect(message(o).contains("'Maybe' is not a status"))
  }

  @Test func fixedSheetCreatesFilesCommitsAndDatedHistory() throws {
    let fixed = realisticSheet.replacingOccurrences(of: "Maybe;31/02/2022", with: "Ongoing;28/02/2022")
    let plan = try plan(fixed)
    #expect(plan.recommendations.map(\.id) == ["DP-DDR-01", "DP-DDR-02", "REC-01", "DP-DDR-04", "DP-DDR-05"])
    let tracking = try TrackingRepository(at: repo.path)
    let result = try Recorder(repo: tracking).record(
      plan.commits(today: importDay, note: nil), author: importAuthor)
    #expect(result.commits.count == 5)

    // The files, byte for byte.
    #expect(
      try repo.read("Recommendations/deep-dive/DP-DDR-01.yml") == """
        # Deep Dive Scrutiny Review - Illegal Drugs
        id: DP-DDR-01
        title: Run targeted campaigns; with partner agencies
        source: Deep Dive Scrutiny Review - Illegal Drugs
        raised: 2019-10-01
        owner: Chief Constable
        due: 2022-03-31
        status: in-progress
        notes-2021: |-
          Llanelli first.
          Newtown next.

        """)
    #expect(
      try repo.read("Recommendations/panel/REC-01.yml").contains(
        "title: Train officers in \"county lines\" work\n"))
    #expect(try repo.read("Recommendations/deep-dive/DP-DDR-05.yml").contains("status: not-accepted\n"))
    #expect(try repo.git("status", "--porcelain") == "")
    #expect(try repo.git("fsck", "--no-progress") == "")

    // The commits, as git sees them: subject | Effective trailer | files.
    let log = try repo.git(
      "log", "--format=%s|%(trailers:key=Effective,valueonly,separator=)", "--first-parent")
    #expect(
      log.split(separator: "\n") == [
        "REC-01: complete -> closed|",
        "REC-01: open -> complete|2022-02-14",
        "DP-DDR-02: open -> complete|2021-02-26",
        "Import 1 recommendation from tracker.csv raised 2022-01-20|2022-01-20",
        "Import 4 recommendations from tracker.csv raised 2019-10-01|2019-10-01",
        "Start|",
      ])
    let first = try repo.git("show", "--name-only", "--format=%B", "HEAD~4")
    #expect(
      first.contains(
        "Recommendation: DP-DDR-01\nRecommendation: DP-DDR-02\nRecommendation: DP-DDR-04\nRecommendation: DP-DDR-05\nImported-From: tracker.csv\nEffective: 2019-10-01\n"
      ))
    #expect(first.contains("Recommendations/deep-dive/DP-DDR-02.yml"))
    #expect(try repo.git("show", "HEAD~4:Recommendations/deep-dive/DP-DDR-02.yml").contains("status: open\n"))
    #expect(
      try repo.git("log", "-1", "--format=%an <%ae> %ad", "--date=iso-strict")
        == "Rhian Evans <rhian@example.org> 2022-06-01T11:00:00+01:00\n")

    // Monthly figures that follow (docs/format.md §5), computed from git's own log.
    let months = try stateByMonth([
      "2019-09", "2019-10", "2021-01", "2021-02", "2022-01", "2022-02", "2022-06",
    ])
    #expect(months["2019-09"] == [:])
    #expect(
      months["2019-10"] == [
        "DP-DDR-01": "in-progress", "DP-DDR-02": "open", "DP-DDR-04": "in-progress",
        "DP-DDR-05": "not-accepted",
      ])
    #expect(months["2021-01"]?["DP-DDR-02"] == "open")
    #expect(months["2021-02"]?["DP-DDR-02"] == "complete")
    #expect(months["2022-01"]?["REC-01"] == "open")
    #expect(months["2022-02"]?["REC-01"] == "complete")
    #expect(months["2022-06"]?["REC-01"] == "closed")
    #expect(months["2022-06"]?.count == 5)
  }

  @Test func importRefusesIDsAlreadyInTheRepository() throws {
    try repo.write("Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02"))
    try repo.commitAll("Add one", date: "2020-01-01T12:00:00+00:00")
    let fixed = realisticSheet.replacingOccurrences(of: "Maybe;31/02/2022", with: "Ongoing;28/02/2022")
    var caught: TrackingError?
    do { _ = try plan(fixed) } catch { caught = error }
    #expect(
      caught?.description.hasPrefix(
        "tracker.csv: row 3, column \"Ref\": error: the ID DP-DDR-02 is already used by Recommendations/DP-DDR-02.yml"
      ) == true)
  }

  @Test func exportRoundTripsThroughImport() throws {
    let fixed = realisticSheet.replacingOccurrences(of: "Maybe;31/02/2022", with: "Ongoing;28/02/2022")
    let tracking = try TrackingRepository(at: repo.path)
    _ = try Recorder(repo: tracking).record(
      try plan(fixed).commits(today: importDay, note: nil), author: importAuthor)
    try repo.write(
      "Recommendations/deep-dive/DP-DDR-02.yml",
      try repo.read("Recommendations/deep-dive/DP-DDR-02.yml")
        + "tags: [treatment, \"partners, health\"]\ndescription: |\n  Agree a protocol.\n\n  With \"all\" providers.\nprogress: |\n  Signed.\n"
    )
    try repo.commitAll("Hand edit", date: "2022-06-01T12:00:00+01:00")
    let original = try TrackingRepository(at: repo.path).headCatalog()
    #expect(original.problems.isEmpty)
    let csv = RecommendationExport.csv(original.recommendations)
    #expect(
      csv.hasPrefix(
        "\u{FEFF}id,status,title,owner,source,raised,due,tags,description,progress,notes-2021,file\r\n"))

    let other = try TestRepository()
    let target = try TrackingRepository(at: other.path)
    let sheet = try Sheet(bytes: Array(csv.utf8), name: "export.csv")
    let plan = try ImportPlan.make(
      sheet: sheet, options: ImportOptions(), workflow: target.workflow, existing: [:], today: importDay)
    _ = try Recorder(repo: target).record(plan.commits(today: importDay, note: nil), author: importAuthor)
    let copy = try TrackingRepository(at: other.path).headCatalog()
    #expect(copy.problems.isEmpty)
    #expect(
      copy.recommendations
        == original.recommendations.map { r in
          // Tags split on ';' or ',' on the way back, so a tag holding a comma comes back as two.
          var r = r
          if r.id == "DP-DDR-02" {
            r.tags = ["treatment", "partners", "health"]
            if let i = r.fields.firstIndex(where: { $0.key == "tags" }) { r.fields[i].value = .list(r.tags) }
          }
          return r
        })
    #expect(
      RecommendationExport.csv(copy.recommendations)
        == csv.replacingOccurrences(
          of: "\"treatment; partners, health\"", with: "treatment; partners; health"))
  }

  /// Each ID's status at the end of each month, by docs/format.md §5, from `git log` alone: the
  /// latest first-parent commit dated on or before the day that changed the file.
  func stateByMonth(_ months: [String]) throws -> [String: [String: String]] {
    let log = try repo.git(
      "log", "--first-parent", "--format=@%H %ad %(trailers:key=Effective,valueonly,separator=)",
      "--date=short", "--name-only")
    var commits: [(hash: String, date: String, files: [String])] = []
    for line in log.split(separator: "\n") {
      if line.hasPrefix("@") {
        let parts = line.dropFirst().split(separator: " ")
        commits.append((String(parts[0]), String(parts.count > 2 ? parts[2] : parts[1]), []))
      } else if line.hasPrefix("Recommendations/") && line.hasSuffix(".yml") {
        commits[commits.count - 1].files.append(String(line))
      }
    }
    var out: [String: [String: String]] = [:]
    for month in months {
      let end = YearMonth(month)!.lastDay.description
      var state: [String: String] = [:]
      var seen = Set<String>()
      for c in commits where c.date <= end {
        for f in c.files where !seen.contains(f) {
          seen.insert(f)
          let text = try repo.git("show", "\(c.hash):\(f)")
          let status = text.split(separator: "\n").first { $0.hasPrefix("status: ") }.map {
            String($0.dropFirst(8))
          }
          state[TrackingRepository.id(ofPath: f)] = status
        }
      }
      out[month] = state
    }
    return out
  }
}
