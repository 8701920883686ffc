import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing
import Yams

/// Every change rectrack records is cross-checked with the git CLI: what was committed, by whom,
/// when, with which message, and that nothing else moved.
@Suite struct RecorderTests {
  let repo: TestRepository

  init() throws {
    Libgit2.initialise()
    repo = try TestRepository()
    try repo.write("Recommendations/2019-deep-dive/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write(
      "Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "in-progress"))
    try repo.commitAll("Add recommendations")
  }

  func recorder() throws -> Recorder { Recorder(repo: try TrackingRepository(at: repo.path)) }

  let author = Signature(
    name: "Jane Smith", email: "jane.smith@example.org", time: 1_583_150_400, offsetMinutes: 60)

  @Test func statusChangeIsOneCleanCommit() throws {
    let before = try repo.read("Recommendations/2019-deep-dive/DP-DDR-01.yml")
    let change = try recorder().setStatus(
      id: "DP-DDR-01", to: "in-progress", note: "Campaign launched in Llanelli",
      effective: CalendarDate("2020-03-02"), author: author)
    #expect(change.attempts == 1)
    let head = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(head == change.commit.hex)
    let fields = try repo.git("log", "-1", "--format=%an%n%ae%n%aI%n%cn").split(separator: "\n").map(
      String.init)
    #expect(fields == ["Jane Smith", "jane.smith@example.org", "2020-03-02T13:00:00+01:00", "Test Author"])
    let message = try repo.git("log", "-1", "--format=%B")
    #expect(
      message == """
        DP-DDR-01: open -> in-progress

        Campaign launched in Llanelli

        Recommendation: DP-DDR-01
        Status: open -> in-progress
        Effective: 2020-03-02


        """)
    let trailers = try repo.git("log", "-1", "--format=%(trailers:only,unfold)")
    #expect(trailers.contains("Status: open -> in-progress"))
    // Only the status line changed, in the committed file and in the working file alike.
    let diff = try repo.git("diff", "--unified=0", "HEAD~1", "HEAD")
    let changed = diff.split(separator: "\n").filter {
      ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
    }
    #expect(changed == ["-status: open", "+status: in-progress"])
    #expect(
      try repo.read("Recommendations/2019-deep-dive/DP-DDR-01.yml")
        == before.replacingOccurrences(of: "status: open", with: "status: in-progress"))
    #expect(try repo.git("status", "--porcelain") == "")
    #expect(try repo.git("fsck", "--no-progress", "--strict").isEmpty)
  }

  @Test func stagedWorkIsNeitherCommittedNorUnstaged() throws {
    try repo.write("notes.txt", "draft minutes\n")
    try repo.write(
      "Recommendations/DP-DDR-02.yml",
      sampleRecommendation(id: "DP-DDR-02", status: "in-progress", title: "Edited title"))
    try repo.git("add", "notes.txt", "Recommendations/DP-DDR-02.yml")
    _ = try recorder().setStatus(
      id: "DP-DDR-01", to: "in-progress", note: nil, effective: nil, author: author)
    #expect(
      try repo.git("show", "--name-only", "--format=", "HEAD")
        == "Recommendations/2019-deep-dive/DP-DDR-01.yml\n")
    #expect(try repo.git("diff", "--cached", "--name-only") == "Recommendations/DP-DDR-02.yml\nnotes.txt\n")
  }

  @Test func uncommittedEditsAreRefusedAndNothingMoves() throws {
    let head = try repo.git("rev-parse", "HEAD")
    let edited = sampleRecommendation(id: "DP-DDR-01", title: "Hand-edited title")
    try repo.write("Recommendations/2019-deep-dive/DP-DDR-01.yml", edited)
    #expect {
      try recorder().setStatus(id: "DP-DDR-01", to: "in-progress", note: nil, effective: nil, author: author)
    } throws: { error in
      guard case .uncommittedEdits(let path) = error as? TrackingError else { return false }
      return path == "Recommendations/2019-deep-dive/DP-DDR-01.yml"
    }
    #expect(try repo.git("rev-parse", "HEAD") == head)
    #expect(try repo.read("Recommendations/2019-deep-dive/DP-DDR-01.yml") == edited)
  }

  @Test func aRaceWithASecondWriterLosesNeitherChange() throws {
    let rec = try recorder()
    var fired = false
    rec.beforeBranchUpdate = {
      guard !fired else { return }
      fired = true
      // Another writer commits a change to a different field of the same file first.
      let other = sampleRecommendation(id: "DP-DDR-01", title: "Title changed by the other writer")
      try? repo.write("Recommendations/2019-deep-dive/DP-DDR-01.yml", other)
      _ = try? repo.commitAll("Other writer", date: "2021-02-01T10:00:00+00:00")
    }
    let change = try rec.setStatus(
      id: "DP-DDR-01", to: "complete", note: "Done", effective: nil, author: author)
    #expect(change.attempts == 2)
    let committed = try repo.git("show", "HEAD:Recommendations/2019-deep-dive/DP-DDR-01.yml")
    #expect(committed.contains("title: Title changed by the other writer"))
    #expect(committed.contains("status: complete"))
    #expect(
      try repo.git("log", "--format=%s").split(separator: "\n") == [
        "DP-DDR-01: open -> complete", "Other writer", "Add recommendations",
      ])
    #expect(try repo.git("status", "--porcelain") == "")
  }

  @Test func aWriterThatKeepsLosingGivesUpCleanly() throws {
    let rec = try recorder()
    rec.maxAttempts = 3
    var n = 0
    rec.beforeBranchUpdate = {
      n += 1
      try? repo.write("other-\(n).txt", "x\n")
      _ = try? repo.commitAll("Other writer \(n)")
    }
    #expect {
      try rec.setStatus(id: "DP-DDR-01", to: "complete", note: nil, effective: nil, author: author)
    } throws: { error in
      guard case .raceLost(3) = error as? TrackingError else { return false }
      return true
    }
    #expect(
      try repo.git("show", "HEAD:Recommendations/2019-deep-dive/DP-DDR-01.yml").contains("status: open"))
    #expect(try repo.git("fsck", "--no-progress", "--no-dangling").isEmpty)
  }

  @Test func forbiddenTransitionNamesTheAllowedOnes() throws {
    #expect {
      try recorder().setStatus(id: "DP-DDR-01", to: "closed", note: nil, effective: nil, author: author)
    } throws: { error in
      (error as? TrackingError)?.description
        == "DP-DDR-01 cannot move from open to closed: from open you can go to: in-progress, complete, not-accepted, superseded."
    }
  }

  @Test func finalStatusNeedsReopenWithANote() throws {
    let rec = try recorder()
    _ = try rec.setStatus(id: "DP-DDR-01", to: "complete", note: nil, effective: nil, author: author)
    _ = try rec.setStatus(id: "DP-DDR-01", to: "closed", note: "Verified", effective: nil, author: author)
    #expect(throws: TrackingError.self) {
      try rec.setStatus(
        id: "DP-DDR-01", to: "in-progress", note: "New evidence", effective: nil, author: author)
    }
    #expect(throws: TrackingError.self) {
      try rec.setStatus(
        id: "DP-DDR-01", to: "in-progress", note: nil, effective: nil, reopen: true, author: author)
    }
    let change = try rec.setStatus(
      id: "DP-DDR-01", to: "in-progress", note: "New evidence", effective: nil, reopen: true, author: author)
    #expect(change.message.trailer("Reopened") == "yes")
  }

  @Test func dueDateChangeNeedsAReasonAndRecordsBoth() throws {
    let rec = try recorder()
    #expect(throws: TrackingError.self) {
      try rec.update(
        id: "DP-DDR-02", changes: .init(due: CalendarDate("2021-03-31")), note: nil, effective: nil,
        author: author)
    }
    _ = try rec.update(
      id: "DP-DDR-02", changes: .init(due: CalendarDate("2021-03-31"), reason: "Delayed by the pandemic"),
      note: nil, effective: nil, author: author)
    let body = try repo.git("log", "-1", "--format=%B")
    #expect(body.hasPrefix("DP-DDR-02: due 2020-09-30 -> 2021-03-31\n"))
    #expect(body.contains("Due: 2020-09-30 -> 2021-03-31\nReason: Delayed by the pandemic\n"))
    // The trailing comment on the due line is kept.
    #expect(
      try repo.read("Recommendations/DP-DDR-02.yml").contains("due: 2021-03-31   # agreed with the force\n"))
  }

  @Test func newRecommendationFromTheTemplateIsValidYAML() throws {
    let rec = try recorder()
    let new = NewRecommendation(
      id: "NY-CL-01", title: "Phase 2: keep disrupting County Lines", source: "Panel report - January 2022",
      owner: "Chief Constable, North Yorkshire Police", raised: CalendarDate("2022-01-20")!,
      due: CalendarDate("2023-03-31"),
      priority: "high", tags: ["county-lines", "intelligence"],
      description:
        "Disrupt Lines into Harrogate, York and Scarborough.\nWork with exporting forces – “Blue Guardian”.",
      folder: "north-yorkshire")
    let change = try rec.create(new, note: "From the January panel report", author: author)
    #expect(change.path == "Recommendations/north-yorkshire/NY-CL-01.yml")
    let text = try repo.read(change.path)
    let doc = try RecommendationDocument(text: text, path: change.path)
    #expect(doc.validate(expectedID: "NY-CL-01", statuses: Workflow.standard.statuses).isEmpty)
    #expect(doc["title"] == .text("Phase 2: keep disrupting County Lines"))
    #expect(doc["status"] == .text("open"))
    // Yams reads the same mapping.
    let node = try #require(try Yams.compose(yaml: text))
    #expect(node["title"]?.string == "Phase 2: keep disrupting County Lines")
    #expect(
      node["description"]?.string
        == "Disrupt Lines into Harrogate, York and Scarborough.\nWork with exporting forces – “Blue Guardian”.\n"
    )
    #expect(node["tags"]?.sequence?.compactMap(\.string) == ["county-lines", "intelligence"])
    #expect(try repo.git("log", "-1", "--format=%(trailers:key=Status,valueonly)") == "none -> open\n\n")
    #expect(try repo.git("status", "--porcelain") == "")
    #expect(throws: TrackingError.self) { try rec.create(new, note: nil, author: author) }
  }

  @Test func bareRepositoriesAreReadable() throws {
    let bare = repo.scratch + "/bare.git"
    try TestRepository.gitCLI(["clone", "-q", "--bare", repo.path, bare], in: repo.scratch)
    let tracking = try TrackingRepository(at: bare)
    #expect(tracking.workdir == nil)
    #expect(try tracking.headCatalog().recommendations.map(\.id) == ["DP-DDR-01", "DP-DDR-02"])
  }

  @Test func unknownIDSuggestsTheClosest() throws {
    let catalog = try TrackingRepository(at: repo.path).headCatalog()
    #expect {
      try TrackingRepository.find("DP-DDR-1", in: catalog)
    } throws: { error in
      (error as? TrackingError)?.description
        == "there is no recommendation DP-DDR-1. Did you mean DP-DDR-01, DP-DDR-02?"
    }
  }

  @Test func initMakesAValidTrackingRepository() throws {
    let target = repo.scratch + "/new-office"
    let (tracking, created) = try TrackingRepository.initialise(
      at: target, organisation: "Office of the PCC", authorOption: "Jane Smith <jane@example.org>")
    #expect(
      created == [
        "rectrack.yml", "Templates/new-recommendation.yml.mustache", "Templates/summary.html.mustache",
        "Templates/summary.md.mustache", "Recommendations/README.md",
      ])
    #expect(tracking.settings.organisation == "Office of the PCC")
    #expect(tracking.workflow == Workflow.standard)
    #expect(try TestRepository.gitCLI(["status", "--porcelain"], in: target) == "")
    let again = try TrackingRepository.initialise(
      at: target, organisation: nil, authorOption: "Jane Smith <jane@example.org>")
    #expect(again.created.isEmpty)
  }
}

