import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The rules that every command must apply the same way (docs/format.md): which tree entry is a
/// recommendation (`RecommendationPath`) and which status awaits verification, so is never
/// overdue (`Workflow.isOverdue`). Each test sends one repository through every command that
/// reads it and expects one answer.
@Suite struct OneRuleCommandTests {
  func json(_ r: ProcessResult, _ what: String) throws -> Any {
    #expect(r.status == 0, "\(what): \(r.stderr)")
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
  }

  /// `progress --from F --to T` and `summary --as-of D` in one repository: the months and the summary.
  func progressAndSummary(_ repo: TestRepository, from: String, to: String, asOf: String) throws -> (
    months: [[String: Any]], summary: [String: Any]
  ) {
    let p = try CLI.run(["progress", "--from", from, "--to", to, "--format", "json"], in: repo.path)
    let progress = try #require(try json(p, "progress") as? [String: Any])
    let s = try CLI.run(["summary", "--as-of", asOf, "--format", "json"], in: repo.path)
    return (
      try #require(progress["months"] as? [[String: Any]]),
      try #require(try json(s, "summary") as? [String: Any])
    )
  }

  func ids(_ r: ProcessResult, _ what: String) throws -> Set<String> {
    let array = try #require(try json(r, what) as? [[String: Any]], "\(what): \(r.stdout)")
    return Set(array.compactMap { $0["id"] as? String })
  }

  /// A symbolic link named like a recommendation, a `draft.yml`, a file in a sub-folder, an
  /// executable file and a decoy outside `Recommendations/`: only the regular `<ID>.yml` files
  /// under `Recommendations/` count, in `list`, `list --as-of`, `progress`, `export`, `summary`
  /// and `audit` alike.
  @Test func everyCommandCountsTheSameFiles() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.write("Recommendations/2019-review/DP-02.yml", sampleRecommendation(id: "DP-02"))
    try repo.write("Recommendations/DP-04.yml", sampleRecommendation(id: "DP-04"))
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: repo.path + "/Recommendations/DP-04.yml")
    // A valid file with a name that is not an ID: a reader keyed on "*.yml" would count it.
    try repo.write("Recommendations/draft.yml", sampleRecommendation(id: "DRAFT"))
    // A link to a valid file outside the folder: a reader that follows links would count it.
    try repo.write("Notes/DP-03.yml", sampleRecommendation(id: "DP-03"))
    try FileManager.default.createSymbolicLink(
      atPath: repo.path + "/Recommendations/DP-03.yml", withDestinationPath: "../Notes/DP-03.yml")
    try repo.write("Notes/DP-05.yml", sampleRecommendation(id: "DP-05"))
    try repo.commitAll("Add files", date: "2020-01-10T10:00:00+00:00")
    let modes = try repo.git("ls-tree", "-r", "HEAD", "Recommendations")
    #expect(modes.contains("120000 blob") && modes.contains("100755 blob"), "\(modes)")

    let expected: Set<String> = ["DP-01", "DP-02", "DP-04"]
    // The git-CLI reference, written independently from the rule in docs/format.md §1, agrees.
    let reference = try BruteForceHistory(repositoryPath: repo.path)
    #expect(Set(reference.snapshot(asOf: try #require(CalendarDate("2020-06-30"))).keys) == expected)
    func run(_ args: String...) throws -> ProcessResult { try CLI.run(args, in: repo.path) }

    let list = try run("list", "--format", "json")
    #expect(try ids(list, "list") == expected)
    let asOf = try run("list", "--as-of", "2020-06-30", "--format", "json")
    #expect(try ids(asOf, "list --as-of") == expected)
    #expect(try ids(try run("export", "--format", "json"), "export") == expected)
    #expect(
      try ids(try run("export", "--as-of", "2020-06-30", "--format", "json"), "export --as-of") == expected)

    let (months, summary) = try progressAndSummary(repo, from: "2020-01", to: "2020-02", asOf: "2020-06-30")
    #expect(months.map { $0["total"] as? Int } == [3, 3])
    let headline = try #require(summary["headline"] as? [String: Any])
    #expect(headline["total"] as? Int == 3)
    let register = try #require(summary["register"] as? [[String: Any]])
    #expect(Set(register.compactMap { ($0["item"] as? [String: Any])?["id"] as? String }) == expected)

    let audit = try #require(try json(try run("audit", "--format", "json"), "audit") as? [String: Any])
    let changes = try #require(audit["changes"] as? [[String: Any]], "\(audit.keys)")
    #expect(Set(changes.compactMap { $0["recommendation"] as? String }) == expected)

    // Where a command mentions the link or the draft at all, it says why it does not count.
    for r in [list, asOf] {
      for line in r.stderr.split(separator: "\n") where line.contains("DP-03.yml") {
        #expect(line.contains("symbolic link"), "\(line)")
      }
      for line in r.stderr.split(separator: "\n") where line.contains("draft.yml") {
        #expect(line.contains("not a recommendation ID"), "\(line)")
      }
    }
  }

  /// A workflow whose "done, awaiting verification" status is `implemented` (with no status
  /// called `complete`): an implemented recommendation past its due date is not overdue, in
  /// `list --overdue` (with and without `--as-of`), `progress` and `summary`.
  @Test func theAwaitingVerificationStatusIsTheWorkflows() throws {
    let repo = try TestRepository()
    try repo.write(
      "rectrack.yml",
      """
      statuses: [open, in-progress, implemented, closed, not-accepted]
      terminal: [closed, not-accepted]
      awaiting-verification: implemented

      """)
    let due = "2020-03-31"
    for (id, status) in [
      ("A-01", "open"), ("A-02", "implemented"), ("A-03", "closed"), ("A-04", "in-progress"),
    ] {
      try repo.write("Recommendations/\(id).yml", sampleRecommendation(id: id, status: status, due: due))
    }
    try repo.write(
      "Recommendations/A-05.yml", sampleRecommendation(id: "A-05", status: "open", due: "2030-01-01"))
    try repo.commitAll("Add", date: "2020-01-10T10:00:00+00:00")
    let overdue: Set<String> = ["A-01", "A-04"]
    func run(_ args: String...) throws -> ProcessResult { try CLI.run(args, in: repo.path) }

    #expect(try ids(try run("list", "--overdue", "--format", "json"), "list --overdue") == overdue)
    #expect(
      try ids(
        try run("list", "--overdue", "--as-of", "2020-06-30", "--format", "json"), "list --overdue --as-of")
        == overdue)
    #expect(
      try ids(try run("list", "--overdue", "--as-of", "2020-03-31", "--format", "json"), "on the due day")
        == [])
    let table = try run("list")
    #expect(
      table.stdout.split(separator: "\n").filter { $0.contains("(overdue)") }.count == 2, "\(table.stdout)")

    let (months, summary) = try progressAndSummary(repo, from: "2020-03", to: "2020-04", asOf: "2020-06-30")
    #expect(months.map { $0["overdue"] as? Int } == [0, 2])
    #expect((summary["headline"] as? [String: Any])?["overdue"] as? Int == 2)
    let listed = (summary["overdue"] as? [[String: Any]])?.compactMap {
      ($0["item"] as? [String: Any])?["id"] as? String
    }
    #expect(Set(listed ?? []) == overdue)
    // The RAG register rates the implemented one green by default, as it rates `complete`.
    let register = try #require(summary["register"] as? [[String: Any]])
    let a02 = register.first { ($0["item"] as? [String: Any])?["id"] as? String == "A-02" }
    #expect(a02?["rag"] as? String == "green")
  }
}
