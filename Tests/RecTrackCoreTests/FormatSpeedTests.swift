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
  static let typical = """
    # Deep Dive Scrutiny Review: illegal drugs
    id: DP-DDR-01
    title: Run targeted drug-intelligence campaigns with partner agencies
    source: Deep Dive Scrutiny Review - Illegal Drugs
    raised: 2019-10-01
    owner: Chief Constable
    lead: Head of Serious and Organised Crime   # optional
    due: 2020-09-30                             # optional
    priority: high                              # optional: high | medium | low
    status: in-progress
    tags: [intelligence, county-lines]          # optional
    description: |
      Engage partner agencies such as CrimeStoppers to run localised,
      targeted intelligence-gathering campaigns in known drug hot spots.

    progress: |
      Campaign launched in Llanelli and Newtown in March 2020.
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
    let clock = ContinuousClock()
    let parse = try clock.measure {
      for _ in 0..<rounds {
        sink &+= try RecommendationDocument(bytes: bytes, path: "p").line(of: "status") ?? 0
      }
    }
    let typed = try clock.measure {
      for _ in 0..<rounds {
        let r = try RecommendationDocument(bytes: bytes, path: "p").recommendation(
          expectedID: "DP-DDR-01", statuses: statuses)
        sink &+= r.tags.count
      }
    }
    func micros(_ d: Duration) -> Double {
      (Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(rounds)
    }
    print(
      "FormatSpeed: \(bytes.count) bytes, \(Self.typical.split(separator: "\n", omittingEmptySubsequences: false).count - 1) lines: "
        + "parse \(String(format: "%.2f", micros(parse))) µs, parse+recommendation \(String(format: "%.2f", micros(typed))) µs (sink \(sink))"
    )
  }
}
