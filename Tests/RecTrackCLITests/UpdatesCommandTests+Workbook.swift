import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Return sheets as Excel workbooks: written by `updates request --format xlsx` (and attached to
/// the .eml), filled by the test through the same workbook library or saved by LibreOffice, then
/// recorded by `updates record FILE.xlsx`.
extension UpdatesCommandTests {
  /// The first sheet's rows of a workbook file, as the reader sees them.
  func workbookRows(_ path: String) throws -> [[String]] {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let book = try Workbook(bytes: bytes, name: path)
    return try book.worksheet(nil, file: path).rows.map(\.cells)
  }

  @Test func xlsxReturnSheetFilledThroughTheWorkbookLibrary() throws {
    let file = repo.path + "/hp.xlsx"
    let request = try rectrack(
      "updates", "request", "--owner", "Head of Partnerships", "--format", "xlsx", "--output", file)
    #expect(request.status == 0, "\(request.stderr)")
    let rows = try workbookRows(file)
    #expect(rows[0] == ReturnSheet.columns)
    #expect(rows.dropFirst().map { $0[0] } == ["DP-01", "DP-02", "DP-03", "DP-04"])
    // The due dates are date cells: the reader gives ISO days only for cells in a date format.
    #expect(rows[1][3] == day(-10) && rows[2][3] == day(10), "\(rows[1])")
    let raw = try runProcess(try #require(which("unzip")), ["-p", file, "xl/worksheets/sheet1.xml"]).stdout
    #expect(raw.contains("<c r=\"D2\" s=\"2\"><v>"), "a real date cell, not text")
    #expect(rows[1][10] == "Head of Partnerships" && rows[1][11].count == 40 && rows[1][12].count == 40)

    // The owner fills it in (the same library writes the returned workbook, the new due date a
    // date cell as Excel would save it).
    typealias Cell = WorkbookWriter.Cell
    let header = rows[0]
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }
    var filled: [[Cell]] = []
    for row in rows.dropFirst() {
      var cells: [Cell] = row.enumerated().map { i, v in
        i == column("Due") ? CalendarDate(v).map { .date($0) } ?? .text(v) : .text(v)
      }
      switch row[0] {
      case "DP-01":
        cells[column("New status")] = .text("In progress")
        cells[column("Progress update")] = .wrapped("Training booked.\nAll sergeants by March.")
      case "DP-04":
        cells[column("Proposed due date")] = .date(try #require(CalendarDate("2030-03-31")))
        cells[column("Reason")] = .text("Waiting for the new IT system.")
      default: break
      }
      filled.append(cells)
    }
    let returned = repo.path + "/returned.xlsx"
    try Data(try WorkbookWriter.xlsx(sheetName: "Return", header: header, rows: filled)).write(
      to: URL(fileURLWithPath: returned))
    let before = try repo.head()
    let dry = try rectrack("updates", "record", returned, "--dry-run")
    #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
    #expect(dry.stdout.contains("row 5 DP-04: would record due \(day(100)) -> 2030-03-31"), "\(dry.stdout)")
    #expect(try repo.head() == before)
    let record = try rectrack("updates", "record", returned)
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(record.stdout.contains("2 recorded, 2 with nothing new, 0 in conflict, 0 refused"))
    let dp01 = try repo.read("Recommendations/DP-01.yml")
    #expect(dp01.contains("status: in-progress") && dp01.contains("  All sergeants by March."), "\(dp01)")
    #expect(try repo.read("Recommendations/DP-04.yml").contains("due: 2030-03-31"))
    // Not a workbook after all: a damaged .xlsx is a file that cannot be read (exit 2).
    try Data("PK\u{3}\u{4}not a zip".utf8).write(to: URL(fileURLWithPath: repo.path + "/bad.xlsx"))
    let bad = try rectrack("updates", "record", repo.path + "/bad.xlsx")
    #expect(bad.status == 2 && bad.stderr.contains("bad.xlsx"), "\(bad.stderr)")
  }

  @Test(.enabled(if: pythonPath != nil, "needs python3 (Debian package python3) for its email module"))
  func emlAttachesTheWorkbookUnlessCSVIsAsked() throws {
    let out = repo.path + "/requests/"
    #expect(try rectrack("updates", "request", "--output", out).status == 0)
    let parsed = try python(Self.parse, [out + "head-of-partnerships.eml"])
    #expect(parsed.status == 0, "\(parsed.stderr)")
    let mail = try JSONDecoder().decode(Parsed.self, from: Data(parsed.stdout.utf8))
    #expect(mail.att_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    #expect(mail.filename.hasSuffix(".xlsx") && mail.defects == 0)
    let alone = repo.path + "/hp.xlsx"
    #expect(
      try rectrack(
        "updates", "request", "--owner", "Head of Partnerships", "--format", "xlsx", "--output", alone
      )
      .status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: alone)).base64EncodedString() == mail.attachment_b64)
  }

  @Test(
    .enabled(
      if: libreOfficePath() != nil && pythonPath != nil,
      "needs soffice (Debian package libreoffice-calc-nogui) and python3 (Debian package python3)"))
  func workbooksSavedByLibreOfficeAreRecorded() throws {
    let soffice = try #require(libreOfficePath())
    let dir = repo.path + "/lo-updates"
    func convert(_ file: String, to format: String, into folder: String) throws {
      // A CSV is read as UTF-8 with commas (filter options 44,34,76), as a person picks in the dialog.
      let filter = file.hasSuffix(".csv") ? ["--infilter=CSV:44,34,76,1"] : []
      let conv = try runProcess(
        soffice,
        ["--headless", "-env:UserInstallation=file://\(dir)/profile"] + filter + [
          "--convert-to", format, "--outdir", folder, file,
        ])
      #expect(conv.status == 0, "\(conv.stderr)")
    }
    // The workbook rectrack writes opens in LibreOffice; saved again unchanged, it records as a
    // sheet with nothing new (owner, commit and versions survived the save, dates still dates).
    let sent = repo.path + "/hp.xlsx"
    #expect(
      try rectrack(
        "updates", "request", "--owner", "Head of Partnerships", "--format", "xlsx", "--output", sent
      )
      .status == 0)
    try convert(sent, to: "xlsx", into: dir + "/resaved")
    let resaved = dir + "/resaved/hp.xlsx"
    #expect(try workbookRows(resaved)[1][3] == day(-10))
    let before = try repo.head()
    let same = try rectrack("updates", "record", resaved)
    #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
    #expect(same.stdout.contains("0 recorded, 4 with nothing new"), "\(same.stdout)")
    #expect(try repo.head() == before)

    // A CSV return filled in and turned into a workbook by LibreOffice (shared strings, its own
    // date cells) is recorded the same way.
    let csv = repo.path + "/hp.csv"
    #expect(
      try rectrack(
        "updates", "request", "--owner", "Head of Partnerships", "--format", "csv", "--output", csv
      )
      .status == 0)
    let filledCSV = dir + "/filled.csv"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let cells = #"{"DP-02": {"New status": "complete", "Progress update": "Done in January."}}"#
    #expect(try python(Self.fill, [csv, filledCSV, cells]).status == 0)
    try convert(filledCSV, to: "xlsx", into: dir)
    let record = try rectrack("updates", "record", dir + "/filled.xlsx")
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(
      record.stdout.contains("row 3 DP-02: recorded status in-progress -> complete"), "\(record.stdout)")
    #expect(try repo.read("Recommendations/DP-02.yml").contains("status: complete"))
  }
}
