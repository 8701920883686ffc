import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The shapes real trackers come in (issue 17), each imported with the built binary and then
/// read back with `log`, `progress` and `export`: a dated log, two snapshots of one tracker,
/// dates as people write them, references inside titles, workbooks (written by LibreOffice
/// and by the test, with a title row and merged headings), and the one-pass dry run.
@Suite struct ImportShapesCommandTests {
  let repo: TestRepository
  static let author = "Rhian Evans <rhian@example.org>"
  static let day = [
    "GIT_AUTHOR_DATE": "2024-06-01T10:00:00+01:00", "GIT_COMMITTER_DATE": "2024-06-01T10:00:00+01:00",
    "COLUMNS": "100",
  ]

  init() throws {
    repo = try TestRepository()
    try repo.write("rectrack.yml", "organisation: Test\n")
    try repo.commitAll("Start", date: "2019-01-01T12:00:00+00:00")
  }

  func rectrack(_ args: [String]) throws -> ProcessResult {
    try CLI.run(
      args + (args.first == "import" ? ["--author", Self.author] : []), in: repo.path, environment: Self.day)
  }

  func write(_ name: String, _ text: String) throws -> String {
    let path = repo.path + "/../" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Month -> status -> count, from `progress --format json`.
  func progress(_ from: String, _ to: String) throws -> [String: [String: Int]] {
    let r = try rectrack(["progress", "--from", from, "--to", to, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    var out: [String: [String: Int]] = [:]
    for m in json["months"] as! [[String: Any]] {
      out[m["month"] as! String] = (m["counts"] as! [String: Int]).filter { $0.value > 0 }
    }
    return out
  }

  /// Each commit of `range`, oldest first, as git shows it: "summary|Effective date".
  func subjectsAndDates(_ range: String) throws -> [String] {
    try repo.git("log", "--reverse", "--format=%s|%(trailers:key=Effective,valueonly,separator=)", range)
      .split(separator: "\n").map(String.init)
  }

  /// The export's rows as dictionaries by ID.
  func exported() throws -> [String: [String: String]] {
    let r = try rectrack(["export", "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    let sheet = try Sheet(bytes: Array(r.stdout.utf8), name: "export.csv")
    var out: [String: [String: String]] = [:]
    for row in sheet.rows {
      let d = Dictionary(uniqueKeysWithValues: zip(sheet.header, row.cells))
      out[d["id"]!] = d
    }
    return out
  }

  // MARK: - A dated log

  /// Three recommendations, one row per update, in the order they happened: several on one day,
  /// a status that goes back, comment-only rows, a reference written two ways.
  static let log = """
    Ref,Date,Recommendation,Owner,Status,Comment
    R1,01/02/2023,Publish the custody data,Chief Constable,Not started,
    R2,01/02/2023,Train officers on stalking,Head of Training,Not started,
    R1,15/03/2023,,,In progress,Data team engaged
    R1,15/03/2023,,,,Draft shared with the panel
    R3,2023-04-03,Review the call handling,Chief Constable,In progress,Reviewer appointed
    R2,20 April 2023,,,On track,Course written
    R1,30/04/2023,,,Complete,Published on the website
    R1,12 May 2023,,,Not started,Panel asked for the 2022 figures too
    r 2,31/05/2023,,,,Half the officers trained
    R1,30/06/2023,,,Complete,2022 figures added
    R3,30/06/2023,,Head of Contact,,Owner changed after the restructure

    """

  static let logArgs = [
    "import", "../log.csv", "--source", "Stalking and custody review 2023",
    "--map", "id=Ref,date=Date,title=Recommendation,progress=Comment",
    "--status-map", "Not started=open,In progress=in-progress,On track=in-progress,Complete=complete",
  ]

  @Test func datedLogBecomesEachRecommendationsHistory() throws {
    _ = try write("log.csv", Self.log)
    let dry = try rectrack(Self.logArgs + ["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("  Date            ->  date of each row (a dated log)\n"))
    #expect(dry.stdout.contains("Recommendations it would create: 3\n"))
    // The reversal is recorded as it happened, and said.
    #expect(
      dry.stdout.contains(
        "log.csv: row 9, column \"Status\": warning: R1: complete -> open is a step the workflow would not allow today (from complete it allows in-progress, closed)\nhint: recorded as it happened"
      ))
    #expect(dry.stdout.contains("Commits it would make: 10\n"))

    let done = try rectrack(Self.logArgs)
    #expect(done.status == 0, "\(done.stderr)")
    #expect(done.stdout.hasPrefix("Imported 3 recommendations from log.csv in 10 commits (8 dated changes)"))

    // git's own view: one commit per later row, dated by Effective:, ties in row order.
    #expect(
      try subjectsAndDates("HEAD~10..HEAD") == [
        "Import 2 recommendations from log.csv raised 2023-02-01|2023-02-01",
        "Import 1 recommendation from log.csv raised 2023-04-03|2023-04-03",
        "R1: open -> in-progress; progress|2023-03-15",
        "R1: progress|2023-03-15",
        "R2: open -> in-progress; progress|2023-04-20",
        "R1: in-progress -> complete; progress|2023-04-30",
        "R1: complete -> open; progress|2023-05-12",
        "R2: progress|2023-05-31",
        "R1: open -> complete; progress|2023-06-30",
        "R3: progress; updated owner|2023-06-30",
      ])
    // The comment of a comment-only row is the note of its change.
    let note = try repo.git("log", "-1", "--format=%b", "--grep=^R1: progress$")
    #expect(note.hasPrefix("Draft shared with the panel\n\nRecorded in log.csv, row 5."))

    let log = try rectrack(["log", "R1"])
    #expect(log.status == 0, "\(log.stderr)")
    for line in ["open -> in-progress", "in-progress -> complete", "complete -> open", "Draft shared"] {
      #expect(log.stdout.contains(line), "\(line) in \(log.stdout)")
    }
    #expect(log.stdout.range(of: "2023-03-15")!.lowerBound < log.stdout.range(of: "2023-05-12")!.lowerBound)

    let months = try progress("2023-01", "2023-06")
    #expect(months["2023-01"] == [:])
    #expect(months["2023-02"] == ["open": 2])
    #expect(months["2023-03"] == ["open": 1, "in-progress": 1])
    #expect(months["2023-04"] == ["complete": 1, "in-progress": 2])
    #expect(months["2023-05"] == ["open": 1, "in-progress": 2])
    #expect(months["2023-06"] == ["complete": 1, "in-progress": 2])

    let rows = try exported()
    #expect(rows["R1"]?["status"] == "complete")
    #expect(rows["R1"]?["progress"] == "2022 figures added")
    #expect(rows["R1"]?["raised"] == "2023-02-01")
    #expect(rows["R2"]?["progress"] == "Half the officers trained")
    #expect(rows["R3"]?["owner"] == "Head of Contact")
    #expect(rows["R3"]?["raised"] == "2023-04-03")
  }

  @Test func badRowsOfALogStopEverythingEachWithRowColumnAndFix() throws {
    let bad = Self.log.replacingOccurrences(of: "R1,30/04/2023", with: "R1,31/04/2023")
      .replacingOccurrences(of: "R2,20 April 2023,,,On track", with: "R2,20 April 2023,,,Maybe")
      .replacingOccurrences(of: "R3,2023-04-03", with: "R3,2030-04-03")
    _ = try write("log.csv", bad)
    let head = try repo.git("rev-parse", "HEAD")
    let r = try rectrack(Self.logArgs)
    #expect(r.status == 2)
    #expect(r.stdout == "")
    for part in [
      "log.csv: row 6, column \"Date\": error: 2030-04-03 is in the future (today is 2024-06-01)\nhint: check the date",
      "log.csv: row 7, column \"Status\": error: 'Maybe' is not a status of the workflow\nhint: say which status it means with --status-map \"Maybe=STATUS\"",
      "log.csv: row 8, column \"Date\": error: '31/04/2023' is not a date\nhint: write it as 31/03/2022",
      "error: nothing was imported: 3 problems in 3 rows of log.csv.",
    ] {
      #expect(r.stderr.contains(part), "\(part) in \(r.stderr)")
    }
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.git("status", "--porcelain") == "")
    #expect(!FileManager.default.fileExists(atPath: repo.path + "/Recommendations"))
  }

  // MARK: - Two snapshots of one tracker

  static let q1 = """
    Ref,Recommendation,Lead officer,Status,Target date,Update
    Q-1,Publish response times,Chief Constable,Open,31/12/2023,
    Q-2,Fund victim advocates,PCC,In progress,31/03/2024,Bid submitted
    Q-3,Audit stop and search,Chief Constable,In progress,30/06/2024,Audit started

    """
  static let q2 = """
    Ref,Recommendation,Lead officer,Status,Target date,Update
    Q-1,Publish response times,Chief Constable,In progress,31/12/2023,Dashboard in test
    Q-2,Fund victim advocates,,Complete,,Funding agreed
    Q-4,Recruit a scrutiny officer,PCC,Open,31/12/2024,

    """
  static func snapshotArgs(_ file: String) -> [String] {
    [
      "import", file, "--source", "Police and Crime Panel tracker", "--raised", "2023-07-01",
      "--map", "id=Ref,title=Recommendation,owner=Lead officer,due=Target date,progress=Update",
    ]
  }

  @Test func laterSnapshotRecordsOnlyWhatChanged() throws {
    _ = try write("q1.csv", Self.q1)
    _ = try write("q2.csv", Self.q2)
    let first = try rectrack(Self.snapshotArgs("../q1.csv") + ["--date", "2023-07-01"])
    #expect(first.status == 0, "\(first.stderr)")
    let q3Before = try repo.read("Recommendations/Q-3.yml")

    let dry = try rectrack(Self.snapshotArgs("../q2.csv") + ["--date", "2023-09-30", "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("Recommendations it would create: 1\n"))
    #expect(dry.stdout.contains("Recommendations already here (a later snapshot): 2, 2 changed\n"))
    #expect(dry.stdout.contains("  row 2: Q-1: open -> in-progress; progress\n"))
    #expect(dry.stdout.contains("  row 3: Q-2: in-progress -> complete; progress\n"))
    #expect(dry.stdout.contains("Not in the sheet, left as they are (nothing is deleted): Q-3\n"))

    let second = try rectrack(Self.snapshotArgs("../q2.csv") + ["--date", "2023-09-30"])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(
      second.stdout.hasPrefix(
        "Imported 1 recommendation and updated 2 from q2.csv in 3 commits (2 dated changes); last commit "))
    #expect(second.stdout.contains("Not in the sheet, so left as they are (nothing is deleted): Q-3.\n"))
    // Only the changed lines: Q-2's blank owner and due are unchanged; Q-3 untouched.
    let q2 = try repo.read("Recommendations/Q-2.yml")
    #expect(
      q2.contains("owner: PCC\n") && q2.contains("due: 2024-03-31\n") && q2.contains("status: complete\n"))
    #expect(try repo.read("Recommendations/Q-3.yml") == q3Before)
    let effective = try repo.git(
      "log", "-1", "--format=%(trailers:key=Effective,valueonly,separator=)", "--", "Recommendations/Q-2.yml")
    #expect(effective == "2023-09-30\n")

    let log = try rectrack(["log", "Q-2"])
    #expect(log.stdout.contains("in-progress -> complete"), "\(log.stdout)")
    #expect(
      log.stdout.contains("2023-09-30  status in-progress -> complete; progress updated"), "\(log.stdout)")

    let months = try progress("2023-07", "2023-09")
    // Q-4 is new, raised on the --raised day; Q-1 and Q-2 moved on the snapshot's day.
    #expect(months["2023-07"] == ["open": 2, "in-progress": 2])
    #expect(months["2023-08"] == ["open": 2, "in-progress": 2])
    #expect(months["2023-09"] == ["in-progress": 2, "complete": 1, "open": 1])

    let rows = try exported()
    #expect(rows.keys.sorted() == ["Q-1", "Q-2", "Q-3", "Q-4"])
    #expect(rows["Q-1"]?["progress"] == "Dashboard in test")

    // The workflow still applies to a snapshot: complete -> open is refused, nothing written.
    let head = try repo.git("rev-parse", "HEAD")
    _ = try write("q3.csv", Self.q2.replacingOccurrences(of: ",,Complete,,Funding", with: ",,Open,,Funding"))
    let refused = try rectrack(Self.snapshotArgs("../q3.csv"))
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains(
        "q3.csv: row 3, column \"Status\": error: Q-2 is complete in the repository; the sheet says open, a step the workflow does not allow"
      ), "\(refused.stderr)")
    #expect(try repo.git("rev-parse", "HEAD") == head)
  }

  // MARK: - Dates as people write them

  @Test func everyDateFormPeopleWrite() throws {
    let sheet = """
      Ref,Recommendation,Owner,Date raised,Due
      D-1,Ordinal,CC,4th September 2014,22nd May 2018
      D-2,Short month,CC,30 Sep 2023,30 Sep 2023
      D-3,Apostrophe,CC,Sep '19,Sep '19
      D-4,Curly apostrophe,CC,Sep ’19,Sep ’19
      D-5,Month and year,CC,March 2021,March 2021
      D-6,Two-digit year,CC,01/02/21,31/03/22
      D-7,ISO,CC,2021-02-01,2022-03-31
      D-8,Excel serial,CC,44593,44651
      D-9,To be confirmed,CC,2021-02-01,TBC
      D-10,Not applicable,CC,2021-02-01,N/A
      D-11,Ongoing,CC,2021-02-01,ongoing

      """
    _ = try write("dates.csv", sheet)
    let args = [
      "import", "../dates.csv", "--source", "Dates", "--map",
      "id=Ref,title=Recommendation,raised=Date raised",
    ]
    let dry = try rectrack(args + ["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    for row in [10, 11, 12] {
      #expect(dry.stdout.contains("dates.csv: row \(row), column \"Due\": warning: "), "\(dry.stdout)")
    }
    #expect(dry.stdout.contains("warning: 'TBC' is not a date: read as no due date\n"))
    let done = try rectrack(args)
    #expect(done.status == 0, "\(done.stderr)")
    let rows = try exported()
    let expected: [String: (String, String)] = [
      "D-1": ("2014-09-04", "2018-05-22"), "D-2": ("2023-09-30", "2023-09-30"),
      "D-3": ("2019-09-01", "2019-09-30"), "D-4": ("2019-09-01", "2019-09-30"),
      "D-5": ("2021-03-01", "2021-03-31"), "D-6": ("2021-02-01", "2022-03-31"),
      "D-7": ("2021-02-01", "2022-03-31"), "D-8": ("2022-02-01", "2022-03-31"),
      "D-9": ("2021-02-01", ""), "D-10": ("2021-02-01", ""), "D-11": ("2021-02-01", ""),
    ]
    for (id, (raised, due)) in expected {
      #expect(rows[id]?["raised"] == raised, "\(id) raised")
      #expect(rows[id]?["due"] == due, "\(id) due")
    }
    // A month without a day exists from its first day.
    let months = try progress("2019-08", "2019-09")
    #expect(months["2019-08"]?.values.reduce(0, +) == 1)  // D-1 only
    #expect(months["2019-09"]?.values.reduce(0, +) == 3)
    let log = try rectrack(["log", "D-3"])
    #expect(log.status == 0 && log.stdout.contains("2019-09-01  added"), "\(log.stdout)")

    // US order, by the one rule: --date-order mdy.
    let us = "ID,Title,Owner,Date raised\nU-1,US,CC,03/04/2021\n"
    _ = try write("us.csv", us)
    let usDry = try rectrack([
      "import", "../us.csv", "--source", "US", "--map", "raised=Date raised", "--date-order", "mdy",
      "--dry-run",
    ])
    #expect(usDry.stdout.contains("U-1  open    4 Mar 2021"), "\(usDry.stdout)")
  }

  // MARK: - References inside titles

  @Test func referencesInsideTitlesBecomeIDs() throws {
    let sheet = """
      Recommendation,Owner,Date raised
      AFI 1 - Improve the handling of 999 calls,Chief Constable,2023-05-01
      Rec 17: The force should train all staff,Chief Constable,2023-05-01
      Recommendation 34: Publish the data. Every month,Chief Constable,2023-05-01
      A title without a reference,Chief Constable,2023-05-01

      """
    _ = try write("titles.csv", sheet)
    let args = [
      "import", "../titles.csv", "--source", "PEEL 2023", "--map", "title=Recommendation,raised=Date raised",
    ]
    let dry = try rectrack(args + ["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("IDs are taken from the references at the start of the titles"))
    #expect(dry.stdout.contains("AFI-1 "))
    let done = try rectrack(args)
    #expect(done.status == 0, "\(done.stderr)")
    let rows = try exported()
    #expect(rows.keys.sorted() == ["AFI-1", "REC-01", "REC-17", "RECOMMENDATION-34"])
    #expect(rows["AFI-1"]?["title"] == "Improve the handling of 999 calls")
    #expect(rows["REC-17"]?["title"] == "The force should train all staff")
    #expect(rows["RECOMMENDATION-34"]?["title"] == "Publish the data. Every month")
    #expect(rows["REC-01"]?["title"] == "A title without a reference")
    #expect(try rectrack(["log", "REC-17"]).stdout.contains("2023-05-01  added (open)"))
    #expect(try progress("2023-05", "2023-05")["2023-05"] == ["open": 4])

    // Numeric references with --id-prefix, and --id-from-title for another shape.
    let numeric =
      "Ref,Recommendation,Owner\n4822,Review the vetting backlog,CC\n4823,Audit the custody suites,CC\n"
    _ = try write("numeric.csv", numeric)
    let n = try rectrack([
      "import", "../numeric.csv", "--source", "HMI", "--raised", "2023-06-01", "--map",
      "id=Ref,title=Recommendation",
      "--id-prefix", "HMI",
    ])
    #expect(n.status == 0, "\(n.stderr)")
    let shaped = "Recommendation,Owner\n(R.5) Publish the audit,CC\n(R.6) Fund the scheme,CC\n"
    _ = try write("shaped.csv", shaped)
    let s = try rectrack([
      "import", "../shaped.csv", "--source", "Audit", "--raised", "2023-06-01", "--map",
      "title=Recommendation",
      "--id-from-title", #"^\(R\.(\d+)\)"#,
      "--id-prefix", "AUD",
    ])
    #expect(s.status == 0, "\(s.stderr)")
    let all = try exported()
    #expect(all["HMI-4822"]?["title"] == "Review the vetting backlog")
    #expect(all["AUD-5"]?["title"] == "Publish the audit")
    #expect(try progress("2023-06", "2023-06")["2023-06"] == ["open": 8])
  }

  // MARK: - One pass

  @Test func firstDryRunAsksEverythingAtOnceWithACompleteCommand() throws {
    let sheet = """
      Ref,Recommendation,Lead officer,RAG,Target date,Latest update
      7,Publish response times,Chief Constable,Not started,31/12/2023,
      8,Fund victim advocates,PCC,Open - Actions on going off track,31/03/2024,Bid in
      9,Audit stop and search,Chief Constable,Completed - Actions done,30/06/2024,Done
      10,Review the estate,Chief Constable,no-further-action-needed,,

      """
    _ = try write("tracker.csv", sheet)
    let dry = try rectrack(["import", "../tracker.csv", "--dry-run"])
    #expect(dry.status == 2)
    let text = dry.stderr
    for part in [
      "which column gives the title? \"Recommendation\" looks like it",
      "every recommendation needs a source", "which column gives the owner? \"Lead officer\" looks like it",
      "which column is the ID? \"Ref\" looks like it", "start with a number (7)",
      "no column gives the date the recommendations were made", "is \"RAG\" the status?",
      "say what \"no-further-action-needed\" means",
    ] {
      #expect(text.contains(part), "\(part) in \(text)")
    }
    // Never a final status; by meaning where clear.
    #expect(
      text.contains(
        "--status-map \"Not started=open,Open - Actions on going off track=in-progress,Completed - Actions done=complete,no-further-action-needed=?\""
      ), "\(text)")
    let command = try #require(text.split(separator: "\n").last.map(String.init))
    #expect(
      command.hasPrefix(
        "  rectrack import ../tracker.csv --dry-run --author \"Rhian Evans <rhian@example.org>\" --map title=Recommendation"
      ))
    #expect(
      command.contains("--map due=\"Target date\"") && command.contains("--map progress=\"Latest update\""))

    // The suggested command, with its blanks filled in, imports the sheet.
    let filled = command.replacingOccurrences(of: "NAME OF THE REVIEW OR REPORT", with: "Panel tracker")
      .replacingOccurrences(of: "--raised DATE", with: "--raised 2023-07-01")
      .replacingOccurrences(of: "no-further-action-needed=?", with: "no-further-action-needed=closed")
      .replacingOccurrences(of: " --dry-run", with: "")
    let args = try shellWords(String(filled.dropFirst("  rectrack ".count)))
    let done = try CLI.run(args, in: repo.path, environment: Self.day)
    #expect(done.status == 0, "\(done.stderr)")
    let rows = try exported()
    #expect(rows["REC-7"]?["status"] == "open")
    #expect(rows["REC-8"]?["status"] == "in-progress")
    #expect(rows["REC-9"]?["status"] == "complete")
    #expect(rows["REC-10"]?["status"] == "closed")
    #expect(rows["REC-8"]?["progress"] == "Bid in")
    #expect(
      try progress("2023-07", "2023-07")["2023-07"] == [
        "open": 1, "in-progress": 1, "complete": 1, "closed": 1,
      ])
    #expect(try rectrack(["log", "REC-10"]).status == 0)
  }

  /// Splits a command line as a POSIX shell would for the quoting `ImportQuestion` writes.
  func shellWords(_ s: String) throws -> [String] {
    var out: [String] = []
    var current = ""
    var inQuote = false
    var any = false
    var escape = false
    for ch in s {
      if escape {
        current.append(ch)
        escape = false
      } else if ch == "\\" && inQuote {
        escape = true
      } else if ch == "\"" {
        inQuote.toggle()
        any = true
      } else if ch == " " && !inQuote {
        if any || !current.isEmpty { out.append(current) }
        current = ""
        any = false
      } else {
        current.append(ch)
      }
    }
    if any || !current.isEmpty { out.append(current) }
    return out
  }

  // MARK: - Workbooks

  @Test func workbookWithTitleRowMergedHeadingsAndKeyBelow() throws {
    typealias C = WorkbookWriter.Cell
    let rows: [[C]] = [
      [.text("Recommendation tracker 2023-24")],
      [.text("Recommendations: 3")],
      [.text("Ref"), .text("Recommendation"), .text("Owner"), .text("Status"), .text("Dates"), .text("")],
      [.text(""), .text(""), .text(""), .text(""), .text("Raised"), .text("Due")],
      [
        .text("W-1"), .text("Publish the data"), .text("CC"), .text("open"),
        .date(CalendarDate(year: 2023, month: 4, day: 1)!),
        .date(CalendarDate(year: 2024, month: 3, day: 31)!),
      ],
      [
        .text("W-2"), .wrapped("Train staff\nin two stages"), .text("PCC"), .text("in progress"),
        .date(CalendarDate(year: 2023, month: 5, day: 2)!), .text("TBC"),
      ],
      [
        .text("W-3"), .text("Audit"), .text("CC"), .text("complete"), .text("4th September 2023"),
        .text("March 2024"),
      ],
      [],
      [.text("Key"), .text("Green: on track")],
      [.text("Amber: at risk")],
    ]
    let bytes = try WorkbookWriter.xlsx(
      sheetName: "Tracker", rows: rows, headerRows: 4,
      merges: ["A1:F1", "E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4"])
    let path = repo.path + "/../titled.xlsx"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let args = [
      "import", "../titled.xlsx", "--source", "Tracker 2023-24",
      "--map", "id=Ref,title=Recommendation,raised=Dates Raised,due=Dates Due",
    ]
    let dry = try rectrack(args + ["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(
      dry.stdout.contains("Rows 1-2 are above the header (row 3) and were skipped, as a title"),
      "\(dry.stdout)")
    #expect(dry.stdout.contains("Rows 3-4 are the header: merged headings were joined"), "\(dry.stdout)")
    #expect(dry.stdout.contains("Rows 9-10 below the table"), "\(dry.stdout)")
    #expect(dry.stdout.contains("  Dates Raised    ->  raised\n"), "\(dry.stdout)")
    let done = try rectrack(args)
    #expect(done.status == 0, "\(done.stderr)")
    let rows2 = try exported()
    #expect(rows2.keys.sorted() == ["W-1", "W-2", "W-3"])
    #expect(rows2["W-1"]?["raised"] == "2023-04-01" && rows2["W-1"]?["due"] == "2024-03-31")
    #expect(rows2["W-2"]?["title"] == "Train staff in two stages" && rows2["W-2"]?["due"] == "")
    #expect(rows2["W-3"]?["raised"] == "2023-09-04" && rows2["W-3"]?["due"] == "2024-03-31")
    #expect(try progress("2023-05", "2023-09")["2023-09"] == ["open": 1, "in-progress": 1, "complete": 1])
    #expect(try rectrack(["log", "W-2"]).stdout.contains("2023-05-02  added (in-progress)"))

    // --header-row says where the header is when the guess is wrong; --sheet names a sheet.
    let given = try rectrack(args + ["--header-row", "3", "--dry-run"])
    #expect(given.status == 0 && given.stdout.contains("  Dates Due       ->  due\n"), "\(given.stdout)")
    let wrong = try rectrack(args + ["--header-row", "5", "--dry-run"])
    #expect(wrong.status == 2 && wrong.stderr.contains("the sheet has no column \"Ref\""), "\(wrong.stderr)")
    let named = try rectrack(args + ["--sheet", "Nope", "--dry-run"])
    #expect(
      named.status == 2 && named.stderr.contains("has no sheet of that name. Its sheets are \"Tracker\""))
  }

  @Test func exportAsWorkbookReadsBackAndOpensInLibreOffice() throws {
    _ = try write("q1.csv", Self.q1)
    #expect(try rectrack(Self.snapshotArgs("../q1.csv")).status == 0)
    let out = repo.path + "/../export.xlsx"
    let export = try rectrack(["export", "--format", "xlsx", "--output", out])
    #expect(export.status == 0, "\(export.stderr)")
    // The workbook's sheet: bold frozen header, autofilter, date cells with a date style, wrapped progress.
    let book = try Workbook(
      bytes: Array(try Data(contentsOf: URL(fileURLWithPath: out))), name: "export.xlsx")
    let ws = try book.worksheet(nil, file: "export.xlsx")
    #expect(ws.rows.first?.cells.prefix(6) == ["id", "status", "title", "owner", "source", "raised"])
    #expect(ws.rows[1].cells[5] == "2023-07-01")  // a date cell, read back as a date
    if which("unzip") != nil {
      let xml = try unzipText(out, "xl/worksheets/sheet1.xml")
      #expect(xml.contains("state=\"frozen\"") && xml.contains("<autoFilter ref=\"A1:"))
      #expect(xml.contains("<c r=\"F2\" s=\"2\"><v>45108</v></c>"))  // 2023-07-01 as a serial
      #expect(xml.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\">"))  // the header, bold
      #expect(try unzipText(out, "xl/styles.xml").contains("<b/>"))
    } else {
      print("skipped the workbook's XML checks: no unzip (Debian package unzip)")
    }

    // Read back by import, into another repository, with no option.
    let other = try TestRepository()
    let back = try CLI.run(
      ["import", out, "--author", Self.author], in: other.path, environment: Self.day)
    #expect(back.status == 0, "\(back.stderr)")
    let reexport = try CLI.run(["export", "--format", "csv"], in: other.path, environment: Self.day)
    let original = try rectrack(["export", "--format", "csv"])
    #expect(reexport.stdout == original.stdout)

  }

  @Test(
    .enabled(
      if: libreOfficePath() != nil, "needs soffice or libreoffice (Debian package libreoffice-calc-nogui)"))
  func exportedWorkbookOpensInLibreOffice() throws {
    _ = try write("q1.csv", Self.q1)
    #expect(try rectrack(Self.snapshotArgs("../q1.csv")).status == 0)
    let out = repo.path + "/../export.xlsx"
    #expect(try rectrack(["export", "--format", "xlsx", "--output", out]).status == 0)
    let soffice = libreOfficePath()!
    let dir = repo.path + "/../lo-export"
    let conv = try runProcess(
      soffice,
      [
        "--headless", "-env:UserInstallation=file://\(dir)/profile", "--convert-to", "csv", "--outdir", dir,
        out,
      ])
    #expect(conv.status == 0, "\(conv.stderr)")
    let csv = try String(contentsOfFile: dir + "/export.csv", encoding: .utf8)
    #expect(csv.contains("Q-2,in-progress,Fund victim advocates,PCC,Police and Crime Panel tracker"))
  }

  @Test(
    .enabled(
      if: libreOfficePath() != nil, "needs soffice or libreoffice (Debian package libreoffice-calc-nogui)"))
  func workbookWrittenByLibreOfficeFromCSV() throws {
    let soffice = libreOfficePath()!
    let dir = repo.path + "/../lo"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let csv = dir + "/tracker.csv"
    try Data(Self.q1.utf8).write(to: URL(fileURLWithPath: csv))
    let conv = try runProcess(
      soffice,
      [
        "--headless", "-env:UserInstallation=file://\(dir)/profile", "--convert-to", "xlsx", "--outdir", dir,
        csv,
      ])
    #expect(conv.status == 0, "\(conv.stderr)")
    let args = Self.snapshotArgs(dir + "/tracker.xlsx")
    let done = try rectrack(args)
    #expect(done.status == 0, "\(done.stderr)")
    let rows = try exported()
    #expect(rows.keys.sorted() == ["Q-1", "Q-2", "Q-3"])
    #expect(rows["Q-2"]?["due"] == "2024-03-31")  // a date cell LibreOffice made from 31/03/2024
    #expect(rows["Q-3"]?["progress"] == "Audit started")
    #expect(try progress("2023-07", "2023-07")["2023-07"] == ["open": 1, "in-progress": 2])
    #expect(try rectrack(["log", "Q-1"]).stdout.contains("2023-07-01  added (open)"))
  }

  func unzipText(_ path: String, _ part: String) throws -> String {
    try runProcess(which("unzip")!, ["-p", path, part]).stdout
  }
}

/// soffice or libreoffice, where Debian's packages put them.
func libreOfficePath() -> String? {
  for name in ["soffice", "libreoffice"] {
    for dir in ["/usr/bin", "/usr/local/bin", "/opt/libreoffice/program"]
    where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
      return dir + "/" + name
    }
  }
  return nil
}
