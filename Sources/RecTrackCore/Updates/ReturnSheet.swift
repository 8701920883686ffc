/// The return sheet: the CSV an owner fills in and sends back.
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

  /// Reads a returned sheet. Throws `TrackingError.sheet` when a needed column is missing.
  public static func read(bytes: [UInt8], name: String) throws(TrackingError) -> [Row] {
    let sheet = try Sheet(bytes: bytes, name: name)
    var index: [String: Int] = [:]
    for (i, h) in sheet.header.enumerated() where index[h.lowercased()] == nil { index[h.lowercased()] = i }
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
