import Foundation
internal import ZIPFoundation

/// Writes one sheet as an Excel workbook (.xlsx): the header row bold and frozen, an autofilter
/// over the table, dates as real date cells (shown as 31/03/2022, sortable and filterable as
/// dates), long narrative cells wrapped, columns sized to their text. Cells are inline strings,
/// so the workbook needs no shared-strings part; ZIPFoundation writes the container.
public enum WorkbookWriter {
  /// A cell to write.
  public enum Cell: Sendable, Hashable {
    case text(String)
    case date(CalendarDate)
    /// Text that should wrap (descriptions, progress notes).
    case wrapped(String)
  }

  /// The workbook's bytes: one sheet called `sheetName` with `header` and `rows`.
  public static func xlsx(sheetName: String, header: [String], rows: [[Cell]]) throws(TrackingError)
    -> [UInt8]
  {
    try xlsx(sheetName: sheetName, rows: [header.map { .text($0) }] + rows, headerRows: 1, merges: [])
  }

  /// The workbook's bytes with the table's header on row `headerRows` (rows above it are titles
  /// or a second header row), bold and frozen, and `merges` ("A1:F1") as merged ranges: the
  /// shapes of trackers people keep, for tests and for exports alike.
  public static func xlsx(
    sheetName: String, rows: [[Cell]], headerRows: Int, merges: [String]
  ) throws(TrackingError) -> [UInt8] {
    try xlsx([Page(name: sheetName, rows: rows, headerRows: headerRows, merges: merges)])
  }

  /// One sheet of a workbook: its name (at most 31 characters are kept), its rows, how many of
  /// them are the header (bold and frozen), and merged ranges.
  public struct Page: Sendable {
    public var name: String
    public var rows: [[Cell]]
    public var headerRows: Int
    public var merges: [String]

    public init(name: String, rows: [[Cell]], headerRows: Int = 1, merges: [String] = []) {
      self.name = name
      self.rows = rows
      self.headerRows = headerRows
      self.merges = merges
    }
  }

