import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

private typealias M = AuditHistoryBuilder

/// A history with every kind of violation planted once (plus merges, a move and a non-UTF-8
/// author name): each must be found exactly once, at the right commit, with the right severity,
/// and nothing else may be found.
@Suite struct AuditTests {
  let b: AuditHistoryBuilder
  /// "rule@commit" of every planted violation.
  var expected: [String] = []
  var ids: [String: String] = [:]

  init() throws {
    Libgit2.initialise()
    b = try AuditHistoryBuilder()
    let c = M.commissioner
    let f = M.force
    for id in ["R-01", "R-02", "R-03", "R-04", "R-05"] {
      try b.write(id)
      try b.commit(
        M.message(
          id, "new recommendation (open)", [("Status", "none -> open"), ("Due", "none -> 2021-06-30")]),
        author: c)
    }
    // Not allowed by the workflow: open -> closed.
    try b.write("R-01", status: "closed")
    plant(
      "transition-not-allowed",
      try b.commit(
        M.message("R-01", "open -> closed", note: "Verified", [("Status", "open -> closed")]), author: c))
    // The force reports complete (fine), then closes it itself (only the commissioner's office may).
    try b.write("R-02", status: "complete")
    try b.commit(
      M.message("R-02", "open -> complete", note: "Done", [("Status", "open -> complete")]), author: f)
    try b.write("R-02", status: "closed")
    plant(
      "person-not-allowed",
      try b.commit(
        M.message("R-02", "complete -> closed", note: "Closing", [("Status", "complete -> closed")]),
        author: f))
    // No note.
    try b.write("R-03", status: "in-progress")
    plant(
      "status-without-note",
      try b.commit(M.message("R-03", "open -> in-progress", [("Status", "open -> in-progress")]), author: f))
    // Effective 60 days before the commit, then one in the future.
    try b.write("R-04", status: "in-progress")
    try b.commit(
      M.message("R-04", "open -> in-progress", note: "Started", [("Status", "open -> in-progress")]),
      author: f)
    try b.write("R-04", status: "complete")
    plant(
      "effective-backdated",
      try b.commit(
        M.message(
          "R-04", "in-progress -> complete", note: "Done in spring",
          [
            ("Status", "in-progress -> complete"), ("Effective", b.nextDate.adding(days: -60).description),
          ]), author: f))
    try b.write("R-03", status: "complete")
    plant(
      "effective-in-future",
      try b.commit(
        M.message(
          "R-03", "in-progress -> complete", note: "Will be done",
          [
            ("Status", "in-progress -> complete"), ("Effective", b.nextDate.adding(days: 5).description),
          ]), author: f))
    // Due date moved with no reason.
    try b.write("R-04", status: "complete", due: "2021-09-30")
    plant(
      "due-without-reason",
      try b.commit(
        M.message("R-04", "due 2021-06-30 -> 2021-09-30", [("Due", "2021-06-30 -> 2021-09-30")]), author: c))
    // Due date moved three times (two allowed).
    var due = "2021-06-30"
    for (n, next) in ["2021-07-31", "2021-08-31", "2021-09-30"].enumerated() {
      try b.write("R-01", status: "closed", due: next)
      let id = try b.commit(
        M.message("R-01", "due \(due) -> \(next)", [("Due", "\(due) -> \(next)"), ("Reason", "Delayed")]),
        author: c)
      if n == 2 { plant("due-changed-too-often", id) }
      due = next
    }
    // Edited outside rectrack (informational).
    try b.write("R-02", status: "closed", title: "Run targetted campaigns")
    ids["outside"] = try b.commit("Fix the title\n", author: f)
    plant("outside-rectrack", ids["outside"]!)
    // A non-UTF-8 author name (ISO-8859-1 "Zoë"), recorded as rectrack would: no finding.
    try b.write("R-05", progress: "Started in Llanelli")
    ids["latin1"] = try b.commitLatin1(
      authorName: [0x5A, 0x6F, 0xEB, 0x20, 0x41, 0x63, 0x68], email: "zoe@police.example.org",
      message: M.message("R-05", "progress updated", [("Changed", "progress")]))
    // A move into a sub-folder: no finding.
    try FileManager.default.createDirectory(
      atPath: b.repo.path + "/Recommendations/2021", withIntermediateDirectories: true)
    try b.repo.git("mv", "Recommendations/R-04.yml", "Recommendations/2021/R-04.yml")
    ids["move"] = try b.commit(M.message("R-04", "moved to 2021/", [("Changed", "file")]), author: c)
    // Broken, then fixed: one finding, at the commit that broke it.
    try b.repo.write(
      "Recommendations/R-05.yml", M.file("R-05", title: "Phase 2: pilot", progress: "Started in Llanelli"))
    plant("invalid-file", try b.commit(M.message("R-05", "title changed", [("Changed", "title")]), author: c))
    try b.write("R-05", title: "Phase 2 - pilot", progress: "Started in Llanelli")
    try b.commit(M.message("R-05", "title changed", [("Changed", "title")]), author: c)
    // Authored before its parent.
    try b.write("R-05", title: "Phase 2 - pilot", progress: "Running")
    let back = b.nextDate.adding(days: -3)
    plant(
      "author-date-backwards",
      try b.commit(
        M.message("R-05", "progress updated", [("Changed", "progress")]), author: f,
        date: "\(back)T10:00:00+00:00"))
    // Merges: one conflict resolved by hand in R-03; R-02 merged cleanly by git (different
    // lines), R-05 changed on one side only.
    try b.repo.git("checkout", "-q", "-b", "side")
    try b.write("R-03", status: "complete", progress: "Side text")
    try b.commit(M.message("R-03", "progress updated", [("Changed", "progress")]), author: f)
    try b.write("R-02", status: "closed", title: "Run targeted campaigns (side)")
    try b.commit(M.message("R-02", "title changed", [("Changed", "title")]), author: c)
    try b.write("R-05", title: "Phase 2 - pilot (side)", progress: "Running")
    try b.commit(M.message("R-05", "title changed", [("Changed", "title")]), author: c)
    try b.repo.git("checkout", "-q", "main")
    try b.write("R-03", status: "complete", progress: "Main text")
    try b.commit(M.message("R-03", "progress updated", [("Changed", "progress")]), author: f)
    try b.write("R-02", status: "closed", title: "Run targetted campaigns", progress: "Main progress")
    try b.commit(M.message("R-02", "progress updated", [("Changed", "progress")]), author: f)
    _ = try? b.repo.git("merge", "-q", "--no-ff", "side", "-m", "Merge branch 'side'")
    try b.write("R-03", status: "complete", progress: "Main and side text")
    ids["merge"] = try b.commit("Merge branch 'side'\n", author: c)
    plant("merge-conflict-resolved", ids["merge"]!)
    // A trailer naming the wrong recommendation.
    try b.write("R-01", status: "closed", due: "2021-09-30", progress: "Checked")
    plant(
      "trailer-mismatch",
      try b.commit(M.message("R-99", "progress updated", [("Changed", "progress")]), author: c))
    // Sealed, then rewritten: the two sealed commits disappear.
    try b.write("R-04", folder: "2021/", status: "complete", due: "2021-09-30", progress: "Audited")
    ids["gone1"] = try b.commit(M.message("R-04", "progress updated", [("Changed", "progress")]), author: c)
    try b.write("R-04", folder: "2021/", status: "complete", due: "2021-09-30", progress: "Audited twice")
    ids["gone2"] = try b.commit(M.message("R-04", "progress updated", [("Changed", "progress")]), author: c)
    try b.seal("2021-12-31", ids["gone2"]!)
    try b.repo.git("reset", "-q", "--hard", "HEAD~2")
    try b.write("R-04", folder: "2021/", status: "complete", due: "2021-09-30", progress: "Rewritten")
    try b.commit(M.message("R-04", "progress updated", [("Changed", "progress")]), author: c)
    plant("history-rewritten", ids["gone2"]!)
  }

