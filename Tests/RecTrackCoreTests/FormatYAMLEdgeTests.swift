import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The YAML promise at the edges of text blocks (docs/format.md §2): a block whose last lines
/// hold only spaces, or that ends the file without a line break, is refused with the line to
/// fix; rectrack never writes one; and what is accepted next to those edges is read alike by
/// rectrack, Yams and a second parser (PyYAML, as every value a string: `BaseLoader`).
@Suite struct FormatYAMLEdgeTests {
  static let refused: [(text: String, line: Int, message: String, fixed: String)] = [
    (
      "id: A\ndescription: |\n  text", 3, "the file ends inside the 'description' text without a line break",
      "id: A\ndescription: |\n  text\n"
    ),
    (
      "id: A\ndescription: |-\n  one\n  two", 4, "without a line break",
      "id: A\ndescription: |-\n  one\n  two\n"
    ),
    (
      "description: |\n  text\n    \nstatus: open\n", 3,
      "this line at the end of the 'description' text holds only spaces",
      "description: |\n  text\n\nstatus: open\n"
    ),
    (
      "description: |\n  text\n \n\n  \n", 3, "holds only spaces",
      "description: |\n  text\n\n\n\n"
    ),
    (
      "description: |\r\n  text\r\n   \r\nstatus: open\r\n", 3, "holds only spaces",
      "description: |\r\n  text\r\n\r\nstatus: open\r\n"
    ),
    (
      "progress: |\n  text\n      ", 3, "holds only spaces",
      "progress: |\n  text\n"
    ),
  ]

  /// Accepted, next to the edges: every reader must give the same mapping.
  static let accepted: [String] =
    [
      "a: |\n  text\n     \n  after spaces\nb: x\n",
      "a: |\n  x\n\n\nb: y\n",
      "a: |-\n  x\n\n",
      "a: |\n  last line\n",
      "a: |\r\n  x\r\n",
      "a: |\n\n  after an empty first line\n",
      "a: x\nb: |\nc: |-\n",
    ] + refused.map(\.fixed)

  @Test func refusedWithTheLineToFix() throws {
    for c in Self.refused {
      #expect {
        try RecommendationDocument(text: c.text, path: "Recommendations/A.yml")
      } throws: { error in
        guard let e = error as? FormatError else { return false }
        return e.line == c.line && e.message.contains(c.message) && e.hint != nil
          && e.description.hasPrefix("Recommendations/A.yml:\(c.line):")
      }
    }
  }

  @Test func acceptedFilesReadAlikeByRectrackAndYams() throws {
    for text in Self.accepted {
      let ours = try RecommendationDocument(text: text, path: "A.yml")
      let yams = FormatTestSupport.yamsFields(text)
      #expect(yams.map { FormatTestSupport.same($0, ours.fields) } == true, "\(text.debugDescription)")
    }
  }

  static let python = which("python3")
  static var hasPyYAML: Bool {
    guard let python else { return false }
    return (try? runProcess(python, ["-c", "import yaml"]))?.status == 0
  }

  @Test(.enabled(if: hasPyYAML, "needs python3 with PyYAML (Debian package python3-yaml)"))
  func acceptedFilesReadAlikeByPyYAML() throws {
    let input = try JSONSerialization.data(withJSONObject: Self.accepted)
    let script = """
      import json, sys, yaml
      out = []
      for text in json.loads(sys.stdin.read()):
          m = yaml.load(text, Loader=yaml.BaseLoader) or {}
          out.append([[k, v] for k, v in m.items()])
      print(json.dumps(out))
      """
    let r = try runProcess(
      try #require(Self.python), ["-c", script], stdin: String(decoding: input, as: UTF8.self))
    #expect(r.status == 0, "\(r.stderr)")
    let read = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[[Any]]])
    #expect(read.count == Self.accepted.count)
    for (text, pairs) in zip(Self.accepted, read) {
      let ours = try RecommendationDocument(text: text, path: "A.yml").fields
      let theirs: [(key: String, value: FieldValue)] = pairs.compactMap { pair in
        guard let k = pair.first as? String else { return nil }
        if let s = pair.last as? String { return (k, .text(s)) }
        if let l = pair.last as? [String] { return (k, .list(l)) }
        return nil
      }
      #expect(
        FormatTestSupport.same(ours, theirs),
        "\(text.debugDescription): ours \(FormatTestSupport.show(ours)), PyYAML \(FormatTestSupport.show(theirs))"
      )
    }
  }

  /// rectrack never writes either edge: text ending in a line of spaces is written quoted, and a
  /// block put on the last line of a file without a final line break gets one.
  @Test func rectrackNeverWritesTheEdges() throws {
    #expect(RecommendationDocument.yamlScalar(.text("done\n   ")).hasPrefix("\""))
    #expect(RecommendationDocument.yamlScalar(.text("done\n   \n")).hasPrefix("\""))
    for (start, value) in [
      ("id: A\nprogress: x", "two\nlines\n"), ("id: A\nprogress: x", "two\nlines"),
      ("id: A\nprogress: x\n", "ends in spaces\n   "), ("progress: |\n  old\n", "new\n"),
    ] {
      var doc = try RecommendationDocument(text: start, path: "A.yml")
      try doc.set("progress", to: .text(value))
      let again = try RecommendationDocument(text: doc.text, path: "A.yml")
      #expect(again["progress"] == .text(value), "\(doc.text.debugDescription)")
    }
  }
}
