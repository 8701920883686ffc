/// One `key: value` entry as found in the file, with the byte offsets the editor needs.
struct ParsedEntry: Sendable {
  var key: String
  var value: FieldValue
  /// 1-based line of the `key:` line.
  var line: Int
  /// Offset of the first byte of the `key:` line.
  var start: Int
  /// Offset just past the entry: past the line break of the header, or of the last block
  /// body line that holds any character (trailing empty lines are left to the file).
  var end: Int
  /// Offset of the end of the header line's text (before CR/LF).
  var headerEnd: Int
  /// Offset of the first byte of the value (for error columns); `headerEnd` when empty.
  var valueStart: Int
  /// Offset just past the value token on the header line; from here to `headerEnd` are the
  /// spaces and the trailing comment, if any.
  var valueEnd: Int
  /// Whether the header line ends with a ` # comment` that an edit must keep.
  var hasComment: Bool
  var isBlock: Bool
  /// Which of the tool's keys this is, found once while parsing so that validation does not
  /// compare strings.
  var known: KnownKey?
}

/// The keys the tool gives a meaning to.
enum KnownKey: UInt8, CaseIterable, Sendable {
  case id, title, source, raised, owner, status
  case lead, due, priority, tags, description, progress, supersededBy, evidence

  /// The key as written in files.
  var name: String { staticName.description }

  /// Classifies the key bytes `buf[range]` (a switch on length and first letter, then one
  /// comparison, because this runs for every entry of every file version).
  static func classify(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> KnownKey? {
    let start = range.lowerBound
    func matches(_ name: StaticString) -> Bool {
      let p = name.utf8Start
      for k in 0..<range.count where buf[start + k] != p[k] { return false }
      return true
    }
    let candidate: KnownKey
    switch (range.count, buf[start]) {
    case (2, 0x69): candidate = .id
    case (3, 0x64): candidate = .due
    case (4, 0x6C): candidate = .lead
    case (4, 0x74): candidate = .tags
    case (5, 0x74): candidate = .title
    case (5, 0x6F): candidate = .owner
    case (6, 0x72): candidate = .raised
    case (6, 0x73): candidate = buf[start + 1] == 0x6F ? .source : .status
    case (8, 0x65): candidate = .evidence
    case (8, 0x70): candidate = buf[start + 2] == 0x69 ? .priority : .progress
    case (11, 0x64): candidate = .description
    case (13, 0x73): candidate = .supersededBy
    default: return nil
    }
    return matches(candidate.staticName) ? candidate : nil
  }

  private var staticName: StaticString {
    switch self {
    case .id: return "id"
    case .title: return "title"
    case .source: return "source"
    case .raised: return "raised"
    case .owner: return "owner"
    case .status: return "status"
    case .lead: return "lead"
    case .due: return "due"
    case .priority: return "priority"
    case .tags: return "tags"
    case .description: return "description"
    case .progress: return "progress"
    case .supersededBy: return "superseded-by"
    case .evidence: return "evidence"
    }
  }
}

/// The outcome of one parse: what the document model stores.
struct ParseResult: Sendable {
  var entries: [ParsedEntry]
  var usesCRLF: Bool
  /// 3 when the file starts with a UTF-8 byte-order mark, else 0.
  var bodyStart: Int
  /// How many key comparisons the duplicate-key check made (`RecommendationDocument.keyComparisons`).
  var keyComparisons = 0
}

/// The positions of one line.
struct LineInfo {
  var number: Int
  var start: Int
  /// Offset of the end of the text, before CR/LF.
  var contentEnd: Int
  /// Offset past the line break (== contentEnd at the end of a file without a final break).
  var end: Int
}

private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09
private let hash: UInt8 = 0x23
private let colon: UInt8 = 0x3A
private let doubleQuote: UInt8 = 0x22
private let singleQuote: UInt8 = 0x27
private let backslash: UInt8 = 0x5C

/// A single-pass parser over the file's UTF-8 bytes.
///
/// It works on bytes rather than Strings because the history code parses tens of thousands
/// of file versions per run: lines are never materialised, comments and blank lines cost a
/// byte scan only, and Strings are made just for keys and values. The grammar is the
/// line-oriented subset of YAML of docs/format.md §2; anything a YAML parser could
/// read differently is rejected with a hint, so that our mapping and any YAML reader agree.
struct DocumentParser {
  let buf: UnsafeBufferPointer<UInt8>
  let path: String
  private var pos = 0
  private var lineNumber = 0
  private var sawLineBreak = false
  private var usesCRLF = false
  private var entries: [ParsedEntry] = []
  /// The keys seen so far, for the duplicate check: known keys as bits, others by name.
  private var seenKnown: UInt16 = 0
  private var otherKeys: Set<String> = []
  /// Comparisons of a key with earlier keys: one per key (a bit test or a set lookup), plus the
  /// entries searched to word a duplicate's error. The linear-size tests count these.
  private var keyComparisons = 0
  private var bodyLines: [Range<Int>] = []
  private var block: BlockState?
  /// The index of the most recent entry, for wording errors about indented lines.
  private var lastEntry: Int?
  /// The line number of the last line that was not blank, for the same purpose.
  private var lastNonBlankLine = 0

