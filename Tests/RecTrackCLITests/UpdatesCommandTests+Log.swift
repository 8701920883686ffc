import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Requests and replies as part of the record: the tags `updates request` and `updates record`
/// leave (read back with the git CLI), `updates status`, the reply-by day from the meeting
/// schedule, and a row with a status and a due change recorded as one commit.
extension UpdatesCommandTests {
  struct StatusOutput: Decodable {
    struct Owner: Decodable {
      var owner: String
      var askedOn: String
      var items: Int
      var replyBy: String
      var repliedOn: String?
      var late: Bool
      var request: String
    }
    var today: String
    var owners: [Owner]
  }

  func status() throws -> [String: StatusOutput.Owner] {
    let json = try rectrack("updates", "status", "--format", "json")
    #expect(json.status == 0, "\(json.stderr)")
    let out = try JSONDecoder().decode(StatusOutput.self, from: Data(json.stdout.utf8))
    return Dictionary(out.owners.map { ($0.owner, $0) }, uniquingKeysWith: { a, _ in a })
  }

  @Test(.enabled(if: pythonPath != nil, "needs python3 (Debian package python3) for its csv module"))
  func requestsAndRepliesAreRecordedAsTags() throws {
    // The schedule in rectrack.yml gives the reply-by day: the next meeting after today.
    var settings = try repo.read("rectrack.yml")
    settings += "paper:\n  meetings: [\(day(-30)), \(day(20)), \(day(60))]\n"
    try repo.write("rectrack.yml", settings)
    try repo.commit("Meeting schedule\n", date: stamp(-19))
    let hpTag = "updates/\(day(0))/head-of-partnerships"
    let sianTag = "updates/\(day(0))/prif-uwch-arolygydd-si-n"

    #expect(try rectrack("updates", "request", "--output", repo.path + "/dry/", "--dry-run").status == 0)
    #expect(try repo.git.run(["tag", "-l", "updates/*"]).isEmpty, "a dry run records nothing")
    #expect(try status().isEmpty)

    let request = try rectrack("updates", "request", "--output", repo.path + "/requests/")
    #expect(request.status == 0, "\(request.stderr)")
    #expect(request.stdout.contains(hpTag) && request.stdout.contains(sianTag), "\(request.stdout)")
    let head = try repo.head()
    let message = try repo.git.run(["cat-file", "-p", hpTag])
    #expect(message.contains("object \(head)") && message.contains("tagger Office Clerk"), "\(message)")
    #expect(
      message.contains(
        "Owner: Head of Partnerships\nTo: partnerships@police.example.org\nAsked-on: \(day(0))\n"
          + "Reply-by: \(day(20))\nItems: DP-01, DP-02, DP-03, DP-04\n"), "\(message)")
    // The same request again (here for one owner, as a CSV) is not recorded twice.
    let csvFile = repo.path + "/hp.csv"
    let again = try rectrack(
      "updates", "request", "--owner", "Head of Partnerships", "--format", "csv", "--output", csvFile)
    #expect(again.stdout.contains("the tag \(hpTag)"), "\(again.stdout)")
    #expect(try repo.git.run(["tag", "-l", "updates/*"]) == "\(hpTag)\n\(sianTag)\n")

    var owners = try status()
    #expect(owners.keys.sorted() == ["Head of Partnerships", "Prif Uwch-arolygydd Siân"])
    let hp = try #require(owners["Head of Partnerships"])
    #expect(hp.askedOn == day(0) && hp.items == 4 && hp.replyBy == day(20) && hp.repliedOn == nil && !hp.late)

    // Siân is asked again with a reply-by day already past: late, with no reply.
    let sian = try rectrack(
      "updates", "request", "--owner", "Prif Uwch-arolygydd Siân", "--before", day(-1), "--format", "csv",
      "--output", repo.path + "/sian.csv")
    #expect(sian.status == 0 && sian.stdout.contains(sianTag + "-2"), "\(sian.stdout)")

