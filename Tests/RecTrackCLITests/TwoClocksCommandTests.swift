import Foundation
import RecTrackTestSupport
import Testing

/// docs/format.md §6 end to end (issue 13): `--recorded-at` on every read command, meeting tags on
/// the commit the paper is built from, the paper as circulated and as restated.
///
/// The story: an October paper says 2 recommendations, 1 closed, 1 overdue. In November an old
/// tracker row is imported with a 2022 date; in February CSP-1's completion on 5 October is
/// recorded late. February's paper shows October as circulated and as restated.
@Suite struct TwoClocksCommandTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    func rec(_ id: String, _ status: String, due: String) throws {
      try repo.write(
        "Recommendations/\(id).yml", TestRepository.recommendation(id: id, status: status, due: due))
    }
    try rec("CSP-1", "open", due: "2023-09-30")
    try rec("CSP-2", "in-progress", due: "2024-06-30")
    try repo.commit("Add CSP-1 and CSP-2\n", date: "2023-09-01T10:00:00+00:00")
    try rec("CSP-2", "closed", due: "2024-06-30")
    try repo.commit("CSP-2: in-progress -> closed\n\nVerified.\n", date: "2023-10-01T10:00:00+00:00")
  }

  func rectrack(_ args: String...) throws -> ProcessResult {
    try CLI.run(args + ["--repo", repo.path], in: repo.path)
  }

  func json(_ r: ProcessResult) throws -> Any {
    #expect(r.status == 0, "\(r.stderr)")
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8), options: [.fragmentsAllowed])
  }

  /// October's meeting, then the late records, then February's meeting.
  func story() throws -> (october: String, february: String) {
    let oct = try rectrack(
      "meeting", "add", "2023-10-12", "--title", "Panel", "--author", "Clerk <clerk@example.org>")
    #expect(oct.status == 0 && oct.stdout.contains("its paper is built from that commit"), "\(oct.stderr)")
    let october = try repo.head()
    try repo.write(
      "Recommendations/imported/IMP-1.yml",
      TestRepository.recommendation(id: "IMP-1", status: "open", due: "2022-06-30"))
    try repo.commit("Import tracker\n\nEffective: 2022-05-01\n", date: "2023-11-10T10:00:00+00:00")
    try repo.write(
      "Recommendations/CSP-1.yml",
      TestRepository.recommendation(id: "CSP-1", status: "complete", due: "2023-09-30"))
    try repo.commit(
      "CSP-1: open -> complete\n\nRecorded late.\n\nStatus: open -> complete\nEffective: 2023-10-05\n",
      date: "2024-02-01T10:00:00+00:00")
    let feb = try rectrack(
      "meeting", "add", "2024-02-06", "--title", "Panel", "--author", "Clerk <clerk@example.org>")
    #expect(feb.status == 0, "\(feb.stderr)")
    return (october, try repo.head())
  }

  @Test func everyReadCommandTakesRecordedAt() throws {
    let (october, _) = try story()
    for rev in ["meeting/2023-10-12", "2023-10-12", october, String(october.prefix(12))] {
      let list = try #require(
        try json(try rectrack("list", "--as-of", "2023-10-12", "--recorded-at", rev, "--format", "json"))
          as? [[String: Any]])
      #expect(list.map { $0["id"] as? String } == ["CSP-1", "CSP-2"], "recorded at \(rev)")
      #expect(list.allSatisfy { $0["recordedAt"] as? String == october })
      #expect(list.first?["status"] as? String == "open")
      let export = try #require(
        try json(try rectrack("export", "--format", "json", "--recorded-at", rev)) as? [[String: Any]])
      #expect(export.count == 2 && export.allSatisfy { $0["recordedAt"] as? String == october })
      let show = try #require(
        try json(try rectrack("show", "CSP-1", "--recorded-at", rev, "--format", "json")) as? [String: Any])
      #expect(show["recordedAt"] as? String == october && show["status"] as? String == "open")
      let progress = try #require(
        try json(
          try rectrack(
            "progress", "--from", "2023-10", "--to", "2023-10", "--recorded-at", rev, "--format", "json"))
          as? [String: Any])
      #expect(progress["recordedAt"] as? String == october)
      let month = try #require((progress["months"] as? [[String: Any]])?.first)
      #expect(month["total"] as? Int == 2 && month["overdue"] as? Int == 1)
      let log = try #require(
        try json(try rectrack("log", "CSP-1", "--recorded-at", rev, "--format", "json")) as? [String: Any])
      #expect((log["entries"] as? [Any])?.count == 1 && log["recordedAt"] as? String == october)
      let summary = try #require(
        try json(try rectrack("summary", "--as-of", "2023-10-12", "--recorded-at", rev, "--format", "json"))
          as? [String: Any])
      #expect(summary["recordedAt"] as? String == october)
    }
    // As we know it now: CSP-1 was complete on 12 October; IMP-1 existed.
    let now = try #require(
      try json(try rectrack("list", "--as-of", "2023-10-12", "--format", "json")) as? [[String: Any]])
    #expect(now.map { $0["id"] as? String } == ["CSP-1", "CSP-2", "IMP-1"])
    #expect(now.first?["status"] as? String == "complete")
  }

  @Test func aBadRevisionIsExitTwoAndADayBeforeTheFirstCommitIsEmpty() throws {
    _ = try story()
    for args in [["list"], ["show", "CSP-1"], ["progress"], ["export"], ["log", "CSP-1"], ["summary"]] {
      let bad = try CLI.run(
        args + ["--recorded-at", "meeting/1999-01-01", "--repo", repo.path], in: repo.path)
      #expect(bad.status == 2, "\(args)")
      #expect(
        bad.stderr.hasPrefix("error: --recorded-at 'meeting/1999-01-01' names no commit, tag or branch"))
      #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stdout.isEmpty)
      let early = try CLI.run(
        args + ["--recorded-at", "2020-01-01", "--format", "json", "--repo", repo.path], in: repo.path)
      #expect(early.status == 0, "\(args): \(early.stderr)")
      let value = try JSONSerialization.jsonObject(with: Data(early.stdout.utf8))
      if let array = value as? [Any] {
        #expect(array.isEmpty)
      } else {
        let object = try #require(value as? [String: Any])
        #expect(object["recordedAt"] is NSNull, "\(args)")
        if let months = object["months"] as? [Any] { #expect(months.isEmpty) }
        if let entries = object["entries"] as? [Any] { #expect(entries.isEmpty) }
        if let headline = object["headline"] as? [String: Any] { #expect(headline["total"] as? Int == 0) }
      }
    }
    let date = try rectrack("list", "--recorded-at", "2023-02-30")
    #expect(date.status == 2 && date.stderr.contains("2023-02-30"))
  }

  @Test func meetingTagsMarkThePapersCommit() throws {
    try repo.write(
      "Recommendations/CSP-3.yml",
      TestRepository.recommendation(id: "CSP-3", status: "open", due: "2024-06-30"))
    try repo.commit("Add CSP-3\n", date: "2023-10-20T10:00:00+00:00")
    let tagsBefore = try repo.git.run(["tag", "--list"])
    let refused = try rectrack(
      "meeting", "add", "2023-10-12", "--title", "Panel", "--author", "C <c@example.org>")
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains("commits were recorded after 2023-10-12") && refused.stderr.contains("--at"))
    #expect(try repo.git.run(["tag", "--list"]) == tagsBefore)
    let byDay = try rectrack(
      "meeting", "add", "2023-10-12", "--title", "Panel", "--at", "2023-10-12", "--author",
      "C <c@example.org>")
    #expect(byDay.status == 0, "\(byDay.stderr)")
    let tagged = try repo.git.run(["rev-list", "-n", "1", "meeting/2023-10-12"]).trimmingCharacters(
      in: .whitespacesAndNewlines)
    #expect(
      tagged == (try repo.git.run(["rev-parse", "HEAD~1"]).trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(byDay.stdout.contains(String(tagged.prefix(10))))
    let byCommit = try rectrack(
      "meeting", "add", "2023-10-25", "--title", "Extra", "--at", "HEAD", "--author", "C <c@example.org>")
    #expect(byCommit.status == 0, "\(byCommit.stderr)")
    let none = try rectrack(
      "meeting", "add", "2023-11-01", "--title", "X", "--at", "no-such-branch", "--author",
      "C <c@example.org>")
    #expect(none.status == 2 && none.stderr.contains("--at 'no-such-branch' names no commit"))
  }

  @Test func februarysPaperRestatesOctoberAsCirculated() throws {
    let (october, february) = try story()
    let doc = try #require(
      try json(try rectrack("summary", "--meeting", "2024-02-06", "--format", "json")) as? [String: Any])
    #expect(doc["recordedAt"] as? String == february)
    let headline = try #require(doc["headline"] as? [String: Any])
    #expect(
      headline["total"] as? Int == 3 && headline["closed"] as? Int == 1 && headline["final"] as? Int == 1)
    #expect(headline["overdue"] as? Int == 1)
    let previous = try #require(doc["previous"] as? [String: Any])
    #expect(previous["asOf"] as? String == "2023-10-12" && previous["recordedAt"] as? String == october)
    let counts = try #require(previous["counts"] as? [String: Int])
    let restated = try #require(previous["restatedCounts"] as? [String: Int])
    #expect(
      counts == ["open": 1, "in-progress": 0, "complete": 0, "closed": 1, "not-accepted": 0, "superseded": 0])
    #expect(
      restated == [
        "open": 1, "in-progress": 0, "complete": 1, "closed": 1, "not-accepted": 0, "superseded": 0,
      ])
    let restatements = try #require(doc["restatements"] as? [[String: Any]])
    #expect(restatements.map { $0["id"] as? String } == ["IMP-1", "CSP-1"])
    let csp = try #require(restatements.last)
    #expect(csp["change"] as? String == "open -> complete" && csp["date"] as? String == "2023-10-05")
    #expect(csp["recorded"] as? String == "2024-02-01" && (csp["commit"] as? String)?.count == 40)
    let sentence = try #require(csp["explanation"] as? String)
    #expect(
      sentence.hasPrefix(
        "CSP-1 was recorded on 1 Feb 2024 as complete on 5 Oct 2023: the 12 Oct 2023 paper's"))
    #expect((doc["newRecommendations"] as? [[String: Any]])?.map { $0["id"] as? String } == ["IMP-1"])
    #expect((doc["closedSince"] as? [[String: Any]])?.isEmpty == true)
    // The same facts in words in Markdown and HTML.
    let md = try rectrack("summary", "--meeting", "2024-02-06")
    let html = try rectrack("summary", "--meeting", "2024-02-06", "--format", "html")
    for text in [md.stdout, html.stdout] {
      #expect(text.contains("CSP-1 was recorded on 1 Feb 2024 as complete on 5 Oct 2023"))
      #expect(text.contains("IMP-1 was recorded on 10 Nov 2023 as added on 1 May 2022 (open)"))
      #expect(text.contains("2 later records restate the 12 Oct 2023 paper"))
    }
    // The first meeting: everything is new; closed since counts status closed only.
    let first = try #require(
      try json(try rectrack("summary", "--meeting", "2023-10-12", "--format", "json")) as? [String: Any])
    #expect(first["previous"] is NSNull && (first["restatements"] as? [Any])?.isEmpty == true)
    #expect((first["newRecommendations"] as? [[String: Any]])?.count == 2)
    #expect((first["closedSince"] as? [[String: Any]])?.map { $0["id"] as? String } == ["CSP-2"])
    // The audit notes each restatement.
    let audit = try rectrack("audit", "--format", "json")
    #expect(audit.stdout.contains("\"restates-meeting\""))
    #expect(
      audit.stdout.contains("CSP-1: ")
        && audit.stdout.contains("restates the paper of the 2023-10-12 meeting"))
    // log says when each change was recorded.
    let log = try rectrack("log", "CSP-1")
    #expect(log.stdout.contains("2023-10-05  status open -> complete"))
    #expect(log.stdout.contains(", recorded 2024-02-01 (late)"))
  }

  @Test func aPaperAsCirculatedIsTheSameBytesAfterLaterRecords() throws {
    let oct = try rectrack(
      "meeting", "add", "2023-10-12", "--title", "Panel", "--author", "Clerk <clerk@example.org>")
    #expect(oct.status == 0)
    let formats = ["md", "html", "json"]
    let before = try formats.map { try rectrack("summary", "--meeting", "2023-10-12", "--format", $0).stdout }
    _ = try storyLaterRecords()
    let after = try formats.map { try rectrack("summary", "--meeting", "2023-10-12", "--format", $0).stdout }
    #expect(after == before)
    let restated = try json(
      try rectrack("summary", "--meeting", "2023-10-12", "--recorded-at", "HEAD", "--format", "json"))
    let headline = try #require((restated as? [String: Any])?["headline"] as? [String: Any])
    #expect(headline["total"] as? Int == 3)
  }

  func storyLaterRecords() throws {
    try repo.write(
      "Recommendations/imported/IMP-1.yml",
      TestRepository.recommendation(id: "IMP-1", status: "open", due: "2022-06-30"))
    try repo.write("Templates/summary.md.mustache", "A later template {{title}}\n")
    try repo.commit("Import tracker\n\nEffective: 2022-05-01\n", date: "2023-11-10T10:00:00+00:00")
    try repo.write("rectrack.yml", "organisation: Renamed later\n")
    try repo.commit("Settings\n", date: "2023-11-11T10:00:00+00:00")
  }

  @Test func closedMeansTheStatusClosedInProgressChange() throws {
    try repo.write(
      "Recommendations/CSP-1.yml",
      TestRepository.recommendation(id: "CSP-1", status: "not-accepted", due: "2023-09-30"))
    try repo.commit("CSP-1: open -> not-accepted\n", date: "2023-11-02T10:00:00+00:00")
    let csv = try rectrack("progress", "--change", "--from", "2023-10", "--to", "2023-11", "--format", "csv")
    #expect(csv.status == 0)
    let lines = csv.stdout.split(separator: "\n").map(String.init)
    #expect(lines[0] == "month,asOf,opened,completed,closed,final,reopened,removed,total")
    #expect(lines[1].hasPrefix("2023-10,2023-10-31,0,0,1,1,"))
    #expect(lines[2].hasPrefix("2023-11,2023-11-30,0,0,0,1,"))
  }
}