  private struct BlockState {
    var entryIndex: Int
    var clip: Bool
    var headerLine: Int
    var indent: Int?
    var maxLeadingBlank = 0
    var maxLeadingBlankLine: LineInfo?
    var end: Int
    /// The first line holding only spaces since the last line of text (docs/format.md §2:
    /// a block whose last lines hold only spaces is refused).
    var trailingSpaces: LineInfo?
    /// The block's last body line (a file that ends inside a block without a line break is refused).
    var lastLine: LineInfo?
  }

  init(buf: UnsafeBufferPointer<UInt8>, path: String) {
    self.buf = buf
    self.path = path
  }

  static func parse(_ bytes: [UInt8], path: String) throws(FormatError) -> ParseResult {
    let result: Result<ParseResult, FormatError> = bytes.withUnsafeBufferPointer { buf in
      var parser = DocumentParser(buf: buf, path: path)
      do throws(FormatError) {
        return .success(try parser.run())
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Largest file the parser reads: a recommendation is a page of text, and a limit keeps a
  /// hostile or mistaken file (a pasted log, a binary) from costing time and memory everywhere.
  static let maximumFileSize = 1 << 20
  /// Longest line the parser reads (long prose belongs in a `|` block, one paragraph a line).
  static let maximumLineLength = 64 * 1024

  mutating func run() throws(FormatError) -> ParseResult {
    let n = buf.count
    if n > Self.maximumFileSize {
      throw FormatError(
        path: path, line: 1, column: 1,
        message:
          "the file is \(n) bytes, more than the \(Self.maximumFileSize) a recommendation file may have",
        hint: "move long evidence into a separate document and link to it")
    }
    if n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { pos = 3 }
    let bodyStart = pos
    entries.reserveCapacity(16)
    while let line = try nextLine() {
      if block != nil {
        if try consumeBodyLine(line) { continue }
        try finishBlock()
      }
      try topLevel(line)
    }
    if block != nil { try finishBlock() }
    return ParseResult(
      entries: entries, usesCRLF: usesCRLF, bodyStart: bodyStart, keyComparisons: keyComparisons)
  }

  // MARK: Lines and characters

  /// Finds the next line and checks every byte of it: valid UTF-8, no control characters,
  /// no CR except before LF, no Unicode line separators. Keeping this in the one loop that
  /// looks for LF is what makes the parser fast.
  private mutating func nextLine() throws(FormatError) -> LineInfo? {
    let n = buf.count
    guard pos < n else { return nil }
    lineNumber += 1
    let start = pos
    var i = pos
    while i < n {
      let b = buf[i]
      if b >= 0x20 && b < 0x7F || b == tab {
        i += 1
        continue
      }
      if b == lf {
        try checkLength(start, i)
        if !sawLineBreak { sawLineBreak = true }
        pos = i + 1
        return LineInfo(number: lineNumber, start: start, contentEnd: i, end: i + 1)
      }
      if b == cr {
        if i + 1 < n && buf[i + 1] == lf {
          try checkLength(start, i)
          if !sawLineBreak {
            sawLineBreak = true
            usesCRLF = true
          }
          pos = i + 2
          return LineInfo(number: lineNumber, start: start, contentEnd: i, end: i + 2)
        }
        throw failure(
          lineStart: start, at: i,
          "the line contains a carriage return (CR) that is not followed by a line feed",
          "save the file with ordinary line endings (LF or CRLF); a value that needs a CR can be written in double quotes as \"\\r\""
        )
      }
      if b < 0x80 {
        throw controlCharacterError(lineStart: start, at: i, UInt32(b))
      }
      let (scalar, length) = decode(at: i)
      guard let scalar else {
        throw failure(
          lineStart: start, at: i,
          "the file is not valid UTF-8 text (byte 0x\(YAMLText.hex(UInt32(buf[i]), digits: 2)))",
          "save the file with the UTF-8 encoding")
      }
      if YAMLText.isForbidden(scalar) {
        throw controlCharacterError(lineStart: start, at: i, scalar)
      }
      i += length
    }
    try checkLength(start, n)
    pos = n
    return LineInfo(number: lineNumber, start: start, contentEnd: n, end: n)
  }

  /// Checked once per line, after it is found, to keep the byte loop tight.
  @inline(__always)
  private func checkLength(_ start: Int, _ end: Int) throws(FormatError) {
    guard end - start > Self.maximumLineLength else { return }
    throw FormatError(
      path: path, line: lineNumber, column: 1,
      message:
        "line \(lineNumber) is \(end - start) bytes long, more than the \(Self.maximumLineLength) a line may have",
      hint: "split the text over several lines under a 'key: |' line")
  }

  /// Decodes one multi-byte UTF-8 sequence strictly (no overlongs, no surrogates, nothing
  /// above U+10FFFF); returns nil for invalid bytes.
  private func decode(at i: Int) -> (UInt32?, Int) {
    let n = buf.count
    let b0 = buf[i]
    @inline(__always) func cont(_ k: Int) -> UInt32? {
      guard i + k < n else { return nil }
      let c = buf[i + k]
      return c & 0xC0 == 0x80 ? UInt32(c & 0x3F) : nil
    }
    if b0 >= 0xC2 && b0 < 0xE0 {
      guard let c1 = cont(1) else { return (nil, 1) }
      return ((UInt32(b0 & 0x1F) << 6) | c1, 2)
    }
    if b0 >= 0xE0 && b0 < 0xF0 {
      guard let c1 = cont(1), let c2 = cont(2) else { return (nil, 1) }
      if b0 == 0xE0 && c1 < 0x20 { return (nil, 1) }
      if b0 == 0xED && c1 >= 0x20 { return (nil, 1) }
      return ((UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2, 3)
    }
    if b0 >= 0xF0 && b0 < 0xF5 {
      guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return (nil, 1) }
      if b0 == 0xF0 && c1 < 0x10 { return (nil, 1) }
      if b0 == 0xF4 && c1 >= 0x10 { return (nil, 1) }
      return ((UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
    }
    return (nil, 1)
  }

  private func controlCharacterError(lineStart: Int, at i: Int, _ v: UInt32) -> FormatError {
    let code = "U+" + YAMLText.hex(v, digits: 4)
    switch v {
    case 0x85, 0x2028, 0x2029:
      return failure(
        lineStart: lineStart, at: i,
        "the line contains a Unicode line separator (\(code)), which some programs read as a line break",
        "replace it with an ordinary line break, or delete it")
    case 0xFEFF:
      return failure(
        lineStart: lineStart, at: i,
        "the line contains an invisible byte-order mark (U+FEFF)",
        "delete it; it may only appear at the very start of a file")
    default:
      return failure(
        lineStart: lineStart, at: i,
        "the line contains an invisible control character (\(code))",
        "delete it; if the value really needs it, write the value in double quotes with an escape such as \"\\t\""
      )
    }
  }

  @inline(__always)
  private func string(_ a: Int, _ b: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
  }

  /// Builds an error at byte `offset` of the line starting at `lineStart`. Only called on
  /// the error path, so it may allocate freely.
  private func failure(
    lineStart: Int, number: Int? = nil, at offset: Int, _ message: String, _ hint: String?
  ) -> FormatError {
    let n = buf.count
    var end = lineStart
    while end < n && buf[end] != lf { end += 1 }
    if end > lineStart && buf[end - 1] == cr { end -= 1 }
    let start = lineStart
    let prefix = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<min(offset, end)]), as: UTF8.self)
    var shown = String.UnicodeScalarView()
    for c in String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self).unicodeScalars {
      shown.append(c.value != 0x09 && (YAMLText.isForbidden(c.value) || c.value == 0x0D) ? "\u{FFFD}" : c)
    }
    return FormatError(
      path: path, line: number ?? lineNumber, column: prefix.count + 1, message: message, hint: hint,
      sourceLine: String(shown))
  }

  private func failure(_ line: LineInfo, at offset: Int, _ message: String, _ hint: String?) -> FormatError {
    failure(lineStart: line.start, number: line.number, at: offset, message, hint)
  }

  private func spaces(from a: Int, to end: Int) -> Int {
    var k = a
    while k < end && buf[k] == space { k += 1 }
    return k
  }

  // MARK: Block bodies

  /// Takes the line into the open block body if it belongs there (blank, or indented by two
  /// or more spaces); returns false when the line ends the block.
  private mutating func consumeBodyLine(_ line: LineInfo) throws(FormatError) -> Bool {
    guard var state = block else { return false }
    let s = line.start
    let e = line.contentEnd
    let k = spaces(from: s, to: e) - s
    if s + k == e {
      if state.indent == nil && k > state.maxLeadingBlank {
        state.maxLeadingBlank = k
        state.maxLeadingBlankLine = line
      }
      bodyLines.append(s..<e)
      if k > 0 {
        state.end = line.end
        if state.trailingSpaces == nil { state.trailingSpaces = line }
      }
      state.lastLine = line
      block = state
      return true
    }
    if k < 2 { return false }
    let key = entries[state.entryIndex].key
    if buf[s + k] == tab {
      throw failure(
        line, at: s + k, "a line of the '\(key)' text starts with a tab after its indentation",
        "indent the text with spaces only")
    }
    if let indent = state.indent {
      if k < indent {
        throw failure(
          line, at: s + k,
          "this line of the '\(key)' text is indented less than the first line of the text (\(indent) spaces)",
          "indent every line of the text by at least \(indent) spaces, like its first line")
      }
    } else {
      if state.maxLeadingBlank > k, let blank = state.maxLeadingBlankLine {
        throw failure(
          blank, at: blank.start + k,
          "this blank line in the '\(key)' text has more spaces than the first line of text below it",
          "remove the spaces from the blank line")
      }
      state.indent = k
    }
    bodyLines.append(s..<e)
    state.end = line.end
    state.trailingSpaces = nil
    state.lastLine = line
    block = state
    return true
  }

  /// Computes the block's text with YAML's literal rules: the first text line's indentation
  /// is removed from every line, blank lines are empty lines, and trailing empty lines are
  /// dropped (`|-`) or replaced by one line break (`|`).
  ///
  /// Two endings that YAML readers do not all read alike are refused (docs/format.md §2):
  /// last lines that hold only spaces, and a file that ends inside the block with no final
  /// line break.
  private mutating func finishBlock() throws(FormatError) {
    guard let state = block else { return }
    block = nil
    let key = entries[state.entryIndex].key
    if let t = state.trailingSpaces {
      bodyLines.removeAll(keepingCapacity: true)
      throw failure(
        t, at: t.start,
        "this line at the end of the '\(key)' text holds only spaces, which YAML readers do not "
          + "all read alike",
        "delete the spaces on this line (an empty line is fine), or delete the line")
    }
    if let last = state.lastLine, last.end == last.contentEnd, last.end == buf.count {
      bodyLines.removeAll(keepingCapacity: true)
      throw failure(
        last, at: last.contentEnd,
        "the file ends inside the '\(key)' text without a line break, which YAML readers do not "
          + "all read alike",
        "end the file with a line break (press Enter after this last line)")
    }
    var text = ""
    if let indent = state.indent {
      // Pass 1 measures the text, pass 2 writes it straight into the String's storage.
      var length = 0
      var lastContent = -1
      for (k, r) in bodyLines.enumerated() where !isBlankBodyLine(r, indent: indent) {
        lastContent = k
        length += r.count - indent
      }
      if lastContent >= 0 {
        let lastHadBreak = bodyLines[lastContent].upperBound < buf.count
        length += lastContent + (state.clip && lastHadBreak ? 1 : 0)
        text = String(unsafeUninitializedCapacity: length) { out in
          var w = 0
          for k in 0...lastContent {
            let r = bodyLines[k]
            if k > 0 {
              out[w] = lf
              w += 1
            }
            if !isBlankBodyLine(r, indent: indent) {
              for i in (r.lowerBound + indent)..<r.upperBound {
                out[w] = buf[i]
                w += 1
              }
            }
          }
          // Clip keeps the last line's own break, which a file's final line may lack.
          if state.clip && lastHadBreak {
            out[w] = lf
            w += 1
          }
          return w
        }
      }
    }
    bodyLines.removeAll(keepingCapacity: true)
    entries[state.entryIndex].value = .text(text)
    entries[state.entryIndex].end = state.end
  }

  /// A body line that holds no text: only spaces, and no more of them than the indentation.
  private func isBlankBodyLine(_ r: Range<Int>, indent: Int) -> Bool {
    r.count <= indent && spaces(from: r.lowerBound, to: r.upperBound) == r.upperBound
  }

  // MARK: Top-level lines

  private mutating func topLevel(_ line: LineInfo) throws(FormatError) {
    let s = line.start
    let e = line.contentEnd
    guard s < e else { return }
    let c = buf[s]
    if c >= 0x61 && c <= 0x7A {
      try entry(line)
      lastNonBlankLine = line.number
      return
    }
    if c == hash {
      lastNonBlankLine = line.number
      return
    }
    if c == space {
      let k = spaces(from: s, to: e)
      if k == e { return }
      if buf[k] == hash {
        lastNonBlankLine = line.number
        return
      }
      if buf[k] == tab {
        throw failure(line, at: k, "the line is indented with a tab", "indent with spaces, not tabs")
      }
      throw indentedLineError(line, at: k)
    }
    if c == tab {
      throw failure(line, at: s, "the line is indented with a tab", "indent with spaces, not tabs")
    }
    throw strayLineError(line)
  }

  private func startsWith(_ text: StaticString, at i: Int, end: Int) -> Bool {
    let count = text.utf8CodeUnitCount
    guard i + count <= end else { return false }
    let p = text.utf8Start
    for k in 0..<count where buf[i + k] != p[k] { return false }
    return true
  }

  /// An indented line outside a block body: a multi-line value, a block list or a nested
  /// mapping. The message says which, because each needs a different fix.
  private func indentedLineError(_ line: LineInfo, at k: Int) -> FormatError {
    let e = line.contentEnd
    let previous = lastEntry.map { entries[$0] }
    let previousKey = previous?.key
    if buf[k] == 0x2D && (k + 1 == e || buf[k + 1] == space) {
      let example = previousKey.map { "\($0): [first, second]" } ?? "tags: [first, second]"
      return failure(
        line, at: k, "a list written as '- item' lines is not supported",
        "write the list on one line after its key, e.g. '\(example)'")
    }
    if let colon = keyLikeColon(from: k, end: e) {
      let name = string(k, colon)
      if let previousKey {
        return failure(
          line, at: k, "a nested '\(name):' under '\(previousKey)' is not supported",
          "put the value on the '\(previousKey):' line itself, e.g. '\(previousKey): some text'; every key starts in the first column"
        )
      }
      return failure(
        line, at: k, "the key '\(name)' must start in the first column",
        "remove the spaces before '\(name):'")
    }
    if let previous, !previous.isBlock, previous.value == .text("") {
      let text = intendedPlain(from: k, end: e)
      let written = YAMLText.isPlainSafe(text, inFlow: false) ? text : YAMLText.doubleQuoted(text)
      return failure(
        line, at: k, "the value of '\(previous.key)' must be on the same line as '\(previous.key):'",
        "write '\(previous.key): \(written)'")
    }
    if let previous, lastNonBlankLine == previous.line {
      if previous.isBlock && previous.value == .text("") {
        return failure(
          line, at: k, "the text under '\(previous.key): |' must be indented by at least two spaces",
          "indent each line of the text by two spaces")
      }
      if previous.isBlock {
        return failure(
          line, at: k, "this line is indented less than the '\(previous.key)' text above it",
          "indent it like the text above, or start it in the first column if it begins a new 'key: value' line"
        )
      }
      return failure(
        line, at: k,
        "the value of '\(previous.key)' continues on this line, but a value must fit on one line",
        "put the value on one line, or write '\(previous.key): |' and indent each line of the text by two spaces below it"
      )
    }
    return failure(
      line, at: k, "this line is indented, but only text under a 'key: |' line may be",
      "remove the spaces at the start of the line, or make it a comment with '#'")
  }

  /// If the text from `from` looks like `name:` followed by a space or the line end,
  /// returns the offset of that colon.
  private func keyLikeColon(from: Int, end: Int) -> Int? {
    var i = from
    while i < end {
      let b = buf[i]
      if b == colon {
        return (i > from && (i + 1 == end || buf[i + 1] == space)) ? i : nil
      }
      switch b {
      case space, doubleQuote, singleQuote, tab, hash, 0x5B, 0x7B: return nil
      default: break
      }
      i += 1
    }
    return nil
  }

  /// The first colon followed by a space or the line end, if the text before it could be a
  /// (mistyped) key: short, and free of quotes and brackets.
  private func keyCandidateColon(from: Int, end: Int) -> Int? {
    var i = from
    while i < end && i - from <= 60 {
      let b = buf[i]
      if b == colon {
        return (i + 1 == end || buf[i + 1] == space || buf[i + 1] == tab) && i > from ? i : nil
      }
      if b == doubleQuote || b == singleQuote || b == 0x5B || b == 0x7B || b == hash { return nil }
      i += 1
    }
    return nil
  }

  private static func isKeyByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
  }

