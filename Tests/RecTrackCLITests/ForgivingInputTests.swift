import Foundation
import RecTrackTestSupport
import Testing

/// Words people type: IDs in lower case, owners and statuses in any case and spacing, dates as
/// they write them (through the same parser as spreadsheet cells), each read back on stderr.
@Suite struct ForgivingInputTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write(
      "Recommendations/DP-DDR-02.yml",
      sampleRecommendation(
        id: "DP-DDR-02", owner: "Head of Finance", source: "Budget review", tags: ["money"]))
    try repo.commitAll("Add recommendations", date: "2020-01-15T12:00:00+00:00")
  }

  func rectrack(_ args: String...) throws -> ProcessResult { try CLI.run(args, in: repo.path) }

  @Test func lowerCaseIDsAreUpperCasedForEveryCommand() throws {
    let status = try rectrack("status", "dp-ddr-01", "in-progress", "--note", "Started")
    #expect(status.status == 0, "\(status.stderr)")
    #expect(try repo.git("log", "-1", "--format=%s") == "DP-DDR-01: open -> in-progress\n")
    let update = try rectrack("update", "dp-ddr-01", "--progress", "Going well")
    #expect(update.status == 0, "\(update.stderr)")
    for args in [["log", "dp-ddr-01"], ["show", "dp-ddr-01"], ["audit", "--id", "dp-ddr-01"]] {
      let r = try CLI.run(args, in: repo.path)
      #expect(r.status == 0, "\(args): \(r.stderr)")
      #expect(r.stdout.contains("DP-DDR-01"))
    }
  }

  @Test func statusesMatchIgnoringCaseAndSpacingAndSuggestTheNearest() throws {
    let typo = try rectrack("status", "DP-DDR-01", "in-progres")
    #expect(typo.status == 2)
    #expect(
      typo.stderr.hasPrefix("error: 'in-progres' is not a status of this workflow. Did you mean in-progress?")
    )
    let spaced = try rectrack("status", "DP-DDR-01", "In Progress", "--note", "Started")
    #expect(spaced.status == 0, "\(spaced.stderr)")
    #expect(spaced.stderr == "note: status 'In Progress' matched 'in-progress'.\n")
    let list = try rectrack("list", "--status", "IN-PROGRESS", "--format", "csv")
    #expect(list.stdout.split(separator: "\n").count == 2)
  }

  @Test func ownersSourcesAndTagsMatchForgivinglyAndSayWhat() throws {
    let r = try rectrack("list", "--owner", "chief  constable", "--format", "csv")
    #expect(r.status == 0)
    #expect(r.stdout.contains("\nDP-DDR-01,") && !r.stdout.contains("DP-DDR-02"))
    #expect(r.stderr == "note: --owner 'chief  constable' matched 'Chief Constable'.\n")
    let source = try rectrack("list", "--source", "budget REVIEW", "--tag", "Money", "--format", "csv")
    #expect(source.stdout.contains("\nDP-DDR-02,"), "\(source.stderr)")
    let typo = try rectrack("list", "--owner", "Chief Constabel")
    #expect(typo.status == 0)
    #expect(typo.stdout == "No recommendation matches these filters.\n")
    #expect(
      typo.stderr == "note: no recommendation has owner 'Chief Constabel'. Did you mean 'Chief Constable'?\n")
    let progress = try rectrack("progress", "--owner", "head of finance", "--format", "csv")
    #expect(progress.status == 0)
    #expect(progress.stderr == "note: --owner 'head of finance' matched 'Head of Finance'.\n")
  }

  @Test func datesAsPeopleWriteThemAreAcceptedAndShownBackInISO() throws {
    let due = try rectrack("update", "DP-DDR-01", "--due", "31/03/2024", "--reason", "Delayed")
    #expect(due.status == 0, "\(due.stderr)")
    #expect(due.stderr == "note: --due '31/03/2024' read as 2024-03-31 (31 Mar 2024).\n")
    #expect(try repo.git("log", "-1", "--format=%B").contains("Due: 2020-09-30 -> 2024-03-31"))
    // Recorded a week later: --effective may reach back 31 days.
    let effective = try CLI.run(
      ["status", "DP-DDR-01", "in-progress", "--effective", "2 March 2020"], in: repo.path,
      environment: [
        "GIT_AUTHOR_DATE": "2020-03-09T10:00:00+00:00", "GIT_COMMITTER_DATE": "2020-03-09T10:00:00+00:00",
      ])
    #expect(effective.status == 0, "\(effective.stderr)")
    #expect(try repo.git("log", "-1", "--format=%B").contains("Effective: 2020-03-02"))
    let asOf = try rectrack("list", "--as-of", "30/06/2021", "--format", "csv")
    #expect(asOf.status == 0)
    #expect(asOf.stderr == "note: --as-of '30/06/2021' read as 2021-06-30 (30 Jun 2021).\n")
    #expect(asOf.stdout.contains("DP-DDR-01,in-progress,"))
    let since = try rectrack("audit", "--since", "1 Oct 2023", "--format", "csv")
    #expect(since.stderr.contains("--since '1 Oct 2023' read as 2023-10-01"))
    let months = try rectrack("progress", "--from", "Jan 2020", "--to", "03/2020", "--format", "csv")
    #expect(months.status == 0, "\(months.stderr)")
    #expect(
      months.stdout.split(separator: "\n").map { $0.prefix(7) } == [
        "month,a", "2020-01", "2020-02", "2020-03",
      ])
    let iso = try rectrack("list", "--as-of", "2021-06-30")
    #expect(iso.stderr == "")
    let bad = try rectrack("list", "--as-of", "31/02/2021")
    #expect(bad.status == 2)
    #expect(
      bad.stderr
        == "error: --as-of '31/02/2021' is not a date: write it as 2021-03-31, 31/03/2021 or 31 Mar 2021.\n")
  }
}
