import Foundation

extension ImportPlan {
  /// The keys a recommendation file knows, in the order `new` writes them.
  static let knownOrder = [
    "id", "title", "source", "raised", "owner", "lead", "due", "priority", "status", "tags", "description",
    "progress", "superseded-by", "evidence",
  ]
  /// Fields that are one line of text: line breaks in their cells become spaces.
  static let singleLine: Set<String> = [
    "id", "title", "source", "owner", "lead", "priority", "status", "superseded-by",
  ]
  /// Narrative fields: `new` and `update` end them with a line break, so the import does too.
  static let narrative: Set<String> = ["description", "progress"]

  /// Checks every row of `sheet` and plans the files; throws `.usage` for options that do not
  /// fit the sheet and `.importProblems` with every row's problems, so nothing is written
  /// unless all rows are good.
  ///
  /// - Parameters:
  ///   - existing: IDs already in the repository and their paths (they may not be reused, except
  ///     by a later snapshot of the same source, which changes them).
  ///   - current: the committed files of the repository's recommendations by ID, for a later
  ///     snapshot (what changed) and for reporting the ones the sheet no longer has.
  ///   - recorded: what the repository recorded of `current` (a dated log's rows about
  ///     recommendations already here: those after the last recorded change become changes).
  ///   - today: the day the import is recorded; dates after it are refused.
  public static func make(
    sheet: Sheet, options: ImportOptions, workflow: Workflow, existing: [String: String],
    current: [String: CurrentFile] = [:], recorded: RecordedVersions = .none, today: CalendarDate
  ) throws(TrackingError) -> ImportPlan {
    let questions = ImportQuestion.stopping(
      try questions(sheet: sheet, options: options, workflow: workflow, today: today, current: current))
    if !questions.isEmpty {
      throw .usage(ImportQuestion.describe(questions, sheet: sheet.name, command: nil))
    }
    let columns = try assignColumns(sheet: sheet, options: options, workflow: workflow)
    let statusWords = try statusWords(options.statusMap, workflow: workflow)
    let pattern = try titlePattern(sheet: sheet, columns: columns, options: options)
    let isLog = columns.contains(.entryDate)
    var warnings: [ImportProblem] = []
    /// The ID of each dated log's recommendation, by its reference's letters and digits.
    var logFirstRow: [String: String] = [:]
    var laterRows: [String: [RowData]] = [:]
    var snapshotRows: [String: RowData] = [:]
    var snapshotOrder: [String] = []
    /// A dated log's rows about recommendations already here, by the repository's ID.
    var hereRows: [String: [RowData]] = [:]
    var hereOrder: [String] = []
    var logHere: [String: String] = [:]
    let currentByKey = currentKeys(current)
    if isLog && !options.statusDates.isEmpty {
      throw .usage(
        "--status-date and --map date=COLUMN do not go together: in a dated log each row's status is dated by its own date. Leave out --status-date."
      )
    }
    if let prefix = options.idPrefix, !TrackingRepository.isValidID(prefix) {
      throw .usage(
        "--id-prefix '\(prefix)' must be capital letters and digits starting with a letter, e.g. REC or DP-DDR."
      )
    }
    let defaultFolder = try options.folder.map { (f) throws(TrackingError) -> String in
      guard let clean = cleanFolder(f) else {
        throw .usage("--folder '\(f)' must be a plain sub-folder name such as 2019-deep-dive.")
      }
      return clean
    }

    var problems: [ImportProblem] = []
    var unknownWords: [String] = []
    var taken = existing
    var planned: [PlannedRecommendation] = []
    var needsID: [(index: Int, row: Int)] = []
    let columnOf: [String: String] = Dictionary(
      columns.enumerated().compactMap { i, use in
        if case .field(let k) = use { return (k, sheet.header[i]) } else { return nil }
      }, uniquingKeysWith: { a, _ in a })

    for row in sheet.rows {
      func problem(_ column: String?, _ message: String, hint: String? = nil) {
        problems.append(
          ImportProblem(sheet: sheet.name, row: row.number, column: column, message: message, hint: hint))
      }
      let before = problems.count
      if row.cells.count > sheet.header.count,
        let extra = row.cells[sheet.header.count...].firstIndex(where: { !$0.trimmingWhitespace.isEmpty })
      {
        problem(
          nil, "column \(extra + 1) has a value but no heading in the first row",
          hint: "give the column a heading, or check the row for a stray separator")
      }
      var values: [String: FieldValue] = [:]
      var userKeys: [String] = []
      var events: [StatusEvent] = []
      var folder = defaultFolder
      var rawID: String?
      var entryDate: CalendarDate?
      var given = Set<String>()
      func date(_ trimmed: String, column: String, deadline: Bool) -> SheetDate.Value? {
        guard let v = SheetDate.cell(trimmed, order: options.dateOrder) else {
          problem(
            column, "'\(trimmed)' is not a date",
            hint: "write it as 31/03/2022, 2022-03-31, 4 March 2022 or March 2022"
              + (options.dateOrder == .dmy && SheetDate.parse(trimmed, order: .mdy) != nil
                ? " (or, if the sheet puts the month first, --date-order mdy)" : ""))
          return nil
        }
        if case .none(let word) = v {
          warnings.append(
            ImportProblem(
              sheet: sheet.name, row: row.number, column: column,
              message: "'\(word)' is not a date: read as no \(deadline ? "due date" : "date")",
              hint: deadline ? "give the date once it is agreed, with rectrack update ID --due DATE" : nil,
              isWarning: true))
        }
        return v
      }

      for (i, use) in columns.enumerated() {
        let column = sheet.header[i]
        let cell = i < row.cells.count ? row.cells[i] : ""
        let trimmed = cell.trimmingWhitespace
        switch use {
        case .skipped:
          continue
        case .folder, .file:
          guard !trimmed.isEmpty else { continue }
          var sub = trimmed
          if use == .file {
            // An export's file column: Recommendations/<folder>/<ID>.yml.
            var parts = trimmed.split(separator: "/").map(String.init)
            if parts.first == TrackingRepository.folder { parts.removeFirst() }
            if !parts.isEmpty { parts.removeLast() }
            sub = parts.joined(separator: "/")
            if sub.isEmpty {
              folder = nil
              continue
            }
          } else {
            sub = slug(trimmed) ?? ""
          }
          guard let clean = cleanFolder(sub) else {
            problem(
              column, "'\(trimmed)' cannot be a sub-folder of Recommendations/",
              hint: "use plain names such as 2019-deep-dive")
            continue
          }
          folder = clean
        case .entryDate:
          guard !trimmed.isEmpty else {
            problem(
              column, "the date of this entry is empty", hint: "every row of a dated log needs its date")
            continue
          }
          guard let v = date(trimmed, column: column, deadline: false) else { continue }
          switch v {
          case .date(let d): entryDate = d
          case .month(let m): entryDate = m.firstDay
          case .none:
            problem(column, "'\(trimmed)' is not a date", hint: "every row of a dated log needs its date")
          }
          if let d = entryDate, d > today {
            problem(column, "\(d) is in the future (today is \(today))", hint: "check the date")
            entryDate = nil
          }
        case .statusDate(let status):
          guard !trimmed.isEmpty else { continue }
          guard let value = date(trimmed, column: column, deadline: false) else { continue }
          let date: CalendarDate
          switch value {
          case .date(let d): date = d
          case .month(let m): date = m.firstDay
          case .none: continue
          }
          if date > today {
            problem(
              column, "\(date) is in the future (today is \(today))",
              hint: "record a status only once it is reached")
            continue
          }
          events.append(StatusEvent(date: date, status: status, column: column))
        case .field(let key):
          guard !trimmed.isEmpty else { continue }
          given.insert(key)
          switch key {
          case "id":
            rawID = trimmed
          case "raised", "due":
            guard let value = date(trimmed, column: column, deadline: key == "due") else { continue }
            switch value {
            case .date(let d): values[key] = .text(d.description)
            case .month(let m): values[key] = .text((key == "due" ? m.lastDay : m.firstDay).description)
            case .none: given.remove(key)
            }
          case "status":
            let word = oneLine(trimmed)
            if let s = statusWords[word.lowercased()] ?? workflowStatus(word, workflow) {
              values[key] = .text(s)
            } else {
              if !unknownWords.contains(word) { unknownWords.append(word) }
              problem(
                column, "'\(word)' is not a status of the workflow",
                hint:
                  "say which status it means with --status-map \"\(word)=\(meaning(ofStatusWord: word, workflow) ?? "STATUS")\" (statuses: \(workflow.statuses.joined(separator: ", ")))"
              )
            }
          case "priority":
            let p = oneLine(trimmed).lowercased()
            if RecommendationDocument.priorities.contains(p) {
              values[key] = .text(p)
            } else {
              problem(column, "'\(trimmed)' is not a priority", hint: "use high, medium or low")
            }
          case "tags":
            let tags = trimmed.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" }).map(
              \.trimmingWhitespace
            )
            .filter { !$0.isEmpty }
            values[key] = .list(tags)
          case "title":
            var title = oneLine(trimmed)
            if let pattern, let split = splitTitle(title, pattern: pattern) {
              if rawID == nil { rawID = split.reference }
              title = split.title
            }
            values[key] = .text(title)
          default:
            if singleLine.contains(key) {
              values[key] = .text(oneLine(trimmed))
            } else if narrative.contains(key) {
              values[key] = .text(trimmed + "\n")
            } else {
              values[key] = .text(trimmed)
            }
            if !knownOrder.contains(key) { userKeys.append(key) }
          }
        }
      }
      if values["source"] == nil, let s = options.source { values["source"] = .text(s) }
      if values["owner"] == nil, let o = options.owner { values["owner"] = .text(o) }
      var raisedIsToday = false
      if values["raised"] == nil {
        if isLog, let d = entryDate {
          values["raised"] = .text(d.description)
        } else if let r = options.raised {
          values["raised"] = .text(r.description)
        } else if columnOf["raised"] == nil {
          values["raised"] = .text(today.description)
          raisedIsToday = true
        }
      }
      // A later row of a dated log, or a row of a later snapshot: a change, not a new file.
      let normalisedID = rawID.flatMap { normaliseID($0, prefix: options.idPrefix) }
      if isLog && rawID == nil {
        problem(
          columnOf["id"] ?? columnOf["title"], "this row of a dated log has no reference",
          hint: "every row of a dated log needs the ID of the recommendation it is about")
      }
      // A log's reference may be written two ways ("R2", "r 2"): letters and digits decide.
      let logKey = normalisedID.map(Self.logKey)
      let data = RowData(row: row.number, values: values, given: given, date: entryDate, userKeys: userKeys)
      if let key = logKey, isLog, let id = logFirstRow[key] {
        laterRows[id, default: []].append(data)
        continue
      }
      // A dated log about recommendations already here: its rows are checked against their history.
      if let key = logKey, isLog,
        let id = logHere[key]
          ?? currentByKey[key].flatMap({ id in
            current[id].map { sourceOf($0.text) == values["source"]?.text } == true ? id : nil
          })
      {
        if logHere[key] == nil {
          logHere[key] = id
          hereOrder.append(id)
        }
        hereRows[id, default: []].append(data)
        continue
      }
      if let key = logKey, !isLog, let id = currentByKey[key], let file = current[id],
        sourceOf(file.text) == values["source"]?.text
      {
        if let other = snapshotRows[id] {
          problem(
            columnOf["id"], "\(id) is also on row \(other.row)",
            hint: "a later snapshot has one row per recommendation; for a dated log add --map date=COLUMN")
        } else {
          snapshotRows[id] = data
          snapshotOrder.append(id)
        }
        continue
      }
      if let id = normalisedID, let key = logKey, isLog { logFirstRow[key] = id }
      let start = workflow.initial
      var chain: [StatusEvent] = []
      var current = start
      for e in events.sorted(by: { $0.date < $1.date }) where e.status != current {
        chain.append(e)
        current = e.status
      }
      // No status in the sheet: the last dated one, else the workflow's first.
      let status = values["status"]?.text ?? chain.last?.status ?? start
      values["status"] = .text(status)
      for key in ["title", "owner", "source", "raised"] where values[key] == nil {
        if !problems[before...].contains(where: { $0.column != nil && $0.column == columnOf[key] }) {
          problem(
            columnOf[key], "the \(key) is empty",
            hint: key == "raised"
              ? "write the date it was made, or give --raised DATE for rows without one"
              : "every recommendation needs one")
        }
      }
      let raised = values["raised"]?.text.flatMap { CalendarDate($0) }
      if let raised {
        if raised > today {
          problem(columnOf["raised"], "raised \(raised) is in the future (today is \(today))")
        }
        for e in events where e.date < raised {
          problem(
            e.column, "\(e.date) is before the recommendation was raised (\(raised))",
            hint: raisedIsToday
              ? "the sheet has no raised date, so today is used; add --map raised=COLUMN or --raised DATE"
              : "check both dates")
        }
      }
      var fields: [(key: String, value: FieldValue)] = []
      for key in knownOrder { if let v = values[key] { fields.append((key, v)) } }
      for key in userKeys { if let v = values[key] { fields.append((key, v)) } }
      let index = planned.count
      planned.append(
        PlannedRecommendation(
          row: row.number, id: "", folder: folder ?? "", path: "", raised: raised ?? today, status: status,
          startStatus: chain.isEmpty ? status : start, events: chain, fields: fields))
      if let rawID {
        if let id = normaliseID(rawID, prefix: options.idPrefix) {
          if let tooLong = Recommendation.newIDProblem(id) {
            problem(columnOf["id"], tooLong, hint: "shorten the ID in the sheet")
          } else if let other = taken[id] {
            problem(
              columnOf["id"], "the ID \(id) is already used by \(other)",
              hint: other.hasPrefix("row ")
                ? "IDs must be unique; change one of them in the sheet, or, if the sheet is a dated log (one row per update), add --map date=COLUMN"
                : "IDs must be unique; change one of them in the sheet (a later snapshot of the same tracker needs the same source as the recommendation already here)"
            )
          } else {
            taken[id] = "row \(row.number)"
            planned[index].id = id
          }
        } else {
          problem(
            columnOf["id"],
            "'\(rawID)' cannot be an ID: IDs are capital letters, digits and single hyphens, starting with a letter",
            hint: options.idPrefix == nil
              ? "add --id-prefix REC to make IDs such as REC-\(rawID.filter { $0.isLetter || $0.isNumber }.uppercased()), or correct the cell"
              : "correct the cell")
        }
      } else {
        needsID.append((index, row.number))
      }
    }

