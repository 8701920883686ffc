import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack sync` end to end: two clones of a bare server, output and exit codes.
@Suite struct SyncCommandTests {
  @Test func syncThenConflictExitsOneAndChangesNothing() throws {
    let server = try TestRepository(bare: true)
    let a = server.scratch + "/a"
    let b = server.scratch + "/b"
    try TestRepository.gitCLI(["clone", "-q", server.path, a], in: server.scratch)
    try sampleRecommendation(id: "DP-01").write(toFile: a + "/DP-01.yml", atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: a + "/Recommendations", withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: a + "/DP-01.yml", toPath: a + "/Recommendations/DP-01.yml")
    for dir in [a] {
      try TestRepository.gitCLI(["add", "-A"], in: dir)
      try TestRepository.gitCLI(
        ["-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "Add"], in: dir)
    }
    let first = try CLI.run(["sync"], in: a)
    #expect(first.status == 0)
    #expect(first.stdout.hasPrefix("Synced with origin/main: sent 1 change; now at "))
    try TestRepository.gitCLI(["clone", "-q", server.path, b], in: server.scratch)
    let who = ["--author", "Staff <staff@example.org>"]
    #expect(try CLI.run(["status", "DP-01", "complete"] + who, in: a).status == 0)
    #expect(try CLI.run(["sync"], in: a).status == 0)
    #expect(try CLI.run(["status", "DP-01", "in-progress"] + who, in: b).status == 0)
    let head = try TestRepository.gitCLI(["rev-parse", "HEAD"], in: b)
    let r = try CLI.run(["sync"], in: b)
    #expect(r.status == 1)
    #expect(r.stdout == "")
    #expect(
      r.stderr.hasPrefix(
        "error: sync stopped: the same thing was changed here and on origin/main, differently.\n\nRecommendations/DP-01.yml, field 'status':\n  here:      in-progress\n"
      ))
    #expect(r.stderr.contains("  origin:    complete\n"))
    #expect(try TestRepository.gitCLI(["rev-parse", "HEAD"], in: b) == head)
    let settled = try CLI.run(["sync", "--keep", "local"], in: b)
    #expect(settled.status == 0)
    #expect(settled.stdout.contains("received 1 change, sent 1 change"))
    #expect(try CLI.run(["sync"], in: b).stdout.hasPrefix("Already in step with origin/main"))
  }
}

/// Meetings and audit seals are tags; `sync` shares them both ways and never overwrites one.
@Suite struct SyncTagsCommandTests {
  static let who = ["--author", "Staff <staff@example.org>"]

  /// A clone of `server` (in its folder `a`) made a tracking repository and synced to it.
  static func firstClone(of server: TestRepository) throws -> String {
    let a = server.scratch + "/a"
    try TestRepository.gitCLI(["clone", "-q", server.path, a], in: server.scratch)
    let made = try CLI.run(
      ["init", "."] + who, in: a, environment: ["GIT_AUTHOR_DATE": "2022-01-10T10:00:00+00:00"])
    #expect(made.status == 0, "\(made.stderr)")
    #expect(try CLI.run(["sync"], in: a).status == 0)
    return a
  }

  @Test func meetingsAndSealsReachTheOtherClone() throws {
    let server = try TestRepository(bare: true)
    let a = try Self.firstClone(of: server)
    let b = server.scratch + "/b"
    let who = Self.who
    try TestRepository.gitCLI(["clone", "-q", server.path, b], in: server.scratch)

    // The commits are recorded now (the real committer date): the paper is built from HEAD.
    let meeting = try CLI.run(
      ["meeting", "add", "2022-01-20", "--title", "Panel", "--at", "HEAD"] + who, in: a)
    #expect(meeting.status == 0, "\(meeting.stderr)")
    let sent = try CLI.run(["sync"], in: a)
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(sent.stdout.contains("Sent tags: meeting/2022-01-20.\n"))

    let seal = try CLI.run(["audit", "--seal"], in: b)
    #expect(seal.status == 0, "\(seal.stderr)")
    let both = try CLI.run(["sync"], in: b)
    #expect(both.status == 0, "\(both.stderr)")
    #expect(both.stdout.contains("Received tags: meeting/2022-01-20.\n"))
    #expect(both.stdout.contains("Sent tags: audit/"))
    let tagsA = try TestRepository.gitCLI(["ls-remote", "--tags", server.path], in: server.scratch)
    #expect(tagsA.contains("refs/tags/meeting/2022-01-20"))
    #expect(tagsA.contains("refs/tags/audit/"))
    let listB = try CLI.run(["meeting", "list", "--format", "json"], in: b)
    #expect(listB.stdout.contains("2022-01-20"))

    // The same meeting recorded differently in another clone is reported, not overwritten.
    let c = server.scratch + "/c"
    try TestRepository.gitCLI(["clone", "-q", "--no-tags", server.path, c], in: server.scratch)
    #expect(
      try CLI.run(["meeting", "add", "2022-01-20", "--title", "Another title", "--at", "HEAD"] + who, in: c)
        .status == 0)
    let clash = try CLI.run(["sync"], in: c)
    #expect(clash.status == 0)
    #expect(clash.stderr.contains("warning: meeting/2022-01-20 differ between this clone and origin"))
    let serverTag = try TestRepository.gitCLI(
      ["cat-file", "-p", "refs/tags/meeting/2022-01-20"], in: server.path)
    #expect(serverTag.contains("Panel"))
  }

  /// A tag push the server cannot take (here a tag `meeting` on the server blocks the folder
  /// `refs/tags/meeting/`) is reported as a failed push with the reason: it is not a conflict,
  /// so nobody is told to delete a tag that is fine.
  @Test func aFailedTagPushSaysWhyAndIsNoConflict() throws {
    let server = try TestRepository(bare: true)
    let a = try Self.firstClone(of: server)
    let who = Self.who
    try TestRepository.gitCLI(["tag", "meeting", "main"], in: server.path)
    let tagged = try CLI.run(
      ["meeting", "add", "2022-01-20", "--title", "Panel", "--at", "HEAD"] + who, in: a)
    #expect(tagged.status == 0, "\(tagged.stderr)")
    let r = try CLI.run(["sync"], in: a)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stderr.contains("differ between"), "\(r.stderr)")
    #expect(!r.stdout.contains("Sent tags"), "\(r.stdout)")
    #expect(
      r.stderr.contains("refused meeting/2022-01-20 (") || r.stderr.contains("could not be shared ("),
      "\(r.stderr)")
    #expect(r.stderr.contains("refs/tags/meeting"), "the reason names what blocked it: \(r.stderr)")
    let onServer = try TestRepository.gitCLI(["tag", "--list"], in: server.path)
    #expect(onServer == "meeting\n")
  }
}
