import RecTrackCore
import Testing

/// The meaning of the keys, checked with the exact messages office staff will read.
@Suite struct FormatValidationTests {
  static let statuses = ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"]
  static let path = "Recommendations/2019-deep-dive/DP-DDR-01.yml"

  static let valid = """
    id: DP-DDR-01
    title: Run targeted drug-intelligence campaigns
    source: Deep Dive Scrutiny Review - Illegal Drugs
    raised: 2019-10-01
    owner: Chief Constable
    lead: Head of SOC
    due: 2020-09-30
    priority: high
    status: in-progress
    tags: [intelligence, county-lines]
    description: |
      Engage partner agencies.
    progress: Launched.
    superseded-by: DP-DDR-05
    evidence: [report.pdf, minutes.docx]
    board-ref: PB-12

    """

  func problems(_ text: String, id: String = "DP-DDR-01") throws -> [String] {
    try RecommendationDocument(text: text, path: Self.path)
      .validate(expectedID: id, statuses: Self.statuses).map(\.description)
  }

  @Test func validFileHasNoProblemsAndATypedView() throws {
    let doc = try RecommendationDocument(text: Self.valid, path: Self.path)
    #expect(doc.validate(expectedID: "DP-DDR-01", statuses: Self.statuses).isEmpty)
    let r = try doc.recommendation(expectedID: "DP-DDR-01", statuses: Self.statuses)
    #expect(r.id == "DP-DDR-01")
    #expect(r.title == "Run targeted drug-intelligence campaigns")
    #expect(r.source == "Deep Dive Scrutiny Review - Illegal Drugs")
    #expect(r.owner == "Chief Constable")
    #expect(r.status == "in-progress")
    #expect(r.raised == CalendarDate("2019-10-01"))
    #expect(r.due == CalendarDate("2020-09-30"))
    #expect(r.lead == "Head of SOC")
    #expect(r.priority == "high")
    #expect(r.description == "Engage partner agencies.\n")
    #expect(r.progress == "Launched.")
    #expect(r.supersededBy == "DP-DDR-05")
    #expect(r.tags == ["intelligence", "county-lines"])
    #expect(r.file == Self.path)
    #expect(r.fields.map(\.key).last == "board-ref")
    #expect(r["board-ref"] == .text("PB-12"))
    #expect(r["evidence"] == .list(["report.pdf", "minutes.docx"]))
    #expect(r == (try doc.recommendation(expectedID: "DP-DDR-01", statuses: Self.statuses)))
    #expect(Set([r, r]).count == 1)
  }

  @Test func minimalFileAndEmptyOptionalValues() throws {
    let text = """
      id: A-1
      title: t
      source: s
      raised: 2021-01-31
      owner: o
      status: open
      due:
      lead:
      priority:
      tags:
      superseded-by:

      """
    let doc = try RecommendationDocument(text: text, path: "A-1.yml")
    #expect(doc.validate(expectedID: "A-1", statuses: Self.statuses).isEmpty)
    let r = try doc.recommendation(expectedID: "A-1", statuses: Self.statuses)
    #expect(r.due == nil && r.lead == nil && r.priority == nil && r.supersededBy == nil && r.tags.isEmpty)
  }

