import Foundation
import RecTrackTestSupport
import Testing

/// `rectrack sync` end to end: two clones of a bare server, output and exit codes.
@Suite struct SyncCommandTests {
  @Test func syncThenConflictExitsOneAndChangesNothing() throws {
    let server = try TempRepository(bare: true)
    let a = server.scratch + "/a"
    let b = server.scratch + "/b"
    try TempRepository.gitCLI(["clone", "-q", server.path, a], in: server.scratch)
    try sampleRecommendation(id: "DP-01").write(toFile: a + "/DP-01.yml", atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: a + "/Recommendations", withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: a + "/DP-01.yml", toPath: a + "/Recommendations/DP-01.yml")
    for dir in [a] {
      try TempRepository.gitCLI(["add", "-A"], in: dir)
      try TempRepository.gitCLI(["-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "Add"], in: dir)
    }
    let first = try CLI.run(["sync"], in: a)
    #expect(first.status == 0)
    #expect(first.stdout.hasPrefix("Synced with origin/main: sent 1 change; now at "))
    try TempRepository.gitCLI(["clone", "-q", server.path, b], in: server.scratch)
    let who = ["--author", "Staff <staff@example.org>"]
    #expect(try CLI.run(["status", "DP-01", "complete"] + who, in: a).status == 0)
    #expect(try CLI.run(["sync"], in: a).status == 0)
    #expect(try CLI.run(["status", "DP-01", "in-progress"] + who, in: b).status == 0)
    let head = try TempRepository.gitCLI(["rev-parse", "HEAD"], in: b)
    let r = try CLI.run(["sync"], in: b)
    #expect(r.status == 1)
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("error: sync stopped: the same thing was changed here and on origin/main, differently.\n\nRecommendations/DP-01.yml, field 'status':\n  here:      in-progress\n"))
    #expect(r.stderr.contains("  origin:    complete\n"))
    #expect(try TempRepository.gitCLI(["rev-parse", "HEAD"], in: b) == head)
    let settled = try CLI.run(["sync", "--keep", "local"], in: b)
    #expect(settled.status == 0)
    #expect(settled.stdout.contains("received 1 change, sent 1 change"))
    #expect(try CLI.run(["sync"], in: b).stdout.hasPrefix("Already in step with origin/main"))
  }
}
