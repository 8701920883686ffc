/// The meaning of the keys: required keys, dates, statuses, IDs.
///
/// Kept apart from the parser because the syntax is fixed by the spec while the rules here
/// depend on the repository's workflow (its statuses), and because `validate` reports every
/// problem at once while the parser stops at the first line it cannot read.
extension RecommendationDocument {
  /// The keys every recommendation must have, in the order a new file lists them.
  public static let requiredKeys = ["id", "title", "source", "raised", "owner", "status"]
  /// The optional keys the tool knows; any other key is the user's own.
  public static let optionalKeys = [
    "lead", "due", "priority", "tags", "description", "progress", "superseded-by", "evidence",
  ]
  /// The allowed priorities.
  public static let priorities = ["high", "medium", "low"]

  /// All problems (errors and warnings), sorted by line. `expectedID` is the file-name stem;
  /// `statuses` the workflow's (an empty list accepts any status).
  public func validate(expectedID: String, statuses: [String]) -> [FormatError] {
    var problems: [FormatError] = []
    let entries = parsedEntries
    var status: ParsedEntry?
    var raised: CalendarDate?
    var due: (entry: ParsedEntry, date: CalendarDate)?
    var hasSupersededBy = false

    func requireText(_ e: ParsedEntry) -> String? {
      switch e.value {
      case .text(let s):
        return s
      case .list(let items):
        let example = items.isEmpty ? "some text" : items.joined(separator: ", ")
        problems.append(
          problem(
            e, "'\(e.key)' must be text, not a list in square brackets",
            hint: "write it without '[' and ']': \(e.key): \(Self.yamlScalar(.text(example)))"))
        return nil
      }
    }
    func requireNonEmpty(_ e: ParsedEntry) -> String? {
      guard let s = requireText(e) else { return nil }
      if s.isEmpty {
        problems.append(
          problem(e, "'\(e.key)' is empty", hint: "write its value after the colon, e.g. '\(example(e.key, expectedID, statuses))'"))
        return nil
      }
      return s
    }
    func date(_ e: ParsedEntry, optional: Bool) -> CalendarDate? {
      guard let s = optional ? requireText(e) : requireNonEmpty(e) else { return nil }
      if s.isEmpty { return nil }
      if let d = CalendarDate(s) { return d }
      let looksLikeDate =
        s.utf8.count == 10 && s.utf8.enumerated().allSatisfy { i, b in
          i == 4 || i == 7 ? b == 0x2D : (b >= 0x30 && b <= 0x39)
        }
      problems.append(
        problem(
          e, looksLikeDate ? "'\(s)' is not a real date" : "'\(s)' is not a date in the form YYYY-MM-DD",
          hint: "write the date as YYYY-MM-DD, e.g. \(e.key): 2021-03-31"))
      return nil
    }

    for e in entries {
      switch e.key {
      case "id":
        guard let id = requireNonEmpty(e) else { continue }
        if !Recommendation.isValidID(id) {
          let upper = id.uppercased()
          let suggestion = Recommendation.isValidID(upper) ? upper : "DP-DDR-01"
          problems.append(
            problem(
              e, "'\(id)' is not a valid recommendation ID",
              hint: "an ID is capital letters and digits in groups joined by '-': write 'id: \(suggestion)'"))
        } else if id != expectedID {
          problems.append(
            problem(
              e, "the id '\(id)' does not match the file name '\(expectedID).yml'",
              hint: "write 'id: \(expectedID)', or rename the file to '\(id).yml'"))
        }
      case "title", "source", "owner":
        _ = requireNonEmpty(e)
      case "raised":
        raised = date(e, optional: false)
      case "due":
        if let d = date(e, optional: true) { due = (e, d) }
      case "status":
        guard let s = requireNonEmpty(e) else { continue }
        status = e
        if !statuses.isEmpty && !statuses.contains(s) {
          problems.append(
            problem(e, "unknown status '\(s)'", hint: "use one of: \(statuses.joined(separator: ", "))"))
        }
      case "priority":
        guard let s = requireText(e), !s.isEmpty else { continue }
        if !Self.priorities.contains(s) {
          let lower = s.lowercased()
          let hint =
            Self.priorities.contains(lower)
            ? "write it in lowercase: 'priority: \(lower)'" : "use one of: \(Self.priorities.joined(separator: ", "))"
          problems.append(problem(e, "unknown priority '\(s)'", hint: hint))
        }
      case "tags":
        if case .text(let s) = e.value, !s.isEmpty {
          let items = s.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
          problems.append(
            problem(
              e, "'tags' must be a list in square brackets",
              hint: "write 'tags: \(Self.yamlScalar(.list(items.filter { !$0.isEmpty })))'"))
        }
      case "lead", "description", "progress":
        _ = requireText(e)
      case "superseded-by":
        guard let s = requireText(e), !s.isEmpty else { continue }
        hasSupersededBy = true
        if !Recommendation.isValidID(s) {
          problems.append(
            problem(
              e, "'\(s)' is not a valid recommendation ID",
              hint: "write the ID of the recommendation that replaces this one, e.g. 'superseded-by: DP-DDR-05'"))
        }
      case "evidence":
        break
      default:
        if let near = Self.nearKnownKey(e.key) {
          problems.append(
            problem(
              e, atValue: false, severity: .warning,
              "unknown key '\(e.key)' (kept as your own key); did you mean '\(near)'?",
              hint: "rename it to '\(near):' if that was meant"))
        }
      }
    }
    for key in Self.requiredKeys where !entries.contains(where: { $0.key == key }) {
      problems.append(
        FormatError(
          path: path, line: 1, column: 1, message: "the required key '\(key)' is missing",
          hint: "add a line such as '\(example(key, expectedID, statuses))'"))
    }
    if let status, status.value == .text("superseded"), statuses.isEmpty || statuses.contains("superseded"),
      !hasSupersededBy
    {
      problems.append(
        problem(
          status, severity: .warning, "the status is 'superseded' but no 'superseded-by' line says what replaced it",
          hint: "add a line such as 'superseded-by: DP-DDR-05'"))
    }
    if let due, let raised, due.date < raised {
      problems.append(
        problem(
          due.entry, severity: .warning, "the due date \(due.date) is before the raised date \(raised)",
          hint: "check both dates"))
    }
    return problems.enumerated().sorted {
      ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
    }.map(\.element)
  }