  @Test func missingKeys() throws {
    #expect(
      try problems("id: DP-DDR-01\ntitle: t\nsource: s\nraised: 2019-10-01\nstatus: open\n") == [
        "\(Self.path):1:1: error: the required key 'owner' is missing\nhint: add a line such as 'owner: Chief Constable'"
      ])
    #expect(
      try problems("# empty\n") == [
        "\(Self.path):1:1: error: the required key 'id' is missing\nhint: add a line such as 'id: DP-DDR-01'",
        "\(Self.path):1:1: error: the required key 'title' is missing\nhint: add a line such as 'title: Improve the response to rural crime'",
        "\(Self.path):1:1: error: the required key 'source' is missing\nhint: add a line such as 'source: Deep Dive Scrutiny Review - Illegal Drugs'",
        "\(Self.path):1:1: error: the required key 'raised' is missing\nhint: add a line such as 'raised: 2021-03-31'",
        "\(Self.path):1:1: error: the required key 'owner' is missing\nhint: add a line such as 'owner: Chief Constable'",
        "\(Self.path):1:1: error: the required key 'status' is missing\nhint: add a line such as 'status: open'",
      ])
  }

  static func replacing(_ line: String, with new: String) -> String {
    Self.valid.replacingOccurrences(line, new)
  }

  @Test(arguments: [
    (
      "due: 2020-09-30", "due: 31/03/2021",
      "7:6: error: '31/03/2021' is not a date in the form YYYY-MM-DD\ndue: 31/03/2021\n     ^\nhint: write the date as YYYY-MM-DD, e.g. due: 2021-03-31"
    ),
    (
      "raised: 2019-10-01", "raised: 2021-02-29",
      "4:9: error: '2021-02-29' is not a real date\nraised: 2021-02-29\n        ^\nhint: write the date as YYYY-MM-DD, e.g. raised: 2021-03-31"
    ),
    (
      "status: in-progress", "status: done   # finished",
      "9:9: error: unknown status 'done'\nstatus: done   # finished\n        ^\nhint: use one of: open, in-progress, complete, closed, not-accepted, superseded"
    ),
    (
      "priority: high", "priority: High",
      "8:11: error: unknown priority 'High'\npriority: High\n          ^\nhint: write it in lowercase: 'priority: high'"
    ),
    (
      "priority: high", "priority: urgent",
      "8:11: error: unknown priority 'urgent'\npriority: urgent\n          ^\nhint: use one of: high, medium, low"
    ),
    (
      "id: DP-DDR-01", "id: dp-ddr-01",
      "1:5: error: 'dp-ddr-01' is not a valid recommendation ID\nid: dp-ddr-01\n    ^\nhint: an ID is capital letters and digits in groups joined by '-': write 'id: DP-DDR-01'"
    ),
    (
      "id: DP-DDR-01", "id: DP-DDR-02",
      "1:5: error: the id 'DP-DDR-02' does not match the file name 'DP-DDR-01.yml'\nid: DP-DDR-02\n    ^\nhint: write 'id: DP-DDR-01', or rename the file to 'DP-DDR-02.yml'"
    ),
    (
      "owner: Chief Constable", "owner:",
      "5:7: error: 'owner' is empty\nowner:\n      ^\nhint: write its value after the colon, e.g. 'owner: Chief Constable'"
    ),
    (
      "title: Run targeted drug-intelligence campaigns", "title: [a, b]",
      "2:8: error: 'title' must be text, not a list in square brackets\ntitle: [a, b]\n       ^\nhint: write it without '[' and ']': title: a, b"
    ),
    (
      "tags: [intelligence, county-lines]", "tags: intelligence, county-lines",
      "10:7: error: 'tags' must be a list in square brackets\ntags: intelligence, county-lines\n      ^\nhint: write 'tags: [intelligence, county-lines]'"
    ),
    (
      "superseded-by: DP-DDR-05", "superseded-by: the new one",
      "14:16: error: 'the new one' is not a valid recommendation ID\nsuperseded-by: the new one\n               ^\nhint: write the ID of the recommendation that replaces this one, e.g. 'superseded-by: DP-DDR-05'"
    ),
    (
      "board-ref: PB-12", "ower: PB-12",
      "16:1: warning: unknown key 'ower' (kept as your own key); did you mean 'owner'?\nower: PB-12\n^\nhint: rename it to 'owner:' if that was meant"
    ),
    (
      "board-ref: PB-12", "superseded_by: X",
      "16:1: warning: unknown key 'superseded_by' (kept as your own key); did you mean 'superseded-by'?\nsuperseded_by: X\n^\nhint: rename it to 'superseded-by:' if that was meant"
    ),
    (
      "due: 2020-09-30", "due: 2019-01-01",
      "7:6: warning: the due date 2019-01-01 is before the raised date 2019-10-01\ndue: 2019-01-01\n     ^\nhint: check both dates"
    ),
  ])
  func singleProblem(_ old: String, _ new: String, _ expected: String) throws {
    #expect(try problems(Self.replacing(old, with: new)) == ["\(Self.path):" + expected])
  }

  @Test func warningsDoNotStopTheTypedView() throws {
    let text = Self.replacing("status: in-progress", with: "status: superseded")
      .replacingOccurrences("superseded-by: DP-DDR-05\n", "")
    let doc = try RecommendationDocument(text: text, path: Self.path)
    let found = doc.validate(expectedID: "DP-DDR-01", statuses: Self.statuses)
    #expect(
      found.map(\.description) == [
        "\(Self.path):9:9: warning: the status is 'superseded' but no 'superseded-by' line says what replaced it\nstatus: superseded\n        ^\nhint: add a line such as 'superseded-by: DP-DDR-05'"
      ])
    #expect(try doc.recommendation(expectedID: "DP-DDR-01", statuses: Self.statuses).status == "superseded")
  }

  @Test func problemsAreSortedByLineAndRecommendationThrowsTheFirstError() throws {
    let text = "id: DP-DDR-01\nstatus: nope\nraised: soon\ntitle: t\nsource: s\n"
    let doc = try RecommendationDocument(text: text, path: Self.path)
    let found = doc.validate(expectedID: "DP-DDR-01", statuses: Self.statuses)
    #expect(found.map(\.line) == [1, 2, 3])
    #expect(
      found.map(\.message) == [
        "the required key 'owner' is missing", "unknown status 'nope'",
        "'soon' is not a date in the form YYYY-MM-DD",
      ])
    #expect(throws: found[0]) { try doc.recommendation(expectedID: "DP-DDR-01", statuses: Self.statuses) }
    #expect(doc.text == text)
  }

  @Test func crlfAndMultibyteColumns() throws {
    let text =
      "id: DP-DDR-01\r\ntitle: t\r\nsource: s\r\nraised: 2019-10-01\r\nowner: Ysbyty ✓\r\nstatus: ✓ done\r\n"
    #expect(
      try problems(text) == [
        "\(Self.path):6:9: error: unknown status '✓ done'\nstatus: ✓ done\n        ^\nhint: use one of: open, in-progress, complete, closed, not-accepted, superseded"
      ])
  }

  @Test func customWorkflowStatuses() throws {
    let doc = try RecommendationDocument(text: Self.valid, path: Self.path)
    let found = doc.validate(expectedID: "DP-DDR-01", statuses: ["draft", "done"])
    #expect(found.map(\.hint) == ["use one of: draft, done"])
    #expect(doc.validate(expectedID: "DP-DDR-01", statuses: []).isEmpty)
  }

  @Test(arguments: [
    ("DP-DDR-01", true), ("A", true), ("A1-2B", true), ("R2019-07", true),
    ("", false), ("a", false), ("1A", false), ("A-", false), ("A--B", false), ("-A", false), ("A B", false),
    ("DP_DDR", false), ("É", false),
  ])
  func idSyntax(_ id: String, _ valid: Bool) {
    #expect(Recommendation.isValidID(id) == valid)
  }
}