  private mutating func plant(_ rule: String, _ commit: String) { expected.append("\(rule)@\(commit)") }

  func audit(_ options: AuditOptions = AuditOptions()) throws -> AuditReport {
    try Auditor(repo: try TrackingRepository(at: b.repo.path)).run(options)
  }

  @Test func eachPlantedViolationIsFoundExactlyOnce() throws {
    let report = try audit()
    #expect(report.findingKeys == expected.sorted())
    for f in report.findings {
      #expect(f.severity == f.rule.defaultSeverity)
      #expect(!f.message.contains("\n"))
    }
    #expect(report.counts.error == 5)
    #expect(report.counts.warning == 7)
    #expect(report.counts.info == 1)
    #expect(!report.passed)
  }

  @Test func findingsSayWhatHappened() throws {
    let report = try audit()
    func message(_ rule: AuditRule) -> String { report.findings.first { $0.rule == rule }?.message ?? "" }
    #expect(
      message(.transitionNotAllowed)
        == "R-01: open -> closed is not allowed; from open the workflow allows: in-progress, complete, not-accepted, superseded"
    )
    #expect(
      message(.personNotAllowed)
        == "R-02 was set to closed by Bob Jones <bob.jones@police.example.org> (role force); only the commissioner's office (role 'commissioner': *@opcc.example.org) may set closed"
    )
    #expect(
      message(.dueChangedTooOften)
        == "R-01: the due date has now been changed 3 times; at most 2 allowed (audit: max-due-changes)")
    #expect(message(.effectiveBackdated).hasPrefix("Effective: "))
    #expect(message(.effectiveBackdated).contains("is 60 days before the change was recorded"))
    let rewritten = try #require(report.findings.first { $0.rule == .historyRewritten })
    #expect(
      rewritten.message.hasPrefix(
        "the seal audit/2021-12-31 (\(ids["gone2"]!.prefix(10))) is no longer in the history of "))
    #expect(rewritten.message.hasSuffix(": 2 commits disappeared from the record"))
    #expect(rewritten.details?.count == 2)
    #expect(rewritten.details?.first?.hasPrefix(String(ids["gone1"]!.prefix(10))) == true)
    #expect(rewritten.details?.last?.hasPrefix(String(ids["gone2"]!.prefix(10))) == true)
    #expect(report.seals.map(\.intact) == [false])
  }

  @Test func rowsShowMovesMergesOutsideEditsAndForeignNames() throws {
    let report = try audit()
    let move = try #require(report.changes.first { $0.commit == ids["move"] })
    #expect(move.kind == .moved)
    #expect(move.previousFile == "Recommendations/R-04.yml")
    #expect(move.file == "Recommendations/2021/R-04.yml")
    #expect(move.fields.isEmpty && move.status == nil)

    let outside = try #require(report.changes.first { $0.commit == ids["outside"] })
    #expect(!outside.byRectrack)
    #expect(outside.fields == ["title"])
    #expect(outside.author.email == "bob.jones@police.example.org")

    let merges = report.changes.filter(\.merge)
    #expect(merges.map(\.recommendation) == ["R-03"])
    #expect(merges.first?.commit == ids["merge"])
    #expect(merges.first?.fields == ["progress"])

    let latin1 = try #require(report.changes.first { $0.commit == ids["latin1"] })
    #expect(latin1.author.name == "Zo\u{FFFD} Ach")
    #expect(latin1.author.email == "zoe@police.example.org")
    #expect(latin1.fields == ["progress"])

    // Cross-check with git: every non-merge commit that git says touched Recommendations/ has rows.
    let gitCommits = Set(
      try b.repo.git("log", "--format=%H", "--no-merges", "--full-history", "--", "Recommendations/").split(
        separator: "\n"
      ).map(String.init))
    let rowCommits = Set(report.changes.filter { !$0.merge }.map(\.commit))
    #expect(rowCommits == gitCommits)
    // And the status changes agree with the Status: trailers rectrack-style commits carry.
    for c in report.changes where c.byRectrack && c.status != nil && !c.merge {
      let trailer = try b.repo.git("log", "-1", "--format=%(trailers:key=Status,valueonly)", c.commit)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(trailer == "\(c.status?.from ?? "none") -> \(c.status?.to ?? "none")")
    }
  }

  @Test func filtersKeepOneRecommendationOrAPeriod() throws {
    let r01 = try audit(AuditOptions(id: "R-01"))
    #expect(Set(r01.changes.map(\.recommendation)) == ["R-01"])
    #expect(
      r01.findings.map(\.rule.rawValue).sorted() == [
        "due-changed-too-often", "history-rewritten", "trailer-mismatch", "transition-not-allowed",
      ])
    let from = CalendarDate("2021-01-12")!
    let until = CalendarDate("2021-01-14")!
    let window = try audit(AuditOptions(since: from, until: until))
    #expect(!window.changes.isEmpty)
    #expect(window.changes.allSatisfy { $0.recorded >= from && $0.recorded <= until })
    #expect(
      window.findings.filter { $0.rule != .historyRewritten }.allSatisfy { f in
        window.changes.contains { $0.commit == f.commit }
      })
  }

  @Test func failOnWarningAndSeverityOverrides() throws {
    #expect(try audit(AuditOptions(failOn: .error)).passed == false)
    try b.repo.write(
      "rectrack.yml", AuditHistoryBuilder.settings + "  severity:\n    transition-not-allowed: info\n")
    try b.repo.commitAll("Settings: severities", date: "2022-01-01T10:00:00+00:00")
    let report = try audit()
    #expect(report.findings.first { $0.rule == .transitionNotAllowed }?.severity == .info)
  }

  @Test func jsonIsOneCodableValueThatReadsBack() throws {
    let report = try audit()
    let text = AuditOutput.json(report)
    let back = try JSONDecoder().decode(AuditReport.self, from: Data(text.utf8))
    #expect(back.findingKeys == report.findingKeys)
    #expect(back.changes.count == report.changes.count)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "version", "head", "filters", "settings", "commitsWalked", "commitsWithChanges", "changes",
        "findings",
        "seals", "signatures", "notChecked", "counts", "failOn", "passed",
      ])
    let first = try #require((object["changes"] as? [[String: Any]])?.first)
    let status = try #require(first["status"] as? [String: Any])
    #expect(status["from"] is NSNull)
    #expect(status["to"] as? String == "open")
  }

  @Test func rangeAuditsOnlyTheNewCommitsWithTheOldSettings() throws {
    let old = try b.repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    // A push that grants the force the right to close, and closes: the old settings still apply.
    try b.repo.write(
      "rectrack.yml",
      AuditHistoryBuilder.settings.replacingOccurrences(of: "not-accepted]", with: "not-accepted, closed]"))
    let grant = try b.commit("Let the force close\n", author: M.force)
    try b.write("R-03", status: "closed", progress: "Main and side text")
    let close = try b.commit(
      M.message("R-03", "complete -> closed", note: "Done", [("Status", "complete -> closed")]),
      author: M.force)
    let report = try audit(AuditOptions(range: "\(old)..HEAD"))
    // The seal was lost before OLD: this range removes nothing from the record.
    #expect(report.findingKeys == ["person-not-allowed@\(close)", "settings-changed@\(grant)"])
    let grantFinding = report.findings.first { $0.rule == .settingsChanged }
    #expect(
      grantFinding?.message == "rectrack.yml: roles changed by Bob Jones <bob.jones@police.example.org>")
    #expect(report.changes.map(\.commit) == [close])
    #expect(report.commitsWalked == 2)
    #expect(report.settings.from == old)
    // The whole history from a new branch's point of view (all zeros).
    let all = try audit(AuditOptions(range: "0000000000000000000000000000000000000000..HEAD"))
    #expect(all.commitsWalked == (try audit()).commitsWalked)
    #expect(!all.findings.contains { $0.rule == .historyRewritten })
  }

  @Test func rangeThatDropsSealedCommitsIsReported() throws {
    try b.seal("2022-01-01")
    let sealed = try b.repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    try b.repo.git("reset", "-q", "--hard", "HEAD~1")
    try b.write("R-04", folder: "2021/", status: "complete", due: "2021-09-30", progress: "Rewritten again")
    let rewritten = try b.commit(
      M.message("R-04", "progress updated", [("Changed", "progress")]), author: M.commissioner)
    // A forced push from the sealed tip to the rewritten one, as a hook sees it.
    let report = try audit(AuditOptions(range: "\(sealed)..\(rewritten)"))
    #expect(report.findingKeys == ["history-rewritten@\(sealed)"])
    #expect(report.findings.first?.details?.count == 1)
    #expect(report.changes.map(\.commit) == [rewritten])
  }

  @Test func replayedCommitsAndImportsAreNotFlagged() throws {
    let old = try b.repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    // Replayed by a rebase or `rectrack sync`: an author date before the parent's, a newer
    // committer date, the two within the audit's author-date-max-days (14).
    let parentTime = Int64(
      try b.repo.git("log", "-1", "--format=%at").trimmingCharacters(in: .whitespacesAndNewlines))!
    let authored = "@\(parentTime - 3 * 86_400) +0000"
    let committed = "@\(parentTime + 86_400) +0000"
    try b.write("R-06")
    try b.repo.git("add", "-A")
    try b.repo.git(
      arguments: [
        "commit", "-q", "--author", M.force, "-m",
        M.message("R-06", "new recommendation (open)", [("Status", "none -> open")]),
      ],
      environment: [
        "GIT_AUTHOR_DATE": authored, "GIT_COMMITTER_DATE": committed,
      ])
    // An import, as `rectrack import` writes it: several recommendations, a date from the sheet.
    try b.write("R-07")
    try b.write("R-08")
    try b.repo.commitAll(
      CommitMessage(
        summary: "Import 2 recommendations from tracker.csv",
        trailers: [
          ("Recommendation", "R-07"), ("Recommendation", "R-08"), ("Imported-From", "tracker.csv"),
          ("Effective", "2019-05-01"),
        ]
      ).text, date: "2022-03-02T10:00:00+00:00", author: M.commissioner)
    try b.write("R-07", status: "complete")
    try b.repo.commitAll(
      CommitMessage(
        summary: "R-07: open -> complete",
        trailers: [
          ("Recommendation", "R-07"), ("Status", "open -> complete"), ("Effective", "2019-06-01"),
          ("Imported-From", "tracker.csv"),
        ]
      ).text, date: "2022-03-03T10:00:00+00:00", author: M.commissioner)
    let report = try audit(AuditOptions(range: "\(old)..HEAD"))
    #expect(report.findings.map(\.message) == [])
    #expect(report.changes.count == 4)
  }

  @Test func badRangeIsUsageError() throws {
    #expect(throws: TrackingError.self) { try audit(AuditOptions(range: "main")) }
    #expect(throws: TrackingError.self) { try audit(AuditOptions(range: "nosuch..main")) }
  }
}

/// The table and CSV of the planted history, compared with golden files in `Tests/Golden/Audit`
/// (commit ids are stable: every date, name and byte is fixed). Re-record with
/// `RECTRACK_RECORD_GOLDEN=1 swift test --filter AuditGolden`; a recording run fails on purpose.
@Suite struct AuditGoldenTests {
  @Test(arguments: ["audit-table.txt", "audit.csv"])
  func renderedReportsMatchTheGoldenFiles(_ name: String) throws {
    let t = try AuditTests()
    let report = try t.audit()
    let text = name.hasSuffix(".csv") ? AuditOutput.csv(report) : AuditOutput.table(report, width: 160)
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Golden/Audit/\(name)")
    guard let golden = try Golden.expected(at: url, recording: text) else { return }
    #expect(text == golden)
  }
}