  /// A lowercase, dash-separated spelling of a mistyped key, for hints.
  private static func suggestedKey(_ raw: String) -> String {
    var out = ""
    var dash = false
    for c in raw.lowercased().unicodeScalars {
      if c.isASCII, let b = UInt8(exactly: c.value), isKeyByte(b) {
        if dash && !out.isEmpty { out += "-" }
        dash = false
        out.unicodeScalars.append(c)
      } else {
        dash = true
      }
    }
    while let f = out.unicodeScalars.first, !(f.value >= 0x61 && f.value <= 0x7A) {
      out.unicodeScalars.removeFirst()
    }
    return out
  }

  private func invalidKeyError(_ line: LineInfo, colon: Int, badAt: Int) -> FormatError {
    let raw = string(line.start, colon)
    let suggestion = Self.suggestedKey(raw)
    let example = suggestion.isEmpty ? "due-date" : suggestion
    return failure(
      line, at: badAt, "'\(raw)' is not a valid key name",
      "key names use lowercase letters, digits, '-' and '_' and start with a letter: write '\(example):'")
  }

  /// A line in the first column that is neither a comment nor a `key:` line.
  private func strayLineError(_ line: LineInfo) -> FormatError {
    let s = line.start
    let e = line.contentEnd
    let c = buf[s]
    if startsWith("---", at: s, end: e) && (s + 3 == e || buf[s + 3] == space || buf[s + 3] == tab) {
      return failure(
        line, at: s, "a YAML document marker ('---') is not supported",
        "delete this line; a recommendation file is one list of 'key: value' lines")
    }
    if startsWith("...", at: s, end: e) && (s + 3 == e || buf[s + 3] == space || buf[s + 3] == tab) {
      return failure(
        line, at: s, "a YAML document end marker ('...') is not supported",
        "delete this line; a recommendation file is one list of 'key: value' lines")
    }
    if c == 0x2D && (s + 1 == e || buf[s + 1] == space || buf[s + 1] == tab) {
      return failure(
        line, at: s, "a list written as '- item' lines is not supported",
        "write the list on one line after its key, e.g. 'tags: [first, second]'")
    }
    if c == 0x25 {
      return failure(line, at: s, "a YAML directive ('%...') is not supported", "delete this line")
    }
    if c == doubleQuote || c == singleQuote {
      return failure(
        line, at: s, "a key must not be in quotes",
        "write the key without quotes, in lowercase, e.g. 'title: Improve response times'")
    }
    if let colon = keyCandidateColon(from: s, end: e) {
      var bad = s
      if c >= 0x61 && c <= 0x7A {
        while bad < colon && Self.isKeyByte(buf[bad]) { bad += 1 }
      }
      return invalidKeyError(line, colon: colon, badAt: bad)
    }
    if let previous = lastEntry.map({ entries[$0] }), previous.isBlock, previous.end == line.start,
      previous.value == .text("")
    {
      return failure(
        line, at: s, "the text under '\(previous.key): |' must be indented",
        "indent each line of the text by two spaces")
    }
    return failure(
      line, at: s, "this line is not a 'key: value' line",
      "write it as 'key: value', start it with '#' to make it a comment, or if it belongs to the text above, indent it under a 'key: |' line"
    )
  }

