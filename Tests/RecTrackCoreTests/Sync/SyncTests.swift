import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Two offices' clones of one bare "server" repository, made with the git CLI.
final class SyncWorld {
  let server: TestRepository
  let a: String
  let b: String

  init() throws {
    Libgit2.initialise()
    server = try TestRepository(bare: true)
    a = server.scratch + "/office-a"
    b = server.scratch + "/office-b"
    try TestRepository.gitCLI(["clone", "-q", server.path, a], in: server.scratch)
    try Self.configure(a, name: "Alice Office")
    try write(a, "Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try write(a, "Recommendations/DP-02.yml", sampleRecommendation(id: "DP-02", status: "in-progress"))
    try git(a, "add", "-A")
    try git(
      a, "commit", "-q", "-m", "Add recommendations",
      env: [
        "GIT_AUTHOR_DATE": "2021-01-15T12:00:00+00:00", "GIT_COMMITTER_DATE": "2021-01-15T12:00:00+00:00",
      ])
    try git(a, "push", "-q", "origin", "main")
    try TestRepository.gitCLI(["clone", "-q", server.path, b], in: server.scratch)
    try Self.configure(b, name: "Bob Force")
  }

  static func configure(_ dir: String, name: String) throws {
    try TestRepository.gitCLI(["config", "user.name", name], in: dir)
    try TestRepository.gitCLI(
      ["config", "user.email", "\(name.split(separator: " ")[0].lowercased())@example.org"], in: dir)
    try TestRepository.gitCLI(["config", "core.autocrlf", "false"], in: dir)
  }

  func write(_ dir: String, _ rel: String, _ text: String) throws {
    let url = URL(fileURLWithPath: dir + "/" + rel)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func read(_ dir: String, _ rel: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + rel)), as: UTF8.self)
  }

  @discardableResult
  func git(_ dir: String, _ args: String..., env: [String: String] = [:]) throws -> String {
    try TestRepository.gitCLI(args, in: dir, environment: env)
  }

  func recorder(_ dir: String) throws -> Recorder { Recorder(repo: try TrackingRepository(at: dir)) }

  func sync(_ dir: String, prefer: SyncPreference? = nil) throws -> SyncResult {
    try Synchroniser(repo: try TrackingRepository(at: dir)).sync(SyncOptions(prefer: prefer))
  }

  func author(_ name: String, day: Int) -> Signature {
    Signature(
      name: name, email: "\(name.lowercased())@example.org", time: 1_614_600_000 + Int64(day) * 86_400,
      offsetMinutes: 60)
  }

  func head(_ dir: String) throws -> String {
    try git(dir, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
  }
  func serverTip() throws -> String {
    try server.git("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

@Suite struct SyncTests {
  let w: SyncWorld
  init() throws { w = try SyncWorld() }

  @Test func differentRecommendationsMergeWithNothingLost() throws {
    let ca = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "in-progress", note: "Started in Llanelli", effective: CalendarDate("2021-02-20"),
      author: w.author("Alice", day: 1))
    let cb = try w.recorder(w.b).update(
      id: "DP-02", changes: .init(progress: "Half done"), note: nil, effective: nil,
      author: w.author("Bob", day: 2))
    let first = try w.sync(w.a)
    #expect(first.sent == 1 && first.received == 0)
    let second = try w.sync(w.b)
    #expect(second.sent == 1 && second.received == 1)
    #expect(try w.serverTip() == w.head(w.b))
    // Linear: no merge commits, three commits in order.
    let log = try w.server.git("log", "--format=%P|%an|%aI|%s", "main").split(separator: "\n")
    #expect(log.count == 3)
    #expect(try w.server.git("log", "--merges", "--format=%H", "main") == "")
    #expect(log[0].hasSuffix("|Bob|2021-03-03T13:00:00+01:00|DP-02: progress updated"))
    #expect(log[1].hasSuffix("|Alice|2021-03-02T13:00:00+01:00|DP-01: open -> in-progress"))
    // Bob's replayed commit keeps its message byte for byte (trailers included).
    let replayed = try w.server.git("log", "-1", "--format=%B", "main")
    #expect(replayed == cb.message.text + "\n")
    #expect(try w.server.git("log", "-1", "--format=%B", "main~1") == ca.message.text + "\n")
    // Bob's working tree has Alice's change, and is clean.
    #expect(try w.read(w.b, "Recommendations/DP-01.yml").contains("status: in-progress"))
    #expect(try w.git(w.b, "status", "--porcelain") == "")
    // Alice gets Bob's change by fast-forward.
    let third = try w.sync(w.a)
    #expect(third.received == 1 && third.sent == 0)
    #expect(try w.head(w.a) == w.serverTip())
    #expect(try w.read(w.a, "Recommendations/DP-02.yml").contains("Half done"))
    #expect(try w.git(w.a, "status", "--porcelain") == "")
    #expect(try w.server.git("fsck", "--no-progress", "--strict").isEmpty)
    #expect(try w.sync(w.a).upToDate)
  }

  @Test func differentFieldsOfOneRecommendationAreCombined() throws {
    _ = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "in-progress", note: nil, effective: nil, author: w.author("Alice", day: 1))
    _ = try w.recorder(w.a).update(
      id: "DP-01", changes: .init(set: [(key: "lead", value: .text("Head of Intelligence"))]), note: nil,
      effective: nil,
      author: w.author("Alice", day: 2))
    _ = try w.recorder(w.b).update(
      id: "DP-01",
      changes: .init(progress: "Campaign planned", due: CalendarDate("2021-12-31"), reason: "Pandemic"),
      note: nil, effective: nil, author: w.author("Bob", day: 3))
    _ = try w.sync(w.a)
    let r = try w.sync(w.b)
    #expect(r.combined == ["Recommendations/DP-01.yml"])
    #expect(r.sent == 1 && r.received == 2)
    let merged = try w.server.git("show", "main:Recommendations/DP-01.yml")
    #expect(merged.contains("status: in-progress\n"))
    #expect(merged.contains("lead: Head of Intelligence\n"))
    #expect(merged.contains("due: 2021-12-31   # agreed with the force\n"))
    #expect(merged.contains("progress: |\n  Campaign planned\n"))
    #expect(merged.hasPrefix("# Deep Dive Scrutiny Review: illegal drugs\n"))
    // Each replayed commit changes only what it changed in its own clone.
    let diff = try w.server.git("diff", "--unified=0", "main~1", "main", "--", "Recommendations/DP-01.yml")
    let changed = diff.split(separator: "\n").filter {
      ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
    }
    #expect(
      changed == [
        "-due: 2020-09-30   # agreed with the force", "+due: 2021-12-31   # agreed with the force",
        "+progress: |", "+  Campaign planned",
      ])
    #expect(try w.read(w.b, "Recommendations/DP-01.yml") == merged)
    #expect(try w.git(w.b, "status", "--porcelain") == "")
    _ = try w.sync(w.a)
    #expect(try w.read(w.a, "Recommendations/DP-01.yml") == merged)
  }

  @Test func sameFieldStopsAndChangesNothing() throws {
    _ = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "complete", note: nil, effective: nil, author: w.author("Alice", day: 1))
    _ = try w.sync(w.a)
    _ = try w.recorder(w.b).update(
      id: "DP-02", changes: .init(progress: "Unrelated"), note: nil, effective: nil,
      author: w.author("Bob", day: 2))
    _ = try w.recorder(w.b).setStatus(
      id: "DP-01", to: "not-accepted", note: nil, effective: nil, author: w.author("Bob", day: 3))
    let bHead = try w.head(w.b)
    let bFile = try w.read(w.b, "Recommendations/DP-01.yml")
    let server = try w.serverTip()
    let bRefs = try w.git(w.b, "for-each-ref")
    #expect {
      try w.sync(w.b)
    } throws: { error in
      guard case .syncConflict(let report) = error as? TrackingError else { return false }
      let text = report.description
      return report.conflicts.count == 1 && report.conflicts[0].key == "status"
        && report.conflicts[0].local == "not-accepted" && report.conflicts[0].remote == "complete"
        && report.conflicts[0].base == "open"
        && text.contains("Recommendations/DP-01.yml, field 'status':")
        && text.contains("rectrack sync --keep local") && text.contains("Nothing was changed")
    }
    #expect(try w.head(w.b) == bHead)
    #expect(try w.read(w.b, "Recommendations/DP-01.yml") == bFile)
    #expect(try w.git(w.b, "status", "--porcelain") == "")
    #expect(try w.serverTip() == server)
    // Only the fetched tracking ref moved (that is what fetch is for); the local branch did not.
    #expect(
      try w.git(w.b, "rev-parse", "refs/heads/main").trimmingCharacters(in: .whitespacesAndNewlines) == bHead)
    #expect(bRefs.contains("refs/heads/main"))

    // Settling it: keep the server's value. Both of Bob's commits are kept.
    let r = try w.sync(w.b, prefer: .remote)
    #expect(r.sent == 2)
    #expect(try w.server.git("show", "main:Recommendations/DP-01.yml").contains("status: complete\n"))
    #expect(try w.server.git("show", "main:Recommendations/DP-02.yml").contains("Unrelated"))
    #expect(try w.server.git("rev-list", "--count", "main") == "4\n")
  }

  @Test func keepLocalRecordsOursOnTop() throws {
    _ = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "complete", note: nil, effective: nil, author: w.author("Alice", day: 1))
    _ = try w.sync(w.a)
    _ = try w.recorder(w.b).setStatus(
      id: "DP-01", to: "not-accepted", note: nil, effective: nil, author: w.author("Bob", day: 3))
    _ = try w.sync(w.b, prefer: .local)
    #expect(try w.server.git("show", "main:Recommendations/DP-01.yml").contains("status: not-accepted\n"))
    #expect(try w.server.git("show", "main~1:Recommendations/DP-01.yml").contains("status: complete\n"))
  }

  @Test func pushRaceIsRetriedAndNothingIsForced() throws {
    _ = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "in-progress", note: nil, effective: nil, author: w.author("Alice", day: 1))
    _ = try w.recorder(w.b).setStatus(
      id: "DP-02", to: "complete", note: nil, effective: nil, author: w.author("Bob", day: 2))
    let s = Synchroniser(repo: try TrackingRepository(at: w.b))
    var once = true
    s.beforePush = { [w] in
      // Alice pushes between Bob's fetch and Bob's push.
      if once {
        once = false
        _ = try? w.sync(w.a)
      }
    }
    let r = try s.sync(SyncOptions())
    #expect(r.sent == 1)
    let subjects = try w.server.git("log", "--format=%s", "main")
    #expect(subjects == "DP-02: in-progress -> complete\nDP-01: open -> in-progress\nAdd recommendations\n")
    #expect(try w.git(w.b, "status", "--porcelain") == "")
  }

  @Test func editsInTheWorkingTreeAreNeverOverwritten() throws {
    _ = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "in-progress", note: nil, effective: nil, author: w.author("Alice", day: 1))
    _ = try w.sync(w.a)
    let edited = sampleRecommendation(id: "DP-01", title: "Bob's draft title")
    try w.write(w.b, "Recommendations/DP-01.yml", edited)
    let before = try w.head(w.b)
    #expect {
      try w.sync(w.b)
    } throws: { error in
      guard case .uncommittedEdits(let path) = error as? TrackingError else { return false }
      return path == "Recommendations/DP-01.yml"
    }
    #expect(try w.head(w.b) == before)
    #expect(try w.read(w.b, "Recommendations/DP-01.yml") == edited)
  }

  @Test func aMissingRemoteIsExplained() throws {
    #expect {
      try Synchroniser(repo: try TrackingRepository(at: w.a)).sync(SyncOptions(remote: "central"))
    } throws: { error in
      (error as? TrackingError)?.description
        == "there is no remote named 'central'. Add the shared repository once with: git remote add central URL"
    }
  }

  @Test func anUnreachableServerChangesNothing() throws {
    _ = try w.recorder(w.a).setStatus(
      id: "DP-01", to: "in-progress", note: nil, effective: nil, author: w.author("Alice", day: 1))
    try w.git(w.a, "remote", "set-url", "origin", w.server.scratch + "/nowhere.git")
    let before = try w.head(w.a)
    #expect {
      try w.sync(w.a)
    } throws: { error in
      guard case .sync(let m) = error as? TrackingError else { return false }
      return m.hasPrefix("could not fetch from origin: ")
        && m.hasSuffix("Nothing was changed; your changes are safe in this clone.")
    }
    #expect(try w.head(w.a) == before)
  }

  @Test func fieldMergeTableOfCases() throws {
    // A recommendation both sides changed in many fields at once, in one commit each.
    _ = try w.recorder(w.a).update(
      id: "DP-02",
      changes: .init(
        set: [(key: "priority", value: .text("high")), (key: "tags", value: .list(["a", "b"]))], unset: []),
      note: nil, effective: nil, author: w.author("Alice", day: 1))
    _ = try w.sync(w.a)
    _ = try w.recorder(w.b).update(
      id: "DP-02",
      changes: .init(
        progress: "x", reason: "No fixed date any more",
        set: [(key: "tags", value: .list(["a", "b"])), (key: "review-date", value: .text("2021-05-01"))],
        unset: ["due"]),
      note: nil, effective: nil, author: w.author("Bob", day: 2))
    let r = try w.sync(w.b)
    #expect(r.combined == ["Recommendations/DP-02.yml"])
    let text = try w.server.git("show", "main:Recommendations/DP-02.yml")
    #expect(
      text.contains("priority: high\n") && text.contains("tags: [a, b]\n")
        && text.contains("review-date: 2021-05-01\n"))
    #expect(!text.contains("due:"))
  }
}
