import Foundation
import RecTrackCore
import Testing

/// The parser's cost grows with the file, not faster: the history code parses up to ~60,000
/// file versions per run, and one long evidence block must not make a file cost its square.
///
/// The absolute budget (a typical file well under 10 microseconds in a release build) is
/// checked only when asked, in a release build on a quiet machine:
///
///     RECTRACK_FORMAT_BENCH=1 swift test -c release --filter FormatSpeed
@Suite struct FormatSpeedTests {
  /// The example of docs/format.md §2 with a multibyte progress line, a list and a user's own key added.
  static let typical =
    FormatTestSupport.specExample + """
        Second phase planned for Ysbyty Gwynedd – awaiting funding ✓
      evidence: [report-2020-03.pdf]
      review-note: "Checked by panel: 2021"

      """

  /// Thread CPU time rather than wall time: the machine is shared with other builds.
  static func cpuMicros() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1e6 + Double(t.tv_nsec) / 1e3
  }

  /// The least CPU time of `rounds` parses of `bytes`, in microseconds (the least is the one
  /// least disturbed by other work).
  static func fastestParse(_ bytes: [UInt8], rounds: Int) throws -> Double {
    var best = Double.infinity
    for _ in 0..<rounds {
      let start = cpuMicros()
      let doc = try RecommendationDocument(bytes: bytes, path: "p")
      best = min(best, cpuMicros() - start)
      #expect(doc.line(of: "status") != nil)
    }
    return best
  }

  /// A file 64 times longer (its text block 64 times longer) costs at most 8 times more per byte
  /// than a typical one: linear work passes easily, quadratic work (64 times more) fails.
  @Test func parseTimeGrowsLinearlyWithTheFile() throws {
    func file(blockLines: Int) -> [UInt8] {
      Array(
        (Self.typical + "notes: |\n"
          + String(
            repeating: "  A line of evidence from the panel, with some detail – ✓\n", count: blockLines)).utf8
      )
    }
    let small = file(blockLines: 40)
    let large = file(blockLines: 40 * 64)
    _ = try Self.fastestParse(large, rounds: 3)  // warm up
    let perByteSmall = try Self.fastestParse(small, rounds: 200) / Double(small.count)
    let perByteLarge = try Self.fastestParse(large, rounds: 20) / Double(large.count)
    let ratio = perByteLarge / perByteSmall
    #expect(ratio < 8, "per byte, the large file cost \(ratio) times the small one")
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["RECTRACK_FORMAT_BENCH"] != nil))
  func typicalFileParsesWithinTheBudget() throws {
    let bytes = Array(Self.typical.utf8)
    let statuses = ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"]
    let rounds = 200_000
    var sink = 0
    for _ in 0..<10_000 {
      sink &+= try RecommendationDocument(bytes: bytes, path: "p").line(of: "status") ?? 0
    }
    var start = Self.cpuMicros()
    for _ in 0..<rounds {
      sink &+= try RecommendationDocument(bytes: bytes, path: "p").line(of: "status") ?? 0
    }
    let parse = (Self.cpuMicros() - start) / Double(rounds)
    start = Self.cpuMicros()
    for _ in 0..<rounds {
      let r = try RecommendationDocument(bytes: bytes, path: "p").recommendation(
        expectedID: "DP-DDR-01", statuses: statuses)
      sink &+= r.tags.count
    }
    let typed = (Self.cpuMicros() - start) / Double(rounds)
    #expect(sink > 0)
    #expect(parse < 10, "parse took \(parse) µs per call")
    #expect(typed < 10, "parse+recommendation took \(typed) µs per call")
    print(
      "FormatSpeed: \(bytes.count) bytes, CPU time per call: parse \(String(format: "%.2f", parse)) µs, "
        + "parse+recommendation \(String(format: "%.2f", typed)) µs")
  }
}
