import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

@Suite struct HistoryTrailerTests {
  func date(_ message: String) -> String? { CommitDate.effectiveDate(inMessage: message)?.description }

  @Test func trailerInTheLastParagraph() {
    #expect(date("Close\n\nEffective: 2021-03-15\n") == "2021-03-15")
    #expect(date("Close\n\nBody text.\n\nSigned-off-by: A <a@b>\nEffective: 2021-03-15\n") == "2021-03-15")
    #expect(date("Close\r\n\r\neffective:   2021-03-15  \r\n") == "2021-03-15")
  }

  @Test func notATrailer() {
    #expect(date("Effective: 2021-03-15") == nil)
    #expect(date("Close\nEffective: 2021-03-15\n") == nil)
    #expect(date("Close\n\nEffective: 2021-03-15\n\nMore text after.\n") == nil)
    #expect(date("Close\n\nEffective: 2021-02-30\n") == nil)
    #expect(date("Close\n\nEffective: 15 March 2021\n") == nil)
    #expect(date("Close\n\nNot-Effective: 2021-03-15\n") == nil)
  }

  @Test func authorOffsetWhenThereIsNoTrailer() {
    // 2021-04-01T01:30:00Z seen from -02:00 is 31 March.
    let d = CommitDate.of(message: "Close", authorTime: 1_617_240_600, authorOffsetMinutes: -120)
    #expect(d.description == "2021-03-31")
    let e = CommitDate.of(
      message: "Close\n\nEffective: 2020-01-01", authorTime: 1_617_240_600, authorOffsetMinutes: -120)
    #expect(e.description == "2020-01-01")
  }

  @Test func recommendationFileNames() {
    #expect(RecommendationPath.id(fromFileName: "DP-DDR-01.yml") == "DP-DDR-01")
    #expect(RecommendationPath.id(fromFileName: "notes.yml") == nil)
    #expect(RecommendationPath.id(fromFileName: "DP--01.yml") == nil)
    #expect(RecommendationPath.id(fromFileName: "DP-01.yaml") == nil)
    #expect(RecommendationPath.id(fromFileName: ".yml") == nil)
    #expect(RecommendationPath.id(fromFileName: "DP-.yml") == nil)
  }
}

/// The trailer rules against git's own parser, message by message.
@Suite struct HistoryTrailerAgainstGitTests {
  static let messages = [
    "Close\n\nEffective: 2021-03-15\n",
    "Close\nEffective: 2021-03-15\n",
    "Effective: 2021-03-15\n",
    "Close\n\nDone on site.\nEffective: 2021-03-15\n",
    "Close\n\nDone on site.\nSigned-off-by: A <a@b>\nEffective: 2021-03-15\n",
    "Close\n\nSigned-off-by: A <a@b>\nEffective: 2021-03-15\nReviewed-by: B\n",
    "Close\n\nEffective: 2021-03-15\n  continued\n",
    "Close\n\nEffective : 2021-03-15\n",
    "Close\n\nEFFECTIVE: 2021-03-15\n",
    "Close\n\nEffective: 2021-02-30\nEffective: 2021-03-16\n",
    "Close\n\nEffective: 2021-03-15\n\nMore text.\n",
    "Close\n\nEffective: 2021-03-15\n---\npatch text\n",
    "\n\nClose\n\nEffective: 2021-03-15\n\n\n",
    "Close\r\n\r\nEffective: 2021-03-15\r\n",
  ]

  @Test(arguments: messages)
  func agreesWithGitInterpretTrailers(message: String) throws {
    let dir = try TemporaryDirectory()
    let git = GitCLI(directory: dir.path)
    let parsed = try git.run(["interpret-trailers", "--parse"], input: message)
    let fromGit = parsed.split(separator: "\n").compactMap { line -> CalendarDate? in
      guard let colon = line.firstIndex(of: ":"),
        line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "effective"
      else { return nil }
      return CalendarDate(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }.first
    #expect(CommitDate.effectiveDate(inMessage: message) == fromGit, "\(message.debugDescription)")
  }
}
