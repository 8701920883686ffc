import ArgumentParser
import Foundation
import RecTrackCore

/// How `rectrack import` reads the sheet: which column is which field, what the sheet's words
/// and dates mean, and the values of rows that leave something out. `importOptions(today:)` is
/// the one place these options become the plan's `ImportOptions`.
struct ImportSheetOptions: ParsableArguments {
  @Option(
    help: .value(
      "Which column gives which field: field=Column,... (repeatable). Fields: id, title, source, raised, owner, lead, due, priority, status, tags, description, progress, folder, date (the date of each row of a dated log), or a key of your own.",
      "field=Column,..."))
  var map: [String] = []

  @Option(
    help: .value("The sheet's status words: Word=status,... (repeatable).", "Word=status,..."))
  var statusMap: [String] = []

  @Option(
    help: .value(
      "A column of dates on which recommendations reached a status: status=Column (repeatable), e.g. complete=\"Date completed\".",
      "status=Column"))
  var statusDate: [String] = []

  @Option(help: .value("A column to leave out (repeatable).", "Column"))
  var skip: [String] = []

  @Option(
    help:
      "Prefix for generated IDs (default REC: REC-01, REC-02...) and for numeric references (4822: REC-4822)."
  )
  var idPrefix: String?

  @Option(
    help: .value(
      "A regular expression for the reference at the start of each title (first group: the reference).",
      "regex"))
  var idFromTitle: String?

  @Option(
    help: .value("How 03/04/2021 is read: dmy (3 April, the default) or mdy (March 4).", "dmy|mdy"))
  var dateOrder: String = "dmy"

  @Option(help: "The owner of rows that do not give one.")
  var owner: String?

  @Option(
    help: .value("For a later snapshot: the day its changes are dated (default: today).", "date"))
  var date: String?

  @Option(help: "Sub-folder of Recommendations/ for the files, e.g. 2019-deep-dive.")
  var folder: String?

  @Option(help: "The source (review or report) of rows that do not give one.")
  var source: String?

  @Option(
    help: .value("The raised date of rows that do not give one (e.g. the report's date).", "date"))
  var raised: String?

  /// The options as the import plan reads them; dates through `SheetDate`, in `--date-order`.
  func importOptions(today: CalendarDate) throws(TrackingError) -> ImportOptions {
    guard let order = SheetDate.Order(rawValue: dateOrder.lowercased()) else {
      throw .usage(
        "--date-order \(dateOrder): use dmy (31/03/2022, the UK order) or mdy (03/31/2022).")
    }
    func day(_ text: String?, _ option: String) throws(TrackingError) -> CalendarDate? {
      guard let text else { return nil }
      guard let d = SheetDate.parse(text, order: order) else {
        throw .badDate(text, option: option)
      }
      return d
    }
    var options = ImportOptions(
      skip: skip, idPrefix: idPrefix, folder: folder, source: source,
      raised: try day(raised, "--raised"))
    options.owner = owner
    options.dateOrder = order
    options.idFromTitle = idFromTitle
    options.snapshotDate = try day(date, "--date")
    if let d = options.snapshotDate, d > today {
      throw .usage(
        "--date \(d) is in the future (today is \(today)): a change is recorded once it happens.")
    }
    options.mapping = try ImportOptions.pairs(map, option: "--map").map {
      (field: $0.0, column: $0.1)
    }
    options.statusMap = try ImportOptions.pairs(statusMap, option: "--status-map").map {
      (word: $0.0, status: $0.1)
    }
    options.statusDates = try ImportOptions.pairs(statusDate, option: "--status-date").map {
      (status: $0.0, column: $0.1)
    }
    return options
  }
}

extension ArgumentHelp {
  /// Help for an option whose value has a name of its own: `--raised <date>`.
  static func value(_ text: String, _ name: String) -> ArgumentHelp {
    ArgumentHelp(text, valueName: name)
  }
}
