import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Review-meeting summaries (issue 4): golden Markdown and HTML of a fixed generated history,
/// well-formed XHTML, agreement with `progress`, escaping and template errors.
@Suite struct SummaryTests {
  static let tagger = Signature(
    name: "Clerk", email: "clerk@example.org", time: 1_600_000_000, offsetMinutes: 0)

  /// A generated history (seed 4) plus three hand-written commits that carry a note, a progress
  /// narrative and a `Reason:` trailer, and two meetings.
  static func fixture() throws -> (TestRepository, TrackingRepository) {
    let test = try HistoryGenerator.generate(seed: 4, steps: 40)
    try test.write("rectrack.yml", "organisation: Office of the PCC <Test> & Partners\n")
    func hand(status: String, due: String, progress: String? = nil) -> String {
      var text = """
        id: HAND-01
        title: Publish the <script>alert("x")</script> & 'quoted' | piped plan
        source: Panel report
        raised: 2020-02-20
        owner: Chief Constable
        due: \(due)
        status: \(status)

        """
      if let progress { text += "progress: |\n  \(progress)\n" }
      return text
    }
    try test.write("Recommendations/HAND-01.yml", hand(status: "open", due: "2020-06-30"))
    try test.commit("Add HAND-01\n", date: "2020-03-02T10:00:00+00:00")
    try test.write(
      "Recommendations/HAND-01.yml",
      hand(status: "in-progress", due: "2020-06-30", progress: "Draft *plan* shared with [partners]."))
    try test.commit(
      "HAND-01: open -> in-progress\n\nWork started <b>at once</b>.\n\nStatus: open -> in-progress\n",
      date: "2020-06-01T10:00:00+01:00")
    try test.write(
      "Recommendations/HAND-01.yml",
      hand(status: "in-progress", due: "2020-09-30", progress: "Draft *plan* shared with [partners]."))
    try test.commit(
      "HAND-01: due 2020-06-30 -> 2020-09-30\n\nDue: 2020-06-30 -> 2020-09-30\nReason: Partners asked for <more> time\n",
      date: "2020-06-20T10:00:00+01:00")
    let repo = try TrackingRepository(at: test.path)
    _ = try MeetingCalendar.add(
      date: CalendarDate("2020-03-19")!, title: "Police & Crime Panel", notes: nil, tagger: tagger,
      at: .day(CalendarDate("2020-03-19")!), in: repo)
    _ = try MeetingCalendar.add(
      date: CalendarDate("2020-07-16")!, title: "Police & Crime Panel <July>",
      notes: "Agenda item 6\nMinute 42",
      tagger: tagger, at: .day(CalendarDate("2020-07-16")!), in: repo)
    return (test, repo)
  }

  /// The July paper as circulated (built from its tag, compared with March's paper as circulated).
  static func summary(_ repo: TrackingRepository) throws -> Summary {
    let request = PaperRequest(meeting: CalendarDate("2020-07-16")!, today: CalendarDate("2020-12-31")!)
    return try Summary.paper(request, in: repo).summary
  }

  static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Golden/Summary")

  /// Compares with the golden file; with RECTRACK_RECORD_GOLDEN=1 rewrites it and fails, so a
  /// recording run is never mistaken for a passing one.
  static func assertGolden(_ text: String, _ name: String) throws {
    let url = goldenFolder.appendingPathComponent(name)
    guard let golden = try Golden.expected(at: url, recording: text) else { return }
    if let difference = Golden.difference(golden: golden, got: text, name: name) {
      Issue.record(Comment(rawValue: difference))
    }
  }

  @Test func markdownAndHTMLMatchTheGoldenFiles() throws {
    let (test, repo) = try Self.fixture()
    _ = test
    let s = try Self.summary(repo)
    let store = TemplateStore(repo: repo)
    try Self.assertGolden(try SummaryRenderer.render(s, template: "summary.md", store: store), "summary.md")
    try Self.assertGolden(
      try SummaryRenderer.render(s, template: "summary.html", store: store), "summary.html")
    try Self.assertGolden(SummaryRenderer.json(s), "summary.json")
  }

  @Test func theFixtureCoversEverySection() throws {
    let (test, repo) = try Self.fixture()
    _ = test
    let s = try Self.summary(repo)
    let change = try #require(s.statusChanges.first { $0.item.id == "HAND-01" })
    #expect(change.from == "open" && change.to == "in-progress")
    #expect(change.narrative == "Draft *plan* shared with [partners].")
    #expect(change.steps.map(\.note) == ["Work started <b>at once</b>."])
    let due = try #require(s.dueDateChanges.first { $0.item.id == "HAND-01" })
    #expect(due.reason == "Partners asked for <more> time")
    #expect(due.commit?.date == CalendarDate("2020-06-20"))
    #expect(!s.newRecommendations.contains { $0.id == "HAND-01" })
    #expect(s.register.first { $0.item.id == "HAND-01" }?.rag == .amber)
    #expect(!s.commits.isEmpty && !s.overdue.isEmpty && !s.closedSince.isEmpty)
    #expect(s.headline.rag.red == s.overdue.count)
  }

