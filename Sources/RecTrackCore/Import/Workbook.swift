import Foundation
internal import ZIPFoundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An Excel workbook (.xlsx, as Excel and LibreOffice save it), read without going through CSV:
/// the ZIP container with ZIPFoundation, its XML parts with Foundation's XMLParser.
///
/// Each sheet becomes the cells a person sees: shared and inline strings, numbers as written,
/// booleans as TRUE/FALSE, and numbers in a date format as ISO dates (`2022-03-31`), so a date
/// cell reads the same whatever format it is shown in. Merged ranges are kept, for headers.
public struct Workbook: Sendable {
  /// One worksheet: its rows (row number as Excel shows it, and cells from column A) and its
  /// merged ranges (zero-based, inclusive).
  public struct Worksheet: Sendable {
    public var name: String
    public var rows: [(number: Int, cells: [String])]
    public var merges: [Sheet.Merge]
  }

  public var sheetNames: [String]
  private var parts: [String: String]
  private var archiveData: Data
  private var shared: [String]
  private var dateStyles: Set<Int>

  /// True when `bytes` start as a ZIP file does (an .xlsx is one).
  public static func looksLikeWorkbook(_ bytes: [UInt8]) -> Bool {
    bytes.count > 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
  }

  /// Opens the workbook. Throws `TrackingError.sheet` naming the file when it is not one.
  public init(bytes: [UInt8], name: String) throws(TrackingError) {
    archiveData = Data(bytes)
    let archive: Archive
    do { archive = try Archive(data: archiveData, accessMode: .read) } catch {
      throw .sheet(
        name, "is not an Excel workbook (.xlsx) that can be opened. Save it again from Excel as .xlsx.")
    }
    func part(_ path: String) throws(TrackingError) -> Data? {
      guard let entry = archive[path] else { return nil }
      var out = Data()
      do { _ = try archive.extract(entry, skipCRC32: true) { out.append($0) } } catch {
        throw .sheet(name, "has a damaged part \(path). Open it in Excel and save it again.")
      }
      return out
    }
    guard let book = try part("xl/workbook.xml") else {
      throw .sheet(
        name, "is a ZIP file but not an Excel workbook (no xl/workbook.xml). Save it from Excel as .xlsx.")
    }
    // Sheets in workbook order, and where each one's XML is.
    var names: [(String, String)] = []
    XMLWalk.run(book) { element, attributes in
      if element == "sheet", let n = attributes["name"] {
        names.append((n, attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""))
      }
    }
    var targets: [String: String] = [:]
    if let rels = try part("xl/_rels/workbook.xml.rels") {
      XMLWalk.run(rels) { element, attributes in
        if element == "Relationship", let id = attributes["Id"], let target = attributes["Target"] {
          targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
      }
    }
    sheetNames = names.map(\.0)
    parts = Dictionary(names.map { ($0.0, targets[$0.1] ?? "") }, uniquingKeysWith: { a, _ in a })
    shared = []
    if let strings = try part("xl/sharedStrings.xml") { shared = Self.sharedStrings(strings) }
    dateStyles = []
    if let styles = try part("xl/styles.xml") { dateStyles = Self.dateStyles(styles) }
  }

  /// The sheet called `name` (any case), or the first one.
  public func worksheet(_ name: String?, file: String) throws(TrackingError) -> Worksheet {
    guard !sheetNames.isEmpty else { throw .sheet(file, "has no sheets.") }
    let chosen: String
    if let name {
      guard
        let found = sheetNames.first(where: { $0 == name })
          ?? sheetNames.first(where: { $0.lowercased() == name.lowercased() })
      else {
        throw .usage(
          "--sheet \(name): \(file) has no sheet of that name. Its sheets are "
            + sheetNames.map { "\"\($0)\"" }.joined(separator: ", ") + ".")
      }
      chosen = found
    } else {
      chosen = sheetNames[0]
    }
    let path = parts[chosen] ?? ""
    let archive: Archive
    do { archive = try Archive(data: archiveData, accessMode: .read) } catch {
      throw .sheet(file, "could not be opened again.")
    }
    guard let entry = archive[path] else {
      throw .sheet(
        file, "names a sheet \"\(chosen)\" whose part \(path) is missing. Save it again from Excel.")
    }
    var xml = Data()
    do { _ = try archive.extract(entry, skipCRC32: true) { xml.append($0) } } catch {
      throw .sheet(file, "has a damaged sheet \"\(chosen)\". Open it in Excel and save it again.")
    }
    return readSheet(xml, name: chosen)
  }

  private func readSheet(_ xml: Data, name: String) -> Worksheet {
    var rows: [(number: Int, cells: [String])] = []
    var merges: [Sheet.Merge] = []
    var rowNumber = 0
    var cells: [String] = []
    var column = 0
    var type = ""
    var style = 0
    var value = ""
    var inValue = false
    var inInline = false
    var inPhonetic = false
    func finishRow() {
      if rowNumber > 0 { rows.append((rowNumber, cells)) }
      cells = []
    }
    XMLWalk.run(
      xml,
      start: { element, a in
        switch element {
        case "row":
          let n = a["r"].flatMap { Int($0) } ?? (rowNumber + 1)
          rowNumber = n
          cells = []
          column = 0
        case "c":
          column = a["r"].flatMap { Self.cellColumn($0) } ?? column
          type = a["t"] ?? "n"
          style = a["s"].flatMap { Int($0) } ?? 0
          value = ""
        case "v": inValue = true
        case "is": inInline = true
        case "t": if inInline && !inPhonetic { inValue = true }
        case "rPh": inPhonetic = true
        case "mergeCell":
          if let ref = a["ref"], let m = Sheet.Merge(ref) { merges.append(m) }
        default: break
        }
      },
      text: { s in if inValue { value += s } },
      end: { element in
        switch element {
        case "v", "t": inValue = false
        case "rPh": inPhonetic = false
        case "is": inInline = false
        case "c":
          let text: String
          switch type {
          case "s": text = Int(value).flatMap { $0 < shared.count ? shared[$0] : nil } ?? ""
          case "b": text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
          case "inlineStr", "str", "e": text = value
          default:
            if dateStyles.contains(style), let d = SheetDate.excelSerial(value) {
              text = d.description
            } else {
              text = Self.plainNumber(value)
            }
          }
          if cells.count < column { cells += Array(repeating: "", count: column - cells.count) }
          if cells.count == column { cells.append(text) } else { cells[column] = text }
          column += 1
        case "row": finishRow()
        default: break
        }
      })
    return Worksheet(name: name, rows: rows, merges: merges)
  }

  /// "12" for "12", "12.5" for "12.5", and "12" for LibreOffice's "12.0" or Excel's "1.2E1".
  static func plainNumber(_ v: String) -> String {
    guard v.contains("E") || v.contains("e") || v.hasSuffix(".0"), let d = Double(v) else { return v }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return v
  }

  /// The zero-based column of a cell reference: "A1" -> 0, "AB7" -> 27.
  static func cellColumn(_ ref: String) -> Int? {
    var n = 0
    var any = false
    for u in ref.utf8 {
      guard u >= 65 && u <= 90 else { break }
      n = n * 26 + Int(u - 64)
      any = true
    }
    return any ? n - 1 : nil
  }

  static func sharedStrings(_ xml: Data) -> [String] {
    var out: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false
    XMLWalk.run(
      xml,
      start: { element, _ in
        switch element {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
      },
      text: { if inText { current += $0 } },
      end: { element in
        switch element {
        case "t": inText = false
        case "rPh": inPhonetic = false
        case "si": out.append(current)
        default: break
        }
      })
    return out
  }

  /// The indexes of cell styles (`cellXfs`) whose number format shows a date.
  static func dateStyles(_ xml: Data) -> Set<Int> {
    var custom: [Int: String] = [:]
    var inXfs = false
    var index = 0
    var out = Set<Int>()
    let builtin = Set(Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))
    XMLWalk.run(
      xml,
      start: { element, a in
        switch element {
        case "numFmt":
          if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { custom[id] = code }
        case "cellXfs": inXfs = true
        case "xf" where inXfs:
          let id = a["numFmtId"].flatMap { Int($0) } ?? 0
          if let code = custom[id] {
            if isDateFormat(code) { out.insert(index) }
          } else if builtin.contains(id) {
            out.insert(index)
          }
          index += 1
        default: break
        }
      },
      end: { if $0 == "cellXfs" { inXfs = false } })
    return out
  }

  /// A format code that shows a day or a year (not only a time, not a number): `dd/mm/yyyy`,
  /// `[$-809]d mmmm yyyy`, `mmm-yy`; text in quotes and brackets is ignored.
  static func isDateFormat(_ code: String) -> Bool {
    var plain = ""
    var inQuote = false
    var inBracket = false
    var escape = false
    for ch in code {
      if escape {
        escape = false
        continue
      }
      switch ch {
      case "\\": escape = true
      case "\"": inQuote.toggle()
      case "[" where !inQuote: inBracket = true
      case "]" where !inQuote: inBracket = false
      default: if !inQuote && !inBracket { plain.append(ch) }
      }
    }
    let lower = plain.lowercased()
    return lower.contains("d") || lower.contains("y")
  }
}

/// A minimal SAX walk over an XML part with closures (Foundation's XMLParser underneath).
final class XMLWalk: NSObject, XMLParserDelegate {
  let start: (String, [String: String]) -> Void
  let text: (String) -> Void
  let end: (String) -> Void

  init(
    start: @escaping (String, [String: String]) -> Void, text: @escaping (String) -> Void,
    end: @escaping (String) -> Void
  ) {
    self.start = start
    self.text = text
    self.end = end
  }

  static func run(
    _ data: Data, start: @escaping (String, [String: String]) -> Void,
    text: @escaping (String) -> Void = { _ in },
    end: @escaping (String) -> Void = { _ in }
  ) {
    let parser = XMLParser(data: data)
    let walk = XMLWalk(start: start, text: text, end: end)
    parser.delegate = walk
    parser.shouldProcessNamespaces = false
    _ = parser.parse()
  }

  /// Element names without their namespace prefix (`x:row` is `row`), except attributes.
  private static func local(_ name: String) -> String {
    name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?,
    attributes attributeDict: [String: String] = [:]
  ) {
    start(Self.local(elementName), attributeDict)
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    end(Self.local(elementName))
  }
}
