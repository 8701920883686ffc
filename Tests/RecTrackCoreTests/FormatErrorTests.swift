import RecTrackCore
import Testing

/// Every rejection, with the exact text a person sees: position, message, the line, the
/// caret and the hint saying what to write instead.
@Suite struct FormatErrorTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var input: String
    var expected: String
    var testDescription: String { input.debugDescription }
  }

  static let path = "Recommendations/DP-01.yml"

  static func error(_ input: String, _ expected: String) -> Case { Case(input: input, expected: expected) }

  static let cases: [Case] = [
    error(
      "id: A\ntitle: Phase 2: intelligence\n",
      """
      Recommendations/DP-01.yml:2:15: error: the value of 'title' contains ': ', which YAML would read as another key
      title: Phase 2: intelligence
                    ^
      hint: put the text in quotes: title: "Phase 2: intelligence"
      """),
    error(
      "title: Phase 2: intelligence   # keep\n",
      """
      Recommendations/DP-01.yml:1:15: error: the value of 'title' contains ': ', which YAML would read as another key
      title: Phase 2: intelligence   # keep
                    ^
      hint: put the text in quotes: title: "Phase 2: intelligence"
      """),
    error(
      "title: Note:\n",
      """
      Recommendations/DP-01.yml:1:12: error: the value of 'title' ends with ':', which YAML would read as another key
      title: Note:
                 ^
      hint: put the text in quotes: title: "Note:"
      """),
    // Multibyte text before the fault: the column counts characters, not bytes.
    error(
      "title: Llanelli – Ysbyty ✓ 😀: x\n",
      """
      Recommendations/DP-01.yml:1:29: error: the value of 'title' contains ': ', which YAML would read as another key
      title: Llanelli – Ysbyty ✓ 😀: x
                                  ^
      hint: put the text in quotes: title: "Llanelli – Ysbyty ✓ 😀: x"
      """),
    // CRLF: same line and column, and no CR in the source line shown.
    error(
      "title: x\r\nowner: Llanelli – Ysbyty: x\r\nstatus: open\r\n",
      """
      Recommendations/DP-01.yml:2:25: error: the value of 'owner' contains ': ', which YAML would read as another key
      owner: Llanelli – Ysbyty: x
                              ^
      hint: put the text in quotes: owner: "Llanelli – Ysbyty: x"
      """),
    error(
      "title: - x\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot start with '- ': YAML would read a list item
      title: - x
             ^
      hint: for a list write 'title: [first, second]'; for text, put the text in quotes: title: "- x"
      """),
    error(
      "title: -\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot be a lone '-': YAML would read a list item
      title: -
             ^
      hint: for a list write 'title: [first, second]'; for text, put the text in quotes: title: "-"
      """),
    error(
      "title: &a\n",
      """
      Recommendations/DP-01.yml:1:8: error: '&' at the start of a value marks a YAML anchor, which is not supported
      title: &a
             ^
      hint: put the text in quotes: title: "&a"
      """),
    error(
      "title: *a\n",
      """
      Recommendations/DP-01.yml:1:8: error: '*' at the start of a value marks a YAML alias, which is not supported
      title: *a
             ^
      hint: put the text in quotes: title: "*a"
      """),
    error(
      "title: !tag x # c\n",
      """
      Recommendations/DP-01.yml:1:8: error: '!' at the start of a value marks a YAML tag, which is not supported
      title: !tag x # c
             ^
      hint: put the text in quotes: title: "!tag x"
      """),
    error(
      "title: %x\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot start with '%'
      title: %x
             ^
      hint: put the text in quotes: title: "%x"
      """),
    error(
      "title: @x\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot start with '@'
      title: @x
             ^
      hint: put the text in quotes: title: "@x"
      """),
    error(
      "title: `x`\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot start with '`'
      title: `x`
             ^
      hint: put the text in quotes: title: "`x`"
      """),
    error(
      "title: ,x\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot start with ','
      title: ,x
             ^
      hint: put the text in quotes: title: ",x"
      """),
    error(
      "title: ? x\n",
      """
      Recommendations/DP-01.yml:1:8: error: a value cannot start with '? '
      title: ? x
             ^
      hint: put the text in quotes: title: "? x"
      """),
    error(
      "title: {a: b}\n",
      """
      Recommendations/DP-01.yml:1:8: error: a '{...}' mapping is not supported as a value
      title: {a: b}
             ^
      hint: put the text in quotes: title: "{a: b}"
      """),
    error(
      "title:value\n",
      """
      Recommendations/DP-01.yml:1:7: error: there is no space after 'title:'
      title:value
            ^
      hint: write 'title: value'
      """),
    error(
      "title:\tvalue\n",
      """
      Recommendations/DP-01.yml:1:7: error: there is a tab after 'title:'
      title:\tvalue
            ^
      hint: use a space after the colon, not a tab
      """),
    error(
      "title : value\n",
      """
      Recommendations/DP-01.yml:1:6: error: there is a space between the key 'title' and its ':'
      title : value
           ^
      hint: write 'title:' with no space before the colon
      """),
    error(
      "Title: value\n",
      """
      Recommendations/DP-01.yml:1:1: error: 'Title' is not a valid key name
      Title: value
      ^
      hint: key names use lowercase letters, digits, '-' and '_' and start with a letter: write 'title:'
      """),
    error(
      "due date: 2021-03-31\n",
      """
      Recommendations/DP-01.yml:1:4: error: 'due date' is not a valid key name
      due date: 2021-03-31
         ^
      hint: key names use lowercase letters, digits, '-' and '_' and start with a letter: write 'due-date:'
      """),
    error(
      "campaign launched in March\n",
      """
      Recommendations/DP-01.yml:1:1: error: this line is not a 'key: value' line
      campaign launched in March
      ^
      hint: write it as 'key: value', start it with '#' to make it a comment, or if it belongs to the text above, indent it under a 'key: |' line
      """),
    error(
      "id: A\ntitle\n",
      """
      Recommendations/DP-01.yml:2:6: error: the line 'title' has no ':' after the key
      title
           ^
      hint: write 'title: ' followed by its value
      """),
    error(
      "\ttitle: x\n",
      """
      Recommendations/DP-01.yml:1:1: error: the line is indented with a tab
      \ttitle: x
      ^
      hint: indent with spaces, not tabs
      """),
    error(
      "title: x\n  \t# c\n",
      """
      Recommendations/DP-01.yml:2:3: error: the line is indented with a tab
        \t# c
        ^
      hint: indent with spaces, not tabs
      """),
    error(
      "title: a\tb\n",
      """
      Recommendations/DP-01.yml:1:9: error: the value of 'title' contains a tab character
      title: a\tb
              ^
      hint: replace the tab with spaces, or write it in double quotes as "\\t"
      """),
    error(
      "title: \"unterminated\n",
      """
      Recommendations/DP-01.yml:1:8: error: the quoted value of 'title' is not closed on this line
      title: "unterminated
             ^
      hint: end it with " on the same line; for text over several lines write 'title: |' and indent the lines below it by two spaces
      """),
    error(
      "title: 'two\n  lines'\n",
      """
      Recommendations/DP-01.yml:1:8: error: the quoted value of 'title' is not closed on this line
      title: 'two
             ^
      hint: end it with ' on the same line; for text over several lines write 'title: |' and indent the lines below it by two spaces
      """),
    error(
      "title: \"a\" b\n",
      """
      Recommendations/DP-01.yml:1:12: error: there is text after the closing quote of 'title'
      title: "a" b
                 ^
      hint: put all of the value inside the quotes, or start a comment with ' #'
      """),
    error(
      "title: \"a\"#c\n",
      """
      Recommendations/DP-01.yml:1:11: error: a comment needs a space before the '#'
      title: "a"#c
                ^
      hint: write a space between the closing quote and '#'
      """),
    error(
      "title: \"ok\" \t# c\n",
      """
      Recommendations/DP-01.yml:1:13: error: there is a tab after the closing quote
      title: "ok" \t# c
                  ^
      hint: use spaces before a comment, not tabs
      """),
    error(
      "title: \"C:\\data\"\n",
      """
      Recommendations/DP-01.yml:1:11: error: '\\d' is not a valid escape in double quotes
      title: "C:\\data"
                ^
      hint: write a backslash as '\\\\', or put the text in single quotes, where '\\' is an ordinary character
      """),
    error(
      "title: \"ö \\é\"\n",
      """
      Recommendations/DP-01.yml:1:11: error: '\\é' is not a valid escape in double quotes
      title: "ö \\é"
                ^
      hint: write a backslash as '\\\\', or put the text in single quotes, where '\\' is an ordinary character
      """),
    error(
      "title: \"\\x4\"\n",
      """
      Recommendations/DP-01.yml:1:9: error: the escape '\\x' needs 2 hexadecimal digits
      title: "\\x4"
              ^
      hint: write a backslash as '\\\\', or put the text in single quotes, where '\\' is an ordinary character
      """),
    error(
      "title: \"\\uD800\"\n",
      """
      Recommendations/DP-01.yml:1:9: error: the escape does not name a valid character
      title: "\\uD800"
              ^
      hint: check the code after the backslash, or remove the escape
      """),
    error(
      "tags: [a, b\n",
      """
      Recommendations/DP-01.yml:1:7: error: the list of 'tags' is not closed with ']' on this line
      tags: [a, b
            ^
      hint: write the whole list on one line, e.g. 'tags: [first, second]'
      """),
    error(
      "tags: [a #c]\n",
      """
      Recommendations/DP-01.yml:1:7: error: the list of 'tags' is not closed with ']' on this line
      tags: [a #c]
            ^
      hint: write the whole list on one line, e.g. 'tags: [first, second]'
      """),
    error(
      "tags: [a, [b]]\n",
      """
      Recommendations/DP-01.yml:1:11: error: a list or mapping inside the list of 'tags' is not supported
      tags: [a, [b]]
                ^
      hint: write the items as plain text, e.g. 'tags: [first, second]'; put an item in quotes if its brackets are part of the text
      """),
    error(
      "tags: [a,, b]\n",
      """
      Recommendations/DP-01.yml:1:10: error: the list of 'tags' has an empty item
      tags: [a,, b]
               ^
      hint: remove the extra ','
      """),
    error(
      "tags: [Ysbyty ✓, a: b]\n",
      """
      Recommendations/DP-01.yml:1:19: error: an item in the list of 'tags' contains ':'
      tags: [Ysbyty ✓, a: b]
                        ^
      hint: put the item in quotes, e.g. "a: b"
      """),
    error(
      "tags: [&a]\n",
      """
      Recommendations/DP-01.yml:1:8: error: an item in the list of 'tags' cannot start with '&'
      tags: [&a]
             ^
      hint: put the item in quotes, e.g. "&a"
      """),
    error(
      "tags: [a] b\n",
      """
      Recommendations/DP-01.yml:1:11: error: there is text after the closing ']' of 'tags'
      tags: [a] b
                ^
      hint: remove the text after ']', or start a comment with ' #'
      """),
    error(
      "tags: [\"a\" b]\n",
      """
      Recommendations/DP-01.yml:1:12: error: a ',' or ']' is missing after the quoted item in the list of 'tags'
      tags: ["a" b]
                 ^
      hint: separate the items with ', ' and end the list with ']'
      """),
    error(
      "tags: [\"a]\n",
      """
      Recommendations/DP-01.yml:1:8: error: the quoted item in the list of 'tags' is not closed on this line
      tags: ["a]
             ^
      hint: end the item with " before the next ',' or ']'
      """),
    error(
      "description: >\n  x\n",
      """
      Recommendations/DP-01.yml:1:14: error: folded text ('>') is not supported
      description: >
                   ^
      hint: write 'description: |' instead; the lines below it are then kept exactly as written
      """),
    error(
      "description: |+\n  x\n",
      """
      Recommendations/DP-01.yml:1:15: error: '|+' (keep all final blank lines) is not supported
      description: |+
                    ^
      hint: write 'description: |' or 'description: |-'
      """),
    error(
      "description: |2\n  x\n",
      """
      Recommendations/DP-01.yml:1:15: error: an indentation number after '|' is not supported
      description: |2
                    ^
      hint: write 'description: |' and indent the text below it by two spaces
      """),
    error(
      "description: | text\n",
      """
      Recommendations/DP-01.yml:1:16: error: unexpected text after '|'
      description: | text
                     ^
      hint: write 'description: |' alone on its line (a ' # comment' may follow) and put the text on the lines below, indented by two spaces
      """),
    error(
      "description: |\n    four\n  two\n",
      """
      Recommendations/DP-01.yml:3:3: error: this line of the 'description' text is indented less than the first line of the text (4 spaces)
        two
        ^
      hint: indent every line of the text by at least 4 spaces, like its first line
      """),
    error(
      "description: |\n      \n  two\n",
      """
      Recommendations/DP-01.yml:2:3: error: this blank line in the 'description' text has more spaces than the first line of text below it
            
        ^
      hint: remove the spaces from the blank line
      """),
    error(
      "description: |\n  ok\n  \tx\n",
      """
      Recommendations/DP-01.yml:3:3: error: a line of the 'description' text starts with a tab after its indentation
        \tx
        ^
      hint: indent the text with spaces only
      """),
    error(
      "description: |\nnot indented\n",
      """
      Recommendations/DP-01.yml:2:1: error: the text under 'description: |' must be indented
      not indented
      ^
      hint: indent each line of the text by two spaces
      """),
    error(
      "title: Run targeted\n  campaigns\n",
      """
      Recommendations/DP-01.yml:2:3: error: the value of 'title' continues on this line, but a value must fit on one line
        campaigns
        ^
      hint: put the value on one line, or write 'title: |' and indent each line of the text by two spaces below it
      """),
    error(
      "title:\n  Phase 2: intelligence\n",
      """
      Recommendations/DP-01.yml:2:3: error: the value of 'title' must be on the same line as 'title:'
        Phase 2: intelligence
        ^
      hint: write 'title: "Phase 2: intelligence"'
      """),
    error(
      "description: |\n text one space in\n",
      """
      Recommendations/DP-01.yml:2:2: error: the text under 'description: |' must be indented by at least two spaces
       text one space in
       ^
      hint: indent each line of the text by two spaces
      """),
    error(
      "description: |\n  first\n\n second\n",
      """
      Recommendations/DP-01.yml:4:2: error: this line is indented less than the 'description' text above it
       second
       ^
      hint: indent it like the text above, or start it in the first column if it begins a new 'key: value' line
      """),
    error(
      "tags:\n  - a\n",
      """
      Recommendations/DP-01.yml:2:3: error: a list written as '- item' lines is not supported
        - a
        ^
      hint: write the list on one line after its key, e.g. 'tags: [first, second]'
      """),
    error(
      "owner:\n  name: X\n",
      """
      Recommendations/DP-01.yml:2:3: error: a nested 'name:' under 'owner' is not supported
        name: X
        ^
      hint: put the value on the 'owner:' line itself, e.g. 'owner: some text'; every key starts in the first column
      """),
    error(
      "tags:\n- a\n",
      """
      Recommendations/DP-01.yml:2:1: error: a list written as '- item' lines is not supported
      - a
      ^
      hint: write the list on one line after its key, e.g. 'tags: [first, second]'
      """),
    error(
      "-x: y\n",
      """
      Recommendations/DP-01.yml:1:1: error: '-x' is not a valid key name
      -x: y
      ^
      hint: key names use lowercase letters, digits, '-' and '_' and start with a letter: write 'x:'
      """),
    error(
      "---\ntitle: x\n",
      """
      Recommendations/DP-01.yml:1:1: error: a YAML document marker ('---') is not supported
      ---
      ^
      hint: delete this line; a recommendation file is one list of 'key: value' lines
      """),
    error(
      "title: x\n...\n",
      """
      Recommendations/DP-01.yml:2:1: error: a YAML document end marker ('...') is not supported
      ...
      ^
      hint: delete this line; a recommendation file is one list of 'key: value' lines
      """),
    error(
      "%YAML 1.2\n",
      """
      Recommendations/DP-01.yml:1:1: error: a YAML directive ('%...') is not supported
      %YAML 1.2
      ^
      hint: delete this line
      """),
    error(
      "\"title\": x\n",
      """
      Recommendations/DP-01.yml:1:1: error: a key must not be in quotes
      "title": x
      ^
      hint: write the key without quotes, in lowercase, e.g. 'title: Improve response times'
      """),
    error(
      "title: x\n# between\ntitle: y\n",
      """
      Recommendations/DP-01.yml:3:1: error: the key 'title' appears twice (first on line 1)
      title: y
      ^
      hint: keep one 'title:' line and delete the other
      """),
    error(
      "  indented: x\n",
      """
      Recommendations/DP-01.yml:1:3: error: the key 'indented' must start in the first column
        indented: x
        ^
      hint: remove the spaces before 'indented:'
      """),
    error(
      "   just text\n",
      """
      Recommendations/DP-01.yml:1:4: error: this line is indented, but only text under a 'key: |' line may be
         just text
         ^
      hint: remove the spaces at the start of the line, or make it a comment with '#'
      """),
    error(
      "title: a\u{7}b\n",
      """
      Recommendations/DP-01.yml:1:9: error: the line contains an invisible control character (U+0007)
      title: a\u{FFFD}b
              ^
      hint: delete it; if the value really needs it, write the value in double quotes with an escape such as "\\t"
      """),
    error(
      "title: ✓\u{7F}\n",
      """
      Recommendations/DP-01.yml:1:9: error: the line contains an invisible control character (U+007F)
      title: ✓\u{FFFD}
              ^
      hint: delete it; if the value really needs it, write the value in double quotes with an escape such as "\\t"
      """),
    error(
      "title: a\rb\n",
      """
      Recommendations/DP-01.yml:1:9: error: the line contains a carriage return (CR) that is not followed by a line feed
      title: a\u{FFFD}b
              ^
      hint: save the file with ordinary line endings (LF or CRLF); a value that needs a CR can be written in double quotes as "\\r"
      """),
    error(
      "title: é\u{2028}b\n",
      """
      Recommendations/DP-01.yml:1:9: error: the line contains a Unicode line separator (U+2028), which some programs read as a line break
      title: é\u{FFFD}b
              ^
      hint: replace it with an ordinary line break, or delete it
      """),
    error(
      "title: \u{85}\n",
      """
      Recommendations/DP-01.yml:1:8: error: the line contains a Unicode line separator (U+0085), which some programs read as a line break
      title: \u{FFFD}
             ^
      hint: replace it with an ordinary line break, or delete it
      """),
    error(
      "id: A\ntitle: a\u{FEFF}b\n",
      """
      Recommendations/DP-01.yml:2:9: error: the line contains an invisible byte-order mark (U+FEFF)
      title: a\u{FFFD}b
              ^
      hint: delete it; it may only appear at the very start of a file
      """),
    error(
      "\u{FEFF}title: a: b\n",
      """
      Recommendations/DP-01.yml:1:9: error: the value of 'title' contains ': ', which YAML would read as another key
      title: a: b
              ^
      hint: put the text in quotes: title: "a: b"
      """),
  ]

  @Test(arguments: cases)
  func rejectsWithExactMessage(_ c: Case) {
    let error = FormatTestSupport.parseError(c.input, path: Self.path)
    #expect(error?.description == c.expected)
  }

  @Test func invalidUTF8ReportsLineAndColumn() {
    let bytes: [UInt8] = Array("id: A\ntitle: Ysbyty ✓ caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    do {
      _ = try RecommendationDocument(bytes: bytes, path: "x.yml")
      Issue.record("accepted invalid UTF-8")
    } catch {
      #expect(error.line == 2)
      #expect(error.column == 20)
      #expect(
        error.description == """
          x.yml:2:20: error: the file is not valid UTF-8 text (byte 0xC3)
          title: Ysbyty ✓ caf\u{FFFD}(
                             ^
          hint: save the file with the UTF-8 encoding
          """)
    }
  }

  @Test(
    arguments: [
      [0xED, 0xA0, 0x80],  // a UTF-16 surrogate
      [0xC0, 0xAF],  // overlong '/'
      [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
      [0xE2, 0x82],  // truncated at the end of the file
      [0xFF],
    ] as [[UInt8]])
  func rejectsMalformedUTF8(_ bad: [UInt8]) {
    do {
      _ = try RecommendationDocument(bytes: Array("title: ".utf8) + bad, path: "x.yml")
      Issue.record("accepted \(bad)")
    } catch {
      #expect(error.line == 1 && error.column == 8)
      #expect(error.message.hasPrefix("the file is not valid UTF-8 text"))
    }
  }

  @Test func descriptionForms() {
    var e = FormatError(
      path: "a.yml", line: 3, column: 5, severity: .warning, message: "m", hint: "h", sourceLine: "abcdef")
    #expect(e.description == "a.yml:3:5: warning: m\nabcdef\n    ^\nhint: h")
    e.hint = nil
    #expect(e.description == "a.yml:3:5: warning: m\nabcdef\n    ^")
    e.sourceLine = nil
    e.severity = .error
    #expect(e.description == "a.yml:3:5: error: m")
    e.hint = "hint: already prefixed"
    #expect(e.description == "a.yml:3:5: error: m\nhint: already prefixed")
  }
}