    // Number the rows without an ID, after the ones that have one so none collides.
    let prefix = options.idPrefix ?? "REC"
    let width = max(2, String(needsID.count).count)
    var n = 0
    for (index, row) in needsID {
      var id: String
      repeat {
        n += 1
        let digits = String(n)
        id = prefix + "-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
      } while taken[id] != nil
      taken[id] = "row \(row)"
      planned[index].id = id
    }

    // Check each file as `validate` would, and put the problems on the column that caused them.
    for i in planned.indices where !planned[i].id.isEmpty {
      let sub = planned[i].folder
      planned[i].path =
        TrackingRepository.folder + (sub.isEmpty ? "" : "/" + sub) + "/" + planned[i].id + ".yml"
      planned[i].fields.insert(("id", .text(planned[i].id)), at: 0)
      let row = planned[i].row
      guard !problems.contains(where: { $0.row == row }) else { continue }
      do {
        let doc = try RecommendationDocument(text: planned[i].finalText, path: planned[i].path)
        for e in doc.validate(expectedID: planned[i].id, statuses: workflow.statuses)
        where e.severity == .error {
          let key = doc.keys.first { doc.line(of: $0) == e.line }
          problems.append(
            ImportProblem(
              sheet: sheet.name, row: row, column: key.flatMap { columnOf[$0] }, message: e.message,
              hint: e.hint))
        }
      } catch {
        problems.append(
          ImportProblem(sheet: sheet.name, row: row, column: nil, message: error.message, hint: error.hint))
      }
    }
    /// A row of a dated log applied to `doc`, as happened: its step added to `p`, with a warning
    /// for a step the workflow would not allow today. False when the row changes nothing.
    func applyLogRow(
      _ r: RowData, id: String, date: CalendarDate?, to doc: inout RecommendationDocument,
      _ p: inout PlannedRecommendation
    ) -> Bool {
      switch change(
        &doc, id: id, row: r, workflow: workflow, strict: false, sheet: sheet.name, date: date,
        why: "Recorded in \(sheet.name), row \(r.row).")
      {
      case .none: return false
      case .step(let step, let warning):
        p.steps.append(step)
        if let warning {
          warnings.append(
            ImportProblem(
              sheet: sheet.name, row: r.row, column: columnOf["status"], message: warning,
              hint: "recorded as it happened; check the sheet if it is a mistake", isWarning: true))
        }
      case .refused(let message, let hint):
        problems.append(
          ImportProblem(
            sheet: sheet.name, row: r.row, column: columnOf["status"], message: message, hint: hint))
      }
      return true
    }
    // Later rows of dated logs: one dated change each, in row order.
    for i in planned.indices where !planned[i].id.isEmpty {
      guard let rows = laterRows[planned[i].id], !problems.contains(where: { $0.row == planned[i].row })
      else {
        continue
      }
      var doc: RecommendationDocument
      do {
        doc = try RecommendationDocument(
          text: planned[i].text(status: planned[i].status), path: planned[i].path)
      } catch { continue }
      planned[i].rows = rows.map(\.row)
      for r in rows {
        if let d = r.date, d < planned[i].raised {
          problems.append(
            ImportProblem(
              sheet: sheet.name, row: r.row,
              column: columnOf["date"] ?? sheetColumn(.entryDate, sheet, columns),
              message: "\(d) is before \(planned[i].id) was raised (\(planned[i].raised))",
              hint: "check the dates, or the raised column"))
          continue
        }
        _ = applyLogRow(r, id: planned[i].id, date: r.date, to: &doc, &planned[i])
      }
    }
    // A recommendation already here, read from the repository as the plan of its changes starts
    // (nil, with the problem said, when its file cannot be read).
    func readHere(
      _ id: String, _ file: CurrentFile, row: Int
    ) -> (RecommendationDocument, Recommendation, PlannedRecommendation)? {
      let doc: RecommendationDocument
      do { doc = try RecommendationDocument(text: file.text, path: file.path) } catch {
        problems.append(
          ImportProblem(
            sheet: sheet.name, row: row, column: columnOf["id"],
            message: "\(file.path) in the repository cannot be read (\(error.message))",
            hint: "fix it with rectrack edit \(id) first"))
        return nil
      }
      guard let rec = try? doc.recommendation(expectedID: id, statuses: workflow.statuses) else { return nil }
      var p = PlannedRecommendation(
        row: row, id: id, folder: "", path: file.path, raised: rec.raised, status: rec.status,
        startStatus: rec.status, events: [], fields: doc.fields)
      p.base = file
      return (doc, rec, p)
    }
    // A dated log about recommendations already here: rows after the last recorded change are
    // changes; rows on or before it must be what the repository recorded for their day.
    var alreadyRecorded: [Int] = []
    for id in hereOrder {
      let file = current[id]!
      let rows = hereRows[id]!.filter { r in r.date != nil && !problems.contains { $0.row == r.row } }
      guard !rows.isEmpty else { continue }
      guard case (var doc, let rec, var p)? = readHere(id, file, row: rows[0].row) else { continue }
      p.rows = rows.map(\.row)
      let dateColumn = columnOf["date"] ?? sheetColumn(.entryDate, sheet, columns)
      let last = recorded.lastChange[id]
      for r in rows {
        let d = r.date!
        if d < rec.raised {
          problems.append(
            ImportProblem(
              sheet: sheet.name, row: r.row, column: dateColumn,
              message: "\(d) is before \(id) was raised (\(rec.raised))",
              hint: "check the date, or the raised date in the repository (rectrack show \(id))"))
          continue
        }
        if let last, d <= last {
          switch recordedAlready(r, id: id, day: d, recorded: recorded, workflow: workflow) {
          case nil: alreadyRecorded.append(r.row)
          case let differs?:
            problems.append(
              ImportProblem(
                sheet: sheet.name, row: r.row, column: dateColumn,
                message: "\(id) is recorded up to \(last), and this row of \(d) says what its history does "
                  + "not have for that day (\(differs))",
                hint: "a dated log adds only what happened after the last recorded change: correct or remove "
                  + "the row, or record the correction with rectrack update \(id) ... --effective \(d)"))
          }
          continue
        }
        if !applyLogRow(r, id: id, date: d, to: &doc, &p) { alreadyRecorded.append(r.row) }
      }
      planned.append(p)
    }
    // A later snapshot: per recommendation, only what changed, through the workflow.
    let snapshotDay = options.snapshotDate
    for id in snapshotOrder {
      let r = snapshotRows[id]!
      let file = current[id]!
      guard case (var doc, let rec, var p)? = readHere(id, file, row: r.row) else { continue }
      if let d = snapshotDay, d < rec.raised {
        problems.append(
          ImportProblem(
            sheet: sheet.name, row: r.row, column: nil,
            message: "--date \(d) is before \(id) was raised (\(rec.raised))",
            hint: "give the date of the snapshot"))
        continue
      }
      switch change(
        &doc, id: id, row: r, workflow: workflow, strict: true, sheet: sheet.name, date: snapshotDay,
        why: "Changed in \(sheet.name), row \(r.row) (a later snapshot of the tracker).")
      {
      case .none: break
      case .step(let step, _): p.steps.append(step)
      case .refused(let message, let hint):
        problems.append(
          ImportProblem(
            sheet: sheet.name, row: r.row, column: columnOf["status"], message: message, hint: hint))
      }
      if let text = p.steps.last?.text,
        let final = try? RecommendationDocument(text: text, path: file.path)
      {
        for e in final.validate(expectedID: id, statuses: workflow.statuses) where e.severity == .error {
          let key = final.keys.first { final.line(of: $0) == e.line }
          problems.append(
            ImportProblem(
              sheet: sheet.name, row: r.row, column: key.flatMap { columnOf[$0] }, message: e.message,
              hint: e.hint))
        }
      }
      planned.append(p)
    }
    var missing: [String] = []
    if !snapshotOrder.isEmpty {
      let sources = Set(planned.compactMap { p in p.fields.first { $0.key == "source" }?.value.text })
      let inSheet = Set(planned.map(\.id))
      missing = current.filter {
        !inSheet.contains($0.key) && sourceOf($0.value.text).map(sources.contains) == true
      }
      .keys.sorted()
    }
    if !problems.isEmpty {
      let hint =
        unknownWords.isEmpty
        ? nil
        : "map the sheet's status words, e.g. --status-map \""
          + unknownWords.map { "\($0)=\(meaning(ofStatusWord: $0, workflow) ?? "?")" }.joined(separator: ",")
          + "\" (replace each ? with a status)"
      throw .importProblems(sheet: sheet.name, problems: problems, hint: hint)
    }
    var plan = ImportPlan(sheet: sheet.name, header: sheet.header, columns: columns, recommendations: planned)
    plan.warnings = warnings.sorted { ($0.row ?? 0) < ($1.row ?? 0) }
    plan.notes = sheet.notes
    if pattern != nil, let t = columnOf["title"] {
      plan.notes.append(
        "IDs are taken from the references at the start of the titles in \"\(t)\""
          + (options.idFromTitle == nil ? " (\"AFI 1 - ...\" is AFI-1)" : " (--id-from-title)")
          + "; the titles are kept without them.")
    }
    plan.missing = missing
    plan.alreadyRecorded = alreadyRecorded.sorted()
    return plan
  }

  /// Decides what each column is: `--map` first, then `--status-date` and `--skip`, then
  /// columns named like a field (`Title`, `Due`, an export's own headings), and the rest become
  /// the user's own keys, named after their headings.
  static func assignColumns(sheet: Sheet, options: ImportOptions, workflow: Workflow) throws(TrackingError)
    -> [ColumnUse]
  {
    var uses = [ColumnUse?](repeating: nil, count: sheet.header.count)
    func find(_ column: String, option: String) throws(TrackingError) -> Int {
      if let i = sheet.header.firstIndex(of: column) { return i }
      let wanted = column.trimmingWhitespace.lowercased()
      if let i = sheet.header.firstIndex(where: { $0.lowercased() == wanted }) { return i }
      throw .usage("\(option): the sheet has no column \"\(column)\". Its columns are \(list(sheet.header)).")
    }
    var fieldsTaken: [String: String] = [:]
    for (field, column) in options.mapping {
      let key = field.lowercased()
      guard key == "folder" || key == "file" || RecommendationDocument.isValidKey(key) else {
        throw .usage(
          "--map: '\(field)' is not a field name; use id, title, source, raised, owner, lead, due, priority, status, tags, description, progress, or a name of your own in lowercase letters, digits and hyphens."
        )
      }
      let i = try find(column, option: "--map \(field)=\(column)")
      if let other = fieldsTaken[key] {
        throw .usage("--map gives \(key) twice (\"\(other)\" and \"\(column)\"); keep one.")
      }
      if let already = uses[i] {
        throw .usage(
          "--map: column \"\(sheet.header[i])\" is mapped twice (\(describe(already)) and \(key)).")
      }
      fieldsTaken[key] = sheet.header[i]
      uses[i] = key == "folder" ? .folder : key == "file" ? .file : key == "date" ? .entryDate : .field(key)
    }
    for (status, column) in options.statusDates {
      guard workflow.statuses.contains(status) else {
        throw .usage(
          "--status-date: '\(status)' is not a status of the workflow (\(workflow.statuses.joined(separator: ", ")))."
        )
      }
      let i = try find(column, option: "--status-date \(status)=\(column)")
      if let already = uses[i] {
        throw .usage("--status-date: column \"\(sheet.header[i])\" is already mapped (\(describe(already))).")
      }
      uses[i] = .statusDate(status)
    }
    for column in options.skip {
      let i = try find(column, option: "--skip")
      uses[i] = .skipped
    }
    var keysTaken = Set(fieldsTaken.keys)
    for i in sheet.header.indices where uses[i] == nil {
      let heading = sheet.header[i]
      let columnHasValues = sheet.rows.contains {
        i < $0.cells.count && !$0.cells[i].trimmingWhitespace.isEmpty
      }
      if heading.isEmpty && !columnHasValues {
        uses[i] = .skipped
        continue
      }
      let key = slug(heading) ?? "column-\(i + 1)"
      if key == "file" || key == "folder" {
        if !keysTaken.contains(key) {
          keysTaken.insert(key)
          uses[i] = key == "file" ? .file : .folder
          continue
        }
      }
      if keysTaken.contains(key) {
        let owner =
          fieldsTaken[key].map { "--map already takes '\(key)' from \"\($0)\"" }
          ?? "another column has the same name"
        throw .usage(
          "column \"\(heading)\" would become the key '\(key)', but \(owner). Leave it out with --skip \"\(heading)\", or keep it under another name with --map \(key)-sheet=\"\(heading)\"."
        )
      }
      keysTaken.insert(key)
      uses[i] = .field(key)
    }
    return uses.map { $0 ?? .skipped }
  }

  private static func describe(_ use: ColumnUse) -> String {
    switch use {
    case .field(let k): return k
    case .statusDate(let s): return "dates of \(s)"
    case .folder: return "folder"
    case .entryDate: return "date"
    case .file: return "file"
    case .skipped: return "skipped"
    }
  }

  /// The `--status-map` words, lower-cased, each checked against the workflow.
  static func statusWords(_ map: [(word: String, status: String)], workflow: Workflow) throws(TrackingError)
    -> [String: String]
  {
    var out: [String: String] = [:]
    for (word, status) in map {
      guard workflow.statuses.contains(status) else {
        throw .usage(
          "--status-map \(word)=\(status): '\(status)' is not a status of the workflow; use one of \(workflow.statuses.joined(separator: ", "))."
        )
      }
      out[oneLine(word).lowercased()] = status
    }
    return out
  }

  /// A sheet word that is a workflow status once lower-cased with hyphens ("In progress").
  static func workflowStatus(_ word: String, _ workflow: Workflow) -> String? {
    let normal = word.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).joined(
      separator: "-")
    return workflow.statuses.first { $0 == normal }
  }

  /// A heading as a key: lower-case ASCII letters, digits, `-` and `_`, starting with a letter
  /// ("Date raised (est.)" -> `date-raised-est`, "Équipe" -> `equipe`, "2020 notes" -> `col-2020-notes`).
  /// nil when nothing usable is left.
  public static func slug(_ heading: String) -> String? {
    let folded = heading.folding(
      options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil
    )
    .lowercased()
    var out = ""
    var pendingHyphen = false
    for u in folded.unicodeScalars {
      let ok = (u >= "a" && u <= "z") || (u >= "0" && u <= "9") || u == "_"
      if ok {
        if pendingHyphen && !out.isEmpty { out += "-" }
        pendingHyphen = false
        out.unicodeScalars.append(u)
      } else {
        pendingHyphen = true
      }
    }
    guard let first = out.unicodeScalars.first else { return nil }
    if !(first >= "a" && first <= "z") { out = "col-" + out }
    return out
  }

  /// An ID from the sheet in the shape of docs/format.md §1: upper-cased, spaces, dots, slashes and
  /// underscores as hyphens ("dp ddr 1.2" -> `DP-DDR-1-2`); with `prefix` when it does not
  /// start with a letter. nil when still not an ID.
  static func normaliseID(_ raw: String, prefix: String?) -> String? {
    let pieces = raw.uppercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
    var id = pieces.joined(separator: "-")
    if TrackingRepository.isValidID(id) { return id }
    if let prefix, !id.isEmpty {
      id = prefix + "-" + id
      if TrackingRepository.isValidID(id) { return id }
    }
    return nil
  }

  static func oneLine(_ s: String) -> String {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
  }

  static func cleanFolder(_ f: String) -> String? {
    let trimmed = f.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    if trimmed.isEmpty { return "" }
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    guard
      parts.allSatisfy({ !$0.isEmpty && $0 != ".." && $0 != "." && !$0.hasPrefix(".") && !$0.contains("\\") })
    else { return nil }
    return trimmed
  }

  static func list(_ headers: [String]) -> String {
    headers.map { "\"\($0)\"" }.joined(separator: ", ")
  }
}