@Suite struct CommitMessageTests {
  /// Trailer keys match ignoring case (byte by byte for ASCII keys): the same answers as
  /// comparing lower-case copies, for ASCII and other keys.
  @Test func trailerKeysMatchAsLowerCaseCopiesDo() {
    let keys = [
      "Recommendation", "RECOMMENDATION", "recommendation", "Recommendation ", "Recommendatio",
      "Re-commendation",
      "Récommendation", "RÉCOMMENDATION", "İd", "id", "ID", "Straße", "STRASSE", "strasse", "", "K", "k", "[",
      "{",
      "@", "`",
    ]
    for stored in keys {
      let message = CommitMessage(summary: "s", trailers: [(stored, "value")])
      for asked in keys {
        let expected = stored.lowercased() == asked.lowercased() ? "value" : nil
        #expect(message.trailer(asked) == expected, "\(stored) / \(asked)")
      }
    }
  }

  @Test func roundTripsThroughText() {
    let m = CommitMessage(
      summary: "DP-DDR-01: open -> in-progress", body: "Campaign launched\n\nin two towns",
      trailers: [("Recommendation", "DP-DDR-01"), ("Status", "open -> in-progress")])
    let back = CommitMessage(parsing: m.text)
    #expect(back == m)
  }

  @Test func aMessageWithoutTrailersHasNone() {
    let m = CommitMessage(parsing: "Fix typo\n\nSee: the minutes of the meeting\nwere wrong")
    #expect(m.trailers.isEmpty)
    #expect(m.body == "See: the minutes of the meeting\nwere wrong")
  }
}