    // Head of Partnerships returns DP-01 with a new status and a new due date: one commit.
    let cells = """
      {"DP-01": {"New status": "in-progress", "Proposed due date": "31/03/2030", "Reason": "New IT system."}}
      """
    #expect(try python(Self.fill, [csvFile, csvFile, cells]).status == 0)
    let before = try repo.head()
    let record = try rectrack("updates", "record", csvFile)
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(record.stdout.contains("Noted as the reply to \(hpTag)"), "\(record.stdout)")
    let log = try repo.git.run(["log", "--format=%s|%an", "\(before)..HEAD"])
    #expect(
      log == "DP-01: open -> in-progress; due \(day(-10)) -> 2030-03-31|Supt. Ann Jones\n", "\(log)")
    let trailers = try repo.git.run(["log", "-1", "--format=%(trailers:only,unfold)"])
    #expect(
      trailers.contains("Status: open -> in-progress") && trailers.contains("Due: \(day(-10)) -> 2030-03-31")
        && trailers.contains("Reason: New IT system.") && trailers.contains("Update-Request: \(hpTag)"),
      "\(trailers)")
    let reply = try repo.git.run(["cat-file", "-p", hpTag + ".reply"])
    #expect(
      reply.contains("object \(try repo.head())")
        && reply.contains("Request: \(hpTag)\nReturned-on: \(day(0))")
        && reply.contains("Recorded: 1\nUnchanged: 3\nNot-recorded: 0"), "\(reply)")
    // Recording the same sheet again keeps the first reply.
    let twice = try rectrack("updates", "record", csvFile)
    #expect(twice.stdout.contains("was already noted"), "\(twice.stdout)")

    owners = try status()
    #expect(
      owners["Head of Partnerships"]?.repliedOn == day(0) && owners["Head of Partnerships"]?.late == false)
    let sianStatus = try #require(owners["Prif Uwch-arolygydd Siân"])
    #expect(
      sianStatus.request == sianTag + "-2" && sianStatus.repliedOn == nil && sianStatus.late
        && sianStatus.replyBy == day(-1))

    // The table fits 80 columns and says who is late.
    let table = try rectrack("updates", "status", environment: ["COLUMNS": "80"])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(table.stdout)")
    #expect(
      table.stdout.contains("OWNER") && table.stdout.contains("no reply") && table.stdout.contains("late"))
    #expect(table.stdout.contains("1 owner has not replied by the reply-by day"), "\(table.stdout)")

    // The meeting paper says who was asked and who replied, as data and in both templates.
    #expect(try rectrack("meeting", "add", day(0), "--title", "Panel").status == 0)
    let long = { (d: String) in CalendarDate(d)!.longText }
    func paperRequests(_ extra: String...) throws -> [[String: Any]] {
      let json = try CLI.run(
        ["summary", "--meeting", day(0), "--format", "json", "--repo", repo.path] + extra, in: repo.path)
      #expect(json.status == 0, "\(json.stderr)")
      let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      return try #require(doc["updateRequests"] as? [[String: Any]])
    }
    let circulated = try paperRequests()
    #expect(
      circulated.map { $0["owner"] as? String } == ["Head of Partnerships", "Prif Uwch-arolygydd Siân"])
    #expect(circulated[0]["text"] as? String == "asked on \(long(day(0))), replied on \(long(day(0)))")
    #expect(circulated[0]["repliedOn"] as? String == day(0) && circulated[0]["items"] as? Int == 4)
    #expect(
      circulated[1]["text"] as? String
        == "asked on \(long(day(0))), no reply (it was due by \(long(day(-1))))")
    let md = try rectrack("summary", "--meeting", day(0), "--format", "md")
    #expect(
      md.stdout.contains(
        "## Updates asked of owners\n\n1 of 2 owners asked for an update replied; 1 is late."))
    #expect(
      md.stdout.contains(
        "- **Head of Partnerships** (4 recommendations): asked on \(long(day(0))), replied on"))
    let html = try rectrack("summary", "--meeting", day(0), "--format", "html")
    #expect(
      html.stdout.contains("<h2>Updates asked of owners</h2>")
        && html.stdout.contains("<td class=\"date\">no reply (late)</td>"), "\(html.stdout)")

    // Siân replies after the meeting: the paper as circulated still says "no reply"; restated, it
    // has her reply.
    let sianSheet = repo.path + "/sian.csv"
    #expect(
      try python(Self.fill, [sianSheet, sianSheet, #"{"DP-06": {"New status": "in-progress"}}"#]).status == 0)
    let late = try rectrack("updates", "record", sianSheet)
    #expect(late.status == 0 && late.stdout.contains("Noted as the reply to \(sianTag)-2"), "\(late.stdout)")
    #expect(try paperRequests().map { $0["text"] as? String } == circulated.map { $0["text"] as? String })
    let restated = try paperRequests("--recorded-at", "HEAD")
    #expect(restated[1]["repliedOn"] as? String == day(0), "\(restated)")
  }
}

extension UpdatesCommandTests {
  @Test(.enabled(if: pythonPath != nil, "needs python3 (Debian package python3) for its csv module"))
  func toLeadSendsRequestsToLeadsInTheDirectory() throws {
    // DP-06 (Siân's) has a lead the directory lists; DP-02's lead is not listed, so its owner is asked.
    for (id, lead) in [("DP-06", "head of partnerships"), ("DP-02", "Inspector Not Listed")] {
      let text = try #require(repo.contents("Recommendations/\(id).yml"))
      try repo.write("Recommendations/\(id).yml", text + "lead: \(lead)\n")
    }
    try repo.commit("Leads\n", date: stamp(-19))
    let out = repo.path + "/leads/"
    // Made as of three days ago (GIT_AUTHOR_DATE dates a request as it dates a change).
    let request = try rectrack(
      "updates", "request", "--to", "lead", "--format", "csv", "--output", out,
      environment: ["GIT_AUTHOR_DATE": stamp(-3)])
    #expect(request.status == 0, "\(request.stderr)")
    #expect(try repo.git.run(["tag", "-l", "updates/*"]) == "updates/\(day(-3))/head-of-partnerships\n")
    let before = try rectrack("updates", "status", "--as-of", day(-4))
    #expect(before.stdout.contains("No update requests recorded"), "\(before.stdout)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out) == ["head-of-partnerships.csv"],
      "\(request.stdout)")
    // Siân is nobody's recipient now; the Chief Constable is, with nothing to ask.
    #expect(request.stdout.contains("Nothing to ask of: Chief Constable (no file written)"))
    #expect(!request.stdout.contains("Siân"))
    let sheet = try String(contentsOfFile: out + "head-of-partnerships.csv", encoding: .utf8)
    let ids = sheet.split(separator: "\r\n").dropFirst().map { $0.prefix(5) }
    #expect(ids == ["DP-01", "DP-02", "DP-03", "DP-04", "DP-06"], "\(sheet)")
    // The lead's return is recorded for the recommendation they lead, without --any-owner.
    let file = out + "head-of-partnerships.csv"
    #expect(try python(Self.fill, [file, file, #"{"DP-06": {"New status": "in-progress"}}"#]).status == 0)
    let record = try rectrack("updates", "record", file)
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(record.stdout.contains("row 6 DP-06: recorded status open -> in-progress"), "\(record.stdout)")
    #expect(try repo.git.run(["log", "-1", "--format=%an"]) == "Supt. Ann Jones\n")
  }
}
