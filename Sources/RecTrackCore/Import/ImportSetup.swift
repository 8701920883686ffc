import Foundation

/// Something the import needs to be told before it can read the sheet, with the options that
/// would tell it (a guess from the headings where there is one).
public struct ImportQuestion: Sendable, Hashable {
  public var message: String
  /// Options to add, as separate arguments: `["--map", "owner=Lead officer"]`.
  public var arguments: [String]
  /// False for what the row-by-row check also reports with its row (status words, a repeated
  /// ID): asked with the others, but alone they do not stop the rows being checked.
  public var blocking = true

  /// The questions that stop the import before its rows are checked: any blocking one, and then all.
  public static func stopping(_ questions: [ImportQuestion]) -> [ImportQuestion] {
    questions.contains(where: \.blocking) ? questions : []
  }

  /// Every question at once, and, with `command` (the command as typed, quoted), the command to
  /// run next with all the suggested options added.
  public init(message: String, arguments: [String], blocking: Bool = true) {
    self.message = message
    self.arguments = arguments
    self.blocking = blocking
  }

  public static func describe(_ questions: [ImportQuestion], sheet: String, command: [String]?) -> String {
    var out =
      "\(sheet) needs \(questions.count == 1 ? "one more answer" : "\(questions.count) more answers") "
      + "before anything can be imported:\n"
    for q in questions { out += "  - " + q.message + "\n" }
    guard let command else { return out }
    var args = command
    if !args.contains("--dry-run") { args.append("--dry-run") }
    for q in questions { args += q.arguments }
    out += "Suggested command (check each guess; replace each ? and each word in capitals):\n  "
    out += args.map(shellQuoted).joined(separator: " ")
    return out
  }

  /// A word as a shell reads it back: quoted when it has spaces or special characters.
  public static func shellQuoted(_ s: String) -> String {
    let plain = s.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "-_=./,:@+".unicodeScalars.contains($0)
    }
    if plain && !s.isEmpty { return s }
    if let eq = s.firstIndex(of: "="), !s.hasPrefix("-"),
      s[..<eq].unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" })
    {
      return String(s[...eq]) + shellQuoted(String(s[s.index(after: eq)...]))
    }
    return "\""
      + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "$", with: "\\$").replacingOccurrences(of: "`", with: "\\`") + "\""
  }
}

extension ImportPlan {
  /// Headings trackers use for each field, lower-case, words separated by one space.
  static let headingGuesses: [(field: String, names: [String])] = [
    (
      "id",
      [
        "ref", "reference", "ref no", "ref number", "reference number", "rec no", "rec ref", "rec number",
        "recommendation ref", "recommendation reference", "recommendation number", "recommendation no", "no",
        "number", "id", "afi ref", "item", "item no",
      ]
    ),
    (
      "title",
      [
        "recommendation", "recommendations", "title", "recommendation title", "recommendation text",
        "area for improvement", "areas for improvement", "action", "recommendation action", "finding",
      ]
    ),
    (
      "owner",
      [
        "owner", "lead officer", "responsible officer", "responsible", "action owner", "accountable officer",
        "responsibility", "lead", "officer", "owner lead", "responsible person", "accountable",
      ]
    ),
    (
      "due",
      [
        "due", "due date", "target date", "target", "deadline", "target completion date", "timescale",
        "completion date", "date due", "target completion",
      ]
    ),
    (
      "raised",
      [
        "raised", "date raised", "date agreed", "date made", "date of recommendation", "date issued",
        "report date", "date of report", "published", "date published", "date added",
      ]
    ),
    ("status", ["status", "rag", "rag status", "current status", "progress status", "position", "state"]),
    (
      "progress",
      [
        "progress", "update", "latest update", "comments", "comment", "progress update", "commentary",
        "update comments", "progress to date", "narrative",
      ]
    ),
    ("date", ["date", "update date", "date of update", "entry date", "log date", "date updated", "updated"]),
    ("source", ["source", "report", "review", "inspection", "report title", "report name"]),
  ]

  /// The field a heading most likely names ("Lead officer" -> owner), or nil.
  public static func guessField(_ heading: String) -> String? {
    let words = heading.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(
      separator: " ")
    return headingGuesses.first { $0.names.contains(words) }?.field
  }

