import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack updates request` and `updates record` end to end: a real repository with a meeting,
/// requests written as .eml (parsed with Python's `email` package) and CSV, the returned sheet
/// filled by Python's `csv` module as a spreadsheet would save it, then recorded.
@Suite struct UpdatesCommandTests {
  static let pythonPath = which("python3")
  let repo: TestRepository
  let today: Date = Date()

  /// An ISO day `days` from today (local time zone, as rectrack reads today).
  func day(_ days: Int) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone.current
    f.dateFormat = "yyyy-MM-dd"
    return f.string(from: today.addingTimeInterval(Double(days) * 86_400))
  }

  func stamp(_ days: Int) -> String { day(days) + "T10:00:00+00:00" }

  init() throws {
    repo = try TestRepository()
    try repo.git.run(["config", "user.name", "Office Clerk"])
    try repo.git.run(["config", "user.email", "clerk@opcc.example.org"])
    try repo.write(
      "rectrack.yml",
      """
      organisation: Example OPCC
      owners:
        Head of Partnerships:
          email: partnerships@police.example.org
          identity: "Supt. Ann Jones <ann.jones@police.example.org>"
        Prif Uwch-arolygydd Siân:
          email: sian@police.example.org
          identity: "Siân Rhys <sian.rhys@police.example.org>"
        Chief Constable:
          email: cc@police.example.org
          identity: "Chief Constable <cc@police.example.org>"

      """)
    let hp = "Head of Partnerships"
    let files: [(String, String, String, String?)] = [
      ("DP-01", "open", hp, day(-10)),  // overdue
      ("DP-02", "in-progress", hp, day(10)),  // due soon
      ("DP-03", "complete", hp, day(-5)),  // awaiting verification
      ("DP-04", "open", hp, day(100)),  // no change since the meeting
      ("DP-05", "open", "Chief Constable", day(200)),  // changed after the meeting: nothing to ask
      ("DP-06", "open", "Prif Uwch-arolygydd Siân", day(-1)),  // overdue
      ("DP-07", "closed", hp, day(-50)),  // terminal: never asked
    ]
    for (id, status, owner, due) in files {
      try repo.write(
        "Recommendations/\(id).yml",
        TestRepository.recommendation(
          id: id, status: status, owner: owner, due: due, title: "Recommendation \(id) – café"))
    }
    try repo.commit("Add recommendations\n", date: stamp(-40))
    let m = try rectrack(
      "meeting", "add", day(-30), "--title", "Panel", "--author", "Clerk <clerk@opcc.example.org>")
    #expect(m.status == 0, "\(m.stderr)")
    var five = try repo.read("Recommendations/DP-05.yml")
    five += "progress: |\n  Work started after the panel.\n"
    try repo.write("Recommendations/DP-05.yml", five)
    try repo.commit("DP-05: progress updated\n", date: stamp(-20))
  }

  func rectrack(_ args: String..., environment: [String: String] = [:]) throws -> ProcessResult {
    try CLI.run(args + ["--repo", repo.path], in: repo.path, environment: environment)
  }

  func python(_ script: String, _ args: [String]) throws -> ProcessResult {
    try runProcess(try #require(Self.pythonPath), ["-c", script] + args, in: repo.path)
  }

  /// Fills the owner's columns of a return sheet as Excel's "CSV UTF-8" would save them.
  static let fill = """
    import csv, json, sys
    path, out, cells = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for row in rows[1:]:
        for column, value in cells.get(row[0], {}).items():
            row[header.index(column)] = value
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, dialect="excel").writerows(rows)
    """

  /// The .eml as a standard MIME parser sees it.
  static let parse = """
    import base64, email, json, sys
    from email import policy
    raw = open(sys.argv[1], "rb").read()
    msg = email.message_from_bytes(raw, policy=policy.default)
    alt = [p for p in msg.iter_parts() if p.get_content_type() == "multipart/alternative"][0]
    body = {p.get_content_type(): p.get_content() for p in alt.iter_parts()}
    att = [p for p in msg.iter_attachments()][0]
    print(json.dumps({
        "crlf": raw.count(b"\\n") == raw.count(b"\\r\\n"),
        "ascii": all(b < 128 for b in raw),
        "to": str(msg["To"]), "to_addr": msg["To"].addresses[0].addr_spec,
        "to_name": msg["To"].addresses[0].display_name,
        "subject": str(msg["Subject"]), "type": msg.get_content_type(),
        "parts": [p.get_content_type() for p in alt.iter_parts()],
        "text": body["text/plain"], "html": body["text/html"],
        "filename": att.get_filename(), "att_type": att.get_content_type(),
        "attachment": att.get_payload(decode=True).decode("utf-8", "replace"),
        "attachment_b64": base64.b64encode(att.get_payload(decode=True)).decode("ascii"),
        "defects": len(msg.defects),
    }))
    """

  // Keys as Python's email package names them (the test's parser prints them).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  struct Parsed: Decodable {
    var crlf: Bool
    var ascii: Bool
    var to: String
    var to_addr: String
    var to_name: String
    var subject: String
    var type: String
    var parts: [String]
    var text: String
    var html: String
    var filename: String
    var att_type: String
    var attachment: String
    var attachment_b64: String
    var defects: Int
  }

  @Test(
    .enabled(if: pythonPath != nil, "needs python3 (Debian package python3) for its email and csv modules"))
  func requestThenRecordTheReturnedSheet() throws {
    let out = repo.path + "/requests/"
    let request = try rectrack("updates", "request", "--attach", "csv", "--output", out)
    #expect(request.status == 0, "\(request.stderr)")
    #expect(request.stdout.contains("Wrote 2 requests"), "\(request.stdout)")
    #expect(request.stdout.contains("Nothing to ask of: Chief Constable"), "\(request.stdout)")
    let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(written == ["head-of-partnerships.eml", "prif-uwch-arolygydd-si-n.eml"])

    // The .eml, as a MIME parser reads it.
    let parsed = try python(Self.parse, [out + "head-of-partnerships.eml"])
    #expect(parsed.status == 0, "\(parsed.stderr)")
    let mail = try JSONDecoder().decode(Parsed.self, from: Data(parsed.stdout.utf8))
    #expect(mail.crlf && mail.ascii && mail.defects == 0)
    #expect(mail.type == "multipart/mixed")
    #expect(mail.parts == ["text/plain", "text/html"])
    #expect(mail.to_addr == "partnerships@police.example.org" && mail.to_name == "Head of Partnerships")
    #expect(mail.subject.hasPrefix("Update request: 4 recommendations"), "\(mail.subject)")
    for id in ["DP-01", "DP-02", "DP-03", "DP-04"] {
      #expect(mail.text.contains(id) && mail.html.contains("<td>\(id)</td>") && mail.attachment.contains(id))
    }
    #expect(!mail.attachment.contains("DP-07") && !mail.attachment.contains("DP-05"))
    #expect(mail.text.contains("no update since the last meeting") && mail.text.contains("café"))
    #expect(mail.att_type == "text/csv" && mail.filename.hasSuffix(".csv"))
    // The attachment is the same sheet `--format csv` writes.
    let csvFile = repo.path + "/hp.csv"
    let csv = try rectrack(
      "updates", "request", "--owner", "head of partnerships", "--format", "csv", "--output", csvFile)
    #expect(csv.status == 0, "\(csv.stderr)")
    let sheet = try Data(contentsOf: URL(fileURLWithPath: csvFile))
    #expect(sheet.base64EncodedString() == mail.attachment_b64)
    #expect(
      String(decoding: sheet, as: UTF8.self).hasPrefix(
        "\u{FEFF}ID,Title,Status,Due,Latest update,New status,Progress update,Evidence,Proposed due date,Reason,"
          + "Owner,Made from,Version\r\n"))

    // Non-ASCII display name: RFC 2047 in the raw header, decoded by the parser.
    let sian = try python(Self.parse, [out + "prif-uwch-arolygydd-si-n.eml"])
    let sianMail = try JSONDecoder().decode(Parsed.self, from: Data(sian.stdout.utf8))
    #expect(sianMail.to_name == "Prif Uwch-arolygydd Siân" && sianMail.ascii)
    let raw = try String(contentsOfFile: out + "prif-uwch-arolygydd-si-n.eml", encoding: .utf8)
    #expect(raw.contains("To: =?UTF-8?B?"))

    // The office changes DP-02 after the request was sent.
    let office = try rectrack("update", "DP-02", "--progress", "Office: passed to the new team.")
    #expect(office.status == 0, "\(office.stderr)")

    // The owner fills the sheet in.
    let returned = repo.path + "/returned.csv"
    let cells = """
      {"DP-01": {"New status": "In progress", "Progress update": "Training booked for all sergeants.",
                 "Evidence": "Booking confirmation"},
       "DP-02": {"Progress update": "Half done."},
       "DP-03": {"New status": "open", "Progress update": "Reopened by us."},
       "DP-04": {"Proposed due date": "31/03/2030", "Reason": "Waiting for the new IT system."}}
      """
    let filled = try python(Self.fill, [csvFile, returned, cells])
    #expect(filled.status == 0, "\(filled.stderr)")
    let before = try repo.head()

    // Dry run: says what each row would do, records nothing.
    let dry = try rectrack("updates", "record", returned, "--dry-run", "--returned", day(-2))
    #expect(dry.status == 1, "\(dry.stdout)\(dry.stderr)")
    #expect(
      dry.stdout.contains(
        "row 2 DP-01: would record status open -> in-progress; progress updated as Supt. Ann Jones"))
    #expect(dry.stdout.contains("row 3 DP-02: conflict"))
    #expect(
      dry.stdout.contains(
        "Latest update: the sheet shows (empty); the tracker now has 'Office: passed to the new team.'"))
    #expect(
      dry.stdout.contains("row 4 DP-03: refused:") && dry.stdout.contains("cannot move from complete to open")
    )
    #expect(dry.stdout.contains("row 5 DP-04: would record due \(day(100)) -> 2030-03-31"))
    #expect(dry.stdout.contains("2 would be recorded, 0 with nothing new, 1 in conflict, 1 refused"))
    #expect(try repo.head() == before)

    // Recorded, late: the return came back two days ago.
    let record = try rectrack("updates", "record", returned, "--returned", day(-2))
    #expect(record.status == 1, "\(record.stdout)\(record.stderr)")
    #expect(
      record.stdout.contains("2 recorded, 0 with nothing new, 1 in conflict, 1 refused"), "\(record.stdout)")
    #expect(record.stderr.contains("2 rows were not recorded"))
    let log = try repo.git.run([
      "log", "--format=%an <%ae>|%cn|%s|%(trailers:key=Effective,valueonly,separator=)", "\(before)..HEAD",
    ])
    let lines = log.split(separator: "\n").map(String.init)
    let ann = "Supt. Ann Jones <ann.jones@police.example.org>"
    #expect(
      lines == [
        "\(ann)|Office Clerk|DP-04: due \(day(100)) -> 2030-03-31|\(day(-2))",
        "\(ann)|Office Clerk|DP-01: open -> in-progress; progress updated|\(day(-2))",
      ], "\(log)")
    // A new status and a progress update in one row are one commit, with both trailers.
    let both = try repo.git.run(["log", "-1", "--format=%(trailers:only,unfold)", "HEAD~1"])
    #expect(both.contains("Status: open -> in-progress") && both.contains("Changed: progress"), "\(both)")
    let body = try repo.git.run(["log", "-1", "--format=%B", "HEAD~1"])
    #expect(
      body.contains("Training booked for all sergeants.") && body.contains("Evidence: Booking confirmation"))
    let dp01 = try repo.read("Recommendations/DP-01.yml")
    #expect(dp01.contains("status: in-progress") && dp01.contains("Training booked for all sergeants."))
    let dp04 = try repo.read("Recommendations/DP-04.yml")
    #expect(dp04.contains("due: 2030-03-31"))
    let reason = try repo.git.run(["log", "-1", "--format=%(trailers:key=Reason,valueonly)", "HEAD"])
    #expect(reason.contains("Waiting for the new IT system."))
    #expect(
      try repo.git.run(["status", "--porcelain"]).split(separator: "\n").allSatisfy {
        !$0.contains("Recommendations")
      })

    // The same sheet again: the recorded rows have nothing new now (their version moved on, but
    // a row that asks for nothing is no conflict).
    let again = try rectrack("updates", "record", returned)
    #expect(
      again.stdout.contains("row 2 DP-01: nothing new") && again.stdout.contains("row 5 DP-04: nothing new"),
      "\(again.stdout)")
  }

  @Test(.enabled(if: pythonPath != nil, "needs python3 (Debian package python3) for its csv module"))
  func anUnchangedSheetAndRowsOfAnotherOwner() throws {
    let csvFile = repo.path + "/hp.csv"
    let csv = try rectrack(
      "updates", "request", "--owner", "Head of Partnerships", "--format", "csv", "--output", csvFile)
    #expect(csv.status == 0, "\(csv.stderr)")
    // Returned as it was sent: every row counted, nothing committed, exit 0.
    let before = try repo.head()
    let same = try rectrack("updates", "record", csvFile)
    #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
    #expect(
      same.stdout.contains("0 recorded, 4 with nothing new, 0 in conflict, 0 refused"), "\(same.stdout)")
    #expect(try repo.head() == before)
    // A row claiming another owner's recommendation is refused unless --any-owner.
    let claimed = try python(
      Self.fill, [csvFile, csvFile, #"{"DP-01": {"ID": "DP-06", "New status": "in-progress"}}"#])
    #expect(claimed.status == 0, "\(claimed.stderr)")
    let other = try rectrack("updates", "record", csvFile, "--dry-run")
    #expect(other.status == 1)
    #expect(
      other.stdout.contains("DP-06 is owned by Prif Uwch-arolygydd Siân, not Head of Partnerships"),
      "\(other.stdout)")
    // A sheet that is not a return sheet cannot be read: exit 2, nothing written.
    try "Ref,Recommendation\nDP-01,x\n".write(
      toFile: repo.path + "/other.csv", atomically: true, encoding: .utf8)
    let bad = try rectrack("updates", "record", repo.path + "/other.csv")
    #expect(bad.status == 2 && bad.stderr.contains("is not a return sheet"), "\(bad.stderr)")
    let missing = try rectrack("updates", "record", repo.path + "/none.csv")
    #expect(missing.status == 2)
    #expect(try repo.head() == before)
  }

  @Test func severalOwnersNeedAFolderAndAnOwnerWithNothingGetsNoFile() throws {
    let one = try rectrack("updates", "request", "--output", repo.path + "/all.eml")
    #expect(one.status == 2 && one.stderr.contains("--output must be a folder"), "\(one.stderr)")
    let cc = try rectrack("updates", "request", "--owner", "Chief Constable", "--output", repo.path + "/cc/")
    #expect(cc.status == 0, "\(cc.stderr)")
    #expect(cc.stdout.contains("Nothing to ask of: Chief Constable"))
    #expect(!FileManager.default.fileExists(atPath: repo.path + "/cc"))
    let md = try rectrack("updates", "request", "--format", "md", "--output", repo.path + "/md/")
    #expect(md.status == 0)
    let paper = try String(contentsOfFile: repo.path + "/md/head-of-partnerships.md", encoding: .utf8)
    #expect(paper.contains("| DP-03 |") && paper.contains("awaiting verification"))
  }

  @Test(.enabled(if: pythonPath != nil, "needs python3 (Debian package python3) for its csv module"))
  func aForceIdentityCannotCloseAndALateReturnCannotBeInTheFuture() throws {
    var settings = try repo.read("rectrack.yml")
    settings += """
      roles:
        commissioner:
          people: ["*@opcc.example.org"]
        force:
          people: ["*@police.example.org"]
          may-set: [open, in-progress, complete]

      """
    try repo.write("rectrack.yml", settings)
    try repo.commit("Roles\n", date: stamp(-19))
    let csvFile = repo.path + "/hp.csv"
    let csv = try rectrack(
      "updates", "request", "--owner", "Head of Partnerships", "--format", "csv", "--output", csvFile)
    #expect(csv.status == 0, "\(csv.stderr)")
    let filled = try python(
      Self.fill,
      [csvFile, csvFile, #"{"DP-03": {"New status": "closed"}, "DP-01": {"New status": "complete"}}"#])
    #expect(filled.status == 0, "\(filled.stderr)")
    let before = try repo.head()
    let future = try rectrack("updates", "record", csvFile, "--returned", day(3))
    #expect(future.status == 2 && future.stderr.contains("is in the future"), "\(future.stderr)")
    #expect(try repo.head() == before)
    let record = try rectrack("updates", "record", csvFile)
    #expect(record.status == 1, "\(record.stdout)\(record.stderr)")
    #expect(
      record.stdout.contains(
        "row 4 DP-03: refused: Supt. Ann Jones <ann.jones@police.example.org> (force) may not set closed"),
      "\(record.stdout)")
    #expect(record.stdout.contains("row 2 DP-01: recorded status open -> complete"))
    #expect(try repo.git.run(["log", "--format=%s", "\(before)..HEAD"]) == "DP-01: open -> complete\n")
    #expect(
      try repo.git.run(["log", "-1", "--format=%(trailers:key=Effective)"]).trimmingCharacters(
        in: .whitespacesAndNewlines
      ).isEmpty)
  }
}
