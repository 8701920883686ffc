/// One recommendation file: its exact bytes plus the entries read from them.
///
/// The document keeps the file's bytes rather than a tree, because the tool must never
/// reformat what a person wrote: reading is a single pass over the bytes, and an edit
/// splices new lines into them and parses the result again. A value can only be built from
/// text that parses, so a file with a syntax error can never be rewritten.
public struct RecommendationDocument: Sendable {
  /// The path used in error messages (repository path or path on disk).
  public let path: String
  private var storage: [UInt8]
  private var entries: [ParsedEntry]
  private var bodyStart: Int
  /// Whether the file's first line break is CRLF; new and replaced lines use the same.
  public private(set) var usesCRLF: Bool
  /// How many key comparisons parsing made (the duplicate-key check): grows with the number of
  /// keys, not its square (Tests/RecTrackCoreTests/Hostile/LinearSizeTests.swift).
  package private(set) var keyComparisons: Int

  /// Parses a file's bytes. Invalid UTF-8 is reported with its line and column.
  public init(bytes: some Collection<UInt8>, path: String) throws(FormatError) {
    try self.init(storage: Array(bytes), path: path)
  }

  public init(text: String, path: String) throws(FormatError) {
    try self.init(storage: Array(text.utf8), path: path)
  }

  private init(storage: [UInt8], path: String) throws(FormatError) {
    let result = try DocumentParser.parse(storage, path: path)
    self.path = path
    self.storage = storage
    self.entries = result.entries
    self.bodyStart = result.bodyStart
    self.usesCRLF = result.usesCRLF
    self.keyComparisons = result.keyComparisons
  }

  /// The keys in file order.
  public var keys: [String] { entries.map(\.key) }

  public subscript(key: String) -> FieldValue? {
    index(of: key).map { entries[$0].value }
  }

  /// The 1-based line of the entry's `key:` line.
  public func line(of key: String) -> Int? {
    index(of: key).map { entries[$0].line }
  }

  /// The current file text, byte for byte (a leading byte-order mark included).
  public var text: String { String(decoding: storage, as: UTF8.self) }

  /// The current file bytes, for writing the file back exactly.
  public var bytes: [UInt8] { storage }

  /// Every key and value in file order.
  public var fields: [(key: String, value: FieldValue)] { entries.map { ($0.key, $0.value) } }

  var parsedEntries: [ParsedEntry] { entries }

  private func index(of key: String) -> Int? {
    entries.firstIndex { $0.key == key }
  }

  /// True for names that match `^[a-z][a-z0-9_-]*$` and are at most 200 characters long
  /// (YAML readers give up on keys over 1024 characters).
  public static func isValidKey(_ key: String) -> Bool {
    let u = key.utf8
    guard let first = u.first, first >= 0x61 && first <= 0x7A, u.count <= 200 else { return false }
    return u.allSatisfy {
      ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
    }
  }

  // MARK: Editing

  /// Format-preserving edit: replaces only that entry's lines (header + block body), keeping its
  /// trailing ` # comment` on the header line; a new key is appended after the last entry.
  /// Every other byte of the file stays identical.
  ///
  /// Multi-line text is written as a `|` block when that reads back exactly; if the lines that
  /// follow would be pulled into the block (indented comments), it is written double-quoted
  /// instead. The one case where a new key cannot go after the last entry is a last entry
  /// that is a `|` block ending the file without a line break (a line after it would add a
  /// newline to its text): the new key then goes just before that entry. Setting a key to the
  /// value it already has changes nothing.
  public mutating func set(_ key: String, to value: FieldValue) throws(FormatError) {
    guard Self.isValidKey(key) else {
      throw FormatError(
        path: path, line: 1, column: 1, message: "'\(key)' is not a valid key name",
        hint:
          "key names use lowercase letters, digits, '-' and '_' and start with a letter, e.g. 'review-date'")
    }
    if let i = index(of: key), entries[i].value == value { return }
    let eol: [UInt8] = usesCRLF ? [0x0D, 0x0A] : [0x0A]
    // Where the entry's lines go: in place of the old entry, or after the last entry. After
    // a `|` block that ends the file without a line break, adding a line would add a break to
    // that text, so the new key then goes before the last entry instead.
    var places: [(range: Range<Int>, comment: ArraySlice<UInt8>, leadingBreak: Bool, terminate: Bool)] = []
    if let i = index(of: key) {
      let entry = entries[i]
      let comment = entry.hasComment ? storage[entry.valueEnd..<entry.headerEnd] : []
      places.append((entry.start..<entry.end, comment, false, storage[entry.end - 1] == 0x0A))
    } else {
      let p = entries.last?.end ?? storage.count
      let unterminated = p > bodyStart && storage[p - 1] != 0x0A
      places.append((p..<p, [], unterminated, !unterminated))
      if let last = entries.last {
        places.append((last.start..<last.start, [], false, true))
      }
    }
    for place in places {
      for allowBlock in [true, false] {
        var lines: [UInt8] = place.leadingBreak ? eol : []
        lines += Self.entryBytes(
          key: key, value: value, eol: eol, comment: place.comment, allowBlock: allowBlock)
        // A `|` block keeps its final line break even at the end of a file that had none,
        // since without it the text would lose its last newline.
        let clipBlock = allowBlock && value.text.map { $0.hasSuffix("\n") } == true
        if !place.terminate && !clipBlock { lines.removeLast(eol.count) }
        var candidate = storage
        candidate.replaceSubrange(place.range, with: lines)
        if let edited = try? RecommendationDocument(storage: candidate, path: path),
          edited[key] == value, edited.agrees(with: self, except: key)
        {
          self = edited
          return
        }
      }
    }
    throw FormatError(
      path: path, line: line(of: key) ?? 1, column: 1,
      message: "the new value of '\(key)' could not be written without changing other lines",
      hint: "edit the file by hand")
  }

