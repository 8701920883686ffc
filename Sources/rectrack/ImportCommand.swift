import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Bring a tracker spreadsheet (saved as CSV) into the repository.",
      discussion: """
        Reads CSV as Excel saves it (UTF-8 with or without BOM, commas or semicolons, cells with \
        line breaks; dates as 31/03/2022 or 2022-03-31). Columns named like fields (Title, Owner, \
        Due...) are used as they are; other columns become your own keys. Every row is checked \
        first: if any row has a problem, each one is listed with its row and column, and nothing \
        is written. The files are added in one commit per raised date (dated with Effective:), \
        and each date in a --status-date column becomes a dated status change, so progress \
        reports are right from the first month. See docs/import-export.md.

        Examples:
          rectrack import tracker.csv --source "Deep Dive 2019" \\
            --map id=Ref,title=Recommendation,status=Status \\
            --map owner="Lead officer",due="Target date" \\
            --status-map "Ongoing=in-progress,Complete=complete,Closed=closed" \\
            --status-date complete="Date completed" --dry-run
          rectrack import export.csv          # an export of another tracking repository
        """)

    @OptionGroup var repoOptions: RepoOptions

    @Argument(
      help: ArgumentHelp("The CSV file.", valueName: "file.csv"), completion: .file(extensions: ["csv"]))
    var file: String

    @Option(
      help: ArgumentHelp(
        "Which column gives which field: field=Column,... (repeatable). Fields: id, title, source, raised, owner, lead, due, priority, status, tags, description, progress, folder, or a key of your own.",
        valueName: "field=Column,..."))
    var map: [String] = []

    @Option(
      name: .customLong("status-map"),
      help: ArgumentHelp(
        "The sheet's status words: Word=status,... (repeatable).", valueName: "Word=status,..."))
    var statusMap: [String] = []

    @Option(
      name: .customLong("status-date"),
      help: ArgumentHelp(
        "A column of dates on which recommendations reached a status: status=Column (repeatable), e.g. complete=\"Date completed\".",
        valueName: "status=Column"))
    var statusDate: [String] = []

    @Option(help: ArgumentHelp("A column to leave out (repeatable).", valueName: "Column"))
    var skip: [String] = []

    @Option(
      name: .customLong("id-prefix"), help: "Prefix for generated IDs (default REC: REC-01, REC-02...).")
    var idPrefix: String?

    @Option(help: "Sub-folder of Recommendations/ for the files, e.g. 2019-deep-dive.")
    var folder: String?

    @Option(help: "The source (review or report) of rows that do not give one.")
    var source: String?

    @Option(
      help: ArgumentHelp("The raised date of rows that do not give one (default: today).", valueName: "date"))
    var raised: String?

    @Flag(
      name: .customLong("dry-run"), help: "Check every row and show what would be created; write nothing.")
    var dryRun = false

    @Option(help: "The body of the import's commits (default: which rows of which file).")
    var note: String?

    @Option(help: ArgumentHelp("Who records the import, as \"Name <email>\".", valueName: "name <email>"))
    var author: String?

    func run() throws {
      let repo = try repoOptions.open()
      var isFolder: ObjCBool = false
      if !FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) {
        throw TrackingError.usage("there is no file \(file). Give the CSV file saved from the spreadsheet.")
      }
      if isFolder.boolValue {
        throw TrackingError.usage(
          "\(file) is a folder, not a sheet. Give the CSV file saved from the spreadsheet, e.g. \(file)/tracker.csv.")
      }
      guard let data = FileManager.default.contents(atPath: file) else {
        let reason = access(file, R_OK) != 0 ? String(cString: strerror(errno)) : "it could not be read"
        throw TrackingError.usage("cannot read \(file) (\(reason)). Check the file's permissions, or save it again.")
      }
      let bytes = Array(data)
      let name = URL(fileURLWithPath: file).lastPathComponent
      let sheet = try Sheet(bytes: bytes, name: name)
      let signature = try Signature.author(author, repository: repo.git)
      let day = signature.calendarDate
      var options = ImportOptions(
        skip: skip, idPrefix: idPrefix, folder: folder, source: source,
        raised: try raised.map { (t) throws(TrackingError) in try parseDate(t, option: "--raised") })
      options.mapping = try ImportOptions.pairs(map, option: "--map").map { (field: $0.0, column: $0.1) }
      options.statusMap = try ImportOptions.pairs(statusMap, option: "--status-map").map {
        (word: $0.0, status: $0.1)
      }
      options.statusDates = try ImportOptions.pairs(statusDate, option: "--status-date").map {
        (status: $0.0, column: $0.1)
      }
      let existing = Dictionary(
        try repo.versions().versions.map { ($0.id, $0.path) }, uniquingKeysWith: { a, _ in a })
      let plan = try ImportPlan.make(
        sheet: sheet, options: options, workflow: repo.workflow, existing: existing, today: day)
      guard !plan.recommendations.isEmpty else {
        throw TrackingError.usage("\(name) has a header but no rows to import.")
      }
      let commits = plan.commits(today: day, note: note)
      if dryRun {
        Console.out(
          Self.describe(plan, commits: commits, width: Console.width, today: day, workflow: repo.workflow))
        Console.out(
          TextTable.wrap(
            "Dry run: nothing was written. Run again without --dry-run to import.", width: Console.width,
            indent: ""))
        return
      }
      let result = try Recorder(repo: repo).record(commits, author: signature)
      let events = commits.count - Set(plan.recommendations.map(\.raised)).count
      Console.out(
        "Imported \(plan.recommendations.count) recommendation\(plan.recommendations.count == 1 ? "" : "s") from \(name) "
          + "in \(result.commits.count) commit\(result.commits.count == 1 ? "" : "s")"
          + (events > 0 ? " (\(events) dated status change\(events == 1 ? "" : "s"))" : "")
          + "; last commit \(result.commits.last!.short).\n")
    }

    /// The dry run's report: how the columns are read, the table of what would be created, and the commits.
    static func describe(
      _ plan: ImportPlan, commits: [PlannedCommit], width: Int, today: CalendarDate, workflow: Workflow
    ) -> String {
      var out = "Columns of \(plan.sheet):\n"
      var columns = TextTable([.init("", wraps: true, head: true), .init(""), .init("", wraps: true)])
      columns.showHeaders = false
      for (heading, use) in zip(plan.header, plan.columns) {
        let what: String
        switch use {
        case .field(let k):
          what = RecommendationExport.knownColumns.contains(k) ? k : "\(k) (your own key)"
        case .statusDate(let s): what = "dates it became \(s)"
        case .folder: what = "sub-folder"
        case .file: what = "sub-folder (from the file path)"
        case .skipped: what = "left out"
        }
        columns.add(["  " + (heading.isEmpty ? "(no heading)" : heading), "->", what])
      }
      out += columns.render(width: width)
      out += "\nRecommendations it would create:\n"
      let recs = plan.recommendations.compactMap(\.recommendation)
      var table = TextTable([
        .init("ROW", head: true), .init("ID", head: true), .init("STATUS", head: true),
        .init("RAISED", optional: true), .init("DUE"), .init("OWNER", wraps: true, minWidth: 10),
        .init("TITLE", wraps: true, minWidth: 16),
      ])
      for (p, r) in zip(plan.recommendations, recs) {
        table.add([
          String(p.row), r.id, r.status, TextTable.humanDate(r.raised), r.due.map(TextTable.humanDate) ?? "-",
          r.owner,
          r.title,
        ])
      }
      out += table.render(width: width)
      out += "\nCommits it would make:\n"
      for c in commits {
        let effective =
          c.message.trailer("Effective").flatMap { CalendarDate($0) }.map(TextTable.humanDate) ?? "today"
        out += TextTable.hanging("  \(effective): ", c.message.summary, width: width, indent: 4)
      }
      return out
    }
  }
}
