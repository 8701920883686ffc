import Foundation

/// Renders an `AuditReport`: a readable table, CSV for spreadsheets, and JSON (the report
/// value itself, encoded).
public enum AuditOutput {
  /// The report as pretty JSON with sorted keys, ending in a newline (`JSONEncoder`'s text of
  /// the value, written by `jsonBytes`).
  public static func json(_ report: AuditReport) -> String {
    String(decoding: jsonBytes(report), as: UTF8.self)
  }

  /// What changed, in a few words: `status open -> closed; due 2020-09-30 -> 2021-03-31; title`.
  public static func describe(_ c: AuditChange) -> String {
    var parts: [String] = []
    switch c.kind {
    case .added: parts.append("added")
    case .deleted: parts.append("deleted")
    case .moved: parts.append("moved from \(c.previousFile ?? "?")")
    case .modified: break
    }
    if let s = c.status { parts.append("status \(s.from ?? "none") -> \(s.to ?? "none")") }
    if let d = c.due { parts.append("due \(d.from ?? "none") -> \(d.to ?? "none")") }
    if !c.fields.isEmpty && c.kind != .added && c.kind != .deleted {
      parts.append(c.fields.joined(separator: ", "))
    }
    if !c.valid {
      parts.append("invalid file")
    } else if !c.previousValid && c.kind != .added {
      parts.append("invalid file repaired")
    }
    if c.merge { parts.append("(merge resolution)") }
    return parts.isEmpty ? "comments or layout only" : parts.joined(separator: "; ")
  }

  /// The changes as a table that fits `width` (nil: every column on one line per row), then the
  /// findings one per line, then what was and was not checked. The CHANGE column is never cut:
  /// it wraps between changes, and at narrow widths each change becomes a block of lines. A
  /// change recorded late shows its effective day with the recorded one, so it is never hidden.
  public static func table(_ r: AuditReport, width: Int?) -> String {
    var out = ""
    if r.changes.isEmpty {
      out += "No changes to recommendations in the audited history.\n"
    } else {
      var table = TextTable([
        .init("COMMIT", head: true),
        .init("RECORDED", keepWhole: true, separator: " (", head: true, minWidth: 10),
        .init("AUTHOR", keepWhole: true, separator: " <", minWidth: 14),
        .init("COMMITTER", wraps: true, optional: true, minWidth: 10),
        .init("ID", head: true), .init("CHANGE", keepWhole: true, minWidth: 14),
        .init("NOTE", wraps: true, minWidth: 14),
      ])
      for c in r.changes {
        let committer =
          c.committer.email == c.author.email
          ? "same" : "\(c.committer.name) \(String(c.committer.date.prefix(10)))"
        table.add([
          String(c.commit.prefix(10)),
          c.recorded.description + (c.effective == c.recorded ? "" : " (effective \(c.effective))"),
          "\(c.author.name) <\(c.author.email)>", committer, c.recommendation, describe(c),
          c.note ?? (c.byRectrack ? "" : "(outside rectrack) " + c.summary),
        ])
      }
      out += table.render(width: width)
    }
    out += "\n"
    if r.findings.isEmpty {
      out += "No findings.\n"
    } else {
      out += "Findings:\n"
      let ruleWidth = r.findings.map(\.rule.rawValue.count).max() ?? 0
      for f in r.findings {
        let commit = f.commit.map { String($0.prefix(10)) } ?? "-"
        let severity = f.acknowledged == nil ? f.severity.rawValue : "ack"
        let head =
          "  \(severity.padding(toLength: 7, withPad: " ", startingAt: 0)) \(f.rule.rawValue.padding(toLength: ruleWidth, withPad: " ", startingAt: 0))  \(f.id)  \(commit)  "
        if let width, head.count + VisibleText.line(f.message).count > width {
          // Too wide for one line: the message goes on its own lines below.
          out +=
            TextTable.trimTrailing(head) + "\n"
            + TextTable.wrap(VisibleText.line(f.message), width: width, indent: "      ")
        } else {
          out += head + VisibleText.line(f.message) + "\n"
        }
        for d in f.details ?? [] {
          out +=
            width.map { TextTable.wrap(VisibleText.line(d), width: $0, indent: "      ") }
            ?? "      \(VisibleText.line(d))\n"
        }
        if let a = f.acknowledged {
          let line =
            "acknowledged by \(a.by) at \(a.at): \(a.note.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " "))"
          out += width.map { TextTable.wrap(line, width: $0, indent: "      ") } ?? "      \(line)\n"
        }
      }
    }
    out += "\n"
    var tail = ""
    if r.signatures.required { tail += r.signatures.statement + "\n" }
    for n in r.notChecked { tail += "Not checked: \(n).\n" }
    tail +=
      "\(r.commitsWalked) commit\(r.commitsWalked == 1 ? "" : "s") walked, \(r.changes.count) change\(r.changes.count == 1 ? "" : "s"): "
    tail +=
      "\(r.counts.error) error\(r.counts.error == 1 ? "" : "s"), \(r.counts.warning) warning\(r.counts.warning == 1 ? "" : "s"), "
    tail += "\(r.counts.info) note\(r.counts.info == 1 ? "" : "s")"
    tail += r.counts.acknowledged > 0 ? ", \(r.counts.acknowledged) acknowledged. " : ". "
    tail +=
      r.passed ? "Passed (fails on \(r.failOn.rawValue)).\n" : "FAILED (fails on \(r.failOn.rawValue)).\n"
    guard let width else { return out + tail }
    for line in tail.split(separator: "\n") { out += TextTable.wrap(String(line), width: width, indent: "") }
    return out
  }

  public static let csvColumns = [
    "record", "commit", "recorded", "effective", "author", "author_email", "author_date", "committer",
    "committer_email", "committer_date", "recommendation", "file", "kind", "status_from", "status_to",
    "due_from",
    "due_to", "fields", "note", "by_rectrack", "rule", "severity", "message", "finding_id",
    "acknowledged_by", "acknowledged_at", "acknowledged_note",
  ]

  /// One CSV table: a `change` row per change, then a `finding` row per finding (the `record`
  /// column tells them apart, so a spreadsheet filter shows either).
  public static func csv(_ r: AuditReport) -> String {
    var lines = [csvColumns.joined(separator: ",")]
    for c in r.changes {
      let values = [
        "change", c.commit, c.recorded.description, c.effective.description, c.author.name, c.author.email,
        c.author.date, c.committer.name, c.committer.email, c.committer.date, c.recommendation, c.file,
        c.kind.rawValue, c.status?.from ?? "", c.status?.to ?? "", c.due?.from ?? "", c.due?.to ?? "",
        c.fields.joined(separator: "; "), c.note ?? "", c.byRectrack ? "yes" : "no", "", "", "", "", "", "",
        "",
      ]
      lines.append(values.map(RecommendationOutput.csvField).joined(separator: ","))
    }
    for f in r.findings {
      var values = Array(repeating: "", count: csvColumns.count)
      values[0] = "finding"
      values[1] = f.commit ?? ""
      values[10] = f.recommendation ?? ""
      values[11] = f.file ?? ""
      values[20] = f.rule.rawValue
      values[21] = f.severity.rawValue
      values[22] = ([f.message] + (f.details ?? [])).joined(separator: "\n")
      values[23] = f.id
      values[24] = f.acknowledged?.by ?? ""
      values[25] = f.acknowledged?.at ?? ""
      values[26] = f.acknowledged?.note ?? ""
      lines.append(values.map(RecommendationOutput.csvField).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

}