@Suite struct WorkflowSettingsTests {
  @Test func customWorkflowFromSettings() throws {
    let s = try Settings(
      yaml: """
        organisation: OPFCC North Yorkshire
        statuses: [proposed, agreed, done]
        terminal: [done]
        transitions:
          proposed: [agreed]
          agreed: [done]
        """)
    #expect(s.workflow.statuses == ["proposed", "agreed", "done"])
    #expect(s.workflow.initial == "proposed")
    #expect(s.workflow.isFinal("done"))
    #expect(throws: TrackingError.self) {
      try s.workflow.checkTransition(id: "X-1", from: "proposed", to: "done", reopen: false, hasNote: true)
    }
  }

  @Test func settingsErrorsNameTheFileAndLine() {
    #expect {
      try Settings(yaml: "statuses: [open, closed]\ninitial: pending\n")
    } throws: { error in
      (error as? TrackingError)?.description
        == "rectrack.yml: error: 'pending' is used in the workflow but is not in 'statuses' (open, closed)"
    }
    #expect {
      try Settings(yaml: "statuses: open\n")
    } throws: { error in
      (error as? TrackingError)?.description
        == "rectrack.yml:1: error: 'statuses' must be a list, e.g. statuses: [open, closed]"
    }
  }

  @Test func starterSettingsReadBackAsTheStandardWorkflow() throws {
    let s = try Settings(yaml: Settings.starterTextForTests(organisation: "X \"quoted\""))
    #expect(s.workflow == .standard)
    #expect(s.organisation == "X \"quoted\"")
  }

  @Test func gitAuthorDateForms() throws {
    let a = try Signature.now(environment: ["GIT_AUTHOR_DATE": "2021-03-31T23:30:00-02:00"])
    #expect(CalendarDate(secondsSinceEpoch: a.time, offsetMinutes: a.offset) == CalendarDate("2021-03-31"))
    #expect(a.offset == -120)
    let b = try Signature.now(environment: ["GIT_AUTHOR_DATE": "@1617233400 +0530"])
    #expect(b.time == 1_617_233_400 && b.offset == 330)
    #expect(throws: TrackingError.self) { try Signature.now(environment: ["GIT_AUTHOR_DATE": "yesterday"]) }
  }
}

