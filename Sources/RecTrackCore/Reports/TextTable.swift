import Foundation

/// The one layout of every terminal table (`list`, `progress`, `audit`, `meeting list`, ...):
/// it fits a given width without cutting anything.
///
/// In order, until the table fits:
/// 1. every column at its natural width (the widest cell);
/// 2. wrapped cells: text columns share what is left and wrap at spaces (a `keepWhole` column
///    breaks only between its parts, so a change such as "due 2023-08-31 -> 2023-12-31" is never
///    split); headers wrap after hyphens ("in-" / "progress");
/// 3. optional columns are hidden (the footer names them; `--wide` shows everything);
/// 4. a narrower layout: `.stack` prints each row as a block (the head columns on one line, then
///    "Header: value" lines), `.fold` prints the columns in several blocks, each repeating the
///    first column (for tables of numbers).
/// With `width == nil` (`--wide`) every column is shown at its natural width, one line per row.
public struct TextTable {
  public enum Alignment: Sendable { case left, right }
  public enum Narrow: Sendable { case stack, fold }

  public struct Column: Sendable {
    public var header: String
    public var alignment: Alignment
    /// Text that may wrap onto more lines (titles, notes); other cells stay on one line.
    public var wraps: Bool
    /// Wrap only between parts separated by `separator`, never inside one (the audit's CHANGE).
    public var keepWhole: Bool
    /// Between the parts of a `keepWhole` cell: text before its space stays with the part before
    /// ("; " keeps the ";"), text after it with the part after (" (" keeps the "(").
    public var separator: String
    /// Hidden when the table would not fit otherwise (named in the footer).
    public var optional: Bool
    /// Shown on the first line of a row in the stacked layout.
    public var head: Bool
    /// The narrowest a wrapping column may become.
    public var minWidth: Int
    /// Cells of this column are status names: coloured when a palette is given.
    public var isStatus: Bool

    public init(
      _ header: String, alignment: Alignment = .left, wraps: Bool = false, keepWhole: Bool = false,
      separator: String = "; ", optional: Bool = false, head: Bool = false, minWidth: Int = 12,
      isStatus: Bool = false
    ) {
      self.separator = separator
      self.header = header
      self.alignment = alignment
      self.wraps = wraps || keepWhole
      self.keepWhole = keepWhole
      self.optional = optional
      self.head = head
      self.minWidth = minWidth
      self.isStatus = isStatus
    }
  }

  public var columns: [Column] { didSet { measures = Measures() } }
  public private(set) var rows: [[String]] = [] { didSet { measures = Measures() } }
  /// Widths measured once per table (5,000 rows are measured in one pass, not once per try).
  private var measures = Measures()
  public var narrow: Narrow
  /// A line of dashes under the headers.
  public var underline: Bool
  /// False for a table without a header line.
  public var showHeaders = true

  public init(_ columns: [Column], narrow: Narrow = .stack, underline: Bool = false) {
    self.columns = columns
    self.narrow = narrow
    self.underline = underline
  }

  /// Adds a row. Every cell's text enters the table here and only here (one line, no control
  /// characters), so whatever makes text safe for a terminal is applied in `cellText`.
  public mutating func add(_ cells: [String]) {
    precondition(cells.count == columns.count, "a row needs one cell per column")
    rows.append(cells.map(Self.cellText))
  }

