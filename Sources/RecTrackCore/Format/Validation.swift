/// The meaning of the keys: required keys, dates, statuses, IDs.
///
/// Kept apart from the parser because the syntax is fixed by docs/format.md §2 while the rules here
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
    examine(expectedID: expectedID, statuses: statuses).problems
  }

  /// The typed view, or the first error of `validate()` (warnings do not stop it).
  /// What a report can show of a file that has errors but still names a known status: the file
  /// exists, so the recommendation exists (docs/format.md §5), and `progress` counts it by that
  /// status. Missing texts are empty, the ID is the file name's, and a missing or bad `raised`
  /// reads as 0001-01-01. nil when there is no usable status.
  public func readableRecommendation(expectedID: String, statuses: [String]) -> Recommendation? {
    let (_, t) = examine(expectedID: expectedID, statuses: statuses)
    guard let status = t.status else { return nil }
    return Recommendation(
      id: expectedID, title: t.title ?? "", source: t.source ?? "", owner: t.owner ?? "", status: status,
      raised: t.raised ?? CalendarDate(year: 1, month: 1, day: 1)!, due: t.due, lead: t.lead,
      priority: t.priority, description: t.description, progress: t.progress, supersededBy: t.supersededBy,
      tags: t.tags, file: path, fields: fields)
  }

  public func recommendation(expectedID: String, statuses: [String]) throws(FormatError) -> Recommendation {
    let (problems, t) = examine(expectedID: expectedID, statuses: statuses)
    if let first = problems.first(where: { $0.severity == .error }) { throw first }
    guard let id = t.id, let title = t.title, let source = t.source, let owner = t.owner,
      let status = t.status,
      let raised = t.raised
    else {
      // examine() reports every way these can be missing; this is only reached if it did not.
      throw FormatError(path: path, line: 1, column: 1, message: "the file is missing a required key")
    }
    return Recommendation(
      id: id, title: title, source: source, owner: owner, status: status, raised: raised, due: t.due,
      lead: t.lead, priority: t.priority, description: t.description, progress: t.progress,
      supersededBy: t.supersededBy, tags: t.tags, file: path, fields: fields)
  }

  /// The typed values found while checking; empty optional values count as absent.
  private struct Typed {
    var id, title, source, owner, status: String?
    var raised, due: CalendarDate?
    var lead, priority, description, progress, supersededBy: String?
    var tags: [String] = []
  }

  /// One pass over the entries that both checks them and collects the typed values, because
  /// the history code builds a `Recommendation` for every file version it reads.
  private func examine(expectedID: String, statuses: [String]) -> (problems: [FormatError], typed: Typed) {
    var problems: [FormatError] = []
    var t = Typed()
    var seen: UInt16 = 0
    var statusEntry: ParsedEntry?
    var dueEntry: ParsedEntry?

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
    func optionalText(_ e: ParsedEntry) -> String? {
      guard let s = requireText(e), !s.isEmpty else { return nil }
      return s
    }
    func requireNonEmpty(_ e: ParsedEntry) -> String? {
      guard let s = requireText(e) else { return nil }
      if s.isEmpty {
        problems.append(
          problem(
            e, "'\(e.key)' is empty",
            hint: "write its value after the colon, e.g. '\(example(e.key, expectedID, statuses))'"))
        return nil
      }
      return s
    }
    func date(_ e: ParsedEntry, optional: Bool) -> CalendarDate? {
      guard let s = optional ? requireText(e) : requireNonEmpty(e), !s.isEmpty else { return nil }
      if let d = Self.strictDate(s) { return d }
      let looksLikeDate =
        s.utf8.count == 10
        && s.utf8.enumerated().allSatisfy { i, b in i == 4 || i == 7 ? b == 0x2D : (b >= 0x30 && b <= 0x39) }
      problems.append(
        problem(
          e, looksLikeDate ? "'\(s)' is not a real date" : "'\(s)' is not a date in the form YYYY-MM-DD",
          hint: "write the date as YYYY-MM-DD, e.g. \(e.key): 2021-03-31"))
      return nil
    }

    for e in parsedEntries {
      guard let known = e.known else {
        if let near = Self.nearKnownKey(e.key) {
          problems.append(
            problem(
              e, atValue: false, severity: .warning,
              "unknown key '\(e.key)' (kept as your own key); did you mean '\(near)'?",
              hint: "rename it to '\(near):' if that was meant"))
        }
        continue
      }
      seen |= 1 << known.rawValue
      switch known {
      case .id:
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
        } else {
          t.id = id
          if let tooLong = Recommendation.newIDProblem(id) {
            problems.append(
              problem(e, severity: .warning, tooLong, hint: "rename the file and its id line to a shorter ID")
            )
          }
        }
      case .title: t.title = requireNonEmpty(e)
      case .source: t.source = requireNonEmpty(e)
      case .owner: t.owner = requireNonEmpty(e)
      case .raised: t.raised = date(e, optional: false)
      case .due:
        t.due = date(e, optional: true)
        if t.due != nil { dueEntry = e }
      case .status:
        guard let s = requireNonEmpty(e) else { continue }
        statusEntry = e
        if !statuses.isEmpty && !statuses.contains(s) {
          problems.append(
            problem(e, "unknown status '\(s)'", hint: "use one of: \(statuses.joined(separator: ", "))"))
        } else {
          t.status = s
        }
      case .priority:
        guard let s = optionalText(e) else { continue }
        if Self.priorities.contains(s) {
          t.priority = s
        } else {
          let lower = s.lowercased()
          let hint =
            Self.priorities.contains(lower)
            ? "write it in lowercase: 'priority: \(lower)'"
            : "use one of: \(Self.priorities.joined(separator: ", "))"
          problems.append(problem(e, "unknown priority '\(s)'", hint: hint))
        }
      case .tags:
        switch e.value {
        case .list(let items):
          t.tags = items
        case .text(let s) where !s.isEmpty:
          let items = s.split(separator: ",").map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
          }
          problems.append(
            problem(
              e, "'tags' must be a list in square brackets",
              hint: "write 'tags: \(Self.yamlScalar(.list(items.filter { !$0.isEmpty })))'"))
        case .text:
          break
        }
      case .lead: t.lead = optionalText(e)
      case .description: t.description = optionalText(e)
      case .progress: t.progress = optionalText(e)
      case .supersededBy:
        guard let s = optionalText(e) else { continue }
        if Recommendation.isValidID(s) {
          t.supersededBy = s
        } else {
          problems.append(
            problem(
              e, "'\(s)' is not a valid recommendation ID",
              hint:
                "write the ID of the recommendation that replaces this one, e.g. 'superseded-by: DP-DDR-05'"))
        }
      case .evidence:
        break
      }
    }
    for known in [KnownKey.id, .title, .source, .raised, .owner, .status]
    where seen & (1 << known.rawValue) == 0 {
      problems.append(
        FormatError(
          path: path, line: 1, column: 1, message: "the required key '\(known.name)' is missing",
          hint: "add a line such as '\(example(known.name, expectedID, statuses))'"))
    }
    if let statusEntry, statusEntry.value == .text("superseded"),
      statuses.isEmpty || statuses.contains("superseded"), t.supersededBy == nil,
      !parsedEntries.contains(where: { $0.known == .supersededBy && $0.value != .text("") })
    {
      problems.append(
        problem(
          statusEntry, severity: .warning,
          "the status is 'superseded' but no 'superseded-by' line says what replaced it",
          hint: "add a line such as 'superseded-by: DP-DDR-05'"))
    }
    if let dueEntry, let due = t.due, let raised = t.raised, due < raised {
      problems.append(
        problem(
          dueEntry, severity: .warning, "the due date \(due) is before the raised date \(raised)",
          hint: "check both dates"))
    }
    if problems.count > 1 {
      problems = problems.enumerated().sorted {
        ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
      }.map(\.element)
    }
    return (problems, t)
  }

  /// Exactly `YYYY-MM-DD` and a real day, like `CalendarDate(_:)`, without its temporary array.
  static func strictDate(_ s: String) -> CalendarDate? {
    s.utf8.withContiguousStorageIfAvailable { u -> CalendarDate? in
      guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
      var parts = (0, 0, 0)
      for (i, b) in u.enumerated() where i != 4 && i != 7 {
        guard b >= 0x30 && b <= 0x39 else { return nil }
        let d = Int(b - 0x30)
        if i < 4 {
          parts.0 = parts.0 * 10 + d
        } else if i < 7 {
          parts.1 = parts.1 * 10 + d
        } else {
          parts.2 = parts.2 * 10 + d
        }
      }
      return CalendarDate(year: parts.0, month: parts.1, day: parts.2)
    } ?? CalendarDate(s)
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

  /// A known key within a small edit distance of `key`, for "did you mean" warnings
  /// (`_` for `-` costs nothing). Only keys of a near length are compared, so the common case
  /// (a user's own key of another length) costs no allocation.
  static func nearKnownKey(_ key: String) -> String? {
    let a = key.utf8
    var best: (key: String, distance: Int)?
    for known in KnownKey.allCases {
      let b = known.name.utf8
      let limit = b.count >= 6 ? 2 : 1
      guard abs(a.count - b.count) <= limit, !a.isEmpty, bagDistance(a, b) <= limit else { continue }
      let x = Array(a)
      let y = Array(b)
      var row = Array(0...y.count)
      for i in 1...x.count {
        var previous = row[0]
        row[0] = i
        for j in 1...y.count {
          let current = row[j]
          let same = x[i - 1] == y[j - 1] || (x[i - 1] == 0x5F && y[j - 1] == 0x2D)
          row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (same ? 0 : 1))
          previous = current
        }
      }
      let d = row[y.count]
      if d <= limit && d < (best?.distance ?? Int.max) { best = (known.name, d) }
    }
    return best?.key
  }

  /// A cheap lower bound of the edit distance: how many bytes one string has that the other
  /// lacks, counted as multisets. Rules out almost every pair before the real comparison.
  private static func bagDistance(_ a: String.UTF8View, _ b: String.UTF8View) -> Int {
    withUnsafeTemporaryAllocation(of: Int16.self, capacity: 128) { counts in
      counts.initialize(repeating: 0)
      for c in a { counts[Int(c & 0x7F)] += 1 }
      for c in b { counts[Int(c & 0x7F)] -= 1 }
      var more = 0
      var fewer = 0
      for v in counts {
        if v > 0 { more += Int(v) } else { fewer -= Int(v) }
      }
      return max(more, fewer)
    }
  }
}

extension Recommendation {
  /// The longest ID `new` and `import` create, and beyond which `validate` warns: `<ID>.yml`
  /// and the temporary names rectrack writes next to it must fit the 255-byte file names of
  /// every common file system (and stay readable in a table).
  public static let maxIDLength = 64

  /// Why `id` cannot be given to a new recommendation, or nil when it can.
  public static func newIDProblem(_ id: String) -> String? {
    guard id.utf8.count > maxIDLength else { return nil }
    return "the ID is \(id.utf8.count) characters long; IDs may have at most \(maxIDLength)"
      + " (the file <ID>.yml has to fit every file system). Choose a shorter ID"
  }

  /// True for IDs matching `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$` (the rule lives in `RecommendationPath`).
  public static func isValidID(_ id: String) -> Bool { RecommendationPath.isValidID(id) }
}
