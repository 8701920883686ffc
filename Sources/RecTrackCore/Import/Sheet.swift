import Foundation
internal import SwiftCSV

/// A spreadsheet saved as CSV, read the way Excel writes it: UTF-8 with or without a byte-order
/// mark, cells separated by commas or semicolons (the separator Excel uses where the comma is
/// the decimal mark), quoted cells holding separators, quotes and line breaks.
///
/// Parsing is SwiftCSV's; this type adds what an import needs on top: the row numbers a person
/// sees in Excel (the header is row 1 and a cell with line breaks is still one row), blank rows
/// skipped but counted, and errors worded for the person who saved the file.
public struct Sheet: Sendable {
  /// One data row: its number as Excel shows it, and its cells (as many as the header has).
  public struct Row: Sendable {
    public var number: Int
    public var cells: [String]
  }

  /// The name used in messages (the file name as given).
  public var name: String
  /// The header row's cells, trimmed.
  public var header: [String]
  public var rows: [Row]
  /// The separator found on the header line (a tab for a workbook's sheet).
  public var delimiter: Character = "\t"
  /// What was skipped or combined to find the table, for the dry run ("Rows 1-2 are above the
  /// header and were skipped (a title)").
  public var notes: [String] = []

  /// Reads CSV bytes. Throws `TrackingError.sheet` when the bytes are not UTF-8 or the quoting is broken.
  public init(bytes: [UInt8], name: String, headerRow: Int? = nil) throws(TrackingError) {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .sheet(
        name,
        "is not UTF-8 text. In Excel use File > Save As > \"CSV UTF-8 (Comma delimited)\"; in LibreOffice tick \"Edit filter settings\" and choose UTF-8."
      )
    }
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    // Every quote either opens, closes or doubles another, so an odd count means a quoted cell never
    // ends; SwiftCSV would quietly take the rest of the file as that cell.
    if body.utf8.lazy.filter({ $0 == UInt8(ascii: "\"") }).count % 2 == 1 {
      throw .sheet(
        name,
        "has a quoted cell that never ends (an odd number of \" characters). Check the cells that contain quotes and save the sheet again."
      )
    }
    let guessed = CSVDelimiter.guessed(string: body)
    let records: [[String]]
    do {
      records = try EnumeratedCSV(string: body, delimiter: guessed, loadColumns: false).rowsIncludingHeader
    } catch {
      let line = Self.firstBadLine(body, delimiter: guessed)
      throw .sheet(
        name,
        "is not valid CSV: line \(line) has a quote inside a cell that does not start with one (\(Self.describe(error))). "
          + "Put the whole cell in quotes and double the quotes inside it (\"Train in \"\"county lines\"\" work\"), as Excel does."
      )
    }
    guard records.contains(where: { $0.contains { !$0.trimmingWhitespace.isEmpty } }) else {
      throw .sheet(
        name, "has no header row: the first row must name the columns (e.g. Ref, Recommendation, Status).")
    }
    try self.init(
      records: records.enumerated().map {
        (number: $0.offset + 1, cells: $0.element.map { CSVCell.restored($0.replacingCRLF) })
      },
      name: name, headerRow: headerRow, merges: [])
    self.delimiter = guessed.rawValue
  }

  /// The line on which SwiftCSV gives up, found by parsing ever longer prefixes (bisection):
  /// its errors do not say where they are, and a person needs the line to fix it.
  private static func firstBadLine(_ text: String, delimiter: CSVDelimiter) -> Int {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    func fails(_ count: Int) -> Bool {
      let prefix = lines.prefix(count).joined(separator: "\n")
      return (try? EnumeratedCSV(string: prefix, delimiter: delimiter, loadColumns: false)) == nil
    }
    var low = 1
    var high = lines.count
    while low < high {
      let mid = (low + high) / 2
      if fails(mid) { high = mid } else { low = mid + 1 }
    }
    return low
  }

  private static func describe(_ error: any Error) -> String {
    if let e = error as? CSVParseError {
      switch e {
      case .generic(let m), .quotation(let m): return m
      }
    }
    return "\(error)"
  }
}

extension EnumeratedCSV {
  /// The header and the data rows in file order (SwiftCSV keeps them apart).
  fileprivate var rowsIncludingHeader: [[String]] { [header] + rows }
}
