import Foundation

/// How the sheet's columns and words become recommendation fields: what `rectrack import`'s
/// options say, as values.
public struct ImportOptions: Sendable {
  /// `field=Column` pairs from `--map`, in the order given.
  public var mapping: [(field: String, column: String)]
  /// The sheet's status words and the workflow status each stands for (`--status-map`).
  public var statusMap: [(word: String, status: String)]
  /// Columns holding the date a recommendation reached a status (`--status-date complete="Date completed"`).
  public var statusDates: [(status: String, column: String)]
  /// Columns to leave out.
  public var skip: [String]
  /// Prefix for generated IDs, and for IDs in the sheet that do not start with a letter.
  public var idPrefix: String?
  /// Sub-folder of `Recommendations/` for rows that do not say otherwise.
  public var folder: String?
  /// `source` for rows without one.
  public var source: String?
  /// `raised` for rows without one.
  public var raised: CalendarDate?
  /// `owner` for rows without one.
  public var owner: String?
  /// How dates written with numbers only are read (`--date-order`).
  public var dateOrder: SheetDate.Order = .dmy
  /// A regular expression whose first capture group is the reference at the start of each title
  /// (`--id-from-title`); the matched text leaves the title.
  public var idFromTitle: String?
  /// The day a later snapshot's changes are dated (`--date`; default: the day of the import).
  public var snapshotDate: CalendarDate?

  public init(
    mapping: [(field: String, column: String)] = [], statusMap: [(word: String, status: String)] = [],
    statusDates: [(status: String, column: String)] = [], skip: [String] = [], idPrefix: String? = nil,
    folder: String? = nil, source: String? = nil, raised: CalendarDate? = nil
  ) {
    self.mapping = mapping
    self.statusMap = statusMap
    self.statusDates = statusDates
    self.skip = skip
    self.idPrefix = idPrefix
    self.folder = folder
    self.source = source
    self.raised = raised
  }

  /// Splits `a=B,c=D` into pairs. A piece without `=` belongs to the previous value, so a column
  /// name may itself contain commas (`title=Recommendation, short`).
  public static func pairs(_ texts: [String], option: String) throws(TrackingError) -> [(String, String)] {
    var out: [(String, String)] = []
    for text in texts {
      for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
        if let eq = piece.firstIndex(of: "=") {
          out.append((piece[..<eq].trimmingWhitespace, piece[piece.index(after: eq)...].trimmingWhitespace))
        } else if !out.isEmpty, !piece.trimmingWhitespace.isEmpty {
          out[out.count - 1].1 += "," + piece
        } else if !piece.trimmingWhitespace.isEmpty {
          throw .usage(
            "\(option) '\(text)' must be a list of name=value pairs, e.g. \(option) \"title=Recommendation,owner=Lead officer\"."
          )
        }
      }
    }
    return out
  }
}

/// One problem with the sheet, located by its row (as Excel numbers it) and column.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
  public var sheet: String
  /// nil for a problem with the header.
  public var row: Int?
  public var column: String?
  public var message: String
  public var hint: String?
  /// A warning is shown by the dry run and does not stop the import.
  public var isWarning = false

  public init(
    sheet: String, row: Int?, column: String?, message: String, hint: String? = nil, isWarning: Bool = false
  ) {
    self.sheet = sheet
    self.row = row
    self.column = column
    self.message = message
    self.hint = hint
    self.isWarning = isWarning
  }

  /// `tracker.csv: row 7, column "Target date": error: ...` and a hint line.
  public var description: String {
    var place = sheet + ":"
    if let row { place += " row \(row)" + (column == nil ? "" : ",") }
    if let column { place += " column \"\(column)\"" }
    return place + (isWarning ? ": warning: " : ": error: ") + message + (hint.map { "\nhint: " + $0 } ?? "")
  }
}

/// A recorded status change found in the sheet (a date in a `--status-date` column).
public struct StatusEvent: Sendable, Hashable {
  public var date: CalendarDate
  public var status: String
  public var column: String
}

/// One later change to a recommendation: a row of a dated log, or what a later snapshot changed.
public struct PlannedStep: Sendable {
  /// nil: dated on the day of the import.
  public var date: CalendarDate?
  public var row: Int
  /// The whole file after the change.
  public var text: String
  public var summary: String
  /// `Status: a -> b`, `Changed: owner, due`...
  public var trailers: [(key: String, value: String)]
  public var note: String
}

