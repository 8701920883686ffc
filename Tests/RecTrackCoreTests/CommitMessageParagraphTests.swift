import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// Commit messages cut into paragraphs by bytes give what Foundation's
/// `components(separatedBy: "\n\n")` gives, on random texts of line breaks (CR too), blanks,
/// letters and combining marks.
@Suite struct CommitMessageParagraphTests {
  @Test func paragraphsCutAsFoundationCutsThem() {
    var random = SeededRandom(seed: 77)
    let pieces = ["a", "Key: v", " ", "\t", "\n", "\n", "\n\n", "é", "\u{301}", "👮🏽", ":", "\r", "\r\n"]
    for _ in 0..<3000 {
      let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)!
      }
      .joined()
      #expect(
        text.paragraphs.map(String.init) == text.components(separatedBy: "\n\n"), "\(text.debugDescription)")
    }
  }
}