  /// The typed view, or the first error of `validate()` (warnings do not stop it).
  public func recommendation(expectedID: String, statuses: [String]) throws(FormatError) -> Recommendation {
    if let first = validate(expectedID: expectedID, statuses: statuses).first(where: { $0.severity == .error }) {
      throw first
    }
    func text(_ key: String) -> String? {
      guard case .text(let s)? = self[key], !s.isEmpty else { return nil }
      return s
    }
    guard let id = text("id"), let title = text("title"), let source = text("source"),
      let owner = text("owner"), let status = text("status"), let raised = text("raised").flatMap(CalendarDate.init)
    else {
      // validate() reports every way these can be missing; this is only reached if it did not.
      throw FormatError(path: path, line: 1, column: 1, message: "the file is missing a required key")
    }
    var tags: [String] = []
    if case .list(let items)? = self["tags"] { tags = items }
    return Recommendation(
      id: id, title: title, source: source, owner: owner, status: status, raised: raised,
      due: text("due").flatMap(CalendarDate.init), lead: text("lead"), priority: text("priority"),
      description: text("description"), progress: text("progress"), supersededBy: text("superseded-by"),
      tags: tags, file: path, fields: fields)
  }

  /// A line to show in hints for a key that is missing or empty.
  private func example(_ key: String, _ expectedID: String, _ statuses: [String]) -> String {
    switch key {
    case "id": return "id: " + (Recommendation.isValidID(expectedID) ? expectedID : "DP-DDR-01")
    case "title": return "title: Improve the response to rural crime"
    case "source": return "source: Deep Dive Scrutiny Review - Illegal Drugs"
    case "raised": return "raised: 2021-03-31"
    case "owner": return "owner: Chief Constable"
    case "status": return "status: " + (statuses.first ?? "open")
    default: return "\(key): some text"
    }
  }

  /// A known key within a small edit distance of `key`, for "did you mean" warnings.
  static func nearKnownKey(_ key: String) -> String? {
    let a = Array(key.utf8)
    guard !a.isEmpty else { return nil }
    var best: (key: String, distance: Int)?
    for known in requiredKeys + optionalKeys {
      let b = Array(known.utf8)
      let limit = b.count >= 6 ? 2 : 1
      guard abs(a.count - b.count) <= limit else { continue }
      var row = Array(0...b.count)
      for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in 1...b.count {
          let current = row[j]
          let same = a[i - 1] == b[j - 1] || (a[i - 1] == 0x5F && b[j - 1] == 0x2D)
          row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (same ? 0 : 1))
          previous = current
        }
      }
      let d = row[b.count]
      if d <= limit && d < (best?.distance ?? Int.max) { best = (known, d) }
    }
    return best?.key
  }
}

extension Recommendation {
  /// True for IDs matching `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`.
  public static func isValidID(_ id: String) -> Bool {
    var afterDash = true
    var first = true
    for b in id.utf8 {
      let upper = b >= 0x41 && b <= 0x5A
      let digit = b >= 0x30 && b <= 0x39
      if first {
        guard upper else { return false }
        first = false
        afterDash = false
      } else if b == 0x2D {
        guard !afterDash else { return false }
        afterDash = true
      } else {
        guard upper || digit else { return false }
        afterDash = false
      }
    }
    return !first && !afterDash
  }
}
