import Foundation
import Testing

/// The project's own reference, docs/format.md, is the one every comment and document cites:
/// no citation of a file outside the project remains, and every `docs/format.md §N` cited names
/// a section that exists.
@Suite struct FormatReferenceTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func projectFiles() -> [URL] {
    var out: [URL] = []
    for folder in ["Sources", "Tests", "docs", "scripts", "Benchmarks"] {
      let e = FileManager.default.enumerator(
        at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
      while let url = e?.nextObject() as? URL {
        if ["swift", "md", "sh", "py", "mustache"].contains(url.pathExtension) { out.append(url) }
      }
    }
    return out + ["README.md", "ARCHITECTURE.md"].map { root.appendingPathComponent($0) }
  }

  @Test func everyCitationPointsInsideTheProject() throws {
    let format = try String(contentsOf: Self.root.appendingPathComponent("docs/format.md"), encoding: .utf8)
    let sections = Set(
      format.split(separator: "\n").filter { $0.hasPrefix("## §") }.compactMap { line in
        line.dropFirst(4).prefix { $0.isNumber }.isEmpty
          ? nil : String(line.dropFirst(4).prefix { $0.isNumber })
      })
    #expect(sections == Set((1...9).map(String.init)))
    let this = URL(fileURLWithPath: #filePath).lastPathComponent
    for url in Self.projectFiles() where url.lastPathComponent != this {
      let text = try String(contentsOf: url, encoding: .utf8)
      let name = url.path.replacingOccurrences(of: Self.root.path + "/", with: "")
      #expect(!text.contains("shared/spec"), "\(name) cites a file outside the project")
      #expect(!text.contains("spec section"), "\(name) cites the spec instead of docs/format.md")
      var rest = Substring(text)
      while let r = rest.range(of: "format.md §") {
        let number = String(rest[r.upperBound...].prefix { $0.isNumber })
        #expect(sections.contains(number), "\(name) cites docs/format.md §\(number), which does not exist")
        rest = rest[r.upperBound...]
      }
    }
  }
}