  /// The single point where a value becomes table text: line breaks and tabs become spaces.
  public static func cellText(_ s: String) -> String {
    // Printable ASCII (nearly every cell) has nothing to replace: only trailing spaces go.
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      guard s.utf8.last == 0x20 else { return s }
      var t = Substring(s)
      while t.utf8.last == 0x20 { t = t.dropLast() }
      return String(t)
    }
    var out = ""
    var lastWasSpace = false
    for ch in s {
      if ch == "\n" || ch == "\r" || ch == "\r\n" || ch == "\t" {
        if !lastWasSpace && !out.isEmpty { out.append(" ") }
        lastWasSpace = true
      } else {
        out.append(ch)
        lastWasSpace = ch == " "
      }
    }
    while out.hasSuffix(" ") { out.removeLast() }
    // Control characters (an escape sequence in a title) are shown visibly, before widths count.
    return VisibleText.line(out)
  }

  /// The table as text, every line at most `width` characters; nil: natural width, all columns.
  public func render(width: Int?, palette: Palette? = nil) -> String {
    guard !rows.isEmpty || !columns.isEmpty else { return "" }
    guard let width else { return lines(Array(columns.indices), widths: naturalWidths, palette: palette) }
    // All columns, then without the optional ones (last first): the first layout where every
    // wrapping column keeps a comfortable width, else the first that fits at all.
    var candidates: [(visible: [Int], hidden: [Int])] = [(Array(columns.indices), [])]
    for i in columns.indices.reversed() where columns[i].optional {
      let last = candidates[candidates.count - 1]
      candidates.append((last.visible.filter { $0 != i }, [i] + last.hidden))
    }
    let fitting = candidates.compactMap { c in fit(c.visible, width).map { (c, $0) } }
    if let (c, w) = fitting.first(where: { isComfortable($0.0.visible, $0.1) }) ?? fitting.first {
      return lines(c.visible, widths: w, palette: palette)
        + (c.hidden.isEmpty ? "" : footer(c.hidden, width: width))
    }
    let all = Array(columns.indices)
    switch narrow {
    case .stack: return stacked(all, width: width, palette: palette)
    case .fold: return folded(all, width: width, palette: palette)
    }
  }

  // MARK: widths

  /// What a layout needs to know of the cells, worked out once (a table is only read once
  /// built: `add` and a change of `columns` start again).
  private final class Measures {
    var natural: [Int]?
    var widest: [Int]?
    var minimum: [Int: Int] = [:]
    var used: [Int: [Int: Int]] = [:]
  }

  /// The widest cell of each column (headers not counted).
  private var widestCells: [Int] {
    if let known = measures.widest { return known }
    var widest = Array(repeating: 0, count: columns.count)
    for row in rows {
      for i in widest.indices { widest[i] = max(widest[i], Self.length(row[i])) }
    }
    measures.widest = widest
    return widest
  }

  private var naturalWidths: [Int] {
    if let known = measures.natural { return known }
    let widest = widestCells
    let natural = columns.indices.map { i in max(columns[i].header.count, widest[i]) }
    measures.natural = natural
    return natural
  }

  /// The narrowest each column can be: its widest unbreakable piece (header words included).
  private func minimumWidth(_ i: Int) -> Int {
    if let known = measures.minimum[i] { return known }
    let width = measureMinimumWidth(i)
    measures.minimum[i] = width
    return width
  }

  private func measureMinimumWidth(_ i: Int) -> Int {
    let c = columns[i]
    let headerWord = Self.headerWords(c.header).map(\.count).max() ?? 0
    let natural = naturalWidths[i]
    guard c.wraps else { return max(headerWord, widestCells[i]) }
    // The longest part of a keepWhole cell; for free text the longest word, up to 20 (longer
    // words are broken rather than making the column that wide).
    var longestPart = 0
    for row in rows {
      if let longest = c.keepWhole
        ? Self.longestASCIIPart(row[i], c.separator) : Self.longestASCIIWord(row[i])
      {
        longestPart = max(longestPart, longest)
        continue
      }
      let pieces: [String] =
        c.keepWhole ? Self.parts(row[i], c.separator) : row[i].split(separator: " ").map(String.init)
      for piece in pieces { longestPart = max(longestPart, Self.length(piece)) }
    }
    if !c.keepWhole { longestPart = min(20, longestPart) }
    return min(natural, max(c.minWidth, headerWord, longestPart))
  }

  /// Column widths that fit `width`, or nil. Wrapping columns share the room left, narrowest
  /// natural width first (so short owners and dates stay on one line and a long title takes the
  /// rest); a column given more than its wrapped lines use hands the difference on.
  private func fit(_ visible: [Int], _ width: Int) -> [Int]? {
    var widths = naturalWidths
    let separators = 2 * max(0, visible.count - 1)
    if visible.map({ widths[$0] }).reduce(0, +) + separators <= width { return widths }
    // Fixed columns narrow to their header's longest word.
    for i in visible where !columns[i].wraps { widths[i] = minimumWidth(i) }
    let fixed = visible.filter { !columns[$0].wraps }.map { widths[$0] }.reduce(0, +)
    var room = width - separators - fixed
    var flexible = visible.filter { columns[$0].wraps }.sorted { naturalWidths[$0] < naturalWidths[$1] }
    var stillNeeded = flexible.map(minimumWidth).reduce(0, +)
    if stillNeeded > room { return nil }
    while !flexible.isEmpty {
      let i = flexible.removeFirst()
      stillNeeded -= minimumWidth(i)
      let share = room / (flexible.count + 1)
      var w = min(max(minimumWidth(i), min(naturalWidths[i], share)), room - stillNeeded)
      if columns[i].keepWhole { w = max(minimumWidth(i), usedWidth(i, within: w)) }
      widths[i] = w
      room -= w
    }
    return room >= 0 ? widths : nil
  }

  /// True when no column of free text (titles, notes) is squeezed below `comfortableWidth` (or its natural width).
  private func isComfortable(_ visible: [Int], _ widths: [Int]) -> Bool {
    visible.allSatisfy { i in
      !columns[i].wraps || columns[i].keepWhole || widths[i] >= min(naturalWidths[i], Self.comfortableWidth)
    }
  }

  static let comfortableWidth = 24

  /// The widest line of column `i`'s cells once wrapped to `width`.
  private func usedWidth(_ i: Int, within width: Int) -> Int {
    if let known = measures.used[i]?[width] { return known }
    let used = measureUsedWidth(i, within: width)
    measures.used[i, default: [:]][width] = used
    return used
  }

  private func measureUsedWidth(_ i: Int, within width: Int) -> Int {
    var used = Self.wrapHeader(columns[i].header, width: width).map(Self.length).max() ?? width
    for row in rows {
      // A cell that fits is its one line (`wrap`): nothing to wrap to know its width.
      let n = Self.length(row[i])
      if n <= width {
        used = max(used, n)
      } else {
        for line in cellLines(row[i], column: i, width: width) { used = max(used, Self.length(line)) }
      }
    }
    return used
  }

  // MARK: rendering

  private func lines(_ visible: [Int], widths: [Int], palette: Palette?) -> String {
    // Written as bytes (5,000 rows of string appends cost more than laying them out).
    var out: [UInt8] = []
    let headers = visible.map { Self.wrapHeader(columns[$0].header, width: widths[$0]) }
    if showHeaders { physicalLines(visible, cells: headers, widths: widths, palette: nil, into: &out) }
    if underline {
      out += visible.map { String(repeating: "-", count: widths[$0]) }.joined(separator: "  ").utf8
      out.append(0x0A)
    }
    // One set of line lists for every row, emptied and refilled (no arrays made per row).
    var cells: [[String]] = Array(repeating: [], count: visible.count)
    for row in rows {
      for (k, i) in visible.enumerated() {
        cells[k].removeAll(keepingCapacity: true)
        // A cell that fits is its one line (`wrap`).
        if columns[i].wraps && Self.length(row[i]) > widths[i] {
          cells[k] += cellLines(row[i], column: i, width: widths[i])
        } else {
          cells[k].append(row[i])
        }
      }
      physicalLines(visible, cells: cells, widths: widths, palette: palette, into: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  private func cellLines(_ text: String, column i: Int, width: Int) -> [String] {
    Self.wrap(text, width: width, parts: columns[i].keepWhole ? columns[i].separator : nil)
  }

  /// The lines of one row (or the headers), each cell padded to its width, two spaces between
  /// cells, trailing spaces dropped (`trimTrailing`), appended to `out`.
  private func physicalLines(
    _ visible: [Int], cells: [[String]], widths: [Int], palette: Palette?, into out: inout [UInt8]
  ) {
    var height = 1
    for c in cells { height = max(height, c.count) }
    for line in 0..<height {
      let start = out.count
      for (k, i) in visible.enumerated() {
        if k > 0 {
          out.append(0x20)
          out.append(0x20)
        }
        let text = line < cells[k].count ? cells[k][line] : ""
        let pad = max(0, widths[i] - Self.length(text))
        let shown = paint(text, column: i, palette: palette)
        if columns[i].alignment == .right {
          out.append(contentsOf: repeatElement(0x20, count: pad))
          out += shown.utf8
        } else {
          out += shown.utf8
          out.append(contentsOf: repeatElement(0x20, count: pad))
        }
      }
      Self.trimTrailing(&out, from: start)
      out.append(0x0A)
    }
  }

  private func paint(_ text: String, column: Int, palette: Palette?) -> String {
    guard let palette, columns[column].isStatus, !text.isEmpty else { return text }
    return palette.ansi(text, status: text)
  }

  private func footer(_ hidden: [Int], width: Int) -> String {
    let names = hidden.map { columns[$0].header }.joined(separator: ", ")
    let text = "Not shown at this width: \(names). Add --wide to show every column."
    return Self.wrap(text, width: width, parts: nil).map { $0 + "\n" }.joined()
  }

  /// Each row as a block: its head columns on one line, then one "Header: value" line per other
  /// non-empty cell, wrapped with a hanging indent. Blocks are separated by a blank line.
  private func stacked(_ visible: [Int], width: Int, palette: Palette?) -> String {
    let heads = visible.filter { columns[$0].head }
    let rest = visible.filter { !columns[$0].head }
    let label = rest.map { Self.label(columns[$0].header).count }.max() ?? 0
    var out = ""
    for (n, row) in rows.enumerated() {
      if n > 0 { out += "\n" }
      let headLine = heads.map { row[$0] }.filter { !$0.isEmpty }.joined(separator: "  ")
      for (k, line) in Self.wrap(headLine, width: width, parts: nil).enumerated() {
        out += (k == 0 ? line : "  " + line) + "\n"
      }
      for i in rest where !row[i].isEmpty {
        let name = (Self.label(columns[i].header) + ":").padding(
          toLength: label + 1, withPad: " ", startingAt: 0)
        let indent = 2 + label + 2
        let body = cellLines(row[i], column: i, width: max(10, width - indent))
        for (k, line) in body.enumerated() {
          let shown = paint(line, column: i, palette: palette)
          out += (k == 0 ? "  " + name + " " : String(repeating: " ", count: indent)) + shown + "\n"
        }
      }
    }
    return out
  }

  /// The columns in blocks that each fit, each block repeating the first column.
  private func folded(_ visible: [Int], width: Int, palette: Palette?) -> String {
    guard let key = visible.first else { return "" }
    var blocks: [[Int]] = []
    var current = [key]
    for i in visible.dropFirst() {
      if fit(current + [i], width) != nil || current.count == 1 {
        current.append(i)
      } else {
        blocks.append(current)
        current = [key, i]
      }
    }
    blocks.append(current)
    return blocks.map { block in
      let widths = fit(block, width) ?? naturalWidths
      return lines(block, widths: widths, palette: palette)
    }.joined(separator: "\n")
  }

  // MARK: text

  /// "COMMITTER" -> "Committer", "Month" stays.
  static func label(_ header: String) -> String {
    guard header == header.uppercased() else { return header }
    return header.prefix(1) + header.dropFirst().lowercased()
  }

  /// Words of a header, breaking after hyphens as well as at spaces.
  static func headerWords(_ header: String) -> [String] {
    var words: [String] = []
    for word in header.split(separator: " ") {
      var piece = ""
      for ch in word {
        piece.append(ch)
        if ch == "-" {
          words.append(piece)
          piece = ""
        }
      }
      if !piece.isEmpty { words.append(piece) }
    }
    return words
  }

  static func wrapHeader(_ header: String, width: Int) -> [String] {
    guard header.count > width else { return [header] }
    var lines: [String] = []
    var line = ""
    for word in headerWords(header) {
      let joiner = line.isEmpty || line.hasSuffix("-") ? "" : " "
      if !line.isEmpty && line.count + joiner.count + word.count > width {
        lines.append(line)
        line = word
      } else {
        line += joiner + word
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// `a; b; c` as its parts, each but the last keeping its ";" (see `Column.separator`).
  static func parts(_ text: String, _ separator: String) -> [String] {
    let pieces = asciiComponents(text, separator) ?? text.components(separatedBy: separator)
    let space = separator.firstIndex(of: " ") ?? separator.endIndex
    let before = String(separator[..<space])
    let after = space < separator.endIndex ? String(separator[separator.index(after: space)...]) : ""
    return pieces.enumerated().map { n, piece in
      (n > 0 ? after : "") + piece + (n < pieces.count - 1 ? before : "")
    }
  }

  /// Greedy wrapping to lines of at most `width` characters. Words longer than a line are
  /// broken (they could not fit otherwise); with a `parts` separator, lines break between parts
  /// first, and inside a part only when it is longer than a line.
  public static func wrap(_ text: String, width: Int, parts separator: String?) -> [String] {
    let width = max(1, width)
    if length(text) <= width { return [text] }
    if separator == nil, let lines = wrapASCII(text, width: width) { return lines }
    let keepWhole = separator != nil
    let units = separator.map { parts(text, $0) } ?? text.split(separator: " ").map(String.init)
    var lines: [String] = []
    var line = ""
    var lineLength = 0  // length(line), kept rather than counted again for every unit
    for unit in units {
      let unitLength = length(unit)
      if unitLength > width {
        if !line.isEmpty { lines.append(line) }
        let inner = keepWhole ? wrap(unit, width: width, parts: nil) : hardBreak(unit, width: width)
        lines += inner.dropLast()
        line = inner.last ?? ""
        lineLength = length(line)
        continue
      }
      if line.isEmpty {
        line = unit
        lineLength = unitLength
      } else if lineLength + 1 + unitLength <= width {
        line += " " + unit
        // Joined text may count fewer characters than its parts (a combining mark after the space).
        lineLength = length(line)
      } else {
        lines.append(line)
        line = unit
        lineLength = unitLength
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.isEmpty ? [""] : lines
  }

  private static func hardBreak(_ word: String, width: Int) -> [String] {
    var out: [String] = []
    var rest = Substring(word)
    while rest.count > width {
      out.append(String(rest.prefix(width)))
      rest = rest.dropFirst(width)
    }
    out.append(String(rest))
    return out
  }

  /// `components(separatedBy:)` for ASCII text and separator, where comparing bytes is the same
  /// as comparing characters; nil for other text.
  private static func asciiComponents(_ text: String, _ separator: String) -> [String]? {
    let sep = Array(separator.utf8)
    guard !sep.isEmpty, sep.allSatisfy({ $0 < 0x80 }), text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
    return text.utf8.withContiguousStorageIfAvailable { bytes -> [String] in
      var pieces: [String] = []
      var start = 0
      var i = 0
      while i + sep.count <= bytes.count {
        if bytes[i] == sep[0], sep.indices.allSatisfy({ bytes[i + $0] == sep[$0] }) {
          pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
          i += sep.count
          start = i
        } else {
          i += 1
        }
      }
      pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
      return pieces
    }
  }

  /// How many characters `s` takes in a table (`s.count`): for printable ASCII, where each byte
  /// is a character, its byte count, without walking it character by character.
  static func length(_ s: String) -> Int {
    let u = s.utf8
    if u.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return u.count }
    return s.count
  }

  /// The longest piece of `s.split(separator: " ")`, counted in characters, when `s` is printable
  /// ASCII (nil otherwise: the caller splits it).
  static func longestASCIIWord(_ s: String) -> Int? {
    var longest = 0
    var run = 0
    for b in s.utf8 {
      guard b >= 0x20 && b < 0x7F else { return nil }
      if b == 0x20 {
        run = 0
      } else {
        run += 1
        longest = max(longest, run)
      }
    }
    return longest
  }

  /// The longest of `parts(s, separator)`, counted in characters, when `s` and `separator` are
  /// printable ASCII (nil otherwise: the caller makes the parts).
  static func longestASCIIPart(_ s: String, _ separator: String) -> Int? {
    let sep = Array(separator.utf8)
    guard !sep.isEmpty, sep.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
      s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
    else { return nil }
    // Each part keeps the separator's text before its space (all but the last) and after it (all but the first).
    let space = sep.firstIndex(of: 0x20) ?? sep.count
    let before = space
    let after = space < sep.count ? sep.count - space - 1 : 0
    var pieces: [Int] = []
    var run = 0
    var u = s.utf8[...]
    while !u.isEmpty {
      if u.starts(with: sep) {
        pieces.append(run)
        run = 0
        u = u.dropFirst(sep.count)
      } else {
        run += 1
        u = u.dropFirst()
      }
    }
    pieces.append(run)
    return pieces.indices.map { n in
      pieces[n] + (n > 0 ? after : 0) + (n < pieces.count - 1 ? before : 0)
    }.max()
  }

  /// `wrap(text, width:, parts: nil)` for printable ASCII text longer than `width`, on bytes:
  /// words are the runs between spaces, joined by one space, longer ones broken every `width`
  /// bytes; nil for other text.
  static func wrapASCII(_ text: String, width: Int) -> [String]? {
    let u = Array(text.utf8)
    guard u.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
    var lines: [String] = []
    var line: [UInt8] = []
    var i = 0
    while i < u.count {
      if u[i] == 0x20 {
        i += 1
        continue
      }
      var end = i
      while end < u.count, u[end] != 0x20 { end += 1 }
      let word = u[i..<end]
      i = end
      if word.count > width {
        if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
        var start = word.startIndex
        while word.endIndex - start > width {
          lines.append(String(decoding: word[start..<(start + width)], as: UTF8.self))
          start += width
        }
        line = Array(word[start...])
      } else if line.isEmpty {
        line = Array(word)
      } else if line.count + 1 + word.count <= width {
        line.append(0x20)
        line += word
      } else {
        lines.append(String(decoding: line, as: UTF8.self))
        line = Array(word)
      }
    }
    if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
    return lines.isEmpty ? [""] : lines
  }

  /// `trimTrailing` of the line `bytes[start...]`, in place.
  static func trimTrailing(_ bytes: inout [UInt8], from start: Int) {
    var end = bytes.count
    while end > start, bytes[end - 1] == 0x20 {
      if end - 1 > start, bytes[end - 2] >= 0x80 { break }
      end -= 1
    }
    if end > start, bytes[end - 1] == 0x20 {
      // A space after a non-ASCII character: the character-wise rule of `trimTrailing` decides.
      let line = trimTrailing(String(decoding: bytes[start..<end], as: UTF8.self))
      bytes.removeSubrange(start...)
      bytes += line.utf8
    } else {
      bytes.removeSubrange(end...)
    }
  }

  static func trimTrailing(_ s: String) -> String {
    // A space after an ASCII byte (or first) is a character of its own: such spaces go bytewise;
    // any other is left to the character-wise loop (a space can end a character that began with
    // another code point).
    let u = s.utf8
    var end = u.endIndex
    while end > u.startIndex {
      let last = u.index(before: end)
      guard u[last] == 0x20 else { break }
      if last > u.startIndex, u[u.index(before: last)] >= 0x80 { break }
      end = last
    }
    var s = end == u.endIndex ? s : String(s[..<end])
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}

extension TextTable {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// `2020-09-30` as `30 Sep 2020`.
  public static func humanDate(_ d: CalendarDate) -> String { "\(d.day) \(months[d.month - 1]) \(d.year)" }

  /// `prefix` then `text` wrapped to `width`, its later lines indented by `indent` spaces
  /// (default: the prefix's width). With `parts`, lines break between parts (see `wrap`).
  public static func hanging(
    _ prefix: String, _ text: String, width: Int, indent: Int? = nil, parts: String? = nil
  ) -> String {
    let indent = indent ?? prefix.count
    let first = wrap(text, width: max(10, width - prefix.count), parts: parts)
    guard let head = first.first else { return prefix + "\n" }
    let rest = wrap(
      first.dropFirst().joined(separator: parts.map { _ in " " } ?? " "), width: max(10, width - indent),
      parts: parts)
    var out = prefix + head + "\n"
    if first.count > 1 {
      for line in rest { out += String(repeating: " ", count: indent) + line + "\n" }
    }
    return out
  }

  /// Wraps paragraphs to `width`, keeping blank lines between them.
  public static func wrap(_ text: String, width: Int, indent: String) -> String {
    var out = ""
    for para in text.replacingCRLF.split(separator: "\n", omittingEmptySubsequences: false) {
      // Blank: nothing but what Foundation's `CharacterSet.whitespaces` holds (tab, the space
      // separators and U+200B), asked of the scalars: building that set took 5% of a `log ID`.
      if para.unicodeScalars.allSatisfy({
        $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator
      }) {
        out += "\n"
      } else {
        let body = wrap(String(para), width: max(10, width - indent.count), parts: nil)
        out += body.map { indent + $0 + "\n" }.joined()
      }
    }
    while out.hasSuffix("\n\n") { out.removeLast() }
    return out
  }
}
