/// Lays out the progress points as a stacked bar chart. The geometry is computed here, not in
/// the template, so a template only copies numbers into SVG attributes: no user text ever goes
/// into an attribute, and a user's own template can draw the same chart without arithmetic.
enum SummaryChart {
  static let width = 720
  static let height = 280
  static let plotLeft = 44
  static let plotRight = 710
  static let plotTop = 12
  static let baseline = 240

  /// The colour of a status in the paper: the shared palette (Reports/Palette.swift).
  static func colour(of status: String, index: Int) -> String { Palette.colour(of: status, index: index).hex }

  static func layout(_ points: [Summary.ProgressPoint], statuses: [String]) -> Summary.Chart {
    let maxTotal = max(1, points.map(\.total).max() ?? 0)
    let step = niceStep(maxTotal)
    let top = ((maxTotal + step - 1) / step) * step
    let plotHeight = Double(baseline - plotTop)
    func y(_ v: Int) -> Int { baseline - Int((Double(v) / Double(top) * plotHeight).rounded()) }
    let slot = Double(plotRight - plotLeft) / Double(max(points.count, 1))
    let barWidth = min(48, max(2, Int((slot * 0.7).rounded())))
    var bars: [Summary.Chart.Bar] = []
    for (i, p) in points.enumerated() {
      let x = plotLeft + Int((Double(i) * slot + (slot - Double(barWidth)) / 2).rounded())
      var running = 0
      var segments: [Summary.Chart.Segment] = []
      for (k, c) in p.counts.enumerated() where c.count > 0 {
        let bottom = y(running)
        running += c.count
        let upper = y(running)
        segments.append(
          Summary.Chart.Segment(
            status: c.status, count: c.count, y: upper, height: bottom - upper,
            colour: colour(of: c.status, index: k)))
      }
      bars.append(
        Summary.Chart.Bar(
          label: p.label, x: x, width: barWidth,
          labelX: x + barWidth / 2, top: y(p.total), total: p.total, segments: segments))
    }
    let ticks = stride(from: 0, through: top, by: step).map { Summary.Chart.Tick(value: $0, y: y($0)) }
    return Summary.Chart(
      width: width, height: height, baseline: baseline, plotLeft: plotLeft, plotRight: plotRight, bars: bars,
      ticks: ticks,
      legend: statuses.enumerated().map {
        Summary.Chart.LegendEntry(status: $1, colour: colour(of: $1, index: $0))
      },
      description: describe(points))
  }

  /// A grid step giving about four to six lines: 1, 2 or 5 times a power of ten.
  static func niceStep(_ maxValue: Int) -> Int {
    var magnitude = 1
    while magnitude * 10 <= maxValue { magnitude *= 10 }
    for m in [1, 2, 5, 10] where maxValue / (m * magnitude) <= 5 { return m * magnitude }
    return 10 * magnitude
  }

  static func describe(_ points: [Summary.ProgressPoint]) -> String {
    guard let first = points.first, let last = points.last else { return "No recommendations recorded yet." }
    func counts(_ p: Summary.ProgressPoint) -> String {
      p.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.status)" }.joined(separator: ", ")
    }
    let span = points.count == 1 ? "on \(first.asOf)" : "from \(first.label) to \(last.label)"
    return "Stacked bars of recommendations by status \(span). "
      + "At \(first.label): \(first.total) in all\(first.total > 0 ? " (\(counts(first)))" : ""). "
      + "At \(last.label): \(last.total) in all\(last.total > 0 ? " (\(counts(last)))" : ""), \(last.closedPercent) closed. "
      + "The table gives every figure."
  }
}
