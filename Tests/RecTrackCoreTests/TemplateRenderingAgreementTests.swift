import Foundation
import Mustache
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The paper rendered as rectrack renders it (template data as nodes, `TemplateEscaping`'s HTML and
/// Markdown escaping) gives the same bytes as the generic way: swift-mustache itself given the
/// template text as it is, the decoded dictionaries (`SummaryRenderer.plainContext`, itself checked
/// against the JSON text by `SummaryTemplateDataTests`), its own HTML escaping, and Markdown
/// escaped a character at a time by the rule written out below.
@Suite struct TemplateRenderingAgreementTests {
  /// The Markdown rule read a character at a time, as docs/summaries.md states it.
  struct ReferenceMarkdown: MustacheContentType {
    func escapeText(_ text: String) -> String {
      var out = ""
      for c in text {
        if ["\\", "`", "*", "_", "[", "]", "<", "|"].contains(c) {
          out += "\\" + String(c)
        } else if c == "\r\n" || c == "\n" || c == "\r" {
          out += " "
        } else {
          out.append(c)
        }
      }
      return out
    }
  }

  /// The generic rendering: the engine's own defaults, the plain dictionaries.
  static func generic(_ summary: Summary, _ text: String) throws -> String {
    MustacheContentTypes.register(ReferenceMarkdown(), named: "REFERENCE_MARKDOWN")
    let source = text.replacingOccurrences(
      of: "CONTENT_TYPE: MARKDOWN", with: "CONTENT_TYPE: REFERENCE_MARKDOWN")
    return try MustacheTemplate(string: source).render(SummaryRenderer.plainContext(summary))
  }

  static func assertSame(_ summary: Summary, _ text: String, _ name: String) throws {
    let ours = try SummaryRenderer.render(summary, templateText: text, origin: name)
    let theirs = try generic(summary, text)
    #expect(ours == theirs, "\(name) renders differently")
    #expect(!ours.isEmpty)
  }

  /// A template of the repository's own using every construct: sections over lists of objects,
  /// strings and numbers, sections on booleans, strings, numbers and objects, inverted sections
  /// (empty lists, absent keys, false), dotted names, names found further up the stack, `{{.}}`,
  /// triple braces and `&`, transforms and a list's own (first, index), a partial (none is
  /// available: it renders nothing), a comment, set delimiters and each content type.
  static let ownTemplate = """
    {{! every construct }}
    # {{title}} / {{{title}}} / {{&organisation}}
    {{#headline}}Total {{total}}, closed {{closedShare}} ({{closedPercent}}), final {{final}}{{/headline}}
    {{#headline.rag}}R{{red}} A{{amber}} G{{green}} X{{grey}}{{/headline.rag}}
    {{#statuses}}[{{.}}]{{/statuses}} {{count(statuses)}} {{#reversed(statuses)}}<{{.}}>{{/reversed(statuses)}}
    {{#headline.counts}}
    - {{status}}: {{count}}{{#previous}} (was {{.}}){{/previous}}{{^change}} no change{{/change}} {{title}}
    {{/headline.counts}}
    {{#register}}
    {{#first()}}first: {{/first()}}{{index()}} {{rag}} {{item.id}} {{item.title}} {{uppercased(item.owner)}} {{item.due}}{{^item.due}}no date{{/item.due}} {{#period.from}}since {{period.fromText}}{{/period.from}}
    {{/register}}
    {{#first(register)}}First is {{item.id}}{{/first(register)}}
    {{^removed}}Nothing removed.{{/removed}}{{#empty(removed)}} (empty){{/empty(removed)}}
    {{#progress}}{{label}}{{#isMeetingDay}} (meeting){{/isMeetingDay}}{{^isMeetingDay}}.{{/isMeetingDay}} {{#counts}}{{count}},{{/counts}} {{closedShare}}
    {{/progress}}
    {{#commits}}
    | `{{short}}` | {{date}}{{#effective}} (effective){{/effective}} | {{late}} | {{author}} | {{summary}} |
    {{/commits}}
    {{#previous}}{{asOfText}}: {{reconciliation}}{{#hasRestatements}} (restated){{/hasRestatements}}{{/previous}}
    {{#restatements}}- {{explanation}} ({{author}}){{/restatements}}
    {{#ragRule}}Rule: {{.}}{{/ragRule}} {{#headline.total}}n={{.}} {{plusone(.)}}{{/headline.total}}
    {{^nothing.here}}absent{{/nothing.here}}{{#nothing}}never{{/nothing}} {{nothing.at.all}}
    {{#equalzero(headline.overdue)}}none overdue{{/equalzero(headline.overdue)}}{{^equalzero(headline.overdue)}}{{headline.overdue}} overdue{{/equalzero(headline.overdue)}}
    {{#warnings}}<{{.}}>{{/warnings}}
    {{>partial}}
    {{=<% %>=}}<%title%> <%#meeting%><%title%>, <%notes%><%/meeting%><%={{ }}=%>
    {{#meeting}}{{title}} {{date}} {{notes}}{{/meeting}}
    {{% CONTENT_TYPE: MARKDOWN }}
    {{title}} {{#meeting}}{{notes}}{{/meeting}} {{#warnings}}<{{.}}>{{/warnings}} {{#statusChanges}}{{item.title}}: {{#steps}}{{note}};{{/steps}}{{/statusChanges}}
    {{% CONTENT_TYPE: TEXT }}
    {{title}} {{#warnings}}<{{.}}>{{/warnings}}
    """

  /// Text that leads each escaping off its ASCII way: CR LF, combining marks on special
  /// characters, a prepended mark, a character equal to a backquote, letters outside ASCII.
  static let awkward = [
    "plain", "", "a<b>c & 'd' \"e\"", "*[x]* _y_ `z` \\ | <w>", "line\r\nnext\rthird\nfourth",
    "\r\n\r\n", "\r", "Siân’s <plan> & more", "<\u{301}>\u{301} &\u{301} '\u{301}", "\u{600}<x",
    "back\u{1FEF}quote", "é|è*ê_`", "emoji 👩‍💻 <&> | *", "\u{1B}[31mred\u{1B}[0m <",
  ]

  /// Random strings over the characters that matter to either escaping (seeded: the same strings
  /// every run).
  static func randomTexts(count: Int, seed: UInt64) -> [String] {
    let alphabet: [String] = [
      "a", "Z", " ", "<", ">", "&", "'", "\"", "\\", "`", "*", "_", "[", "]", "|", "\r", "\n", "é",
      "\u{301}", "\u{600}", "\u{1FEF}", "👩", "\u{200D}", "💻", "\t",
    ]
    var state = seed
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    return (0..<count).map { _ in
      let length = next() % 12
      var s = ""
      for _ in 0..<length {
        // Mostly ASCII, sometimes not at all.
        s += alphabet[next() % (next() % 4 == 0 ? alphabet.count : 17)]
      }
      return s
    }
  }

  static func paper() throws -> (TestRepository, Summary) {
    let (folder, repo) = try SummaryTests.fixture()
    var s = try SummaryTests.summary(repo)
    s.warnings = awkward + randomTexts(count: 400, seed: 18)
    s.title = "Panel <Ⅶ> & ‘friends’ | *review*"
    return (folder, s)
  }

  @Test func builtInTemplatesRenderAsTheGenericWay() throws {
    let (folder, s) = try Self.paper()
    try withExtendedLifetime(folder) {
      for name in ["summary.md.mustache", "summary.html.mustache"] {
        let text = try #require(BuiltinTemplatesForTests.text(name))
        try Self.assertSame(s, text, "built-in \(name)")
      }
    }
  }

  /// The copies an older rectrack wrote into a repository's Templates/ (Tests/Golden/Templates).
  @Test func olderBuiltInCopiesRenderAsTheGenericWay() throws {
    let (folder, s) = try Self.paper()
    let copies = SummaryTests.goldenFolder.deletingLastPathComponent().appendingPathComponent("Templates")
    let names = try FileManager.default.contentsOfDirectory(atPath: copies.path).sorted()
    #expect(!names.isEmpty)
    try withExtendedLifetime(folder) {
      for name in names {
        let text = try String(contentsOf: copies.appendingPathComponent(name), encoding: .utf8)
        try Self.assertSame(s, text, name)
      }
    }
  }

  @Test func anOwnTemplateWithEveryConstructRendersAsTheGenericWay() throws {
    let (folder, s) = try Self.paper()
    try withExtendedLifetime(folder) {
      try Self.assertSame(s, Self.ownTemplate, "own template")
      // Keys written as null (no previous meeting, nothing recorded) are absent to a template.
      var without = s
      without.previous = nil
      without.recordedAt = nil
      try Self.assertSame(without, Self.ownTemplate + "{{#recordedAt}}at {{.}}{{/recordedAt}}", "nulls")
      // In HTML, in Markdown and as text, every awkward string on its own.
      for pragma in ["", "{{% CONTENT_TYPE: MARKDOWN }}\n", "{{% CONTENT_TYPE: TEXT }}\n"] {
        try Self.assertSame(s, pragma + "{{#warnings}}{{.}}\n{{/warnings}}", "warnings after '\(pragma)'")
      }
      // A first line that is standalone or not, with the pragma rectrack puts before it.
      for first in [
        "{{! c }}\n", "  {{#title}}\n{{/title}}", "\n", "\r\nx", " {{title}} \n", "{{=| |=}}\n|title|",
      ] {
        try Self.assertSame(s, first + "{{title}}", "first line \(first.debugDescription)")
      }
    }
    #expect(s.warnings.contains { $0.unicodeScalars.contains { !$0.isASCII } })
    #expect(s.warnings.contains { $0.allSatisfy(\.isASCII) && $0.contains("\r\n") })
  }

  /// A template that does not parse is reported at the line the engine gives for its own text.
  @Test func parseErrorsNameTheTemplatesOwnLine() throws {
    let (folder, s) = try Self.paper()
    try withExtendedLifetime(folder) {
      for text in [
        "{{title}}\n\n{{#commits}}\n{{short}}\n", "a\nb\n{{/x}}", "{{% NOPE: x }}", "x\n{{#a}}\n{{/b}}",
      ] {
        var line = 0
        var column = 0
        do {
          _ = try MustacheTemplate(string: text)
          Issue.record("\(text.debugDescription) parsed")
        } catch let e as MustacheTemplate.ParserError {
          line = e.context.lineNumber
          column = e.context.columnNumber
        }
        do {
          _ = try SummaryRenderer.render(s, templateText: text, origin: "Templates/x.md.mustache")
          Issue.record("\(text.debugDescription) rendered")
        } catch {
          #expect(
            "\(error)".contains("template Templates/x.md.mustache: error: line \(line), column \(column):"),
            "\(error)")
        }
      }
    }
  }
}