/// The committed file of a recommendation already in the repository.
public struct CurrentFile: Sendable {
  public var path: String
  public var blob: ObjectID
  public var text: String

  public init(path: String, blob: ObjectID, text: String) {
    self.path = path
    self.blob = blob
    self.text = text
  }
}

/// One recommendation the import will create, with the history the sheet records for it.
public struct PlannedRecommendation: Sendable {
  public var row: Int
  public var id: String
  /// Sub-folder of `Recommendations/` ("" for none).
  public var folder: String
  public var path: String
  public var raised: CalendarDate
  /// The status at HEAD after the import (the sheet's status column).
  public var status: String
  /// The status the file is added with: the workflow's initial one when dated changes follow.
  public var startStatus: String
  /// Dated status changes, oldest first, without no-op repeats.
  public var events: [StatusEvent]
  /// Every field of the final file, in the order `new` writes them, the user's own keys last
  /// (for a dated log: the file its first row creates).
  public var fields: [(key: String, value: FieldValue)]
  /// Later changes (rows of a dated log, or a snapshot's changes), in the order they happen.
  public var steps: [PlannedStep] = []
  /// The file in the repository that a later snapshot changes; nil for a new recommendation.
  public var base: CurrentFile?
  /// Other rows of a dated log that belong to this recommendation.
  public var rows: [Int] = []

  /// The file text with `status` set to `status` (every other line as in the final file).
  public func text(status: String) -> String {
    let heading = fields.first { $0.key == "source" }?.value.text ?? ""
    var fs = fields
    if let i = fs.firstIndex(where: { $0.key == "status" }) { fs[i].value = .text(status) }
    return "# " + heading.replacingOccurrences(of: "\n", with: " ") + "\n" + RecommendationDocument.render(fs)
  }

  public var finalText: String { steps.last?.text ?? text(status: status) }

  /// The typed view of the final file, for tables.
  public var recommendation: Recommendation? {
    try? RecommendationDocument(text: finalText, path: path).recommendation(expectedID: id, statuses: [])
  }
}

/// What one column of the sheet becomes.
public enum ColumnUse: Sendable, Hashable {
  /// A field (known or the user's own key).
  case field(String)
  /// Dates on which recommendations reached `status`.
  case statusDate(String)
  /// The date of each row of a dated log (`--map date=COLUMN`).
  case entryDate
  /// The sub-folder of each row (`folder`, or the `file` column of an export).
  case folder
  case file
  case skipped
}

/// The whole import, checked: every row's file and the commits that will record them.
public struct ImportPlan: Sendable {
  public var sheet: String
  public var header: [String]
  public var columns: [ColumnUse]
  public var recommendations: [PlannedRecommendation]
  /// What does not stop the import but should be read: no-date words in date cells, history steps
  /// the workflow would not allow today.
  public var warnings: [ImportProblem] = []
  /// How the table and the IDs were found (rows skipped, merged headings, IDs from titles).
  public var notes: [String] = []
  /// IDs of the repository's recommendations of the sheet's sources that the sheet does not have
  /// (a later snapshot): reported, never deleted.
  public var missing: [String] = []
  /// Rows of a dated log that say what the repository already recorded (skipped, nothing written).
  public var alreadyRecorded: [Int] = []

  /// The new recommendations (not those a snapshot updates).
  public var created: [PlannedRecommendation] { recommendations.filter { $0.base == nil } }

