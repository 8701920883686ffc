import Foundation
import RecTrackTestSupport
import Testing

/// Who may do what, end to end with the binary and three people: the commissioner's office,
/// the force, and a panel member (everyone else). Every recording command is run both ways; a
/// refusal must be exit 2 with one message naming the rule, and must leave the repository,
/// the index and the working tree byte for byte as they were.
@Suite struct WhoMayDoWhatTests {
  static let office = "Olwen Evans <olwen.evans@opcc.example.org>"
  static let force = "Insp. Gareth Price <gareth.price@police.example.org>"
  static let panel = "Pat Jones <pat.jones@panel.example.org>"

  let repo: TestRepository
  private final class Day { var value = 0 }
  private let day = Day()

  init() throws {
    repo = try TestRepository()
    let r = try CLI.run(
      [
        "init", repo.path, "--organisation", "OPCC", "--office-domain", "opcc.example.org", "--force-domain",
        "police.example.org", "--author", Self.office,
      ], in: repo.scratch,
      environment: [
        "GIT_AUTHOR_DATE": "2024-05-01T09:00:00+01:00", "GIT_COMMITTER_DATE": "2024-05-01T09:00:00+01:00",
      ])
    #expect(r.status == 0, "\(r.stderr)")
  }

  /// Runs rectrack dated one day after the last run (May 2024).
  @discardableResult
  func rectrack(_ args: String..., env: [String: String] = [:]) throws -> ProcessResult {
    day.value += 1
    let date = String(format: "2024-05-%02dT10:00:00+01:00", day.value + 1)
    return try CLI.run(
      args, in: repo.path,
      environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date].merging(env) { $1 })
  }

  /// Every file of the repository folder, `.git` included, by path: refs, objects, index, working tree.
  func snapshot() throws -> [String: Data] {
    var out: [String: Data] = [:]
    let root = URL(fileURLWithPath: repo.path)
    let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = walker?.nextObject() as? URL {
      guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
      out[String(url.path.dropFirst(root.path.count))] = try Data(contentsOf: url)
    }
    return out
  }

  /// Runs a command that must be refused by `rule` and checks that nothing at all changed.
  func expectRefused(
    _ rule: String, _ args: String..., env: [String: String] = [:], saying text: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try expectRefused(rule, arguments: args, env: env, saying: text, sourceLocation: sourceLocation)
  }

  func expectRefused(
    _ rule: String, arguments args: [String], env: [String: String] = [:], saying text: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let before = try snapshot()
    day.value += 1
    let date = String(format: "2024-05-%02dT10:00:00+01:00", day.value + 1)
    let r = try CLI.run(
      args, in: repo.path,
      environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date].merging(env) { $1 })
    #expect(r.status == 2, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stdout == "", sourceLocation: sourceLocation)
    #expect(
      r.stderr.contains("error: refused by the rule \(rule): "), "\(r.stderr)", sourceLocation: sourceLocation
    )
    #expect(r.stderr.hasSuffix("Nothing was recorded.\n"), "\(r.stderr)", sourceLocation: sourceLocation)
    if let text { #expect(r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation) }
    let after = try snapshot()
    let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    #expect(changed.isEmpty, "\(args) changed \(changed)", sourceLocation: sourceLocation)
  }

  func expectOK(_ r: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
  }

  func newRecommendation(_ id: String, by author: String) throws -> ProcessResult {
    try rectrack(
      "new", "--id", id, "--title", "Run campaigns", "--source", "Deep dive", "--owner", "Chief Constable",
      "--raised", "2024-04-01", "--due", "2024-12-31", "--author", author)
  }

  @Test func initWritesTheRolesAndSaysWhoTheyName() throws {
    let settings = try repo.read("rectrack.yml")
    #expect(settings.contains("  commissioner:"))
    #expect(settings.contains("    people: [\"*@opcc.example.org\"]"))
    #expect(settings.contains("    people: [\"*@police.example.org\"]"))
    #expect(settings.contains("    may-set: [open, in-progress, complete, not-accepted]"))
    #expect(settings.contains("  anyone:") && settings.contains("    people: [\"*\"]"))

    let other = try TestRepository()
    let r = try CLI.run(["init", other.path, "--author", Self.office], in: other.scratch)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains(
        "Roles: the commissioner's office is *@opcc.example.org (taken from the author's email; --office-domain sets it).\n"
      ))
    #expect(r.stdout.contains("Roles: the force's addresses are not filled in"))
    let text = try other.read("rectrack.yml")
    #expect(text.contains("    people: []   # fill in the force's addresses"))
    let bad = try CLI.run(
      ["init", other.scratch + "/x", "--office-domain", "not a domain"], in: other.scratch)
    #expect(bad.status == 2)
  }

  @Test func statusNewUpdateEditFollowTheRoles() throws {
    expectOK(try newRecommendation("DP-DDR-01", by: Self.office))
    expectOK(try newRecommendation("DP-DDR-02", by: Self.force))
    try expectRefused(
      "person-not-allowed", "new", "--id", "DP-DDR-03", "--title", "T", "--source", "S", "--owner", "O",
      "--author", Self.panel, saying: "Pat Jones <pat.jones@panel.example.org> (role anyone) may not")

    expectOK(try rectrack("status", "DP-DDR-01", "in-progress", "--note", "Started", "--author", Self.force))
    try expectRefused(
      "person-not-allowed", "status", "DP-DDR-01", "complete", "--note", "Done", "--author", Self.panel)
    expectOK(try rectrack("status", "DP-DDR-01", "complete", "--note", "Done", "--author", Self.force))
    try expectRefused(
      "person-not-allowed", "status", "DP-DDR-01", "closed", "--note", "Closing", "--author", Self.force,
      saying:
        "only the commissioner's office (role 'commissioner': *@opcc.example.org) may set closed; Insp. Gareth Price <gareth.price@police.example.org> (role force) may not."
    )
    // --override is refused where rectrack.yml does not allow it.
    try expectRefused(
      "person-not-allowed", "status", "DP-DDR-01", "closed", "--override", "--note", "CE approved",
      "--author", Self.force, saying: "rectrack.yml does not allow overriding person-not-allowed")
    expectOK(try rectrack("status", "DP-DDR-01", "closed", "--note", "Verified", "--author", Self.office))

    // update: --effective too far back is refused for everyone; the panel may update a narrative.
    try expectRefused(
      "effective-backdated", "update", "DP-DDR-02", "--progress", "Work began", "--effective", "2024-04-02",
      "--author", Self.force, saying: "rectrack.yml allows at most 31")
    expectOK(try rectrack("update", "DP-DDR-02", "--progress", "Work began", "--author", Self.force))
    expectOK(
      try rectrack("update", "DP-DDR-02", "--due", "2025-03-31", "--reason", "Budget", "--author", Self.force)
    )

    // edit: the editor sets the status; the force may not close, the office may.
    let editor = repo.scratch + "/close.sh"
    try "#!/bin/sh\nsed -i 's/^status: .*/status: complete/' \"$1\"\n".write(
      toFile: editor, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor)
    try expectRefused(
      "person-not-allowed", "edit", "DP-DDR-02", "--note", "Done", "--author", Self.panel,
      env: ["EDITOR": editor])
    expectOK(
      try rectrack("edit", "DP-DDR-02", "--note", "Done", "--author", Self.force, env: ["EDITOR": editor]))

    // What rectrack accepted, the audit does not report.
    let audit = try rectrack("audit", "--fail-on", "warning")
    #expect(audit.status == 0, "\(audit.stdout)")
    #expect(audit.stdout.contains("No findings."))
  }

  @Test func importAndRecordFollowTheRoles() throws {
    try "Ref,Recommendation,Lead officer,Status\nNY-01,Keep disrupting,Chief Constable,Closed\n".write(
      toFile: repo.path + "/tracker.csv", atomically: true, encoding: .utf8)
    let importArgs = [
      "import", "tracker.csv", "--source", "Panel report", "--raised", "2024-04-20", "--map",
      "id=Ref,title=Recommendation,owner=Lead officer,status=Status", "--status-map", "Closed=closed",
    ]
    try expectRefused("person-not-allowed", arguments: importArgs + ["--author", Self.force])
    expectOK(try CLI.run(importArgs + ["--author", Self.office], in: repo.path))

    // A hand edit of a title, recorded by the force; a hand closure by the force is refused
    // and the edit stays in the working folder.
    expectOK(try newRecommendation("DP-DDR-04", by: Self.office))
    let path = "Recommendations/DP-DDR-04.yml"
    try repo.write(
      path, try repo.read(path).replacingOccurrences(of: "Run campaigns", with: "Run two campaigns"))
    let recorded = try rectrack("record", path, "--note", "Typo in the title", "--author", Self.force)
    expectOK(recorded)
    #expect(recorded.stdout.hasPrefix("Recorded DP-DDR-04: edited by hand (commit "))
    let message = try repo.git("log", "-1", "--format=%B")
    #expect(message.contains("Recommendation: DP-DDR-04\nRecorded-Files: \(path)"))
    #expect(try repo.git("status", "--porcelain", "--", path) == "")

    try repo.write(path, try repo.read(path).replacingOccurrences(of: "status: open", with: "status: closed"))
    try expectRefused("transition-not-allowed", "record", path, "--note", "Closing", "--author", Self.force)
    #expect(try repo.read(path).contains("status: closed"))
    try repo.git("checkout", "--", path)

    // rectrack.yml: only the office may change it; then overrides become possible.
    try repo.write(
      "rectrack.yml", try repo.read("rectrack.yml") + "audit:\n  overrides: [person-not-allowed]\n")
    try expectRefused(
      "settings-changed", "record", "rectrack.yml", "--note", "Overrides", "--author", Self.force)
    try expectRefused(
      "settings-changed", "record", "rectrack.yml", "--note", "Overrides", "--author", Self.panel)
    let settings = try rectrack(
      "record", "rectrack.yml", "--note", "Allow overrides", "--author", Self.office)
    expectOK(settings)
    #expect(settings.stdout.hasPrefix("Recorded rectrack.yml: edited by hand (commit "))

    expectOK(try rectrack("status", "DP-DDR-04", "complete", "--note", "Done", "--author", Self.force))
    try expectRefused(
      "person-not-allowed", "status", "DP-DDR-04", "closed", "--note", "Closing", "--author", Self.force,
      saying: "run again with --override --note")
    let overridden = try rectrack(
      "status", "DP-DDR-04", "closed", "--override", "--note", "Chief Executive approved by email 3 May",
      "--author", Self.force)
    expectOK(overridden)
    #expect(
      try repo.git("log", "-1", "--format=%(trailers:key=Override,valueonly)") == "person-not-allowed\n\n")
    let audit = try rectrack("audit", "--format", "json")
    #expect(audit.status == 0, "\(audit.stdout)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.map { $0["rule"] as? String }.contains("override-used"))
    #expect(!findings.map { $0["rule"] as? String }.contains("person-not-allowed"))
    #expect(!findings.map { $0["rule"] as? String }.contains("outside-rectrack"))
  }

  @Test func acknowledgedFindingsAreListedAndDoNotFail() throws {
    expectOK(try newRecommendation("DP-DDR-01", by: Self.office))
    expectOK(try rectrack("status", "DP-DDR-01", "complete", "--note", "Done", "--author", Self.force))
    // The force closes it with plain git, around rectrack.
    let path = "Recommendations/DP-DDR-01.yml"
    try repo.write(
      path, try repo.read(path).replacingOccurrences(of: "status: complete", with: "status: closed"))
    try repo.commitAll("Closed", date: "2024-05-20T10:00:00+01:00", author: Self.force)

    func findings() throws -> (status: Int32, list: [[String: Any]]) {
      let r = try rectrack("audit", "--format", "json")
      let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      return (r.status, try #require(o["findings"] as? [[String: Any]]))
    }
    let (status, list) = try findings()
    #expect(status == 1)
    let person = try #require(list.first { $0["rule"] as? String == "person-not-allowed" })
    let id = try #require(person["id"] as? String)
    #expect(id.count == 12)
    // The same id in another run and in a plain clone.
    #expect(
      try findings().list.first { $0["rule"] as? String == "person-not-allowed" }?["id"] as? String == id)
    let clone = repo.scratch + "/clone"
    try TestRepository.gitCLI(["clone", "-q", repo.path, clone], in: repo.scratch)
    let cloned = try CLI.run(["audit", "--format", "json"], in: clone)
    #expect(cloned.stdout.contains("\"id\" : \"\(id)\"") || cloned.stdout.contains("\"id\":\"\(id)\""))

    let before = try snapshot()
    let byForce = try rectrack("audit", "acknowledge", id, "--note", "Fine", "--author", Self.force)
    #expect(byForce.status == 2)
    #expect(byForce.stderr.contains("only the commissioner's office may acknowledge"))
    let unknown = try rectrack("audit", "acknowledge", "000000000000", "--note", "x", "--author", Self.office)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("there is no finding 000000000000"))
    #expect(try snapshot() == before)

    expectOK(
      try rectrack(
        "audit", "acknowledge", id, "--note", "Reopened and re-closed by the office on 4 May", "--author",
        Self.office))
    let after = try findings()
    #expect(after.status == 0)
    let acked = try #require(after.list.first { $0["id"] as? String == id })
    let ack = try #require(acked["acknowledged"] as? [String: Any])
    #expect(ack["by"] as? String == Self.office)
    #expect(ack["note"] as? String == "Reopened and re-closed by the office on 4 May")
    #expect((ack["at"] as? String)?.hasPrefix("2024-05-") == true)
    let table = try rectrack("audit", "--fail-on", "error")
    #expect(table.status == 0)
    #expect(table.stdout.contains("  ack     person-not-allowed"))
    // The acknowledgement travels with a plain clone.
    let clone2 = repo.scratch + "/clone2"
    try TestRepository.gitCLI(["clone", "-q", repo.path, clone2], in: repo.scratch)
    #expect(try CLI.run(["audit"], in: clone2).status == 0)
  }

  @Test func readingCommandsWarnAboutUncommittedSettings() throws {
    expectOK(try newRecommendation("DP-DDR-01", by: Self.office))
    try repo.write("rectrack.yml", try repo.read("rectrack.yml") + "# a comment\n")
    let commands: [[String]] = [
      ["list"], ["show", "DP-DDR-01"], ["progress"], ["summary"], ["export"], ["log", "DP-DDR-01"], ["audit"],
      ["validate"],
    ]
    for c in commands {
      let r = try CLI.run(c, in: repo.path)
      #expect(
        r.stderr.contains(
          "warning: rectrack.yml has changes that are not committed; this uses the committed version. Record them with 'rectrack record rectrack.yml --note \"why\"'."
        ),
        "\(c): \(r.stderr)")
    }
    try repo.git("checkout", "--", "rectrack.yml")
    try repo.write("Templates/summary.md.mustache", "# {{title}}\n")
    #expect(try CLI.run(["list"], in: repo.path).stderr.contains("Templates/summary.md.mustache has changes"))
  }
}