  /// The HTML is XHTML: an XML parser reads it without error, and no user text became markup.
  @Test func htmlIsWellFormedAndEscapesUserText() throws {
    let (test, repo) = try Self.fixture()
    _ = test
    let s = try Self.summary(repo)
    let html = try SummaryRenderer.render(s, template: "summary.html", store: TemplateStore(repo: repo))
    let parser = XMLParser(data: Data(html.utf8))
    let ok = parser.parse()
    #expect(ok, "not well-formed: \(String(describing: parser.parserError))")
    #expect(!html.contains("<script"))
    #expect(!html.contains("<b>"))
    #expect(
      html.contains("Publish the &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;"))
    #expect(html.contains("Office of the PCC &lt;Test&gt; &amp; Partners"))
    #expect(html.contains("<title>Police &amp; Crime Panel &lt;July&gt; - 2020-07-16</title>"))
    #expect(!html.contains("http://") || !html.contains("src="), "no external assets")
    #expect(!html.contains("<link") && !html.contains("<img"))
  }

  @Test func markdownEscapesUserText() throws {
    let (test, repo) = try Self.fixture()
    _ = test
    let md = try SummaryRenderer.render(
      try Self.summary(repo), template: "summary.md", store: TemplateStore(repo: repo))
    #expect(md.contains(#"Publish the \<script>alert("x")\</script> & 'quoted' \| piped plan"#))
    #expect(md.contains(#"Draft \*plan\* shared with \[partners\]."#))
    #expect(!md.replacingOccurrences(of: "\\<", with: "").contains("<script"))
  }

  /// Every month end and the meeting day agree with `progress` (the same engine, same rules),
  /// on several generated histories with unusable files and statuses outside the workflow.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func figuresAgreeWithProgress(seed: UInt64) throws {
    let test = try HistoryGenerator.generate(seed: seed, steps: 50)
    let repo = try TrackingRepository(at: test.path)
    let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
    let range = try #require(history.dateRange)
    let report = ProgressReport.build(
      history: history, from: range.lowerBound.yearMonth, to: range.upperBound.yearMonth,
      today: range.upperBound)
    for month in report.months {
      let s = try Summary.build(
        repo: repo, history: history, request: SummaryRequest(asOf: month.asOf, since: nil),
        settings: SummarySettings())
      #expect(s.headline.total == month.total, "total as of \(month.asOf)")
      #expect(s.headline.counts.map(\.count) == month.counts.values, "counts as of \(month.asOf)")
      #expect(s.headline.final == month.final)
      #expect(s.headline.finalShare == month.finalShare)
      #expect(s.headline.closed == month.counts["closed"])
      #expect(s.headline.overdue == month.overdue, "overdue as of \(month.asOf)")
      let last = try #require(s.progress.last)
      #expect(last.label == month.month && last.total == month.total)
      #expect(last.counts.map(\.count) == month.counts.values)
    }
  }

  @Test func ragFollowsTheRulesAndTheSettings() throws {
    let settings = try SummarySettings(
      settingsText: "summary:\n  amber-days: 10\n  stale-months: 2\n  grey: [superseded]\n")
    #expect(settings.amberDays == 10 && settings.staleMonths == 2 && settings.grey == ["superseded"])
    #expect(throws: TrackingError.self) {
      try SummarySettings(settingsText: "summary:\n  amber-days: soon\n")
    }
    #expect(throws: TrackingError.self) { try SummarySettings(settingsText: "summary:\n  colour: red\n") }

    let test = try TestRepository()
    func rec(_ id: String, _ status: String, due: String?) throws {
      try test.write(
        "Recommendations/\(id).yml", TestRepository.recommendation(id: id, status: status, due: due))
    }
    try rec("R-RED", "open", due: "2021-06-01")
    try rec("R-AMBER", "in-progress", due: "2021-06-25")
    try rec("R-GREEN", "in-progress", due: "2021-12-31")
    try rec("R-DONE", "complete", due: "2021-01-01")
    try rec("R-GREY", "superseded", due: "2021-01-01")
    try test.commit("Add\n", date: "2021-01-10T10:00:00+00:00")
    let repo = try TrackingRepository(at: test.path)
    let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
    let s = try Summary.build(
      repo: repo, history: history, request: SummaryRequest(asOf: CalendarDate("2021-06-15")!, since: nil),
      settings: settings)
    let rag = Dictionary(uniqueKeysWithValues: s.register.map { ($0.item.id, $0.rag) })
    #expect(
      rag == ["R-RED": .red, "R-AMBER": .amber, "R-GREEN": .green, "R-DONE": .green, "R-GREY": .grey])
    #expect(s.overdue.map(\.item.id) == ["R-RED"] && s.overdue.first?.daysOverdue == 14)
    // R-DONE awaits verification: it is listed there with its age, not as stale.
    #expect(Set(s.stale.map(\.item.id)) == ["R-RED", "R-AMBER", "R-GREEN"])
    #expect(s.awaitingVerification.map(\.id) == ["R-DONE"])
    #expect(s.ragRule.contains("due within 10 days"))
  }

  @Test func templateErrorsNameTheTemplateAndLine() throws {
    let (test, repo) = try Self.fixture()
    _ = test
    let s = try Self.summary(repo)
    do {
      _ = try SummaryRenderer.render(
        s, templateText: "# {{title}}\n\n{{#commits}}\n{{short}}\n", origin: "Templates/x.md.mustache")
      Issue.record("an unclosed section rendered")
    } catch {
      #expect("\(error)".contains("template Templates/x.md.mustache: error: line"))
    }
  }
}