  /// The commits the import makes, in order: the files added, grouped by the day they were
  /// raised (each dated that day with `Effective:`), then one commit per dated status change,
  /// then, where the sheet's status differs from its last dated change, a change dated on import.
  public func commits(today: CalendarDate, note: String?) -> [PlannedCommit] {
    var out: [PlannedCommit] = []
    let groups = Dictionary(grouping: created, by: \.raised).sorted { $0.key < $1.key }
    for (day, recs) in groups {
      var summary = "Import \(recs.count) recommendation\(recs.count == 1 ? "" : "s") from \(sheet)"
      if groups.count > 1 { summary += " raised \(day)" }
      let rows = recs.map(\.row)
      let body = note ?? "Imported from \(sheet), \(rows.count == 1 ? "row" : "rows") \(Self.ranges(rows))."
      var trailers: [(key: String, value: String)] = recs.map { ("Recommendation", $0.id) }
      trailers.append(("Imported-From", sheet))
      if day != today { trailers.append(("Effective", day.description)) }
      out.append(
        PlannedCommit(
          files: recs.map { ($0.path, $0.text(status: $0.startStatus)) },
          message: CommitMessage(summary: summary, body: body, trailers: trailers)))
    }
    var changes: [(date: CalendarDate?, rec: PlannedRecommendation, from: String, to: String, why: String)] =
      []
    var steps: [(date: CalendarDate?, rec: PlannedRecommendation, step: PlannedStep)] = []
    for r in recommendations { for st in r.steps { steps.append((st.date, r, st)) } }
    for r in recommendations {
      var current = r.startStatus
      for e in r.events {
        changes.append(
          (e.date, r, current, e.status, "Recorded in \(sheet), row \(r.row), column \"\(e.column)\"."))
        current = e.status
      }
      if current != r.status {
        changes.append((nil, r, current, r.status, "The status in \(sheet), row \(r.row), when imported."))
      }
    }
    // Dated changes in date order (stable: sheet order within a day), then the undated ones.
    let ordered = changes.enumerated().sorted { a, b in
      switch (a.element.date, b.element.date) {
      case (let x?, let y?): return x != y ? x < y : a.offset < b.offset
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return a.offset < b.offset
      }
    }.map(\.element)
    for c in ordered {
      var trailers: [(key: String, value: String)] = [
        ("Recommendation", c.rec.id), ("Status", "\(c.from) -> \(c.to)"),
      ]
      if let d = c.date, d != today { trailers.append(("Effective", d.description)) }
      trailers.append(("Imported-From", sheet))
      out.append(
        PlannedCommit(
          files: [(c.rec.path, c.rec.text(status: c.to))],
          message: CommitMessage(
            summary: "\(c.rec.id): \(c.from) -> \(c.to)", body: c.why, trailers: trailers)))
    }
    // Rows of dated logs and a snapshot's changes: by date, then in sheet order (ties keep row order).
    let orderedSteps = steps.enumerated().sorted { a, b in
      let x = a.element.date ?? today
      let y = b.element.date ?? today
      return x != y ? x < y : a.offset < b.offset
    }.map(\.element)
    for s in orderedSteps {
      var trailers: [(key: String, value: String)] = [("Recommendation", s.rec.id)] + s.step.trailers
      if let d = s.date, d != today { trailers.append(("Effective", d.description)) }
      trailers.append(("Imported-From", sheet))
      var commit = PlannedCommit(
        files: [(s.rec.path, s.step.text)],
        message: CommitMessage(summary: s.step.summary, body: note ?? s.step.note, trailers: trailers))
      if let base = s.rec.base { commit.replaces[base.path] = base.blob }
      out.append(commit)
    }
    return out
  }

  /// `2-5, 8` for rows 2, 3, 4, 5, 8.
  public static func ranges(_ numbers: [Int]) -> String {
    var parts: [String] = []
    var start: Int?
    var last = 0
    for n in numbers.sorted() {
      if let s = start, n == last + 1 {
        last = n
        _ = s
        continue
      }
      if let s = start { parts.append(s == last ? "\(s)" : "\(s)-\(last)") }
      start = n
      last = n
    }
    if let s = start { parts.append(s == last ? "\(s)" : "\(s)-\(last)") }
    return parts.joined(separator: ", ")
  }
}

/// One commit of an import: the files it writes and its message.
public struct PlannedCommit: Sendable {
  public var files: [(path: String, text: String)]
  public var message: CommitMessage
  /// Files already in the repository that this commit changes, with the blob the change was
  /// planned from: if another writer changed one since, the import stops rather than overwrite it.
  public var replaces: [String: ObjectID] = [:]

  public init(
    files: [(path: String, text: String)], message: CommitMessage, replaces: [String: ObjectID] = [:]
  ) {
    self.files = files
    self.message = message
    self.replaces = replaces
  }
}
