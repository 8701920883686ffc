import Foundation
import RecTrackCore
import Testing

/// Our parser and Yams must read every valid file into the same mapping: that is the
/// promise that the files stay ordinary YAML for anyone else's tools.
@Suite struct FormatDifferentialTests {
  static let examples: [String] = [
    FormatTestSupport.specExample,
    "id: A\r\ntitle: Windows file\r\ndescription: |\r\n  line one\r\n\r\n  line two\r\nstatus: open\r\n",
    "\u{FEFF}id: BOM\ntitle: starts with a byte-order mark\n",
    "empty:\nempty-comment: # nothing\nspaces:    \nafter: x\n",
    "a: true\nb: null\nc: ~\nd: 123\ne: -5\nf: 0x1F\ng: 2019-10-01\nh: 1e3\ni: .inf\nj: yes\n",
    "a: a:b\nb: http://example.org/x?y=1#frag\nc: a#b\nd: a, b\ne: a [b] {c}\nf: x]\ng: it's\nh: say \"hi\"\n",
    "a: -x\nb: ?x\nc: :x\nd: ---\ne: ...\nf: a - b\ng: 100%\nh: C:\\path\\file\n",
    "a: trailing spaces   \nb: text # comment\nc: text   # comment # more\nd: text#notcomment\n",
    "a: Llanelli – Ysbyty ✓ 😀\nb: ňáš ŽLUŤOUČKÝ\nc: \u{00A0}nbsp\u{00A0}\nd: 日本語のテキスト # コメント\n",
    "a: \"double\"\nb: 'single'\nc: \"with # hash\"\nd: 'a: b'\ne: 'it''s'\nf: \"\"\ng: ''\nh: \"  spaces  \"\n",
    "a: \"tab\there\"\nb: \"esc \\\" \\\\ \\/ \\t \\n \\r \\0 \\a \\b \\v \\f \\e \\  \\N \\_ \\L \\P\"\n",
    "a: \"\\x41\\u00e9\\U0001F600\"\nb: \"\\u2603 snow\"  # comment\nc: 'back\\slash'\n",
    "a: []\nb: [ ]\nc: [a]\nd: [a, 'b c', \"d\"]\ne: [a b, c d]\nf: [ x , y ]\ng: [a, b,]\nh: [it's, c#]\n",
    "a: [\"a, b\", 'c]d', \"e: f\"]  # comment\nb: ['', \"\"]\nc: [😀, ✓]\nd: ['-x', 'y']\n",
    "a: |\n  one\n  two\nb: |-\n  one\n  two\nc: | # comment\n  x\nd: |- # comment\n  y\n",
    "a: |\n  para one\n\n  para two\n\n\nb: |\n    indented four\n      more\n    back\nc: x\n",
    "a: |\n  text\n     \n  after spaces\nb: |\n  x\n    \n",
    "a: |\nb: |-\nc: |\n\nd: x\n",
    "a: |\n  # not a comment\n  key: value\n  - item\n  --- marker\n  [x]\n  \"q\"\n  'q\n  x\t tab inside\nb: x\n",
    "a: |\n  last line without newline",
    "a: x\n  # indented comment\n   \n\t# hash after tab?\nb: y\n",
    "a: x\n# comment\n    # deeper comment\n\n  \nb: y",
    "a_b-c1: x\nz9: y\nn: n\ny: y\non: off\n",
    "a: |\n  x\n # one-space comment ends the block\nb: y\n",
    "a: 'single # not comment'\nb: \"x\"    # c\nc: [a]# not a comment?\n",
    "long: " + String(repeating: "word ", count: 400) + "end\n",
    "a: |\n  \u{00A0}nbsp first\nb: |\n  tab\tinside\nc: |-\n  trailing spaces   \n  kept  \n",
    "",
    "# only a comment\n",
    "\n\n\n",
    "a: [-x]\n",
    "a: |\n  x\n  \t y\n",
    "a: \"x\"#c\n",
    "a: x\n  continued\n",
    "a: \"multi\n  line\"\n",
    "a:\n  - x\n",
    "a:\n  b: c\n",
    "a: b: c\n",
    "a:b\n",
    "a: x:\n",
    "a: &x y\nb: *x\n",
    "a: !!str x\n",
    "---\na: x\n",
    "a: >\n  folded\n",
    "a: |\n    four\n  two\n",
    "a: |\n      \n  x\n",
    "a: [a: b]\n",
    "a: x\na: y\n",
    "\ta: x\n",
    // Near the refused edges (docs/format.md §2), and accepted: spaces-only lines inside a
    // block, empty lines at its end, a block that ends the file with its line break.
    "a: |\n  text\n     \n  after spaces\nb: x\n",
    "a: |\n  x\n\n\nb: y\n",
    "a: |\n  last line\n",
  ]

  @Test(arguments: examples.indices)
  func handWrittenExamplesAgreeWithYams(_ index: Int) throws {
    let text = Self.examples[index]
    let ours: RecommendationDocument
    do {
      ours = try RecommendationDocument(text: text, path: "example\(index).yml")
    } catch {
      // Every rejection must be deliberate: record it so that a rejection is visible here.
      #expect(Self.rejectedExamples.contains(index), "example \(index) rejected: \(error)")
      return
    }
    #expect(!Self.rejectedExamples.contains(index), "example \(index) was expected to be rejected")
    let yams = FormatTestSupport.yamsFields(text)
    #expect(
      yams.map { FormatTestSupport.same($0, ours.fields) } == true,
      "example \(index):\nours: \(FormatTestSupport.show(ours.fields))\nyams: \(FormatTestSupport.show(yams))"
    )
  }

  /// Examples above that must be rejected (they are here to check that Yams reads them
  /// differently or that we are deliberately strict).
  /// 16 and 19 end a block with spaces-only lines and without a final line break.
  static let rejectedExamples = Set([16, 19, 20, 24]).union(30..<49)

  /// Every example file in the package's `Recommendations/` folder (none is fine: the
  /// folder is filled by other work).
  @Test func repositoryRecommendationFilesAgreeWithYams() throws {
    let root = FormatTestSupport.packageRoot() + "/Recommendations"
    let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
      .filter { $0.hasSuffix(".yml") }.sorted()
    for file in files {
      let data = try #require(FileManager.default.contents(atPath: root + "/" + file))
      let ours: RecommendationDocument
      do {
        ours = try RecommendationDocument(bytes: data, path: "Recommendations/" + file)
      } catch {
        Issue.record("\(error)")
        continue
      }
      let yams = FormatTestSupport.yamsFields(String(decoding: data, as: UTF8.self))
      #expect(
        yams.map { FormatTestSupport.same($0, ours.fields) } == true,
        "\(file):\nours: \(FormatTestSupport.show(ours.fields))\nyams: \(FormatTestSupport.show(yams))")
    }
  }
}
