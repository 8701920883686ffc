import RecTrackCore
import Testing

/// Edits change only the edited entry's lines.
@Suite struct FormatEditTests {
  func doc(_ text: String) throws -> RecommendationDocument {
    try RecommendationDocument(text: text, path: "R.yml")
  }

  static let sample = """
    # Deep Dive Scrutiny Review: illegal drugs
    id: DP-DDR-01
    title: Run campaigns
    lead: Head of SOC   # optional
    status: open   # workflow
    tags: [intelligence]
    description: |
      Engage partner agencies.
      Second line.

    # owner's own notes
    review-note: kept

    """

  @Test func replaceKeepsTrailingComment() throws {
    var d = try doc(Self.sample)
    try d.set("lead", to: .text("Head of Serious and Organised Crime"))
    #expect(
      d.text
        == Self.sample.replacingOccurrences(
          "lead: Head of SOC   # optional", "lead: Head of Serious and Organised Crime   # optional"))
    try d.set("status", to: .text("in-progress"))
    #expect(d.text.contains("\nstatus: in-progress   # workflow\n"))
    #expect(d["status"] == .text("in-progress"))
  }

  @Test func replaceWithQuotedValue() throws {
    var d = try doc(Self.sample)
    try d.set("title", to: .text("Phase 2: intelligence"))
    #expect(
      d.text == Self.sample.replacingOccurrences("title: Run campaigns", "title: \"Phase 2: intelligence\""))
  }

  @Test func replaceBlockWithOneLineKeepsBlankLineAfter() throws {
    var d = try doc(Self.sample)
    try d.set("description", to: .text("Short."))
    #expect(
      d.text
        == Self.sample.replacingOccurrences(
          "description: |\n  Engage partner agencies.\n  Second line.\n", "description: Short.\n"))
  }

  @Test func replaceOneLineWithBlock() throws {
    var d = try doc(Self.sample)
    try d.set("title", to: .text("Line one\nLine two\n"))
    #expect(
      d.text
        == Self.sample.replacingOccurrences("title: Run campaigns\n", "title: |\n  Line one\n  Line two\n"))
    try d.set("lead", to: .text("No final\nbreak"))
    #expect(d.text.contains("\nlead: |-   # optional\n  No final\n  break\nstatus:"))
    #expect(d["lead"] == .text("No final\nbreak"))
  }

  @Test func replaceList() throws {
    var d = try doc(Self.sample)
    try d.set("tags", to: .list(["intelligence", "county lines", "a: b"]))
    #expect(d.text.contains("\ntags: [intelligence, county lines, \"a: b\"]\n"))
  }

  @Test func addAfterLastEntry() throws {
    var d = try doc(Self.sample)
    try d.set("due", to: .text("2021-03-31"))
    #expect(
      d.text
        == Self.sample.replacingOccurrences("review-note: kept\n", "review-note: kept\ndue: 2021-03-31\n"))
    #expect(d.keys.last == "due")
    #expect(d.line(of: "due") == 13)
  }

  @Test func addAfterBlockEntryGoesBeforeTrailingCommentLines() throws {
    var d = try doc("id: A\nprogress: |\n  done\n\n# end of file\n")
    try d.set("due", to: .text("2021-03-31"))
    #expect(d.text == "id: A\nprogress: |\n  done\ndue: 2021-03-31\n\n# end of file\n")
  }

  @Test func addToFileWithoutFinalNewline() throws {
    var d = try doc("id: A\ntitle: x")
    try d.set("due", to: .text("2021-03-31"))
    #expect(d.text == "id: A\ntitle: x\ndue: 2021-03-31")
    try d.set("title", to: .text("y"))
    #expect(d.text == "id: A\ntitle: y\ndue: 2021-03-31")
    try d.set("due", to: .text("two\nlines\n"))
    #expect(d.text == "id: A\ntitle: y\ndue: |\n  two\n  lines\n")
    #expect(d["due"] == .text("two\nlines\n"))
  }

  @Test func addToEmptyAndCommentOnlyFiles() throws {
    var d = try doc("")
    try d.set("id", to: .text("A"))
    #expect(d.text == "id: A\n")
    var c = try doc("# only a comment")
    try c.set("id", to: .text("A"))
    #expect(c.text == "# only a comment\nid: A")
    var b = try doc("\u{FEFF}")
    try b.set("id", to: .text("A"))
    #expect(b.text == "\u{FEFF}id: A\n")
  }

  @Test func crlfFilesGetCRLFLines() throws {
    let text = "id: A\r\ntitle: x # c\r\n"
    var d = try doc(text)
    try d.set("title", to: .text("two\nlines\n"))
    try d.set("tags", to: .list(["a"]))
    #expect(d.text == "id: A\r\ntitle: | # c\r\n  two\r\n  lines\r\ntags: [a]\r\n")
    #expect(d["title"] == .text("two\nlines\n"))
  }

  @Test func settingTheSameValueChangesNothing() throws {
    let text = "title: 'Run campaigns'   # quoted on purpose\n"
    var d = try doc(text)
    try d.set("title", to: .text("Run campaigns"))
    #expect(d.text == text)
  }

  @Test func badKeyIsRefusedAndNothingChanges() throws {
    var d = try doc(Self.sample)
    #expect(throws: FormatError.self) { try d.set("Due Date", to: .text("x")) }
    #expect(throws: FormatError.self) { try d.set("", to: .text("x")) }
    #expect(throws: FormatError.self) { try d.set("1due", to: .text("x")) }
    #expect(d.text == Self.sample)
    do {
      try d.set("Due Date", to: .text("x"))
    } catch {
      #expect(
        error.description
          == "R.yml:1:1: error: 'Due Date' is not a valid key name\nhint: key names use lowercase letters, digits, '-' and '_' and start with a letter, e.g. 'review-date'"
      )
    }
  }

  @Test func removeEntries() throws {
    var d = try doc(Self.sample)
    d.remove("lead")
    #expect(d.text == Self.sample.replacingOccurrences("lead: Head of SOC   # optional\n", ""))
    d.remove("description")
    #expect(!d.text.contains("Engage"))
    #expect(d.text.contains("tags: [intelligence]\n\n# owner's own notes\n"))
    let before = d.text
    d.remove("not-there")
    #expect(d.text == before)
    #expect(d.keys == ["id", "title", "status", "tags", "review-note"])
  }

  @Test func removeLastLineWithoutNewline() throws {
    var d = try doc("id: A\ntitle: x")
    d.remove("title")
    #expect(d.text == "id: A\n")
  }

  /// An indented comment after a one-line entry that follows a block would fall into the
  /// block's text if the entry were simply deleted; the comment is moved to column 0.
  @Test func removeKeepsFollowingIndentedCommentOutOfBlock() throws {
    var d = try doc("description: |\n  text\nlead: x\n  # note about lead\n\nstatus: open\n")
    d.remove("lead")
    #expect(d["description"] == .text("text\n"))
    #expect(d.text == "description: |\n  text\n# note about lead\n\nstatus: open\n")
  }

  /// The same risk the other way: a new block would swallow the indented comment after it,
  /// so the text is written double-quoted instead.
  @Test func blockThatWouldSwallowFollowingLinesIsQuoted() throws {
    var d = try doc("lead: x\n  # note about lead\nstatus: open\n")
    try d.set("lead", to: .text("two\nlines\n"))
    #expect(d.text == "lead: \"two\\nlines\\n\"\n  # note about lead\nstatus: open\n")
    #expect(d["lead"] == .text("two\nlines\n"))
  }

  @Test func blockBodyWithWhitespaceLinesIsReplacedWhole() throws {
    var d = try doc("a: |\n    x\n     \n    z\n\nb: y\n")
    try d.set("a", to: .text("new\n"))
    #expect(d.text == "a: |\n  new\n\nb: y\n")
  }

  /// A document that does not parse cannot be edited (there is no value to call set on);
  /// one that parses but is invalid reports problems without being changed.
  @Test func invalidDocumentsAreNeverRewritten() throws {
    #expect(throws: FormatError.self) { try doc("title: a: b\n") }
    let text = "id: dp-1\ntitle: x\nstatus: done\n"
    let d = try doc(text)
    #expect(!d.validate(expectedID: "DP-1", statuses: ["open"]).isEmpty)
    #expect(throws: FormatError.self) { try d.recommendation(expectedID: "DP-1", statuses: ["open"]) }
    #expect(d.text == text)
  }
}

extension String {
  func replacingOccurrences(_ a: String, _ b: String) -> String {
    var out = ""
    var rest = self[...]
    while let r = rest.firstRange(of: a) {
      out += rest[..<r.lowerBound] + b
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}
