import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// Commit messages cut into paragraphs by bytes give what Foundation's
/// `components(separatedBy: "\n\n")` gives, on random texts of line breaks (CR too), blanks,
/// letters and combining marks; cut into lines (or the first line), what `split` by characters
/// gives; trimmed by bytes, what trimming scalar by scalar gives.
@Suite struct CommitMessageParagraphTests {
  static let pieces = [
    "a", "Key: v", " ", "\t", "\n", "\n", "\n\n", "é", "\u{301}", "👮🏽", ":", "\r", "\r\n",
    "\u{A0}", "\u{2003}", "\u{200B}", " \u{301}", "\n\u{301}", "\u{85}",
  ]

  static func text(_ random: inout SeededRandom) -> String {
    (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
  }

  @Test func linesCutAsCharactersCutThem() {
    var random = SeededRandom(seed: 78)
    for _ in 0..<3000 {
      let text = Self.text(&random)
      for omitting in [false, true] {
        #expect(
          text.lines(omittingEmpty: omitting).map(String.init)
            == text.split(separator: "\n", omittingEmptySubsequences: omitting).map(String.init),
          "\(text.debugDescription), omitting empty: \(omitting)")
      }
      let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      #expect(String(text.firstLine) == String(first), "first line of \(text.debugDescription)")
    }
  }

  /// The trim as it was written before (scalar by scalar): the reference.
  static func trimmedByScalars<S: StringProtocol>(_ s: S) -> String {
    let scalars = s.unicodeScalars
    func ws(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, ws(scalars[start]) { start = scalars.index(after: start) }
    while end > start, ws(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return String(String.UnicodeScalarView(scalars[start..<end]))
  }

  @Test func trimmingByBytesIsTrimmingByScalars() {
    var random = SeededRandom(seed: 79)
    for _ in 0..<3000 {
      let text = Self.text(&random)
      #expect(text.trimmingWhitespace == Self.trimmedByScalars(text), "\(text.debugDescription)")
      // A slice of a longer text, as the parser trims its lines and paragraphs.
      let longer = "x" + text + "y"
      let slice = longer.dropFirst().dropLast()
      #expect(slice.trimmingWhitespace == Self.trimmedByScalars(slice), "\(text.debugDescription) as a slice")
      #expect(
        Array(slice.trimmingWhitespace.unicodeScalars) == Array(Self.trimmedByScalars(slice).unicodeScalars))
    }
  }

  @Test func paragraphsCutAsFoundationCutsThem() {
    var random = SeededRandom(seed: 77)
    for _ in 0..<3000 {
      let text = Self.text(&random)
      #expect(
        text.paragraphs.map(String.init) == text.components(separatedBy: "\n\n"), "\(text.debugDescription)")
    }
  }
}
