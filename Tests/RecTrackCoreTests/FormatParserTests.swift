import RecTrackCore
import Testing

/// Each accepted form reads into the value a YAML reader gives it.
@Suite struct FormatParserTests {
  func parse(_ text: String) throws -> RecommendationDocument {
    try RecommendationDocument(text: text, path: "R.yml")
  }

  @Test func specExample() throws {
    let text = FormatTestSupport.specExample
    let doc = try parse(text)
    #expect(
      doc.keys == [
        "id", "title", "source", "raised", "owner", "lead", "due", "priority", "status", "tags",
        "description",
        "progress",
      ])
    #expect(doc["lead"] == .text("Head of Serious and Organised Crime"))
    #expect(doc["priority"] == .text("high"))
    #expect(doc["tags"] == .list(["intelligence", "county-lines"]))
    #expect(
      doc["description"]
        == .text(
          "Engage partner agencies such as CrimeStoppers to run localised,\ntargeted intelligence-gathering campaigns in known drug hot spots.\n"
        ))
    #expect(doc["progress"] == .text("Campaign launched in Llanelli and Newtown in March 2020.\n"))
    #expect(doc.line(of: "id") == 2)
    #expect(doc.line(of: "progress") == 15)
    #expect(doc.line(of: "missing") == nil)
    #expect(doc["missing"] == nil)
    #expect(doc.text == text)
    #expect(!doc.usesCRLF)
  }

  @Test(arguments: [
    ("a: plain text", FieldValue.text("plain text")),
    ("a: text   # comment", .text("text")),
    ("a: text#hash", .text("text#hash")),
    ("a: a:b", .text("a:b")),
    ("a: http://example.org/x?y=1#frag", .text("http://example.org/x?y=1#frag")),
    ("a: 2019-10-01", .text("2019-10-01")),
    ("a: true", .text("true")),
    ("a: ~", .text("~")),
    ("a: -5", .text("-5")),
    ("a: it's \"quoted\" inside", .text("it's \"quoted\" inside")),
    ("a: a, b [c] {d}", .text("a, b [c] {d}")),
    ("a: trailing   ", .text("trailing")),
    ("a:", .text("")),
    ("a:    ", .text("")),
    ("a: # only a comment", .text("")),
    ("a: Llanelli – Ysbyty ✓ 😀", .text("Llanelli – Ysbyty ✓ 😀")),
    ("a: \"double: quoted # not a comment\"", .text("double: quoted # not a comment")),
    ("a: \"\"", .text("")),
    ("a: \"  spaced  \"  # c", .text("  spaced  ")),
    ("a: \"tab\there\"", .text("tab\there")),
    ("a: \"\\t\\n\\r\\\\\\\"\\/\\0\\a\\b\\v\\f\\e\\ \"", .text("\t\n\r\\\"/\0\u{7}\u{8}\u{B}\u{C}\u{1B} ")),
    ("a: \"\\N\\_\\L\\P\"", .text("\u{85}\u{A0}\u{2028}\u{2029}")),
    ("a: \"\\x41\\u00e9\\U0001F600\"", .text("Aé😀")),
    ("a: 'single'", .text("single")),
    ("a: 'it''s'", .text("it's")),
    ("a: 'back\\slash'", .text("back\\slash")),
    ("a: ''", .text("")),
    ("a: []", .list([])),
    ("a: [ ]", .list([])),
    ("a: [one]", .list(["one"])),
    ("a: [a, 'b c', \"d\"]", .list(["a", "b c", "d"])),
    ("a: [ spaced item , x ]  # c", .list(["spaced item", "x"])),
    ("a: [a, b,]", .list(["a", "b"])),
    ("a: [\"a, b\", 'c]d', \"e: f\", '']", .list(["a, b", "c]d", "e: f", ""])),
    ("a: [😀, ✓ tick]", .list(["😀", "✓ tick"])),
  ])
  func singleLineValues(_ line: String, _ expected: FieldValue) throws {
    #expect(try parse(line + "\n")["a"] == expected)
    #expect(try parse(line)["a"] == expected)
    #expect(try parse(line + "\r\n")["a"] == expected)
  }

  @Test(arguments: [
    ("a: |\n  one\n  two\n", "one\ntwo\n"),
    ("a: |-\n  one\n  two\n", "one\ntwo"),
    ("a: | # c\n  x\n", "x\n"),
    ("a: |- # c\n  x\n", "x"),
    ("a: |\n  p1\n\n  p2\n\n\nb: x\n", "p1\n\np2\n"),
    ("a: |-\n  p1\n\n\n", "p1"),
    ("a: |\n    four\n      six\n    four\n", "four\n  six\nfour\n"),
    ("a: |\n  x\n     \n  y\n", "x\n   \ny\n"),
    ("a: |\n\n  after blank\n", "\nafter blank\n"),
    (
      "a: |\n  # text, not a comment\n  key: value\n  - item\n", "# text, not a comment\nkey: value\n- item\n"
    ),
    ("a: |\n  x\n # a comment ends it\n", "x\n"),
    ("a: |\nb: x\n", ""),
    ("a: |-\n", ""),
    ("a: |\r\n  one\r\n\r\n  two\r\n", "one\n\ntwo\n"),
    ("a: |\n  tab\tinside\n", "tab\tinside\n"),
  ])
  func blockValues(_ text: String, _ expected: String) throws {
    #expect(try parse(text)["a"] == .text(expected))
  }

  @Test func commentsBlankLinesAndUnknownKeys() throws {
    let text = "# top\n\n   \n  # indented comment\nmy_own-key1: kept\n# c\ntitle: x\n    # deep comment\n"
    let doc = try parse(text)
    #expect(doc.keys == ["my_own-key1", "title"])
    #expect(doc["my_own-key1"] == .text("kept"))
    #expect(doc.line(of: "title") == 7)
  }

  @Test func crlfAndBOMAreKept() throws {
    let text = "\u{FEFF}id: A\r\ntitle: x\r\n"
    let doc = try parse(text)
    #expect(doc.usesCRLF)
    #expect(doc.text == text)
    #expect(doc.bytes == Array(text.utf8))
    #expect(doc["id"] == .text("A"))
    #expect(doc.line(of: "title") == 2)
  }

  @Test func bytesAndTextAgree() throws {
    let text = "id: A\ntitle: Ysbyty ✓\n"
    let a = try RecommendationDocument(bytes: Array(text.utf8), path: "p")
    let b = try RecommendationDocument(text: text, path: "p")
    #expect(a.fields.map(\.key) == b.fields.map(\.key))
    #expect(a.text == b.text)
    #expect(a.path == "p")
  }

  @Test func emptyAndCommentOnlyFiles() throws {
    #expect(try parse("").keys.isEmpty)
    #expect(try parse("# nothing yet\n\n").keys.isEmpty)
  }
}