  // MARK: Entries

  private mutating func entry(_ line: LineInfo) throws(FormatError) {
    let s = line.start
    let e = line.contentEnd
    var p = s + 1
    while p < e && Self.isKeyByte(buf[p]) { p += 1 }
    guard p < e && buf[p] == colon else {
      if p < e && buf[p] == space {
        let q = spaces(from: p, to: e)
        if q < e && buf[q] == colon {
          let key = string(s, p)
          throw failure(
            line, at: p, "there is a space between the key '\(key)' and its ':'",
            "write '\(key):' with no space before the colon")
        }
      }
      if let colon = keyCandidateColon(from: s, end: e) {
        throw invalidKeyError(line, colon: colon, badAt: p)
      }
      if p == e {
        let key = string(s, p)
        throw failure(
          line, at: p, "the line '\(key)' has no ':' after the key", "write '\(key): ' followed by its value")
      }
      throw strayLineError(line)
    }
    let key = string(s, p)
    if p - s > 200 {
      throw failure(line, at: s, "the key is too long (more than 200 characters)", "use a shorter key name")
    }
    let known = KnownKey.classify(buf, s..<p)
    let isDuplicate: Bool
    keyComparisons += 1
    if let known {
      isDuplicate = seenKnown & (1 << known.rawValue) != 0
      seenKnown |= 1 << known.rawValue
    } else {
      isDuplicate = !otherKeys.insert(key).inserted
    }
    if isDuplicate,
      let first = entries.first(where: {
        keyComparisons += 1
        return $0.key == key
      })
    {
      throw failure(
        line, at: s, "the key '\(key)' appears twice (first on line \(first.line))",
        "keep one '\(key):' line and delete the other")
    }
    let afterColon = p + 1
    var entry = ParsedEntry(
      key: key, value: .text(""), line: line.number, start: s, end: line.end, headerEnd: e,
      valueStart: e, valueEnd: afterColon, hasComment: false, isBlock: false,
      known: known)
    if afterColon < e {
      let b = buf[afterColon]
      if b == tab {
        throw failure(
          line, at: afterColon, "there is a tab after '\(key):'", "use a space after the colon, not a tab")
      }
      if b != space {
        let rest = string(afterColon, e)
        throw failure(
          line, at: afterColon, "there is no space after '\(key):'", "write '\(key): \(rest)'")
      }
      let v = spaces(from: afterColon, to: e)
      if v < e {
        entry.valueStart = v
        try value(&entry, line, at: v)
      }
    }
    entries.append(entry)
    lastEntry = entries.count - 1
  }