  /// A status the word clearly means, never a final one: complete/completed/done -> complete;
  /// ongoing, in progress, on track, off track -> in progress; not started, awaiting -> open.
  /// nil when the meaning is not clear (the user is asked).
  public static func meaning(ofStatusWord word: String, _ workflow: Workflow) -> String? {
    let w =
      " " + word.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
      + " "
    func has(_ phrases: [String]) -> Bool { phrases.contains { w.contains(" " + $0 + " ") } }
    let guess: String?
    if has(["not started", "not yet started", "awaiting", "yet to start", "to start"]) {
      guess = "open"
    } else if has(["complete", "completed", "done", "implemented", "achieved", "delivered"]) {
      guess = "complete"
    } else if has([
      "ongoing", "on going", "in progress", "progress", "progressed", "progressing", "on track", "off track",
      "underway", "under way", "started", "in hand",
    ]) {
      guess = "in-progress"
    } else if has(["open", "new", "pending", "not yet"]) {
      guess = "open"
    } else {
      guess = nil
    }
    guard let g = guess, workflow.statuses.contains(g), !workflow.isFinal(g), !workflow.terminal.contains(g)
    else { return nil }
    return g
  }

  /// The default shape of a reference at the start of a title: a word and a number followed by
  /// " - ", ": " or ". " ("AFI 1 - Improve...", "Rec 17: The force should...").
  static let titleReference = #"^\s*([A-Za-z]+\.?\s*\d+(?:\.\d+)*)\s*(?:-|–|—|:|\.)\s+"#

