import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// One palette for the terminal and the paper; NO_COLOR and --color honoured; the status words
/// are always printed, so colour never carries meaning alone.
@Suite struct ColourTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write(
      "Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", status: "in-progress"))
    try repo.commitAll("Add recommendations")
  }

  func run(_ args: [String], _ env: [String: String] = [:]) throws -> ProcessResult {
    try CLI.run(args, in: repo.path, environment: ["COLUMNS": "80"].merging(env) { $1 })
  }

  static func plain(_ s: String) -> String {
    s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
  }

  @Test func colourIsAskedForOrNotAndWordsStayEitherWay() throws {
    let always = try run(["list", "--color", "always"])
    let open = "\u{1B}[38;5;\(Palette.named["open"]!.ansi256)mopen\u{1B}[0m"
    #expect(always.stdout.contains(open), "\(always.stdout)")
    #expect(always.stdout.contains("in-progress"))
    let never = try run(["list", "--color", "never"])
    #expect(!never.stdout.contains("\u{1B}"))
    #expect(Self.plain(always.stdout) == never.stdout, "colour changed the layout")
    // auto: not a terminal here, and NO_COLOR is set by the test runner: no colour.
    #expect(!(try run(["list"])).stdout.contains("\u{1B}"))
    #expect(!(try run(["list", "--color", "auto"], ["NO_COLOR": "1"])).stdout.contains("\u{1B}"))

    let chart = try run(["progress", "--chart", "--color", "always", "--from", "2021-01", "--to", "2021-02"])
    #expect(chart.stdout.contains("\u{1B}[38;5;"))
    for s in ["open", "in-progress", "complete", "closed"] { #expect(chart.stdout.contains(s)) }
    let plainChart = try run([
      "progress", "--chart", "--color", "never", "--from", "2021-01", "--to", "2021-02",
    ])
    #expect(!plainChart.stdout.contains("\u{1B}"))
    #expect(plainChart.stdout.contains("o open"))
  }

  @Test func thePaperUsesTheSamePalette() throws {
    let html = try run(["summary", "--as-of", "2021-02-28", "--since", "2021-01-01", "--format", "html"])
    #expect(html.status == 0, "\(html.stderr)")
    for status in ["open", "in-progress"] {
      #expect(html.stdout.contains(Palette.named[status]!.hex), "\(status) colour not in the paper")
    }
  }
}