  /// The text a plain value would have had if the file were valid: up to a ` #` comment,
  /// without trailing spaces. Used to build "put it in quotes" hints.
  private func intendedPlain(from v: Int, end e: Int) -> String {
    var i = v
    var last = v
    while i < e {
      let b = buf[i]
      if b == hash && i > v && (buf[i - 1] == space || buf[i - 1] == tab) { break }
      if b != space && b != tab { last = i + 1 }
      i += 1
    }
    return string(v, last)
  }

  private func quoteHint(_ key: String, from v: Int, end e: Int) -> String {
    "put the text in quotes: \(key): \(YAMLText.doubleQuoted(intendedPlain(from: v, end: e)))"
  }

  private mutating func value(_ entry: inout ParsedEntry, _ line: LineInfo, at v: Int) throws(FormatError) {
    let e = line.contentEnd
    let key = entry.key
    let c = buf[v]
    let next: UInt8? = v + 1 < e ? buf[v + 1] : nil
    let followedByBlank = next == nil || next == space || next == tab
    switch c {
    case hash:
      entry.hasComment = true
      return
    case doubleQuote, singleQuote:
      let (text, close) = try quoted(line, at: v, key: key, inList: false)
      entry.value = .text(text)
      entry.valueEnd = close
      entry.hasComment = try trailer(
        line, from: close, key: key, after: "the closing quote",
        hint: "put all of the value inside the quotes, or start a comment with ' #'")
      return
    case 0x5B:
      let (items, close) = try flowList(line, at: v, key: key)
      entry.value = .list(items)
      entry.valueEnd = close
      entry.hasComment = try trailer(
        line, from: close, key: key, after: "the closing ']'",
        hint: "remove the text after ']', or start a comment with ' #'")
      return
    case 0x7C:
      try blockHeader(&entry, line, at: v)
      return
    case 0x3E:
      throw failure(
        line, at: v, "folded text ('>') is not supported",
        "write '\(key): |' instead; the lines below it are then kept exactly as written")
    case 0x7B:
      throw failure(
        line, at: v, "a '{...}' mapping is not supported as a value", quoteHint(key, from: v, end: e))
    case 0x26:
      throw failure(
        line, at: v, "'&' at the start of a value marks a YAML anchor, which is not supported",
        quoteHint(key, from: v, end: e))
    case 0x2A:
      throw failure(
        line, at: v, "'*' at the start of a value marks a YAML alias, which is not supported",
        quoteHint(key, from: v, end: e))
    case 0x21:
      throw failure(
        line, at: v, "'!' at the start of a value marks a YAML tag, which is not supported",
        quoteHint(key, from: v, end: e))
    case 0x25, 0x40, 0x60, 0x2C, 0x5D, 0x7D:
      let ch = String(UnicodeScalar(c))
      throw failure(line, at: v, "a value cannot start with '\(ch)'", quoteHint(key, from: v, end: e))
    case 0x2D where followedByBlank:
      let message =
        next == nil
        ? "a value cannot be a lone '-': YAML would read a list item"
        : "a value cannot start with '- ': YAML would read a list item"
      throw failure(
        line, at: v, message,
        "for a list write '\(key): [first, second]'; for text, \(quoteHint(key, from: v, end: e))")
    case 0x3F where followedByBlank, colon where followedByBlank:
      let ch = String(UnicodeScalar(c))
      let message =
        next == nil ? "a value cannot be a lone '\(ch)'" : "a value cannot start with '\(ch) '"
      throw failure(line, at: v, message, quoteHint(key, from: v, end: e))
    default:
      break
    }
    // A plain scalar: up to the end of the line or a ` #` comment.
    var i = v
    var last = v
    while i < e {
      let b = buf[i]
      if b == colon {
        if i + 1 == e || buf[i + 1] == space || buf[i + 1] == tab {
          let message =
            i + 1 == e || spaces(from: i + 1, to: e) == e || buf[spaces(from: i + 1, to: e)] == hash
            ? "the value of '\(key)' ends with ':', which YAML would read as another key"
            : "the value of '\(key)' contains ': ', which YAML would read as another key"
          throw failure(line, at: i, message, quoteHint(key, from: v, end: e))
        }
      } else if b == hash {
        if buf[i - 1] == space { break }
      } else if b == tab {
        throw failure(
          line, at: i, "the value of '\(key)' contains a tab character",
          "replace the tab with spaces, or write it in double quotes as \"\\t\"")
      }
      if b != space { last = i + 1 }
      i += 1
    }
    entry.value = .text(string(v, last))
    entry.valueEnd = last
    entry.hasComment = i < e
  }

