import RecTrackCore
import Testing

/// The writer picks the plainest form that reads back exactly.
@Suite struct FormatRenderTests {
  @Test(arguments: [
    ("plain text", "plain text"),
    ("2019-10-01", "2019-10-01"),
    ("Llanelli – Ysbyty ✓ 😀", "Llanelli – Ysbyty ✓ 😀"),
    ("a:b", "a:b"),
    ("it's", "it's"),
    ("a#b", "a#b"),
    ("", "\"\""),
    (" leading", "\" leading\""),
    ("trailing ", "\"trailing \""),
    ("Phase 2: intelligence", "\"Phase 2: intelligence\""),
    ("Note:", "\"Note:\""),
    ("a # b", "\"a # b\""),
    ("- x", "\"- x\""),
    ("&anchor", "\"&anchor\""),
    ("*alias", "\"*alias\""),
    ("!tag", "\"!tag\""),
    ("%x", "\"%x\""),
    ("@x", "\"@x\""),
    ("`x`", "\"`x`\""),
    ("{a}", "\"{a}\""),
    ("[a]", "\"[a]\""),
    ("'q'", "\"'q'\""),
    ("\"q\"", "\"\\\"q\\\"\""),
    ("back\\slash", "back\\slash"),
    ("\"back\\slash\"", "\"\\\"back\\\\slash\\\"\""),
    ("tab\there", "\"tab\\there\""),
    ("bell\u{7}", "\"bell\\a\""),
    ("nul\u{0}", "\"nul\\0\""),
    ("esc\u{1B}", "\"esc\\e\""),
    ("del\u{7F}", "\"del\\x7F\""),
    ("c1\u{80}", "\"c1\\x80\""),
    ("nel\u{85}", "\"nel\\N\""),
    ("ls\u{2028}ps\u{2029}", "\"ls\\Lps\\P\""),
    ("bom\u{FEFF}", "\"bom\\uFEFF\""),
    ("cr\r", "\"cr\\r\""),
    ("one\ntwo\n", "|\n  one\n  two"),
    ("one\ntwo", "|-\n  one\n  two"),
    ("p1\n\np2\n", "|\n  p1\n\n  p2"),
    ("\nafter blank\n", "|\n\n  after blank"),
    // A last line of only spaces is not written as a block (docs/format.md §2).
    ("x\n   \n", "\"x\\n   \\n\""),
    ("x\n   ", "\"x\\n   \""),
    ("x\n   \ny\n", "|\n  x\n     \n  y"),
    ("two final breaks\n\n", "\"two final breaks\\n\\n\""),
    ("\n", "\"\\n\""),
    (" indented first\nline\n", "\" indented first\\nline\\n\""),
    ("crlf\r\nline\r\n", "\"crlf\\r\\nline\\r\\n\""),
    ("\ttab first\n", "\"\\ttab first\\n\""),
    ("x\n  \ttab after spaces\n", "\"x\\n  \\ttab after spaces\\n\""),
    ("bell\u{7}\nx\n", "\"bell\\a\\nx\\n\""),
  ])
  func textScalars(_ text: String, _ expected: String) throws {
    #expect(RecommendationDocument.yamlScalar(.text(text)) == expected)
    // Whatever the form, it reads back as the same text.
    let doc = try RecommendationDocument(text: "a: " + expected + "\n", path: "R.yml")
    #expect(doc["a"] == .text(text))
  }

  @Test(
    arguments: [
      ([], "[]"),
      (["a"], "[a]"),
      (["a b", "c-d", "Ysbyty ✓"], "[a b, c-d, Ysbyty ✓]"),
      (
        ["a, b", "c]", "d: e", "f#", "", " g", "-h", "[i]", "{j}", "k\"l"],
        "[\"a, b\", \"c]\", \"d: e\", \"f#\", \"\", \" g\", \"-h\", \"[i]\", \"{j}\", k\"l]"
      ),
      (["multi\nline"], "[\"multi\\nline\"]"),
    ] as [([String], String)])
  func listScalars(_ items: [String], _ expected: String) throws {
    #expect(RecommendationDocument.yamlScalar(.list(items)) == expected)
    let doc = try RecommendationDocument(text: "a: " + expected + "\n", path: "R.yml")
    #expect(doc["a"] == .list(items))
  }

  static let fields: [(key: String, value: FieldValue)] = [
    ("id", .text("DP-DDR-01")),
    ("title", .text("Phase 2: intelligence")),
    ("raised", .text("2019-10-01")),
    ("tags", .list(["intelligence", "county lines"])),
    ("description", .text("Line one.\n\nLine two.\n")),
    ("progress", .text("No final break")),
    ("notes", .text("")),
  ]

  @Test func renderNewFile() throws {
    let expected = """
      id: DP-DDR-01
      title: "Phase 2: intelligence"
      raised: 2019-10-01
      tags: [intelligence, county lines]
      description: |
        Line one.

        Line two.
      progress: No final break
      notes: ""

      """
    let text = RecommendationDocument.render(Self.fields)
    #expect(text == expected)
    let doc = try RecommendationDocument(text: text, path: "R.yml")
    #expect(FormatTestSupport.same(doc.fields, Self.fields))
  }

  @Test func renderCRLF() throws {
    let text = RecommendationDocument.render(Self.fields, crlf: true)
    #expect(text.utf8.filter { $0 == 0x0A }.count == text.utf8.filter { $0 == 0x0D }.count)
    #expect(text.replacingCRLF() == RecommendationDocument.render(Self.fields))
    let doc = try RecommendationDocument(text: text, path: "R.yml")
    #expect(doc.usesCRLF)
    #expect(FormatTestSupport.same(doc.fields, Self.fields))
  }

  @Test func renderEmpty() {
    #expect(RecommendationDocument.render([]) == "")
  }
}

extension String {
  fileprivate func replacingCRLF() -> String {
    String(decoding: Array(utf8).filter { $0 != 0x0D }, as: UTF8.self)
  }
}
