import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Bring a tracker spreadsheet (an Excel workbook or CSV) into the repository.",
      discussion: """
        Reads .xlsx workbooks and CSV as Excel saves it (UTF-8 with or without BOM, commas or \
        semicolons, cells with line breaks; dates as people write them: 31/03/2022, 2022-03-31, \
        4th September 2014, Sep '19, March 2021). Columns named like fields (Title, Owner, \
        Due...) are used as they are; other columns become your own keys. The first dry run asks \
        everything it needs at once and prints a complete command to run next. Every row is \
        checked first: if any row has a problem, each one is listed with its row and column, and \
        nothing is written. The files are added in one commit per raised date (dated with \
        Effective:); dates in a --status-date column, the rows of a dated log (--map date=COLUMN) \
        and what a later snapshot changes become dated changes, so progress reports are right \
        from the first month. See docs/import-export.md.

        Examples:
          rectrack import tracker.csv --source "Deep Dive 2019" \\
            --map id=Ref,title=Recommendation,status=Status \\
            --map owner="Lead officer",due="Target date" \\
            --status-map "Ongoing=in-progress,Complete=complete,Closed=closed" \\
            --status-date complete="Date completed" --dry-run
          rectrack import tracker.xlsx --sheet Tracker --source "Panel 2021" \\
            --map id=Ref,raised="Date raised" --dry-run
          rectrack import log.csv --source "Panel log 2021" \\
            --map id=Ref,date="Update date",progress=Comment --dry-run
          rectrack import export.csv          # an export of another tracking repository
        """)

    @OptionGroup var repoOptions: RepoOptions

    @Argument(
      help: ArgumentHelp("The workbook (.xlsx) or CSV file.", valueName: "file"),
      completion: .file(extensions: ["xlsx", "csv"]))
    var file: String

    @Option(help: .value("The sheet of a workbook to read (default: the first).", "name"))
    var sheet: String?

    @Option(
      help: .value(
        "The row that names the columns, counted from 1 (default: found, skipping titles above it).",
        "N"))
    var headerRow: Int?

    @OptionGroup var sheetOptions: ImportSheetOptions

    @Flag(help: "Check every row and show what would be created; write nothing.")
    var dryRun = false

    @Option(help: "The body of the import's commits (default: which rows of which file).")
    var note: String?

    @Option(help: .value("Who records the import, as \"Name <email>\".", "name <email>"))
    var author: String?

    @OptionGroup var overrideOption: OverrideOption

    func run() throws {
      let repo = try repoOptions.open()
      var isFolder: ObjCBool = false
      if !FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) {
        throw TrackingError.usage(
          "there is no file \(file). Give the CSV file saved from the spreadsheet.")
      }
      if isFolder.boolValue {
        throw TrackingError.usage(
          "\(file) is a folder, not a sheet. Give the CSV file saved from the spreadsheet, e.g. \(file)/tracker.csv."
        )
      }
      guard let data = FileManager.default.contents(atPath: file) else {
        let reason =
          access(file, R_OK) != 0 ? String(cString: strerror(errno)) : "it could not be read"
        throw TrackingError.usage(
          "cannot read \(file) (\(reason)). Check the file's permissions, or save it again.")
      }
      let bytes = Array(data)
      let name = URL(fileURLWithPath: file).lastPathComponent
      let sheet = try Sheet.load(bytes: bytes, name: name, sheet: self.sheet, headerRow: headerRow)
      let signature = try Signature.author(author, repository: repo.git)
      let day = signature.calendarDate
      let options = try sheetOptions.importOptions(today: day)
      let versions = try repo.versions().versions
      let existing = Dictionary(versions.map { ($0.id, $0.path) }, uniquingKeysWith: { a, _ in a })
      // The committed files, for rows about recommendations already here.
      var current: [String: CurrentFile] = [:]
      for v in versions {
        guard let blob = try? repo.git.blob(v.blob) else { continue }
        current[v.id] = CurrentFile(
          path: v.path, blob: v.blob, text: String(decoding: blob, as: UTF8.self))
      }
      // Everything the sheet still needs, asked at once, with the whole command to run next.
      let questions = ImportQuestion.stopping(
        try ImportPlan.questions(
          sheet: sheet, options: options, workflow: repo.workflow, today: day, current: current))
      if !questions.isEmpty {
        for n in sheet.notes { Console.error(n) }
        throw TrackingError.usage(
          ImportQuestion.describe(
            questions, sheet: name, command: ["rectrack"] + CommandLine.arguments.dropFirst()))
      }
      // A dated log about recommendations already here is checked against their history.
      let isLog = options.mapping.contains { $0.field.lowercased() == "date" }
      let recorded = isLog && !current.isEmpty ? try RecordedVersions.load(from: repo) : .none
      let plan = try ImportPlan.make(
        sheet: sheet, options: options, workflow: repo.workflow, existing: existing,
        current: current,
        recorded: recorded, today: day)
      guard !plan.recommendations.isEmpty else {
        throw TrackingError.usage("\(name) has a header but no rows to import.")
      }
      let commits = plan.commits(today: day, note: note)
      if dryRun {
        Console.out(
          Self.describe(
            plan, commits: commits, width: Console.width, today: day, workflow: repo.workflow))
        Console.out(
          TextTable.wrap(
            "Dry run: nothing was written. Run again without --dry-run to import.",
            width: Console.width,
            indent: ""))
        return
      }
      for w in plan.warnings { Console.error(w.description) }
      guard !commits.isEmpty else {
        Console.out(
          "Nothing to record: \(name) says what the repository already says"
            + Self.missingText(plan) + Self.recordedText(plan) + ".\n")
        return
      }
      // The import's commits land together (role checks, when configured, apply here too).
      let result = try overrideOption.recorder(repo).record(commits, author: signature)
      let created = plan.created.count
      let updated = plan.recommendations.filter { $0.base != nil && !$0.steps.isEmpty }.count
      let changes = commits.count - Set(plan.created.map(\.raised)).count
      var what: [String] = []
      if created > 0 { what.append("imported \(created) recommendation\(created == 1 ? "" : "s")") }
      if updated > 0 { what.append("updated \(updated)") }
      Console.out(
        (what.joined(separator: " and ").prefix(1).uppercased()
          + what.joined(separator: " and ").dropFirst())
          + " from \(name) in \(result.commits.count) commit\(result.commits.count == 1 ? "" : "s")"
          + (changes > 0 ? " (\(changes) dated change\(changes == 1 ? "" : "s"))" : "")
          + "; last commit \(result.commits.last!.short)" + Self.missingText(plan)
          + Self.recordedText(plan)
          + ".\n")
    }

    /// ". Already recorded, so skipped: rows 2-9" for a dated log of recommendations already here.
    static func recordedText(_ plan: ImportPlan) -> String {
      let n = plan.alreadyRecorded.count
      guard n > 0 else { return "" }
      return ". Already recorded, so skipped: \(n == 1 ? "row" : "rows") "
        + ImportPlan.ranges(plan.alreadyRecorded)
    }

    /// "; not in the sheet (nothing deleted): A, B" for a later snapshot.
    static func missingText(_ plan: ImportPlan) -> String {
      guard !plan.missing.isEmpty else { return "" }
      return ". Not in the sheet, so left as they are (nothing is deleted): "
        + plan.missing.joined(separator: ", ")
    }

    /// The dry run's report: how the columns are read, the table of what would be created, and the commits.
    static func describe(
      _ plan: ImportPlan, commits: [PlannedCommit], width: Int, today: CalendarDate,
      workflow: Workflow
    ) -> String {
      var out = ""
      for n in plan.notes { out += n + "\n" }
      if !plan.notes.isEmpty { out += "\n" }
      out += "Columns of \(plan.sheet):\n"
      var columns = TextTable([
        .init("", wraps: true, head: true), .init(""), .init("", wraps: true),
      ])
      columns.showHeaders = false
      for (heading, use) in zip(plan.header, plan.columns) {
        let what: String
        switch use {
        case .field(let k):
          what = RecommendationExport.knownColumns.contains(k) ? k : "\(k) (your own key)"
        case .statusDate(let s): what = "dates it became \(s)"
        case .folder: what = "sub-folder"
        case .entryDate: what = "date of each row (a dated log)"
        case .file: what = "sub-folder (from the file path)"
        case .skipped: what = "left out"
        }
        columns.add(["  " + (heading.isEmpty ? "(no heading)" : heading), "->", what])
      }
      out += columns.render(width: width)
      let createdPlans = plan.created
      out += "\nRecommendations it would create: \(createdPlans.count)\n"
      let recs = createdPlans.compactMap(\.recommendation)
      var table = TextTable([
        .init("ROW", head: true), .init("ID", head: true), .init("STATUS", head: true),
        .init("RAISED", optional: true), .init("DUE"), .init("OWNER", wraps: true, minWidth: 10),
        .init("TITLE", wraps: true, minWidth: 16),
      ])
      for (p, r) in zip(createdPlans, recs) {
        table.add([
          String(p.row), r.id, r.status, TextTable.humanDate(r.raised),
          r.due.map(TextTable.humanDate) ?? "-",
          r.owner,
          r.title,
        ])
      }
      if !createdPlans.isEmpty { out += table.render(width: width) }
      let updates = plan.recommendations.filter { $0.base != nil }
      if !updates.isEmpty {
        let changed = updates.filter { !$0.steps.isEmpty }
        let kind = plan.columns.contains(.entryDate) ? "a dated log" : "a later snapshot"
        out +=
          "\nRecommendations already here (\(kind)): \(updates.count), \(changed.count) changed\n"
        for p in changed {
          for s in p.steps {
            out += TextTable.hanging("  row \(s.row): ", s.summary, width: width, indent: 4)
          }
        }
      }
      if !plan.missing.isEmpty {
        out +=
          "\nNot in the sheet, left as they are (nothing is deleted): "
          + plan.missing.joined(separator: ", ") + "\n"
      }
      if !plan.alreadyRecorded.isEmpty {
        out +=
          "\n"
          + TextTable.wrap(
            "Already recorded (the repository has what they say), so skipped: "
              + (plan.alreadyRecorded.count == 1 ? "row " : "rows ")
              + ImportPlan.ranges(plan.alreadyRecorded),
            width: width, indent: "")
      }
      if !plan.warnings.isEmpty {
        out += "\nWarnings (\(plan.warnings.count)):\n"
        for w in plan.warnings { out += w.description + "\n" }
      }
      out += "\nCommits it would make: \(commits.count)\n"
      for (n, c) in commits.enumerated() {
        if commits.count > 40 && n == 30 {
          out += "  ... and \(commits.count - 30) more\n"
          break
        }
        let effective =
          c.message.trailer("Effective").flatMap { CalendarDate($0) }.map(TextTable.humanDate)
          ?? "today"
        out += TextTable.hanging("  \(effective): ", c.message.summary, width: width, indent: 4)
      }
      return out
    }
  }
}
