import Foundation

/// Renders recommendations for `list` and `show`: a terminal table, CSV, JSON, and a text card.
public enum RecommendationOutput {
  /// The JSON object of one recommendation: every key of its file (lists as arrays), plus `file`.
  public static func jsonObject(_ r: Recommendation) -> [String: Any] {
    var obj: [String: Any] = ["file": r.file]
    for (key, value) in r.fields {
      switch value {
      case .text(let s): obj[key] = s
      case .list(let items): obj[key] = items
      }
    }
    return obj
  }

  /// Pretty, key-sorted JSON text ending in a newline.
  public static func json(_ value: Any) -> String {
    let data = (try? JSONSerialization.data(
      withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  public static let csvColumns = ["id", "status", "title", "owner", "source", "raised", "due", "priority", "lead", "tags", "file"]

  /// One header row and one row per recommendation, RFC 4180 quoting, CRLF-free.
  public static func csv(_ recs: [Recommendation]) -> String {
    var rows = [csvColumns.map(csvField).joined(separator: ",")]
    for r in recs {
      let values = [
        r.id, r.status, r.title, r.owner, r.source, r.raised.description, r.due?.description ?? "",
        r.priority ?? "", r.lead ?? "", r.tags.joined(separator: "; "), r.file,
      ]
      rows.append(values.map(csvField).joined(separator: ","))
    }
    return rows.joined(separator: "\n") + "\n"
  }

  /// One CSV cell: formula-like text neutralised (`CSVCell`), then quoted as RFC 4180 says.
  static func csvField(_ raw: String) -> String {
    let s = CSVCell.neutralised(raw)
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
  }

  /// True when `r` is overdue on `day`: due before it, and neither complete nor finished.
  public static func isOverdue(_ r: Recommendation, on day: CalendarDate, workflow: Workflow) -> Bool {
    guard let due = r.due else { return false }
    return due < day && r.status != "complete" && !workflow.terminal.contains(r.status)
  }

  /// A table that fits `width` columns: the title column takes what is left and is cut with "…".
  public static func table(_ recs: [Recommendation], width: Int, today: CalendarDate, workflow: Workflow) -> String {
    if recs.isEmpty { return "" }
    let headers = ["ID", "STATUS", "DUE", "OWNER", "TITLE"]
    var rows: [[String]] = recs.map { r in
      var due = r.due.map(TextTable.humanDate) ?? "-"
      if isOverdue(r, on: today, workflow: workflow) { due += " (overdue)" }
      return [r.id, r.status, due, r.owner, r.title]
    }
    rows.insert(headers, at: 0)
    return TextTable.render(rows, width: width, flexibleColumn: 4, shrinkable: [3, 4]) + "\(recs.count) recommendation\(recs.count == 1 ? "" : "s")\n"
  }

  /// A readable card for `show`.
  public static func card(_ r: Recommendation, today: CalendarDate, workflow: Workflow, width: Int) -> String {
    var out = "\(r.id)  \(r.title)\n\n"
    var facts: [(String, String)] = [("Status", r.status), ("Owner", r.owner)]
    if let lead = r.lead { facts.append(("Lead", lead)) }
    facts.append(("Source", r.source))
    facts.append(("Raised", TextTable.humanDate(r.raised)))
    if let due = r.due {
      var text = TextTable.humanDate(due)
      if isOverdue(r, on: today, workflow: workflow) {
        let days = today.daysSinceEpoch - due.daysSinceEpoch
        text += " (overdue by \(days) day\(days == 1 ? "" : "s"))"
      }
      facts.append(("Due", text))
    }
    if let p = r.priority { facts.append(("Priority", p)) }
    if !r.tags.isEmpty { facts.append(("Tags", r.tags.joined(separator: ", "))) }
    if let s = r.supersededBy { facts.append(("Superseded by", s)) }
    facts.append(("File", r.file))
    let w = facts.map(\.0.count).max() ?? 0
    for (k, v) in facts { out += "  " + (k + ":").padding(toLength: w + 1, withPad: " ", startingAt: 0) + " " + v + "\n" }
    let known: Set<String> = [
      "id", "title", "source", "raised", "owner", "lead", "due", "priority", "status", "tags", "description",
      "progress", "superseded-by",
    ]
    for (heading, key) in [("Description", "description"), ("Progress", "progress"), ("Evidence", "evidence")] {
      guard let value = r.fields.first(where: { $0.key == key })?.value else { continue }
      out += "\n\(heading)\n"
      switch value {
      case .text(let s): out += TextTable.wrap(s, width: width, indent: "  ")
      case .list(let items): out += items.map { "  - \($0)\n" }.joined()
      }
    }
    let others = r.fields.filter { !known.contains($0.key) && $0.key != "evidence" }
    if !others.isEmpty {
      out += "\nOther fields\n"
      for (k, v) in others {
        switch v {
        case .text(let s): out += "  \(k): \(s.trimmingWhitespace.replacingOccurrences(of: "\n", with: " / "))\n"
        case .list(let items): out += "  \(k): \(items.joined(separator: ", "))\n"
        }
      }
    }
    return out
  }
}

/// Plain-text tables and dates as people write them.
public enum TextTable {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// `2020-09-30` as `30 Sep 2020`.
  public static func humanDate(_ d: CalendarDate) -> String { "\(d.day) \(months[d.month - 1]) \(d.year)" }

  /// Columns padded to their widest cell; `flexibleColumn` is cut so each line fits `width`.
  public static func render(_ rows: [[String]], width: Int, flexibleColumn: Int, shrinkable: [Int] = []) -> String {
    let rows = rows.map { $0.map(VisibleText.line) }
    guard let first = rows.first else { return "" }
    var widths = first.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
    let total = widths.reduce(0, +) + 2 * (widths.count - 1)
    if total > width {
      var excess = total - width
      for i in ([flexibleColumn] + shrinkable.filter { $0 != flexibleColumn }) where excess > 0 {
        let minimum = min(widths[i], i == flexibleColumn ? 20 : 12)
        let cut = min(excess, widths[i] - minimum)
        widths[i] -= cut
        excess -= cut
      }
    }
    var out = ""
    for row in rows {
      var cells: [String] = []
      for (i, cell) in row.enumerated() {
        var c = cell
        if c.count > widths[i] { c = String(c.prefix(max(0, widths[i] - 1))) + "…" }
        cells.append(i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0))
      }
      out += cells.joined(separator: "  ").trimmingTrailingSpaces + "\n"
    }
    return out
  }

  /// Wraps paragraphs to `width`, keeping blank lines between them.
  public static func wrap(_ text: String, width: Int, indent: String) -> String {
    var out = ""
    for para in text.replacingCRLF.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      for word in para.split(separator: " ") {
        if !line.isEmpty && indent.count + line.count + 1 + word.count > width {
          out += indent + line + "\n"
          line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
      }
      out += line.isEmpty ? "\n" : indent + line + "\n"
    }
    while out.hasSuffix("\n\n") { out.removeLast() }
    return out
  }
}

extension String {
  var trimmingTrailingSpaces: String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