  /// The reference and the rest of a title, by `pattern` (first capture group: the reference).
  static func splitTitle(_ title: String, pattern: NSRegularExpression) -> (reference: String, title: String)?
  {
    let ns = title as NSString
    guard let m = pattern.firstMatch(in: title, range: NSRange(location: 0, length: ns.length)),
      m.numberOfRanges > 1, m.range(at: 1).location != NSNotFound
    else { return nil }
    let reference = ns.substring(with: m.range(at: 1))
    var rest = ns.replacingCharacters(in: m.range, with: "")
    rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: " -–—:.\t"))
    guard !rest.isEmpty else { return nil }
    return (reference, rest)
  }

  /// The regular expression that takes IDs from titles, when one does: `--id-from-title`, or the
  /// default shape when no column gives the ID and most titles start with a reference.
  static func titlePattern(
    sheet: Sheet, columns: [ColumnUse], options: ImportOptions
  ) throws(TrackingError) -> NSRegularExpression? {
    if let given = options.idFromTitle {
      let re: NSRegularExpression
      do { re = try NSRegularExpression(pattern: given) } catch {
        throw .usage(
          "--id-from-title '\(given)' is not a regular expression rectrack can read. Example: --id-from-title '^Rec(?:ommendation)? ([0-9]+):'"
        )
      }
      guard re.numberOfCaptureGroups >= 1 else {
        throw .usage(
          "--id-from-title '\(given)' needs a group in brackets around the reference, e.g. '^([A-Z]+ [0-9]+) - '."
        )
      }
      return re
    }
    guard !columns.contains(.field("id")), let t = columns.firstIndex(of: .field("title")) else { return nil }
    let re = try! NSRegularExpression(pattern: titleReference)
    let titles = sheet.rows.map { t < $0.cells.count ? $0.cells[t] : "" }.filter {
      !$0.trimmingWhitespace.isEmpty
    }
    let matching = titles.filter { splitTitle($0, pattern: re) != nil }.count
    return !titles.isEmpty && matching * 2 >= titles.count ? re : nil
  }

  /// Everything the import needs to be told, all at once (the first dry run asks every
  /// question together): source, title, owner, the ID column, numbers as IDs, the raised date,
  /// the status column and its words, and the date column of a dated log. Empty when the sheet
  /// can be checked row by row.
  ///
  /// - Parameter current: the repository's recommendations by ID. Rows that update one of them
  ///   (a later snapshot, or a dated log of recommendations already here) need no title, owner or
  ///   raised date, so those are asked only when some row is new.
  public static func questions(
    sheet: Sheet, options: ImportOptions, workflow: Workflow, today: CalendarDate,
    current: [String: CurrentFile] = [:]
  ) throws(TrackingError) -> [ImportQuestion] {
    let columns = try assignColumns(sheet: sheet, options: options, workflow: workflow)
    var out: [ImportQuestion] = []
    var guessed: [String: String] = [:]
    let mappedFields = Set(options.mapping.map { $0.field.lowercased() })
    for (i, use) in columns.enumerated() {
      guard case .field(let key) = use, !mappedFields.contains(key), key == slug(sheet.header[i]) else {
        continue
      }
      if let f = guessField(sheet.header[i]), f != key, guessed[f] == nil, !columns.contains(.field(f)),
        !(f == "date" && columns.contains(.entryDate))
      {
        guessed[f] = sheet.header[i]
      }
    }
    let has = { (f: String) -> Bool in columns.contains(.field(f)) }
    let names = list(sheet.header)
    func ask(_ field: String, _ message: String, otherwise: [String]) {
      if let g = guessed[field] {
        out.append(
          ImportQuestion(message: message + " \"\(g)\" looks like it", arguments: ["--map", "\(field)=\(g)"]))
      } else {
        out.append(ImportQuestion(message: message + " (the columns are \(names))", arguments: otherwise))
      }
    }
    let pattern = try titlePattern(sheet: sheet, columns: columns, options: options)
    var idColumn = columns.firstIndex(of: .field("id"))
    let guessedID = idColumn == nil && pattern == nil && options.idPrefix == nil ? guessed["id"] : nil
    if let g = guessedID { idColumn = sheet.header.firstIndex(of: g) }
    let ids = rawIDs(sheet: sheet, column: idColumn, pattern: pattern, prefix: options.idPrefix)
    // Rows that update a recommendation already here need only what they change.
    let updating = updatingRows(
      sheet: sheet, ids: ids, sourceColumn: columns.firstIndex(of: .field("source")), options: options,
      current: current)
    let newRows = sheet.rows.count - updating.count
    let which =
      updating.isEmpty
      ? ""
      : " for the \(newRows) new recommendation\(newRows == 1 ? "" : "s") "
        + "(the other rows update recommendations already here)"
    if !has("title") && newRows > 0 {
      ask("title", "which column gives the title?", otherwise: ["--map", "title=COLUMN"])
    }
    if !has("source") && options.source == nil {
      if guessed["source"] != nil {
        ask("source", "which column gives the source (the review or report)?", otherwise: [])
      } else {
        out.append(
          ImportQuestion(
            message: "every recommendation needs a source (the review or report it comes from): "
              + "give it with --source, or --map source=COLUMN",
            arguments: ["--source", "NAME OF THE REVIEW OR REPORT"]))
      }
    }
    if !has("owner") && options.owner == nil && newRows > 0 {
      if guessed["owner"] != nil {
        ask("owner", "which column gives the owner\(which)?", otherwise: [])
      } else {
        out.append(
          ImportQuestion(
            message:
              "no column gives the owner\(which): name one with --map owner=COLUMN, or give --owner for "
              + "every row (the columns are \(names))",
            arguments: ["--owner", "OWNER"]))
      }
    }
    if let g = guessedID {
      out.append(
        ImportQuestion(
          message:
            "which column is the ID? \"\(g)\" looks like it (or give --id-prefix P to number the rows P-01, P-02...)",
          arguments: ["--map", "id=\(g)"]))
    }
    if let c = idColumn, options.idPrefix == nil {
      let values = sheet.rows.map { c < $0.cells.count ? $0.cells[c].trimmingWhitespace : "" }.filter {
        !$0.isEmpty
      }
      if let n = values.first(where: { $0.first?.isNumber == true }) {
        out.append(
          ImportQuestion(
            message:
              "the references in \"\(sheet.header[c])\" start with a number (\(n)); an ID starts with a "
              + "letter: give a prefix, e.g. --id-prefix REC makes REC-\(normaliseID(n, prefix: "REC").map { String($0.dropFirst(4)) } ?? n)",
            arguments: ["--id-prefix", "REC"], blocking: false))
      }
    }
    // A dated log: the same reference on several rows.
    var seen: [String: Int] = [:]
    var repeated: (String, Int, Int)?
    for (row, id) in ids {
      if let first = seen[id] {
        repeated = (id, first, row)
        break
      }
      seen[id] = row
    }
    let isLog = columns.contains(.entryDate)
    if let (id, a, b) = repeated, !isLog {
      let count = out.count
      defer { if out.count > count { out[count].blocking = false } }
      ask(
        "date",
        "\(id) is on rows \(a) and \(b): if the sheet is a dated log (one row per update), say which column "
          + "has each row's date with --map date=COLUMN; otherwise give each row its own ID;",
        otherwise: ["--map", "date=COLUMN"])
    }
    if !has("raised") && options.raised == nil && !isLog && repeated == nil && newRows > 0 {
      if guessed["raised"] != nil {
        ask("raised", "which column gives the date each recommendation was made\(which)?", otherwise: [])
      } else {
        out.append(
          ImportQuestion(
            message: "no column gives the date the recommendations were made\(which): give --raised DATE "
              + "(e.g. the report's date), or --map raised=COLUMN (the columns are \(names))",
            arguments: ["--raised", "DATE"]))
      }
    }
    // Other headings that look like fields: suggested with the rest, never required.
    let describe = [
      "due": "the due date", "progress": "the progress notes", "lead": "the lead",
      "description": "the description",
      "raised": "the raised date",
    ]
    for field in ["due", "progress", "lead", "description", "raised"] where !has(field) {
      guard let g = guessed[field], let what = describe[field] else { continue }
      if field == "raised" && out.contains(where: { $0.arguments == ["--map", "raised=\(g)"] }) { continue }
      out.append(
        ImportQuestion(
          message: "\"\(g)\" looks like \(what): --map \(field)=\"\(g)\" (else it is kept as your own key)",
          arguments: ["--map", "\(field)=\(g)"], blocking: false))
    }
    // Status words: those the workflow does not know, each by meaning where clear.
    var statusColumn = columns.firstIndex(of: .field("status"))
    if statusColumn == nil, let g = guessed["status"] {
      out.append(
        ImportQuestion(
          message: "is \"\(g)\" the status? It looks like it", arguments: ["--map", "status=\(g)"]))
      statusColumn = sheet.header.firstIndex(of: g)
    }
    if let c = statusColumn {
      let known = try statusWords(options.statusMap, workflow: workflow)
      var unknown: [String] = []
      for row in sheet.rows where c < row.cells.count {
        let word = oneLine(row.cells[c].trimmingWhitespace)
        if word.isEmpty || known[word.lowercased()] != nil || workflowStatus(word, workflow) != nil {
          continue
        }
        if !unknown.contains(word) { unknown.append(word) }
      }
      if !unknown.isEmpty {
        let pairs = unknown.map { "\($0)=\(meaning(ofStatusWord: $0, workflow) ?? "?")" }
        let unclear = unknown.filter { meaning(ofStatusWord: $0, workflow) == nil }
        out.append(
          ImportQuestion(
            message: "which status does each of the sheet's words mean? "
              + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
              + (unclear.isEmpty
                ? " (guessed by meaning; a final status is never guessed)"
                : "; say what " + unclear.map { "\"\($0)\"" }.joined(separator: ", ")
                  + " means (statuses: \(workflow.statuses.joined(separator: ", ")))"),
            arguments: ["--status-map", pairs.joined(separator: ",")], blocking: false))
      }
    }
    return out
  }

  /// The rows (by number) whose ID is a recommendation already in the repository with the
  /// row's source (or any source, when the sheet does not say yet): a later snapshot's rows, or a
  /// dated log's rows about recommendations already here. The one rule `make` also follows.
  static func updatingRows(
    sheet: Sheet, ids: [(row: Int, id: String)], sourceColumn: Int?, options: ImportOptions,
    current: [String: CurrentFile]
  ) -> Set<Int> {
    guard !current.isEmpty else { return [] }
    let byKey = currentKeys(current)
    let rows = Dictionary(sheet.rows.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
    var out = Set<Int>()
    for (number, id) in ids {
      guard let existing = byKey[logKey(id)], let file = current[existing] else { continue }
      var source = options.source
      if let c = sourceColumn, let row = rows[number], c < row.cells.count {
        let cell = oneLine(row.cells[c].trimmingWhitespace)
        if !cell.isEmpty { source = cell }
      }
      if source == nil || sourceOf(file.text) == source { out.insert(number) }
    }
    return out
  }

  /// An ID by its letters and digits alone: a sheet may write a reference two ways ("R2", "r 2").
  static func logKey(_ id: String) -> String { id.filter { $0 != "-" } }

  /// The repository's IDs by `logKey`.
  static func currentKeys(_ current: [String: CurrentFile]) -> [String: String] {
    Dictionary(current.keys.map { (logKey($0), $0) }, uniquingKeysWith: { a, b in min(a, b) })
  }

  /// The ID each row would have before numbering: from the ID column or the title's reference.
  static func rawIDs(sheet: Sheet, column: Int?, pattern: NSRegularExpression?, prefix: String?)
    -> [(row: Int, id: String)]
  {
    var out: [(Int, String)] = []
    let titleColumn = sheet.header.indices.first { guessField(sheet.header[$0]) == "title" }
    for row in sheet.rows {
      var raw: String?
      if let c = column, c < row.cells.count {
        raw = row.cells[c].trimmingWhitespace
      } else if let pattern, let t = titleColumn, t < row.cells.count {
        raw = splitTitle(row.cells[t], pattern: pattern)?.reference
      }
      if let r = raw, !r.isEmpty { out.append((row.number, normaliseID(r, prefix: prefix ?? "REC") ?? r)) }
    }
    return out
  }
}
