import Foundation

/// Renders a `ProgressReport` for people (table, chart) and for spreadsheets (CSV). Each
/// renderer only reads the model, so every format shows the same numbers.
public enum ProgressRenderer {
  /// A plain-text table, one row per month. `changeView` shows the movements (`--change`)
  /// instead of the month-end counts (the default, "historical" view).
  public static func table(_ report: ProgressReport, changeView: Bool = false) -> String {
    var rows: [[String]] = []
    if changeView {
      rows.append(["Month", "Opened", "Completed", "Closed", "Reopened", "Removed", "Total"])
      for m in report.months {
        let v = m.movements
        rows.append(
          [
            m.month, "\(v.opened)", "\(v.completed)", "\(v.closed)", "\(v.reopened)", "\(v.removed)",
            "\(m.total)",
          ])
      }
    } else {
      rows.append(["Month", "Total"] + report.statuses + ["Final", "Overdue", "Change"])
      for m in report.months {
        rows.append(
          [m.month, "\(m.total)"] + m.counts.values.map { "\($0)" }
            + [percent(m.finalShare), "\(m.overdue)", signed(m.change.total)])
      }
    }
    rows = rows.map { $0.map(VisibleText.line) }
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    var out = ""
    for (r, row) in rows.enumerated() {
      let cells = row.enumerated().map { c, text in
        let pad = String(repeating: " ", count: widths[c] - text.count)
        return c == 0 ? text + pad : pad + text
      }
      out += cells.joined(separator: "  ") + "\n"
      if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
    }
    return out
  }

  /// CSV: a header, then one row per month (fields quoted as RFC 4180 says, LF line ends like `list`).
  public static func csv(_ report: ProgressReport, changeView: Bool = false) -> String {
    var lines: [[String]] = []
    if changeView {
      lines.append(["month", "asOf", "opened", "completed", "closed", "reopened", "removed", "total"])
      for m in report.months {
        let v = m.movements
        lines.append(
          [m.month, m.asOf.description]
            + [v.opened, v.completed, v.closed, v.reopened, v.removed, m.total].map {
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
  public static func chart(_ report: ProgressReport, width: Int = 50, colour: Bool) -> String {
    let plain: [Character] = ["o", "=", "+", "#", "x", "~", "*", "%", "@", "&"]
    let colours = [31, 33, 34, 32, 35, 36, 91, 93, 94, 92]
    func segment(_ status: Int, _ length: Int) -> String {
      guard length > 0 else { return "" }
      if colour {
        return "\u{1B}[\(colours[status % colours.count])m" + String(repeating: "█", count: length)
          + "\u{1B}[0m"
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
    let legend = report.statuses.enumerated().map { i, s in "\(segment(i, 1)) \(VisibleText.line(s))" }
    out += "\n" + legend.joined(separator: "  ") + "\n"
    return out
  }

  /// The report as the JSON document of spec section 6 (plus extra keys), UTF-8, ending in a newline.
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
