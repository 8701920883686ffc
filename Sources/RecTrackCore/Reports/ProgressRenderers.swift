import Foundation

/// Renders a `ProgressReport` for people (table, chart) and for spreadsheets (CSV). Each
/// renderer only reads the model, so every format shows the same numbers.
public enum ProgressRenderer {
  /// A plain-text table, one row per month. `changeView` shows the movements (`--change`)
  /// instead of the month-end counts (the default, "historical" view). Fits `width` (nil: one
  /// line per month): headers wrap after hyphens, then the columns fold into blocks that each
  /// repeat the month.
  public static func table(_ report: ProgressReport, changeView: Bool = false, width: Int? = nil) -> String {
    let headers =
      changeView
      ? ["Opened", "Completed", "Closed", "Final", "Reopened", "Removed", "Total"]
      : ["Total"] + report.statuses + ["Final", "Overdue", "Change"]
    var table = TextTable(
      [TextTable.Column("Month")] + headers.map { TextTable.Column($0, alignment: .right) },
      narrow: .fold, underline: true)
    for m in report.months {
      if changeView {
        let v = m.movements
        table.add(
          [m.month]
            + [v.opened, v.completed, v.closed, v.final, v.reopened, v.removed, m.total].map { "\($0)" })
      } else {
        table.add(
          [m.month, "\(m.total)"] + m.counts.values.map { "\($0)" }
            + [percent(m.finalShare), "\(m.overdue)", signed(m.change.total)])
      }
    }
    return table.render(width: width)
  }

  /// CSV: a header, then one row per month (fields quoted as RFC 4180 says, LF line ends like `list`).
  public static func csv(_ report: ProgressReport, changeView: Bool = false) -> String {
    var lines: [[String]] = []
    if changeView {
      lines.append(
        ["month", "asOf", "opened", "completed", "closed", "final", "reopened", "removed", "total"])
      for m in report.months {
        let v = m.movements
        lines.append(
          [m.month, m.asOf.description]
            + [v.opened, v.completed, v.closed, v.final, v.reopened, v.removed, m.total].map {
              "\($0)"
            })
      }
    } else {
      lines.append(
        ["month", "asOf", "total"] + report.statuses + ["final", "finalShare", "overdue", "change"])
      for m in report.months {
        lines.append(
          [m.month, m.asOf.description, "\(m.total)"] + m.counts.values.map { "\($0)" }
            + ["\(m.final)", "\(m.finalShare)", "\(m.overdue)", "\(m.change.total)"])
      }
    }
    return lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }

  /// A horizontal stacked bar per month, scaled to the largest total.
  ///
  /// - Parameter colour: ANSI colours (the CLI passes true only when standard output is a
  ///   terminal and `NO_COLOR` is unset); otherwise each status gets its own plain character.
  public static func chart(
    _ report: ProgressReport, width: Int = 50, colour: Bool, lineWidth: Int? = nil
  ) -> String {
    let plain: [Character] = ["o", "=", "+", "#", "x", "~", "*", "%", "@", "&"]
    let palette = Palette(statuses: report.statuses)
    func segment(_ status: Int, _ length: Int) -> String {
      guard length > 0 else { return "" }
      if colour {
        return palette.ansi(String(repeating: "█", count: length), status: report.statuses[status])
      }
      return String(repeating: plain[status % plain.count], count: length)
    }
    let maxTotal = max(1, report.months.map(\.total).max() ?? 0)
    let totalWidth = report.months.map { "\($0.total)".count }.max() ?? 1
    var out = ""
    for m in report.months {
      var bar = ""
      var cumulative = 0
      var drawn = 0
      for (i, count) in m.counts.values.enumerated() {
        cumulative += count
        let end = Int((Double(cumulative) * Double(width) / Double(maxTotal)).rounded())
        bar += segment(i, end - drawn)
        drawn = end
      }
      let total = "\(m.total)"
      out +=
        "\(m.month) " + String(repeating: " ", count: totalWidth - total.count) + total + " |" + bar + "\n"
    }
    // The legend: each status's mark and its name, as many per line as fit.
    out += "\n"
    var line = ""
    var shown = 0
    for (i, s) in report.statuses.enumerated() {
      let entry = "\(segment(i, 1)) \(VisibleText.line(s))"
      let entryWidth = 2 + VisibleText.line(s).count
      if shown > 0, let lineWidth, shown + 2 + entryWidth > lineWidth {
        out += line + "\n"
        line = ""
        shown = 0
      }
      line += (shown > 0 ? "  " : "") + entry
      shown += (shown > 0 ? 2 : 0) + entryWidth
    }
    out += line + "\n"
    return out
  }

  /// The report as the JSON document of docs/format.md §8 (plus extra keys), UTF-8, ending in a newline.
  public static func json(_ report: ProgressReport) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(report) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  private static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
  private static func signed(_ v: Int) -> String { v > 0 ? "+\(v)" : "\(v)" }

  private static func csvField(_ s: String) -> String { RecommendationOutput.csvField(s) }
}
