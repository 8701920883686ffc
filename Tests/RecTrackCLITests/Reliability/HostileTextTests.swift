import Foundation
import RecTrackTestSupport
import Testing

/// Text that arrives from colleagues (titles, author names, commit messages, meeting titles) is
/// shown on a terminal with its control characters visible, never sent raw; JSON stays exact.
@Suite struct HostileTextTests {
  let repo: TestRepository
  static let esc = "\u{1B}"

  init() throws {
    repo = try TestRepository()
    // A title with a clear-screen sequence, written as YAML's "\e" escape (valid in a file).
    try repo.write(
      "Recommendations/DP-01.yml",
      sampleRecommendation(id: "DP-01", title: "\"Evil \\e[2J title\"", owner: "\"Chief \\e[8m Constable\""))
    try repo.write("Recommendations/DP-02.yml", sampleRecommendation(id: "DP-02"))
    try repo.commitAll(
      "Add recommendations\n\nNote with \(Self.esc)]0;pwned\u{07} a title change",
      author: "Mallory\(Self.esc)[8m <m@example.org>")
  }

  func rectrack(_ args: String...) throws -> ProcessResult { try CLI.run(args, in: repo.path) }

  func expectVisible(_ r: ProcessResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!r.stdout.contains(Self.esc), "\(what): raw ESC on stdout", sourceLocation: sourceLocation)
    #expect(!r.stderr.contains(Self.esc), "\(what): raw ESC on stderr", sourceLocation: sourceLocation)
    #expect(!r.stdout.contains("\u{07}"), "\(what): raw BEL on stdout", sourceLocation: sourceLocation)
  }

  @Test func listShowLogAuditAndMeetingsShowEscapesVisibly() throws {
    let list = try rectrack("list")
    #expect(list.status == 0, "\(list.stderr)")
    expectVisible(list, "list")
    #expect(list.stdout.contains("Evil ^[[2J title"), "\(list.stdout)")

    let show = try rectrack("show", "DP-01")
    expectVisible(show, "show")
    #expect(show.stdout.contains("Evil ^[[2J title"))
    #expect(show.stdout.contains("Chief ^[[8m Constable"))

    let log = try rectrack("log", "DP-01")
    #expect(log.status == 0, "\(log.stderr)")
    expectVisible(log, "log")
    #expect(log.stdout.contains("by Mallory^[[8m <m@example.org>"), "\(log.stdout)")
    #expect(log.stdout.contains("^[]0;pwned^G"), "\(log.stdout)")

    let audit = try rectrack("audit")
    expectVisible(audit, "audit")
    #expect(audit.stdout.contains("Mallory^[[8m"), "\(audit.stdout)")

    let meeting = try rectrack(
      "meeting", "add", "2021-02-01", "--title", "Panel\(Self.esc)[2J", "--author", "A <a@example.org>")
    #expect(meeting.status == 0, "\(meeting.stderr)")
    expectVisible(meeting, "meeting add")
    let meetings = try rectrack("meeting", "list")
    expectVisible(meetings, "meeting list")
    #expect(meetings.stdout.contains("Panel^[[2J"))

    let progress = try rectrack("progress")
    expectVisible(progress, "progress")
  }

  @Test func jsonAndCSVKeepTheTextExactly() throws {
    let json = try rectrack("list", "--format", "json")
    let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(objects?.first { $0["id"] as? String == "DP-01" }?["title"] as? String == "Evil \u{1B}[2J title")
    let log = try rectrack("log", "DP-01", "--format", "json")
    #expect(log.stdout.contains("Mallory\\u001b[8m"), "\(log.stdout)")
  }

  @Test func validateAndErrorMessagesShowRawControlCharactersVisibly() throws {
    // A raw ESC (not the "\e" escape) is an error in the file; the message quotes the line.
    try repo.write(
      "Recommendations/DP-03.yml", sampleRecommendation(id: "DP-03", title: "Raw \(Self.esc)[31m red"))
    try repo.commitAll("Raw escape")
    let validate = try rectrack("validate")
    #expect(validate.status == 1)
    expectVisible(validate, "validate")
    #expect(validate.stdout.contains("title: Raw "), "\(validate.stdout)")
    let list = try rectrack("list")
    expectVisible(list, "list with a broken file")
    let progress = try rectrack("progress")
    expectVisible(progress, "progress with a broken file")
    let unknown = try rectrack("show", "DP-0\(Self.esc)[2J")
    #expect(unknown.status != 0)
    expectVisible(unknown, "show of a hostile ID")
  }
}
