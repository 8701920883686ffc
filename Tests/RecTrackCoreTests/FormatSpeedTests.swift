import Foundation
import RecTrackCore
import Testing

/// A speed check, not a timed unit test: it only runs when asked, and only prints.
///
///     RECTRACK_FORMAT_BENCH=1 swift test -c release --filter FormatSpeed
///
/// The history code parses up to ~60,000 file versions per run, so a typical file should
/// parse in well under 10 microseconds in a release build.
@Suite struct FormatSpeedTests {
  /// The example of docs/format.md §2 with a multibyte progress line, a list and a user's own key added.
  static let typical =
    FormatTestSupport.specExample + """
        Second phase planned for Ysbyty Gwynedd – awaiting funding ✓
      evidence: [report-2020-03.pdf]
      review-note: "Checked by panel: 2021"

      """

  @Test(.enabled(if: ProcessInfo.processInfo.environment["RECTRACK_FORMAT_BENCH"] != nil))
  func parseSpeed() throws {
    let bytes = Array(Self.typical.utf8)
    let statuses = ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"]
    let rounds = 200_000
    var sink = 0
    for _ in 0..<10_000 {
      sink &+= try RecommendationDocument(bytes: bytes, path: "p").line(of: "status") ?? 0
    }
    // Thread CPU time rather than wall time: the machine is shared with other builds.
    func cpuMicros() -> Double {
      var t = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
      return Double(t.tv_sec) * 1e6 + Double(t.tv_nsec) / 1e3
    }
    var start = cpuMicros()
    for _ in 0..<rounds {
      sink &+= try RecommendationDocument(bytes: bytes, path: "p").line(of: "status") ?? 0
    }
    let parse = (cpuMicros() - start) / Double(rounds)
    start = cpuMicros()
    for _ in 0..<rounds {
      let r = try RecommendationDocument(bytes: bytes, path: "p").recommendation(
        expectedID: "DP-DDR-01", statuses: statuses)
      sink &+= r.tags.count
    }
    let typed = (cpuMicros() - start) / Double(rounds)
    let lines = Self.typical.split(separator: "\n", omittingEmptySubsequences: false).count - 1
    print(
      "FormatSpeed: \(bytes.count) bytes, \(lines) lines, CPU time per call: "
        + "parse \(String(format: "%.2f", parse)) µs, parse+recommendation \(String(format: "%.2f", typed)) µs"
        + " (sink \(sink))")
  }
}