@Suite struct TemplateTests {
  /// The built-in templates are compiled from the one copy in Sources/RecTrackCore/Templates/Defaults:
  /// every file there is built in, byte for byte, and nothing else is.
  @Test func builtInTemplatesAreTheDefaultsFolder() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/RecTrackCore/Templates/Defaults")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(
      Set(files) == Set(BuiltinTemplatesForTests.names), "list every file of Defaults/ in Package.swift")
    for name in files {
      let disk = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      #expect(disk == BuiltinTemplatesForTests.text(name), "\(name) differs from its built-in copy")
    }
  }

  /// What `rectrack init` commits into Templates/ is the built-in text, and reads back as it.
  @Test func initWritesTheBuiltInTemplates() throws {
    Libgit2.initialise()
    let scratch = try TestRepository()
    let target = scratch.scratch + "/office"
    _ = try TrackingRepository.initialise(at: target, organisation: nil, authorOption: "J <j@example.org>")
    for name in BuiltinTemplatesForTests.names {
      let committed = try TestRepository.gitCLI(["show", "HEAD:Templates/\(name)"], in: target)
      #expect(committed == BuiltinTemplatesForTests.text(name), "\(name)")
    }
  }
}

@Suite struct DueDateRuleTests {
  @Test func dueDateChangesAlwaysCarryAReason() throws {
    Libgit2.initialise()
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add")
    let rec = Recorder(repo: try TrackingRepository(at: repo.path))
    let author = Signature(
      name: "Jane Smith", email: "jane@example.org", time: 1_600_000_000, offsetMinutes: 0)
    #expect(throws: TrackingError.self) {
      try rec.update(
        id: "DP-DDR-01", changes: .init(set: [("due", .text("2022-01-01"))]), note: nil, effective: nil,
        author: author)
    }
    #expect(throws: TrackingError.self) {
      try rec.update(
        id: "DP-DDR-01", changes: .init(unset: ["due"]), note: nil, effective: nil, author: author)
    }
    _ = try rec.update(
      id: "DP-DDR-01", changes: .init(reason: "Ongoing commitment", unset: ["due"]), note: nil,
      effective: nil, author: author)
    let body = try repo.git("log", "-1", "--format=%B")
    #expect(body.hasPrefix("DP-DDR-01: due removed\n"))
    #expect(body.contains("Due: 2020-09-30 -> none\nReason: Ongoing commitment\n"))
    #expect(!(try repo.read("Recommendations/DP-DDR-01.yml")).contains("due:"))
  }
}

