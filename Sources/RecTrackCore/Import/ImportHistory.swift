import Foundation

/// One row as read, for the changes of a dated log or a later snapshot.
struct RowData {
  var row: Int
  var values: [String: FieldValue]
  /// The fields whose cells are not blank (a blank cell means unchanged).
  var given: Set<String>
  /// The row's own date (a dated log's date column).
  var date: CalendarDate?
  var userKeys: [String]
}

/// What one row changes in a recommendation's file.
enum RowChange {
  case none
  /// The change, and a warning when the workflow would not allow its status step today.
  case step(PlannedStep, warning: String?)
  /// A status step the workflow does not allow, for a snapshot (which goes through the workflow).
  case refused(String, hint: String)
}

extension ImportPlan {
  /// The `source:` of a file's text, read without parsing the whole file.
  static func sourceOf(_ text: String) -> String? {
    guard let doc = try? RecommendationDocument(text: text, path: "x.yml") else { return nil }
    return doc.fields.first { $0.key == "source" }?.value.text
  }

  static func sheetColumn(_ use: ColumnUse, _ sheet: Sheet, _ columns: [ColumnUse]) -> String? {
    columns.firstIndex(of: use).map { sheet.header[$0] }
  }

  /// nil when a dated log's row of `day` (on or before the recommendation's last recorded
  /// change) is already in its history: one of the versions in force that day has every value
  /// the row gives. Otherwise what differs from the version as of that day ("status open, not
  /// complete").
  static func recordedAlready(
    _ row: RowData, id: String, day: CalendarDate, recorded: RecordedVersions, workflow: Workflow
  ) -> String? {
    let texts = recorded.onDay(id, day)
    let docs = texts.compactMap { try? RecommendationDocument(text: $0, path: id + ".yml") }
    for doc in docs {
      var copy = doc
      if case .none = change(
        &copy, id: id, row: row, workflow: workflow, strict: false, sheet: "", date: day, why: "")
      {
        return nil
      }
    }
    guard let doc = docs.last else { return "it did not exist yet" }
    let old = Dictionary(doc.fields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    let differing = (knownOrder + row.userKeys).filter { key in
      key != "id" && row.given.contains(key) && row.values[key] != nil && row.values[key] != old[key]
    }
    return differing.map { key in
      let value = row.values[key]?.text.map(oneLine) ?? "..."
      let had = old[key]?.text.map(oneLine) ?? "nothing"
      return "\(key) \(short(value)), not \(short(had))"
    }.joined(separator: "; ")
  }

  private static func short(_ s: String) -> String {
    s.count > 40 ? "\"" + s.prefix(37) + "...\"" : (s.contains(" ") ? "\"\(s)\"" : s)
  }

  /// Applies the row's non-blank cells that differ from `doc` (each line that did not change
  /// stays as it was) and describes the change as a commit: `ID: open -> in-progress` with a
  /// `Status:` trailer, `Changed:` for the other fields, the row's comment (progress) as the note.
  ///
  /// - Parameter strict: a status step the workflow does not allow is refused (a later snapshot);
  ///   otherwise it is recorded as it happened, with a warning (a dated log).
  static func change(
    _ doc: inout RecommendationDocument, id: String, row: RowData, workflow: Workflow, strict: Bool,
    sheet: String, date: CalendarDate?, why: String
  ) -> RowChange {
    let before = doc.fields
    let old = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    let from = old["status"]?.text ?? workflow.initial
    var changed: [String] = []
    var to = from
    var warning: String?
    let order = knownOrder + row.userKeys
    for key in order where key != "id" && row.given.contains(key) {
      guard let value = row.values[key], value != old[key] else { continue }
      if key == "status" {
        to = value.text ?? from
        if !workflow.allowed(from: from).contains(to) {
          let why =
            workflow.isFinal(from)
            ? "\(from) is final"
            : "from \(from) it allows \(workflow.allowed(from: from).joined(separator: ", "))"
          if strict {
            return .refused(
              "\(id) is \(from) in the repository; the sheet says \(to), a step the workflow does not allow (\(why))",
              hint: workflow.isFinal(from)
                ? "if it really is \(to) again, run rectrack status \(id) \(to) --reopen --note \"...\" first, or fix the sheet"
                : "record the steps in between with rectrack status, or fix the sheet")
          }
          warning = "\(id): \(from) -> \(to) is a step the workflow would not allow today (\(why))"
        }
      } else {
        changed.append(key)
      }
      do { try doc.set(key, to: value) } catch { continue }
    }
    guard to != from || !changed.isEmpty else { return .none }
    var parts: [String] = []
    var trailers: [(key: String, value: String)] = []
    if to != from {
      parts.append("\(from) -> \(to)")
      trailers.append(("Status", "\(from) -> \(to)"))
    }
    let others = changed.filter { $0 != "progress" }
    if changed.contains("progress") { parts.append("progress") }
    if !others.isEmpty { parts.append("updated " + others.joined(separator: ", ")) }
    if let oldDue = old["due"]?.text, let newDue = row.values["due"]?.text, changed.contains("due") {
      trailers.append(("Due", "\(oldDue) -> \(newDue)"))
    }
    if !changed.isEmpty { trailers.append(("Changed", changed.joined(separator: ", "))) }
    var note = why
    if changed.contains("progress"), var comment = row.values["progress"]?.text {
      while comment.hasSuffix("\n") { comment.removeLast() }
      note = comment + "\n\n" + why
    }
    return .step(
      PlannedStep(
        date: date, row: row.row, text: doc.text, summary: "\(id): " + parts.joined(separator: "; "),
        trailers: trailers, note: note),
      warning: warning)
  }
}
