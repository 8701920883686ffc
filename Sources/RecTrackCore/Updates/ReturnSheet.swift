/// The return sheet: the CSV or Excel workbook an owner fills in and sends back.
///
/// The office's columns come first (`ID`, `Title`, `Status`, `Due`, `Latest update`), then the
/// owner's (`New status`, `Progress update`, `Evidence`, `Proposed due date`, `Reason`), then
/// three ordinary cells per row that let `updates record` know whose return it is and what it
/// was made from: `Owner`, `Made from` (the commit) and `Version` (the file's blob id). Plain
/// cells survive a save by Excel, LibreOffice or a script.
public enum ReturnSheet {
  public static let officeColumns = ["ID", "Title", "Status", "Due", "Latest update"]
  public static let ownerColumns = [
    "New status", "Progress update", "Evidence", "Proposed due date", "Reason",
  ]
  public static let metadataColumns = ["Owner", "Made from", "Version"]
  public static var columns: [String] { officeColumns + ownerColumns + metadataColumns }

  /// The sheet for one owner's request: UTF-8 with a byte-order mark (so Excel reads the
  /// accents), CRLF line ends as Excel writes them, RFC 4180 quoting.
  public static func csv(_ request: UpdateRequests.OwnerRequest, madeFrom: String) -> String {
    var rows = [columns.map(RecommendationOutput.csvField).joined(separator: ",")]
    for item in request.items {
      let cells = [
        item.id, item.title, item.status, item.due?.description ?? "", item.latestUpdate ?? "",
        "", "", "", "", "",
        request.owner, madeFrom, item.version,
      ]
      rows.append(cells.map(RecommendationOutput.csvField).joined(separator: ","))
    }
    return "\u{FEFF}" + rows.joined(separator: "\r\n") + "\r\n"
  }

  /// The return sheet as an Excel workbook: the same columns and cells as `csv`, the sent due
  /// dates as real date cells (dd/mm/yyyy), the narratives wrapped, the header bold and frozen.
  /// The owner, commit and version stay ordinary text cells, so a save by Excel or LibreOffice
  /// keeps them.
  public static func xlsx(_ request: UpdateRequests.OwnerRequest, madeFrom: String) throws(TrackingError)
    -> [UInt8]
  {
    typealias Cell = WorkbookWriter.Cell
    let rows: [[Cell]] = request.items.map { item in
      [
        .text(item.id), .wrapped(item.title), .text(item.status), item.due.map { .date($0) } ?? .text(""),
        .wrapped(item.latestUpdate ?? ""),
      ] + Array(repeating: .text(""), count: ownerColumns.count)
        + [.text(request.owner), .text(madeFrom), .text(item.version)]
    }
    return try WorkbookWriter.xlsx(sheetName: "Return", header: columns, rows: rows)
  }

  /// The two forms of the sheet.
  public enum Format: String, Sendable, CaseIterable {
    case csv, xlsx

    /// The MIME type of the attachment.
    public var contentType: String {
      switch self {
      case .csv: return "text/csv; charset=utf-8"
      case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      }
    }
  }

  /// The sheet's bytes in `format`.
  public static func bytes(_ request: UpdateRequests.OwnerRequest, madeFrom: String, format: Format)
    throws(TrackingError) -> [UInt8]
  {
    switch format {
    case .csv: return Array(csv(request, madeFrom: madeFrom).utf8)
    case .xlsx: return try xlsx(request, madeFrom: madeFrom)
    }
  }

  /// One returned row, as read back.
  public struct Row: Sendable, Hashable {
    /// The row number as a spreadsheet shows it (the header is row 1).
    public var number: Int
    public var id: String
    /// The office's columns as they were sent (what the owner saw).
    public var sentStatus: String
    public var sentDue: String
    public var sentUpdate: String
    public var newStatus: String
    public var progressUpdate: String
    public var evidence: String
    public var proposedDue: String
    public var reason: String
    public var owner: String
    public var madeFrom: String
    public var version: String
  }

  /// Reads a returned sheet, CSV or Excel workbook (its first sheet; told apart by the first
  /// bytes). Throws `TrackingError.sheet` when a needed column is missing.
  public static func read(bytes: [UInt8], name: String) throws(TrackingError) -> [Row] {
    let sheet = try Sheet.load(bytes: bytes, name: name, headerRow: 1)
    var index: [String: Int] = [:]
    for (i, cell) in sheet.header.enumerated() {
      // A byte-order mark read as text (a CSV opened as Latin-1, then saved) is not part of the name.
      var h = cell.lowercased()
      for mark in ["\u{FEFF}", "ï»¿"] where h.hasPrefix(mark) { h = String(h.dropFirst(mark.count)) }
      if index[h] == nil { index[h] = i }
    }
    let needed = ["ID"] + ownerColumns + metadataColumns
    let missing = needed.filter { index[$0.lowercased()] == nil }
    guard missing.isEmpty else {
      throw .sheet(
        name,
        "is not a return sheet from 'rectrack updates request': it has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s"). Use the sheet attached to the request, keep its columns, and fill in only the owner's columns."
      )
    }
    func cell(_ row: Sheet.Row, _ column: String) -> String {
      guard let i = index[column.lowercased()], i < row.cells.count else { return "" }
      return row.cells[i].trimmingWhitespace
    }
    return sheet.rows.map { r in
      Row(
        number: r.number, id: cell(r, "ID"), sentStatus: cell(r, "Status"), sentDue: cell(r, "Due"),
        sentUpdate: cell(r, "Latest update"), newStatus: cell(r, "New status"),
        progressUpdate: cell(r, "Progress update"), evidence: cell(r, "Evidence"),
        proposedDue: cell(r, "Proposed due date"), reason: cell(r, "Reason"), owner: cell(r, "Owner"),
        madeFrom: cell(r, "Made from"), version: cell(r, "Version"))
    }
  }
}
