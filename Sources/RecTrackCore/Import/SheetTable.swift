import Foundation

extension Sheet {
  /// A merged range of cells (zero-based rows and columns, inclusive), as a workbook keeps it.
  public struct Merge: Sendable, Hashable {
    public var firstRow: Int
    public var firstColumn: Int
    public var lastRow: Int
    public var lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
      self.firstRow = firstRow
      self.firstColumn = firstColumn
      self.lastRow = lastRow
      self.lastColumn = lastColumn
    }

    /// "B2:D3".
    public init?(_ ref: String) {
      let ends = ref.split(separator: ":")
      guard ends.count == 2, let a = Self.cell(ends[0]), let b = Self.cell(ends[1]) else { return nil }
      self.init(firstRow: a.row, firstColumn: a.column, lastRow: b.row, lastColumn: b.column)
    }

    static func cell(_ s: Substring) -> (row: Int, column: Int)? {
      guard let column = Workbook.cellColumn(String(s)),
        let row = Int(s.drop(while: { $0.isLetter }))
      else { return nil }
      return (row - 1, column)
    }
  }

  /// Finds the table in a sheet's rows (row numbers as Excel shows them): the header row (the one
  /// given, counted from 1, or the first row with three or more cells, so titles and counts
  /// above it are skipped), a second header row under merged header cells ("Dates" over "Raised" and
  /// "Due" gives "Dates Raised" and "Dates Due"), the data rows, and a key or notes below the
  /// table (after a blank row, rows of one or two cells) left out. Each of these is said in `notes`.
  public init(
    records: [(number: Int, cells: [String])], name: String, headerRow: Int?, merges: [Merge]
  ) throws(TrackingError) {
    self.name = name
    func filled(_ cells: [String]) -> Int { cells.lazy.filter { !$0.trimmingWhitespace.isEmpty }.count }
    let widest = records.map { filled($0.cells) }.max() ?? 0
    var headerIndex: Int
    var notes: [String] = []
    if let headerRow {
      guard let i = records.firstIndex(where: { $0.number == headerRow }), filled(records[i].cells) > 0 else {
        throw .usage("--header-row \(headerRow): row \(headerRow) of \(name) is empty or missing.")
      }
      headerIndex = i
    } else {
      // The first row with three headings or more (as many as the widest row when it has fewer):
      // titles, dates and counts above a table fill one or two cells.
      let needed = min(3, widest)
      guard let i = records.firstIndex(where: { filled($0.cells) >= needed }) else {
        throw .sheet(
          name, "has no header row: the first row must name the columns (e.g. Ref, Recommendation, Status).")
      }
      headerIndex = i
      let above = records[..<i].filter { filled($0.cells) > 0 }.map(\.number)
      if let first = above.first, let last = above.last {
        notes.append(
          "\(first == last ? "Row \(first) is" : "Rows \(first)-\(last) are") above the header (row "
            + "\(records[i].number)) and \(first == last ? "was" : "were") skipped, as a title; "
            + "give --header-row N if the header is another row.")
      }
    }
    var headerCells = records[headerIndex].cells
    let headerNumber = records[headerIndex].number
    // Merged header cells: the value of a merged range stands in every cell it covers.
    func fill(_ cells: inout [String], row: Int) {
      for m in merges where m.firstRow <= row - 1 && row - 1 <= m.lastRow {
        let top = records.first { $0.number == m.firstRow + 1 }?.cells
        let value = top.flatMap { m.firstColumn < $0.count ? $0[m.firstColumn] : nil } ?? ""
        if cells.count <= m.lastColumn {
          cells += Array(repeating: "", count: m.lastColumn + 1 - cells.count)
        }
        for c in m.firstColumn...m.lastColumn where cells[c].trimmingWhitespace.isEmpty { cells[c] = value }
      }
    }
    fill(&headerCells, row: headerNumber)
    var dataStart = headerIndex + 1
    let spans = merges.filter {
      $0.firstRow == headerNumber - 1 && $0.lastRow == headerNumber - 1 && $0.lastColumn > $0.firstColumn
    }
    if !spans.isEmpty, dataStart < records.count, records[dataStart].number == headerNumber + 1 {
      // A heading spread over several columns names a group; the row below names its columns.
      var sub = records[dataStart].cells
      fill(&sub, row: headerNumber + 1)
      if sub.count < headerCells.count { sub += Array(repeating: "", count: headerCells.count - sub.count) }
      for c in headerCells.indices {
        let top = headerCells[c].trimmingWhitespace
        let bottom = sub[c].trimmingWhitespace
        let inSpan = spans.contains { $0.firstColumn <= c && c <= $0.lastColumn }
        if inSpan && !bottom.isEmpty && bottom != top {
          headerCells[c] = top.isEmpty ? bottom : top + " " + bottom
        } else if top.isEmpty {
          headerCells[c] = bottom
        }
      }
      notes.append(
        "Rows \(headerNumber)-\(headerNumber + 1) are the header: merged headings were joined with the "
          + "ones below them ("
          + spans.map { m in
            "\"\(headerCells[m.firstColumn])\"" + (m.lastColumn > m.firstColumn ? "..." : "")
          }.joined(separator: ", ") + ").")
      dataStart += 1
    }
    header = headerCells.map { $0.replacingCRLF.split(whereSeparator: \.isNewline).joined(separator: " ") }
      .map(\.trimmingWhitespace)
    let width = header.count
    // A key below the table: after a blank row, only rows of one or two cells.
    var end = records.count
    let headings = filled(header)
    if headings >= 4 {
      var k = records.count - 1
      while k >= dataStart && filled(records[k].cells) == 0 { k -= 1 }
      var keyStart = k + 1
      while k >= dataStart && filled(records[k].cells) > 0 && filled(records[k].cells) <= 2 {
        keyStart = k
        k -= 1
      }
      let gap = k >= dataStart && filled(records[k].cells) == 0
      let hasTable = records[dataStart..<max(dataStart, k)].contains { filled($0.cells) > 2 }
      if gap && hasTable && keyStart < records.count && filled(records[keyStart].cells) > 0 {
        end = keyStart
        let last = records[..<records.count].last { filled($0.cells) > 0 }!.number
        let first = records[keyStart].number
        notes.append(
          "\(first == last ? "Row \(first)" : "Rows \(first)-\(last)") below the table "
            + "(after a blank row, one or two cells a row) \(first == last ? "was" : "were") "
            + "skipped, as a key or notes.")
      }
    }
    var rows: [Row] = []
    for record in records[dataStart..<max(dataStart, end)] {
      let cells = record.cells
      if cells.allSatisfy({ $0.trimmingWhitespace.isEmpty }) { continue }
      let padded = cells.count < width ? cells + Array(repeating: "", count: width - cells.count) : cells
      rows.append(Row(number: record.number, cells: padded))
    }
    self.rows = rows
    self.notes = notes
  }

  /// Reads a CSV file or an Excel workbook (found from its first bytes), for `rectrack import`.
  public static func load(
    bytes: [UInt8], name: String, sheet: String? = nil, headerRow: Int? = nil
  ) throws(TrackingError) -> Sheet {
    if Workbook.looksLikeWorkbook(bytes) {
      let book = try Workbook(bytes: bytes, name: name)
      let ws = try book.worksheet(sheet, file: name)
      var out = try Sheet(records: ws.rows, name: name, headerRow: headerRow, merges: ws.merges)
      if book.sheetNames.count > 1 {
        out.notes.insert(
          "Read the sheet \"\(ws.name)\" of \(book.sheetNames.count) ("
            + book.sheetNames.map { "\"\($0)\"" }.joined(separator: ", ") + "); --sheet NAME picks another.",
          at: 0)
      }
      return out
    }
    if let sheet {
      throw .usage("--sheet \(sheet): \(name) is a CSV file, which has one sheet; leave --sheet out.")
    }
    return try Sheet(bytes: bytes, name: name, headerRow: headerRow)
  }
}
