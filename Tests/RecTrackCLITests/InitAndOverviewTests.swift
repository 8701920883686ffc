import Foundation
import RecTrackTestSupport
import Testing

/// A failed `init` leaves nothing behind; `rectrack` alone shows where things stand.
@Suite struct InitAndOverviewTests {
  let scratch: TestRepository

  init() throws { scratch = try TestRepository() }

  /// No git identity anywhere: HOME and the global config point at an empty folder.
  var noIdentity: [String: String] {
    let home = scratch.scratch + "/empty-home"
    try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    return ["HOME": home, "GIT_CONFIG_GLOBAL": home + "/.gitconfig", "XDG_CONFIG_HOME": home]
  }

  @Test func failedInitLeavesNothingBehind() throws {
    let fm = FileManager.default
    let fresh = scratch.scratch + "/new/deep/tracker"
    let r = try CLI.run(["init", fresh], in: scratch.scratch, environment: noIdentity)
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("error: no author:"), "\(r.stderr)")
    #expect(!fm.fileExists(atPath: scratch.scratch + "/new"), "init left folders behind")

    let existing = scratch.scratch + "/existing"
    try fm.createDirectory(atPath: existing, withIntermediateDirectories: true)
    try "keep me\n".write(toFile: existing + "/notes.txt", atomically: true, encoding: .utf8)
    let again = try CLI.run(["init"], in: existing, environment: noIdentity)
    #expect(again.status == 2)
    #expect(try fm.contentsOfDirectory(atPath: existing) == ["notes.txt"], "an empty .git was left behind")

    let ok = try CLI.run(
      ["init", "--author", "Jane Smith <jane@example.org>"], in: existing, environment: noIdentity)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(fm.fileExists(atPath: existing + "/.git"))
  }

  /// What init and meeting add say fits an 80-column terminal, with the paths and the roles whole.
  @Test func initAndMeetingAddFitEightyColumns() throws {
    let at = scratch.scratch + "/tracker"
    let narrow = ["COLUMNS": "80"]
    let made = try CLI.run(["init", at, "--organisation", "OPCC"], in: scratch.scratch, environment: narrow)
    #expect(made.status == 0, "\(made.stderr)")
    func on(_ day: String) -> [String: String] {
      ["GIT_AUTHOR_DATE": day + "T10:00:00+00:00", "GIT_COMMITTER_DATE": day + "T10:00:00+00:00"]
    }
    let added = try CLI.run(
      ["new", "--id", "A-1", "--title", "A", "--source", "S", "--owner", "Chief Constable"], in: at,
      environment: on("2024-02-01"))
    #expect(added.status == 0, "\(added.stderr)")
    let meeting = try CLI.run(
      ["meeting", "add", "--title", "Police, Fire and Crime Panel for Dyfed-Powys", "2024-02-06"], in: at,
      environment: narrow.merging(on("2024-02-06")) { $1 })
    // Every line but the first, which names the folder (a path is never broken).
    for line in (made.stdout + meeting.stdout).split(separator: "\n").dropFirst() {
      #expect(line.count <= 80, "too wide: \(line)")
    }
    #expect(made.stdout.contains("Templates/summary.md.mustache"))
    #expect(made.stdout.contains("Roles: the force's addresses are not filled in"))
    #expect(meeting.stdout.contains("meeting/2024-02-06"), "\(meeting.stdout) \(meeting.stderr)")
  }

  @Test func noArgumentsShowsWhereThingsStandInsideARepository() throws {
    let repo = scratch
    try repo.write("rectrack.yml", "organisation: \"Office of the PCC for Dyfed-Powys\"\n")
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write("Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", due: "2099-01-01"))
    try repo.commitAll("Add recommendations", date: "2021-01-10T10:00:00+00:00")
    let meeting = try CLI.run(["meeting", "add", "2021-01-20", "--title", "Panel"], in: repo.path)
    #expect(meeting.status == 0, "\(meeting.stderr)")
    let change = try CLI.run(
      ["status", "DP-DDR-02", "complete", "--note", "Done"], in: repo.path,
      environment: ["GIT_AUTHOR_DATE": "2021-02-01T10:00:00+00:00"])
    #expect(change.status == 0, "\(change.stderr)")

    let r = try CLI.run([], in: repo.path, environment: ["COLUMNS": "100"])
    #expect(r.status == 0)
    #expect(
      r.stdout.hasPrefix("Office of the PCC for Dyfed-Powys: 2 recommendations.\n  1 open, 1 complete\n"),
      "\(r.stdout)")
    #expect(r.stdout.contains("1 overdue: DP-DDR-01."))
    #expect(
      r.stdout.contains(
        "Since the meeting on 20 Jan 2021 (Panel): 1 change to 1 recommendation (1 moved to complete)."),
      "\(r.stdout)")
    for c in ["rectrack list", "rectrack status ID STATUS", "rectrack progress"] {
      #expect(r.stdout.contains(c))
    }
    let narrow = try CLI.run([], in: repo.path, environment: ["COLUMNS": "60"])
    for line in narrow.stdout.split(separator: "\n") { #expect(line.count <= 60, "\(line)") }

    let outside = try CLI.run([], in: scratch.scratch, environment: ["COLUMNS": "80"])
    #expect(outside.status == 0)
    #expect(outside.stdout.hasPrefix("OVERVIEW: Track a commissioner's recommendations"))
    #expect(outside.stdout.contains("USAGE: rectrack <subcommand>"))
  }
}