  /// Removes the entry's lines. If the lines after it would then fall into the block text
  /// above (indented comments after a removed one-line entry), their leading spaces are
  /// removed so that no other value changes.
  public mutating func remove(_ key: String) {
    guard let i = index(of: key) else { return }
    let entry = entries[i]
    var candidate = storage
    candidate.removeSubrange(entry.start..<entry.end)
    if let edited = try? RecommendationDocument(storage: candidate, path: path),
      edited[key] == nil, edited.agrees(with: self, except: key)
    {
      self = edited
      return
    }
    // Dedent the indented comment and whitespace lines that follow, up to the next line
    // starting in the first column.
    var out = Array(storage[..<entry.start])
    var p = entry.end
    let n = storage.count
    while p < n {
      var q = p
      while q < n && storage[q] == 0x20 { q += 1 }
      if q == p && q < n && storage[q] != 0x0A && storage[q] != 0x0D { break }
      p = q
      while p < n && storage[p] != 0x0A {
        out.append(storage[p])
        p += 1
      }
      if p < n {
        out.append(0x0A)
        p += 1
      }
    }
    out += storage[p...]
    if let edited = try? RecommendationDocument(storage: out, path: path),
      edited[key] == nil, edited.agrees(with: self, except: key)
    {
      self = edited
    }
  }

  /// Whether every key other than `key` has the same value, in the same order.
  private func agrees(with other: RecommendationDocument, except key: String) -> Bool {
    let mine = entries.lazy.filter { $0.key != key }.map { ($0.key, $0.value) }
    let theirs = other.entries.lazy.filter { $0.key != key }.map { ($0.key, $0.value) }
    return mine.elementsEqual(theirs) { $0.0 == $1.0 && $0.1 == $1.1 }
  }

  /// The lines for one entry, each ending with `eol`. `comment` (spaces and `# ...`) goes on
  /// the header line.
  static func entryBytes(
    key: String, value: FieldValue, eol: [UInt8], comment: ArraySlice<UInt8>, allowBlock: Bool
  ) -> [UInt8] {
    var out = Array(key.utf8)
    out.append(0x3A)
    if case .text(let s) = value, allowBlock, let block = YAMLText.block(s) {
      out.append(0x20)
      out += block.indicator.utf8
      out += comment
      out += eol
      for line in block.lines {
        if !line.isEmpty {
          out += [0x20, 0x20]
          out += line.utf8
        }
        out += eol
      }
      return out
    }
    out.append(0x20)
    switch value {
    case .text(let s):
      out += (allowBlock && YAMLText.isPlainSafe(s, inFlow: false) ? s : YAMLText.doubleQuoted(s)).utf8
    case .list:
      out += yamlScalar(value).utf8
    }
    out += comment
    out += eol
    return out
  }

  // MARK: Rendering

  /// Renders a fresh file from ordered fields (used for new files), LF or CRLF.
  /// Keys are written as given; pass valid key names.
  public static func render(_ fields: [(key: String, value: FieldValue)], crlf: Bool = false) -> String {
    let eol: [UInt8] = crlf ? [0x0D, 0x0A] : [0x0A]
    var out: [UInt8] = []
    for field in fields {
      out += entryBytes(key: field.key, value: field.value, eol: eol, comment: [], allowBlock: true)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The YAML text for one value as it would appear after `key: `: plain when that reads back
  /// unchanged, else double-quoted; a list as `[a, "b: c"]`. Multi-line text comes back as a
  /// `|`/`|-` block (indicator, then each line on its own line indented by two spaces, with no
  /// final line break) when that reads back exactly, else double-quoted with `\n` escapes.
  public static func yamlScalar(_ value: FieldValue) -> String {
    switch value {
    case .text(let s):
      if let block = YAMLText.block(s) {
        return block.indicator + block.lines.map { $0.isEmpty ? "\n" : "\n  " + $0 }.joined()
      }
      return YAMLText.isPlainSafe(s, inFlow: false) ? s : YAMLText.doubleQuoted(s)
    case .list(let items):
      let rendered = items.map { YAMLText.isPlainSafe($0, inFlow: true) ? $0 : YAMLText.doubleQuoted($0) }
      return "[" + rendered.joined(separator: ", ") + "]"
    }
  }
}

extension RecommendationDocument {
  /// An error pointing at an entry's value (or its key, when `atValue` is false).
  func problem(
    _ entry: ParsedEntry, atValue: Bool = true, severity: FormatError.Severity = .error,
    _ message: String, hint: String?
  ) -> FormatError {
    let bytes = self.bytes
    var end = entry.headerEnd
    if end > entry.start && bytes[end - 1] == 0x0D { end -= 1 }
    let offset = atValue ? min(entry.valueStart, end) : entry.start
    let prefix = String(decoding: bytes[entry.start..<offset], as: UTF8.self)
    return FormatError(
      path: path, line: entry.line, column: prefix.count + 1, severity: severity, message: message,
      hint: hint, sourceLine: String(decoding: bytes[entry.start..<end], as: UTF8.self))
  }
}
