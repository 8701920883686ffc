import Foundation
import RecTrackTestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A golden file per converted format of the panel paper (issue 14), made from the tour's
/// history (scripts/tour.sh, fixed dates) and its March 2022 paper. PDF and DOCX bytes change
/// with the engine's version and the day they were written, so the goldens hold what is stable
/// and what a reader sees: the PDF's text as `pdftotext -layout` lays it out, page by page, and
/// the Word document's structure (headings and levels, paragraphs, list items, table shapes and
/// cells) read from word/document.xml. Each golden names the engine versions it was made with; on
/// a machine with other versions the test says so and checks nothing (re-record there). Re-record
/// with `RECTRACK_RECORD_GOLDEN=1 swift test --filter PaperGoldenTests` (that run fails on purpose).
@Suite struct PaperGoldenTests {
  static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let goldenFolder = project.appendingPathComponent("Tests/Golden/Paper")
  static let weasyprint = which("weasyprint")
  static let pdftotext = which("pdftotext")
  static let pandoc = which("pandoc")
  static let unzip = which("unzip")

  /// The tour's tracking repository, made once for the suite with the rectrack under test.
  static let tour: Result<String, TestSupportError> = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rectrack-tour-\(UUID())").path
    do {
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
      var env = Hermetic.environment
      env["RECTRACK_BIN"] = CLI.executable
      env["NO_COLOR"] = "1"
      env["COLUMNS"] = "80"
      let r = try runProcess(
        "/bin/bash", [project.appendingPathComponent("scripts/tour.sh").path, root + "/opcc"], in: root,
        environment: env)
      guard r.status == 0 else {
        return .failure(
          TestSupportError("the tour failed (\(r.status)): \(r.stderr)\n\(r.stdout.suffix(2000))"))
      }
      return .success(root + "/opcc")
    } catch {
      return .failure(TestSupportError("the tour could not run: \(error)"))
    }
  }()

  /// `rectrack summary` for the tour's March 2022 meeting, as scripts/paper-images.sh makes it.
  static func paper(format: String, engine: (variable: String, path: String)) throws -> String {
    let repo = try tour.get()
    let out = (repo as NSString).deletingLastPathComponent + "/golden-\(UUID()).\(format)"
    let r = try CLI.run(
      [
        "summary", "--repo", repo, "--meeting", "2022-03-10", "--agenda-item", "5", "--author",
        "Siân Rowlands, Policy Officer", "--format", format, "--output", out,
      ], in: repo, environment: [engine.variable: engine.path])
    #expect(r.status == 0, "\(r.stderr)")
    return out
  }

  static func version(_ tool: String, _ args: [String]) throws -> String {
    let r = try runProcess(tool, args)
    let text = r.stdout.isEmpty ? r.stderr : r.stdout
    return text.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "?"
  }

  /// Compares `text` (after its first line, which names the engines) with the golden file, or
  /// records it; when the golden was made with other engine versions, prints why it checks nothing.
  static func check(_ body: String, engines: String, golden name: String) throws {
    let text = "made with: \(engines)\n" + body
    let url = goldenFolder.appendingPathComponent(name)
    guard let golden = try Golden.expected(at: url, recording: text) else { return }
    let recordedWith = golden.split(separator: "\n").first.map(String.init) ?? ""
    guard recordedWith == "made with: \(engines)" else {
      print(
        "skipping the \(name) golden: it was \(recordedWith), this machine has \(engines). Re-record it here "
          + "with RECTRACK_RECORD_GOLDEN=1 swift test --filter PaperGoldenTests, and check the diff.")
      return
    }
    if let difference = Golden.difference(golden: golden, got: text, name: name) {
      Issue.record(Comment(rawValue: difference))
    }
  }

  /// `pdftotext -layout` output, normalised: trailing spaces gone, trailing blank lines of each
  /// page gone, each page (a form feed ends one) under a `--- page N of M ---` line.
  static func pages(_ layout: String) -> String {
    var pages = layout.components(separatedBy: "\u{0C}")
    if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
    var out = ""
    for (i, page) in pages.enumerated() {
      var lines = page.split(separator: "\n", omittingEmptySubsequences: false).map {
        String($0.reversed().drop { $0 == " " }.reversed())
      }
      while lines.last?.isEmpty == true { lines.removeLast() }
      while lines.first?.isEmpty == true { lines.removeFirst() }
      out += "--- page \(i + 1) of \(pages.count) ---\n" + lines.joined(separator: "\n") + "\n"
    }
    return out
  }

  @Test(.enabled(if: weasyprint != nil && pdftotext != nil, "needs weasyprint and pdftotext (poppler-utils)"))
  func pdfTextMatchesTheGolden() throws {
    let pdf = try Self.paper(format: "pdf", engine: ("RECTRACK_PDF_ENGINE", Self.weasyprint!))
    let layout = try runProcess(Self.pdftotext!, ["-layout", pdf, "-"])
    #expect(layout.status == 0, "\(layout.stderr)")
    let text = Self.pages(layout.stdout)
    #expect(text.contains("--- page 1 of "), "a PDF with pages")
    let engines =
      (try Self.version(Self.weasyprint!, ["--version"])) + "; " + (try Self.version(Self.pdftotext!, ["-v"]))
    try Self.check(text, engines: engines, golden: "tour-2022-03-10.pdf.txt")
  }

  @Test(.enabled(if: pandoc != nil && unzip != nil, "needs pandoc and unzip"))
  func wordStructureMatchesTheGolden() throws {
    let docx = try Self.paper(format: "docx", engine: ("RECTRACK_DOCX_ENGINE", Self.pandoc!))
    let xml = try runProcessBytes(Self.unzip!, ["-p", docx, "word/document.xml"])
    #expect(xml.status == 0, "\(xml.stderr)")
    let outline = try WordOutline.read(Data(xml.stdout))
    #expect(outline.contains("\nHeading1: "), "headings with levels")
    #expect(outline.contains("\ntable "), "tables")
    try Self.check(
      outline, engines: try Self.version(Self.pandoc!, ["--version"]), golden: "tour-2022-03-10.docx.txt")
  }

  /// The normalisation finds what it should in a hand-made PDF text and Word body, so a golden
  /// can differ only where the paper does.
  @Test func theNormalisationsKeepWhatAReaderSees() throws {
    #expect(
      Self.pages("  A  \n\nB   \n\u{0C}\nC\n\n\u{0C}")
        == "--- page 1 of 2 ---\n  A\n\nB\n--- page 2 of 2 ---\nC\n")
    func p(_ props: String, _ runs: [String]) -> String {
      "<w:p><w:pPr>\(props)</w:pPr>"
        + runs.map { "<w:r><w:t xml:space=\"preserve\">\($0)</w:t></w:r>" }.joined()
        + "</w:p>"
    }
    func cell(_ texts: String...) -> String { "<w:tc>" + texts.map { p("", [$0]) }.joined() + "</w:tc>" }
    let body =
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
      + p("<w:pStyle w:val=\"Heading2\"/>", ["Over", "due "])
      + p("<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"3\"/></w:numPr>", ["item"]) + "<w:p/>"
      + "<w:tbl><w:tr>" + cell("ID") + cell("Due") + "</w:tr><w:tr>" + cell("R-1") + cell("1 May", "2024")
      + "</w:tr></w:tbl></w:body></w:document>"
    let expected = [
      "Heading2: Overdue", "list item (level 2): item", "table 2 rows x 2 columns", "| ID | Due |",
      "| R-1 | 1 May / 2024 |",
    ]
    #expect(try WordOutline.read(Data(body.utf8)) == expected.map { $0 + "\n" }.joined())
  }
}