  /// After a quoted value or a list: only spaces, then optionally a ` # comment`.
  private func trailer(
    _ line: LineInfo, from p: Int, key: String, after what: String, hint: String
  ) throws(FormatError) -> Bool {
    let e = line.contentEnd
    let q = spaces(from: p, to: e)
    if q == e { return false }
    if buf[q] == hash {
      if q > p { return true }
      throw failure(
        line, at: q, "a comment needs a space before the '#'", "write a space between \(what) and '#'")
    }
    if buf[q] == tab {
      throw failure(line, at: q, "there is a tab after \(what)", "use spaces before a comment, not tabs")
    }
    throw failure(line, at: q, "there is text after \(what) of '\(key)'", hint)
  }

  private func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: return UInt32(b - 0x30)
    case 0x41...0x46: return UInt32(b - 0x41 + 10)
    case 0x61...0x66: return UInt32(b - 0x61 + 10)
    default: return nil
    }
  }

  /// A single- or double-quoted scalar that must close on the same line. Returns the text
  /// and the offset just past the closing quote.
  private func quoted(_ line: LineInfo, at v: Int, key: String, inList: Bool) throws(FormatError) -> (
    String, Int
  ) {
    let e = line.contentEnd
    let quote = buf[v]
    var i = v + 1
    var segmentStart = i
    var out: [UInt8] = []
    var escaped = false
    while i < e {
      let b = buf[i]
      if b == quote {
        if quote == singleQuote && i + 1 < e && buf[i + 1] == singleQuote {
          escaped = true
          out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segmentStart..<(i + 1)]))
          i += 2
          segmentStart = i
          continue
        }
        let text: String
        if escaped {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segmentStart..<i]))
          text = String(decoding: out, as: UTF8.self)
        } else {
          text = string(v + 1, i)
        }
        return (text, i + 1)
      }
      if b == backslash && quote == doubleQuote {
        escaped = true
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segmentStart..<i]))
        guard i + 1 < e else { break }
        let scalar: UInt32
        var length = 2
        switch buf[i + 1] {
        case 0x30: scalar = 0
        case 0x61: scalar = 7
        case 0x62: scalar = 8
        case 0x74, tab: scalar = 9
        case 0x6E: scalar = 10
        case 0x76: scalar = 11
        case 0x66: scalar = 12
        case 0x72: scalar = 13
        case 0x65: scalar = 0x1B
        case space: scalar = 0x20
        case doubleQuote: scalar = 0x22
        case 0x2F: scalar = 0x2F
        case backslash: scalar = 0x5C
        case 0x4E: scalar = 0x85
        case 0x5F: scalar = 0xA0
        case 0x4C: scalar = 0x2028
        case 0x50: scalar = 0x2029
        case 0x78, 0x75, 0x55:
          let digits = buf[i + 1] == 0x78 ? 2 : buf[i + 1] == 0x75 ? 4 : 8
          var value: UInt32 = 0
          for k in 0..<digits {
            guard i + 2 + k < e, let h = hexValue(buf[i + 2 + k]) else {
              throw failure(
                line, at: i,
                "the escape '\\\(String(UnicodeScalar(buf[i + 1])))' needs \(digits) hexadecimal digits",
                "write a backslash as '\\\\', or put the text in single quotes, where '\\' is an ordinary character"
              )
            }
            value = value << 4 | h
          }
          guard Unicode.Scalar(value) != nil else {
            throw failure(
              line, at: i, "the escape does not name a valid character",
              "check the code after the backslash, or remove the escape")
          }
          scalar = value
          length = 2 + digits
        default:
          let (decoded, _) = buf[i + 1] < 0x80 ? (UInt32(buf[i + 1]), 1) : decode(at: i + 1)
          let shown = decoded.flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? "?"
          throw failure(
            line, at: i, "'\\\(shown)' is not a valid escape in double quotes",
            "write a backslash as '\\\\', or put the text in single quotes, where '\\' is an ordinary character"
          )
        }
        if let u = Unicode.Scalar(scalar) {
          out.append(contentsOf: String(Character(u)).utf8)
        }
        i += length
        segmentStart = i
        continue
      }
      i += 1
    }
    let q = quote == doubleQuote ? "\"" : "'"
    if inList {
      throw failure(
        line, at: v, "the quoted item in the list of '\(key)' is not closed on this line",
        "end the item with \(q) before the next ',' or ']'")
    }
    throw failure(
      line, at: v, "the quoted value of '\(key)' is not closed on this line",
      "end it with \(q) on the same line; for text over several lines write '\(key): |' and indent the lines below it by two spaces"
    )
  }

  /// `[a, 'b c', "d"]` on one line. Returns the items and the offset past `]`.
  private func flowList(_ line: LineInfo, at v: Int, key: String) throws(FormatError) -> ([String], Int) {
    let e = line.contentEnd
    var items: [String] = []
    var i = v + 1
    let unclosed = { () -> FormatError in
      self.failure(
        line, at: v, "the list of '\(key)' is not closed with ']' on this line",
        "write the whole list on one line, e.g. '\(key): [first, second]'")
    }
    while true {
      i = spaces(from: i, to: e)
      guard i < e else { throw unclosed() }
      let b = buf[i]
      if b == 0x5D { return (items, i + 1) }
      if b == 0x2C {
        throw failure(line, at: i, "the list of '\(key)' has an empty item", "remove the extra ','")
      }
      if b == doubleQuote || b == singleQuote {
        let (text, close) = try quoted(line, at: i, key: key, inList: true)
        items.append(text)
        i = spaces(from: close, to: e)
        guard i < e else { throw unclosed() }
        if buf[i] != 0x2C && buf[i] != 0x5D {
          throw failure(
            line, at: i, "a ',' or ']' is missing after the quoted item in the list of '\(key)'",
            "separate the items with ', ' and end the list with ']'")
        }
      } else {
        if b == 0x5B || b == 0x7B {
          throw failure(
            line, at: i, "a list or mapping inside the list of '\(key)' is not supported",
            "write the items as plain text, e.g. '\(key): [first, second]'; put an item in quotes if its brackets are part of the text"
          )
        }
        if YAMLText.isIndicator(UInt32(b)) || b == tab {
          let ch = b == tab ? "a tab" : "'" + String(UnicodeScalar(b)) + "'"
          throw failure(
            line, at: i, "an item in the list of '\(key)' cannot start with \(ch)",
            "put the item in quotes, e.g. \(YAMLText.doubleQuoted(listItemText(from: i, end: e)))")
        }
        let start = i
        var last = i
        while i < e {
          let c = buf[i]
          if c == 0x2C || c == 0x5D { break }
          if c == hash && buf[i - 1] == space { throw unclosed() }
          if c == colon || c == 0x5B || c == 0x7B || c == 0x7D || c == tab {
            let ch = c == tab ? "a tab" : "'" + String(UnicodeScalar(c)) + "'"
            throw failure(
              line, at: i, "an item in the list of '\(key)' contains \(ch)",
              "put the item in quotes, e.g. \(YAMLText.doubleQuoted(listItemText(from: start, end: e)))")
          }
          if c != space { last = i + 1 }
          i += 1
        }
        guard i < e else { throw unclosed() }
        items.append(string(start, last))
      }
      if buf[i] == 0x2C { i += 1 }
    }
  }

  /// The text of an unquoted list item up to the next `,` or `]`, for hints.
  private func listItemText(from i: Int, end e: Int) -> String {
    var j = i
    while j < e && buf[j] != 0x2C && buf[j] != 0x5D { j += 1 }
    var last = j
    while last > i && buf[last - 1] == space { last -= 1 }
    return string(i, last)
  }

  private mutating func blockHeader(_ entry: inout ParsedEntry, _ line: LineInfo, at v: Int)
    throws(FormatError)
  {
    let e = line.contentEnd
    var p = v + 1
    var clip = true
    if p < e && buf[p] == 0x2D {
      clip = false
      p += 1
    }
    if p < e && buf[p] != space {
      let b = buf[p]
      let key = entry.key
      if b == 0x2B {
        throw failure(
          line, at: p, "'|+' (keep all final blank lines) is not supported",
          "write '\(key): |' or '\(key): |-'")
      }
      if b >= 0x30 && b <= 0x39 {
        throw failure(
          line, at: p, "an indentation number after '|' is not supported",
          "write '\(key): |' and indent the text below it by two spaces")
      }
      throw failure(
        line, at: p, "unexpected text after '|'",
        "write '\(key): |' alone on its line (a ' # comment' may follow) and put the text on the lines below, indented by two spaces"
      )
    }
    entry.valueEnd = p
    entry.isBlock = true
    let q = spaces(from: p, to: e)
    if q < e {
      if buf[q] != hash {
        throw failure(
          line, at: q, "unexpected text after '|'",
          "write '\(entry.key): |' alone on its line (a ' # comment' may follow) and put the text on the lines below, indented by two spaces"
        )
      }
      entry.hasComment = true
    }
    block = BlockState(
      entryIndex: entries.count, clip: clip, headerLine: line.number, indent: nil, end: line.end)
  }
}
