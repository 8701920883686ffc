import Testing
import Yams

@testable import RecTrackCore

/// `rectrack.yml` is composed without Yams' implicit typing (`SettingsYAML`): every value the
/// settings readers take from it must read as it does through Yams' default resolver, which is
/// the reference here.
@Suite struct SettingsYAMLTests {
  /// Scalars as they appear after a key: plain, quoted, tagged, numbers, dates, nulls.
  static let scalars = [
    "true", "True", "TRUE", "tRue", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
    "on", "On", "ON", "off", "Off", "OFF", "y", "n", "1", "0", "'true'", "\"yes\"", "!!bool true",
    "!!bool false", "!!str true", "~", "null", "", "5", "-3", "0x1F", "0o17", "1_000", "\"5\"", "'7'",
    "5.5", "2026-04-01", "open", "in-progress", "Office of the PCC", "[a, b]", "{a: 1}",
  ]

  @Test(arguments: scalars)
  func aValueReadsAsYamsDefaultResolverReadsIt(_ scalar: String) throws {
    let text = "key: \(scalar)\n"
    let reference = try #require(try Yams.compose(yaml: text)?.mapping?["key"])
    let read = try #require(try SettingsYAML.compose(text)?.mapping?["key"])
    #expect(read.bool == reference.bool, "truth value of \(scalar)")
    #expect(read.string == reference.string, "text of \(scalar)")
    #expect(read.int == reference.int, "whole number of \(scalar)")
    #expect(read.sequence?.map(\.string) == reference.sequence?.map(\.string), "list of \(scalar)")
    #expect(read.mapping?.keys.map(\.string) == reference.mapping?.keys.map(\.string), "keys of \(scalar)")
  }

  /// The audit's switches read through it: a word, a quoted word (refused, as before), a date.
  @Test func theAuditSwitchesReadTheWordsAndTheDates() throws {
    func settings(_ value: String) throws -> AuditSettings {
      try AuditSettings(
        settingsText: "audit:\n  require-signed-commits: \(value)\n  overrides: \(value)\n",
        workflow: .standard)
    }
    for word in ["true", "Yes", "ON"] {
      let s = try settings(word)
      #expect(s.requireSignatures && s.requireSignaturesSince == nil, "\(word)")
      #expect(s.overridable == AuditRules.recordingIDs, "\(word)")
    }
    for word in ["false", "No", "OFF"] {
      let s = try settings(word)
      #expect(!s.requireSignatures, "\(word)")
      #expect(s.overridable.isEmpty, "\(word)")
    }
    let dated = try AuditSettings(
      settingsText: "audit:\n  require-signed-commits: 2026-04-01\n", workflow: .standard)
    #expect(dated.requireSignatures && dated.requireSignaturesSince == CalendarDate("2026-04-01"))
    #expect(throws: TrackingError.self) {
      try AuditSettings(settingsText: "audit:\n  require-signed-commits: \"true\"\n", workflow: .standard)
    }
  }
}
