import Foundation

/// Renders recommendations for `list` and `show`: a terminal table, CSV, JSON, and a text card.
public enum RecommendationOutput {
  /// The JSON object of one recommendation: every key of its file (lists as arrays), plus `file`.
  /// - Parameter recordedAt: the full id of the commit the history was read at (docs/format.md §6;
  ///   nil: none recorded), written as `recordedAt` (null when nil).
  public static func jsonObject(_ r: Recommendation, recordedAt: String?) -> [String: Any] {
    var obj = jsonObject(r)
    obj["recordedAt"] = recordedAt ?? NSNull()
    return obj
  }

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
    let data =
      (try? JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data("null".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  public static let csvColumns = [
    "id", "status", "title", "owner", "source", "raised", "due", "priority", "lead", "tags", "file",
  ]

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
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ")
      || s.hasSuffix(" ")
    {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
  }

  /// True when `r` is overdue on `day` (the rule is `Workflow.isOverdue`).
  public static func isOverdue(_ r: Recommendation, on day: CalendarDate, workflow: Workflow) -> Bool {
    workflow.isOverdue(status: r.status, due: r.due, on: day)
  }

  /// The table of `list`: fits `width` (nil: every column, one line per row), titles wrapped,
  /// never cut; the lead and tags are extra columns shown when there is room (or with --wide).
  public static func table(
    _ recs: [Recommendation], width: Int?, today: CalendarDate, workflow: Workflow, palette: Palette? = nil
  ) -> String {
    if recs.isEmpty { return "" }
    var table = TextTable([
      .init("ID", head: true), .init("STATUS", head: true, isStatus: true),
      .init("DUE", keepWhole: true, separator: " (", head: true, minWidth: 11),
      .init("OWNER", wraps: true, minWidth: 10),
      .init("TITLE", wraps: true, minWidth: 16),
      .init("TAGS", keepWhole: true, separator: ", ", optional: true, minWidth: 10),
    ])
    let anyTags = recs.contains { !$0.tags.isEmpty }
    if !anyTags { table.columns.removeLast() }
    for r in recs {
      var due = r.due.map(TextTable.humanDate) ?? "-"
      if isOverdue(r, on: today, workflow: workflow) { due += " (overdue)" }
      var cells = [r.id, r.status, due, r.owner, r.title]
      if anyTags { cells.append(r.tags.joined(separator: ", ")) }
      table.add(cells)
    }
    return table.render(width: width, palette: palette)
      + "\(recs.count) recommendation\(recs.count == 1 ? "" : "s")\n"
  }

  /// A readable card for `show`.
  public static func card(_ r: Recommendation, today: CalendarDate, workflow: Workflow, width: Int) -> String
  {
    var out = TextTable.hanging("\(r.id)  ", r.title, width: width) + "\n"
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
    for (k, v) in facts {
      out += TextTable.hanging(
        "  " + (k + ":").padding(toLength: w + 1, withPad: " ", startingAt: 0) + " ", v, width: width)
    }
    let known: Set<String> = [
      "id", "title", "source", "raised", "owner", "lead", "due", "priority", "status", "tags", "description",
      "progress", "superseded-by",
    ]
    for (heading, key) in [
      ("Description", "description"), ("Progress", "progress"), ("Evidence", "evidence"),
    ] {
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
        case .text(let s):
          out += "  \(k): \(s.trimmingWhitespace.replacingOccurrences(of: "\n", with: " / "))\n"
        case .list(let items): out += "  \(k): \(items.joined(separator: ", "))\n"
        }
      }
    }
    return out
  }
}