@Suite struct StaleLockTests {
  @Test func aStaleBranchLockIsNamedNotRetriedForever() throws {
    Libgit2.initialise()
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add")
    let lock = repo.path + "/.git/refs/heads/main.lock"
    _ = FileManager.default.createFile(atPath: lock, contents: Data())
    let rec = Recorder(repo: try TrackingRepository(at: repo.path))
    let author = Signature(name: "A", email: "a@example.org", time: 1_600_000_000, offsetMinutes: 0)
    #expect {
      try rec.setStatus(id: "DP-DDR-01", to: "in-progress", note: nil, effective: nil, author: author)
    } throws: { error in
      (error as? TrackingError)?.description.hasPrefix("refs/heads/main is locked by ") == true
    }
    #expect(try repo.git("status", "--porcelain") == "")
    try FileManager.default.removeItem(atPath: lock)
    _ = try rec.setStatus(id: "DP-DDR-01", to: "in-progress", note: nil, effective: nil, author: author)
  }
}

@Suite struct InterruptedChangeTests {
  /// A run killed after moving the branch and before writing the file leaves the working file
  /// (and its index entry) one version behind HEAD: the next change brings it up to date instead
  /// of refusing, and a real edit is still refused.
  @Test func aFileLeftBehindByAnInterruptedRunIsBroughtUpToDate() throws {
    Libgit2.initialise()
    let repo = try TestRepository()
    let path = "Recommendations/DP-DDR-01.yml"
    try repo.write(path, sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add")
    try repo.write(path, sampleRecommendation(id: "DP-DDR-01", status: "in-progress"))
    try repo.commitAll("DP-DDR-01: open -> in-progress")
    try repo.git("checkout", "HEAD~1", "--", path)  // file and index one change behind
    let rec = Recorder(repo: try TrackingRepository(at: repo.path))
    let author = Signature(name: "A", email: "a@example.org", time: 1_600_000_000, offsetMinutes: 0)
    _ = try rec.setStatus(id: "DP-DDR-01", to: "complete", note: nil, effective: nil, author: author)
    #expect(try repo.git("status", "--porcelain") == "")
    #expect(
      try repo.git("log", "-1", "--format=%(trailers:key=Status,valueonly)") == "in-progress -> complete\n\n")

    try repo.write(path, sampleRecommendation(id: "DP-DDR-01", status: "complete", title: "A real edit"))
    #expect(throws: TrackingError.self) {
      try rec.setStatus(id: "DP-DDR-01", to: "closed", note: nil, effective: nil, author: author)
    }
  }
}
