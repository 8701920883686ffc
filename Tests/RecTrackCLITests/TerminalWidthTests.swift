import Foundation
import RecTrackTestSupport
import Testing

/// Every table command at 60, 80 and 120 columns (`COLUMNS` set, as a terminal would): no line
/// is wider than the terminal, and every changed value is there whole (never cut with "…").
@Suite struct TerminalWidthTests {
  let repo: TestRepository
  static let jane = "Jane Smith <jane.smith@opcc.example.org>"
  static let bob = "Bob Jones <bob.jones@police.example.org>"

  private final class Day { var value = 0 }
  private let day = Day()

  init() throws {
    repo = try TestRepository()
    try record(
      "new", "--id", "DP-DDR-01", "--title",
      "Run targeted drug-intelligence campaigns with partner agencies such as CrimeStoppers in known hot spots",
      "--source", "Deep Dive Scrutiny Review - Illegal Drugs", "--owner", "Chief Constable", "--raised",
      "2021-01-02", "--due", "2021-03-31", "--tag", "intelligence", "--tag", "county-lines", "--author",
      Self.jane)
    try record(
      "new", "--id", "DP-DDR-02", "--title",
      "Review the use of stop and search powers with the scrutiny panel",
      "--source", "Stop and search scrutiny", "--owner", "Assistant Chief Constable (Local Policing)",
      "--raised",
      "2021-01-03", "--author", Self.jane)
    try record(
      "status", "DP-DDR-01", "in-progress", "--note",
      "Campaign launched in Llanelli and Newtown, with the radio adverts running through the spring",
      "--author", Self.bob)
    try record(
      "update", "DP-DDR-01", "--due", "2021-09-30", "--reason", "Delayed by the pandemic and staff shortages",
      "--author", Self.bob)
    try record("status", "DP-DDR-02", "not-accepted", "--note", "The force disagreed", "--author", Self.bob)
    try record(
      "status", "DP-DDR-02", "open", "--note", "Accepted after the panel", "--effective", "2021-02-01",
      "--author", Self.jane)
    try record(
      "meeting", "add", "2021-02-20", "--title",
      "Police, Fire and Crime Panel (extraordinary budget session)",
      "--notes", "Agenda item 7: recommendations tracker, presented by the head of performance")
    try repo.write(
      "tracker.csv",
      "Ref,Recommendation,Raised,Lead officer,Status\n"
        + "NY-01,Publish the force's stop and search data every quarter with an explanation,"
        + "01/02/2021,Assistant Chief Constable (Local Policing),open\n")
    // A working file with a problem, for validate.
    try repo.write(
      "Recommendations/DP-DDR-03.yml",
      "id: DP-DDR-03\ntitle: Phase 2: pilot the new drug-intelligence campaign in every county of the force area\n"
        + "source: Panel\nraised: 2021-01-05\nowner: Chief Constable\nstatus: open\n")
  }

  @discardableResult
  func record(_ args: String...) throws -> ProcessResult {
    day.value += 1
    let date = String(format: "2021-02-%02dT10:00:00+00:00", day.value)
    let r = try CLI.run(
      args, in: repo.path,
      environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
    #expect(r.status == 0, "\(args): \(r.stderr)")
    return r
  }

  func run(_ args: [String], width: Int) throws -> ProcessResult {
    try CLI.run(args, in: repo.path, environment: ["COLUMNS": "\(width)"])
  }

  static let commands: [[String]] = [
    ["list"], ["list", "--as-of", "2021-02-04"], ["progress", "--from", "2021-01", "--to", "2021-04"],
    ["progress", "--change", "--from", "2021-01", "--to", "2021-04"],
    ["progress", "--chart", "--from", "2021-01", "--to", "2021-04"], ["audit"], ["log", "DP-DDR-01"],
    ["log", "DP-DDR-02"], ["meeting", "list"], ["validate"], ["show", "DP-DDR-01"],
    [
      "import", "tracker.csv", "--map", "id=Ref,title=Recommendation,owner=Lead officer", "--source",
      "Stop and search scrutiny panel", "--dry-run",
    ],
  ]

  @Test(arguments: [60, 80, 120])
  func everyTableFitsTheTerminal(_ width: Int) throws {
    for args in Self.commands {
      let r = try run(args, width: width)
      #expect(r.status == 0 || args == ["validate"], "\(args): \(r.stderr)")
      #expect(!r.stdout.isEmpty, "\(args)")
      for line in r.stdout.split(separator: "\n") {
        #expect(line.count <= width, "\(args) at \(width): \(line.count) characters: \(line)")
      }
      #expect(
        !r.stdout.contains("…") || args == ["validate"], "\(args) at \(width) cut something:\n\(r.stdout)")
    }
  }

  /// The audit's CHANGE column shows each change whole, at every width: the JSON report says what
  /// changed, and each of those texts is on one line of the table.
  @Test(arguments: [60, 80, 120])
  func auditShowsEveryChangedValueWhole(_ width: Int) throws {
    let json = try run(["audit", "--format", "json"], width: width)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let changes = try #require(object["changes"] as? [[String: Any]])
    #expect(changes.count == 6)
    var expected: [String] = []
    for c in changes {
      if let s = c["status"] as? [String: Any] {
        expected.append("status \(s["from"] as? String ?? "none") -> \(s["to"] as? String ?? "none")")
      }
      if let d = c["due"] as? [String: Any] {
        expected.append("due \(d["from"] as? String ?? "none") -> \(d["to"] as? String ?? "none")")
      }
    }
    #expect(expected.contains("due 2021-03-31 -> 2021-09-30"))
    #expect(expected.contains("status not-accepted -> open"))
    let table = try run(["audit"], width: width).stdout
    for e in expected { #expect(table.contains(e), "\(width): \(e) not whole in\n\(table)") }
    for id in ["DP-DDR-01", "DP-DDR-02"] { #expect(table.contains(id)) }
    #expect(table.contains("(effective 2021-02-01)"), "\(width): the effective day is hidden\n\(table)")
    let log = try run(["log", "DP-DDR-01"], width: width).stdout
    #expect(log.contains("due 2021-03-31 -> 2021-09-30"), "\(log)")
    #expect(log.contains("status open -> in-progress"), "\(log)")
  }

  /// list keeps every word of every title and owner, wrapping instead of cutting.
  @Test(arguments: [60, 80, 120])
  func listKeepsEveryWord(_ width: Int) throws {
    let out = try run(["list"], width: width).stdout
    for word in "Run targeted drug-intelligence campaigns CrimeStoppers spots Assistant (Local Policing)"
      .split(separator: " ")
    {
      #expect(out.contains(word), "\(width): \(word) missing\n\(out)")
    }
  }

  /// Piped without COLUMNS: 80 columns, whatever the terminal; --wide: one line per row.
  @Test func pipedIs80ColumnsAndWideIsOneLinePerRow() throws {
    let piped = try CLI.run(["audit"], in: repo.path, environment: ["COLUMNS": ""])
    #expect(piped.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    let wide = try run(["list", "--wide"], width: 60)
    let lines = wide.stdout.split(separator: "\n")
    #expect(lines.count == 4, "\(wide.stdout)")
    #expect(lines[0].hasPrefix("ID  ") && lines[0].contains("TAGS"))
    #expect(wide.stdout.contains("intelligence, county-lines"))
    let hidden = try run(["list"], width: 120)
    #expect(hidden.stdout.contains("Add --wide to show every column.") || hidden.stdout.contains("TAGS"))
  }
}