  /// A workbook of several sheets, in this order (the first is the one that opens).
  public static func xlsx(_ pages: [Page]) throws(TrackingError) -> [UInt8] {
    var parts: [(String, String)] = [
      ("[Content_Types].xml", contentTypes(sheets: pages.count)),
      ("_rels/.rels", rootRels),
      ("xl/workbook.xml", workbook(pages.map(\.name))),
      ("xl/_rels/workbook.xml.rels", workbookRels(sheets: pages.count)),
      ("xl/styles.xml", styles),
    ]
    for (i, page) in pages.enumerated() {
      parts.append(
        (
          "xl/worksheets/sheet\(i + 1).xml",
          sheet(rows: page.rows, headerRows: page.headerRows, merges: page.merges)
        ))
    }
    do {
      let archive = try Archive(data: Data(), accessMode: .create)
      for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(
          with: path, type: .file, uncompressedSize: Int64(data.count),
          modificationDate: Date(timeIntervalSince1970: 1_577_836_800), compressionMethod: .deflate
        ) { position, size in
          data.subdata(in: Int(position)..<min(data.count, Int(position) + size))
        }
      }
      guard let bytes = archive.data else { throw TrackingError.io("the workbook could not be assembled.") }
      return Array(bytes)
    } catch let e as TrackingError {
      throw e
    } catch {
      throw .io("the workbook could not be written (\(error)).")
    }
  }

  /// "A", "B", ..., "Z", "AA" for zero-based columns.
  static func columnName(_ index: Int) -> String {
    var n = index + 1
    var out = ""
    while n > 0 {
      let r = (n - 1) % 26
      out = String(UnicodeScalar(UInt8(65 + r))) + out
      n = (n - 1) / 26
    }
    return out
  }

  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\n", "\t": out.unicodeScalars.append(u)
      case "\r": continue
      default:
        // Control characters are not allowed in XML 1.0.
        if u.value < 0x20 { continue }
        out.unicodeScalars.append(u)
      }
    }
    return out
  }

  static func sheet(rows all: [[Cell]], headerRows: Int, merges: [String]) -> String {
    let width = all.map(\.count).max() ?? 0
    let rows = Array(all.dropFirst(headerRows))
    // Column widths from the longest line of text in each column, within reason.
    var widths = Array(repeating: 8.0, count: width)
    for (i, cell) in (all.dropFirst(headerRows - 1).first ?? []).enumerated() {
      if case .text(let h) = cell { widths[i] = max(8, Double(h.count) + 4) }
    }
    for row in rows {
      for (i, cell) in row.enumerated() {
        let length: Double
        switch cell {
        case .date: length = 11
        case .text(let s): length = Double(s.split(separator: "\n").map(\.count).max() ?? 0)
        case .wrapped: length = 60
        }
        widths[i] = min(60, max(widths[i], length + 1))
      }
    }
    let first = "A" + String(headerRows)
    let last = columnName(max(0, width - 1)) + String(all.count)
    var xml = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
      xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
      <dimension ref="A1:\(last)"/>
      <sheetViews><sheetView workbookViewId="0"><pane ySplit="\(headerRows)" topLeftCell="A\(headerRows + 1)" \
      activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A\(headerRows + 1)" \
      sqref="A\(headerRows + 1)"/></sheetView></sheetViews>
      <sheetFormatPr defaultRowHeight="15"/>
      <cols>
      """
    for (i, w) in widths.enumerated() {
      xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(Int(w.rounded()))\" customWidth=\"1\"/>"
    }
    xml += "</cols>\n<sheetData>\n"
    for (n, row) in all.enumerated() {
      let r = n + 1
      let bold = r <= headerRows
      xml += "<row r=\"\(r)\">"
      for (i, cell) in row.enumerated() {
        let ref = columnName(i) + String(r)
        xml += cellXML(cell, ref: ref, bold: bold)
      }
      xml += "</row>\n"
    }
    xml += "</sheetData>\n<autoFilter ref=\"\(first):\(last)\"/>\n"
    if !merges.isEmpty {
      xml += "<mergeCells count=\"\(merges.count)\">"
      for m in merges { xml += "<mergeCell ref=\"\(escape(m))\"/>" }
      xml += "</mergeCells>\n"
    }
    xml +=
      "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>\n"
    xml += "</worksheet>\n"
    return xml
  }

  /// One cell's XML: text as an inline string (style 0 plain, 1 bold header, 3 wrapped), a date
  /// as its serial number in the date style 2; an empty text cell is left out.
  static func cellXML(_ cell: Cell, ref: String, bold: Bool) -> String {
    let text: String
    let style: Int
    switch cell {
    case .date(let d): return "<c r=\"\(ref)\" s=\"2\"><v>\(SheetDate.excelSerial(of: d))</v></c>"
    case .text(let s): (text, style) = (s, bold ? 1 : 0)
    case .wrapped(let s): (text, style) = (s, 3)
    }
    if text.isEmpty { return "" }
    let space =
      text.hasPrefix(" ") || text.hasSuffix(" ") || text.contains("\n") ? " xml:space=\"preserve\"" : ""
    return "<c r=\"\(ref)\" s=\"\(style)\" t=\"inlineStr\"><is><t\(space)>\(escape(text))</t></is></c>"
  }

  static func workbook(_ names: [String]) -> String {
    let sheets = names.enumerated().map { i, name in
      "<sheet name=\"\(escape(String(name.prefix(31))))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
    }
    return """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
      xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
      <sheets>\(sheets.joined())</sheets>
      </workbook>

      """
  }

  /// The package's content types: the workbook, each sheet, the styles.
  static func contentTypes(sheets: Int) -> String {
    let ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    let overrides = (1...max(1, sheets)).map {
      "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"\(ml).worksheet+xml\"/>\n"
    }
    return """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
      <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
      <Default Extension="xml" ContentType="application/xml"/>
      <Override PartName="/xl/workbook.xml" ContentType="\(ml).sheet.main+xml"/>
      \(overrides.joined())<Override PartName="/xl/styles.xml" ContentType="\(ml).styles+xml"/>
      </Types>

      """
  }

  static let relationshipTypes = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

  /// Relationships: `rId1`... the sheets in order, then the styles.
  static func relationships(_ targets: [(type: String, target: String)]) -> String {
    let rels = targets.enumerated().map { i, t in
      "<Relationship Id=\"rId\(i + 1)\" Type=\"\(relationshipTypes)/\(t.type)\" Target=\"\(t.target)\"/>\n"
    }
    return """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      \(rels.joined())</Relationships>

      """
  }

  static let rootRels = relationships([("officeDocument", "xl/workbook.xml")])

  static func workbookRels(sheets: Int) -> String {
    relationships(
      (1...max(1, sheets)).map { ("worksheet", "worksheets/sheet\($0).xml") } + [("styles", "styles.xml")])
  }

  /// Styles: 0 plain, 1 header (bold), 2 date (dd/mm/yyyy), 3 wrapped text, top-aligned.
  static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
    <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
    <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
    <font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
    <cellXfs count="4">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
    <alignment wrapText="1" vertical="top"/></xf>\
    </cellXfs>
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
    </styleSheet>

    """
}