/// The structure of a Word document's body: one line per paragraph (its style when it has one,
/// "list item (level N)" when numbered), and per table its shape and each row's cell texts.
final class WordOutline: NSObject, XMLParserDelegate {
  private var lines: [String] = []
  private var style: String?
  private var listLevel: Int?
  private var text = ""
  private var inText = false
  private var tableDepth = 0
  private var rows: [[String]] = []
  private var row: [String] = []
  private var cell: [String] = []

  static func read(_ xml: Data) throws -> String {
    let outline = WordOutline()
    let parser = XMLParser(data: xml)
    parser.delegate = outline
    guard parser.parse() else {
      throw TestSupportError("word/document.xml: \(String(describing: parser.parserError))")
    }
    return outline.lines.map { $0 + "\n" }.joined()
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    switch name {
    case "w:p":
      style = nil
      listLevel = nil
      text = ""
    case "w:pStyle": style = attributes["w:val"]
    case "w:ilvl": listLevel = Int(attributes["w:val"] ?? "0").map { $0 + 1 }
    case "w:numPr": listLevel = listLevel ?? 1
    case "w:t": inText = true
    case "w:tab": text += " "
    case "w:br": text += " "
    case "w:tbl":
      tableDepth += 1
      rows = []
    case "w:tr": row = []
    case "w:tc": cell = []
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inText { text += string }
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?)
  {
    switch name {
    case "w:t": inText = false
    case "w:p":
      let t = text.trimmingCharacters(in: .whitespaces)
      if tableDepth > 0 {
        if !t.isEmpty { cell.append(t) }
      } else if !t.isEmpty {
        let kind = listLevel.map { "list item (level \($0))" } ?? style ?? "paragraph"
        lines.append("\(kind): \(t)")
      }
    case "w:tc": row.append(cell.joined(separator: " / "))
    case "w:tr": rows.append(row)
    case "w:tbl":
      tableDepth -= 1
      lines.append("table \(rows.count) rows x \(rows.map(\.count).max() ?? 0) columns")
      lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
    default: break
    }
  }
}
