import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// `audit --format json` is written straight into bytes (`AuditOutput.jsonBytes`); it must be
/// exactly the text `JSONEncoder` writes for the same `AuditReport`.
@Suite struct AuditJSONTests {
  static func encoded(_ report: AuditReport) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
  }

  @Test func plantedHistoryIsWhatJSONEncoderWrites() throws {
    let t = try AuditTests()
    let ack = try #require(try t.audit().findings.first)
    try t.b.repo.git(
      "commit", "--allow-empty", "-m", "Acknowledge\n\n\(AuditFindingID.trailer): \(ack.id)\n",
      "--author", AuditHistoryBuilder.commissioner)
    for options in [
      AuditOptions(), AuditOptions(id: "R-03"), AuditOptions(range: "HEAD~3..HEAD"),
      AuditOptions(since: CalendarDate("2021-01-12"), until: CalendarDate("2021-01-14"), failOn: .warning),
    ] {
      let report = try t.audit(options)
      #expect(!report.changes.isEmpty || options.range != nil)
      #expect(AuditOutput.json(report) == (try Self.encoded(report)))
    }
  }

  /// `audit --format json` without `--range` writes each row as the walk finds it
  /// (`AuditOutput.JSONStream`): the same text as the whole report written at the end.
  @Test func rowsWrittenWhileWalkingAreTheWholeReportsText() throws {
    let t = try AuditTests()
    for options in [
      AuditOptions(), AuditOptions(id: "R-03"), AuditOptions(id: "R-99"),
      AuditOptions(since: CalendarDate("2021-01-12"), until: CalendarDate("2021-01-14"), failOn: .warning),
    ] {
      let whole = try t.audit(options)
      var bytes: [UInt8] = []
      let stream = AuditOutput.JSONStream { bytes += $0 }
      var rows = 0
      let report = try Auditor(repo: try TrackingRepository(at: t.b.repo.path)).run(
        options,
        changes: {
          stream.add($0)
          rows += 1
        })
      #expect(report.changes.isEmpty)
      #expect(rows == whole.changes.count)
      stream.finish(report)
      #expect(String(decoding: bytes, as: UTF8.self) == AuditOutput.json(whole))
      #expect(AuditOutput.json(whole) == (try Self.encoded(whole)))
    }
  }

  @Test func everyOptionalAndAwkwardTextIsWhatJSONEncoderWrites() throws {
    let t = try AuditTests()
    var report = try t.audit()
    let awkward =
      "tab\t quote\" back\\ slash/ nl\n cr\r esc\u{1B} nul\u{0} bell\u{7} \u{8}\u{C} del\u{7F}"
      + " é 😀 \u{2028}"
    report.base = awkward
    report.filters = AuditFilters(since: CalendarDate("2021-01-01"), until: nil, id: awkward, range: "a..b")
    report.signatures.requiredSince = CalendarDate("2020-02-29")
    report.signatures.tools = []
    report.notChecked = []
    report.seals = []
    report.changes[0].note = awkward
    report.changes[0].reason = ""
    report.changes[0].signature = .unverified
    report.changes[0].previousFile = awkward
    report.changes[0].due = AuditValueChange(from: nil, to: nil)
    report.changes[0].fields = []
    report.changes[0].parents = []
    report.findings[0].details = []
    report.findings[0].acknowledged = AuditAcknowledgement(by: awkward, at: "x", note: "", commit: "c")
    report.findings[1].commit = nil
    report.findings[1].details = [awkward, ""]
    #expect(AuditOutput.json(report) == (try Self.encoded(report)))
    report.changes = []
    report.findings = []
    report.head = nil
    report.filters = AuditFilters()
    #expect(AuditOutput.json(report) == (try Self.encoded(report)))
  }
}
