/// The message of a commit rectrack makes: a readable summary line, the note, then trailers.
///
/// ```
/// DP-DDR-01: open -> in-progress
///
/// Campaign launched in Llanelli
///
/// Recommendation: DP-DDR-01
/// Status: open -> in-progress
/// Effective: 2020-03-02
/// ```
/// The trailers are what `log`, `progress` (`Effective:`) and the audit read back.
public struct CommitMessage: Sendable, Equatable {
  public var summary: String
  public var body: String?
  public var trailers: [(key: String, value: String)]

  public init(summary: String, body: String? = nil, trailers: [(key: String, value: String)] = []) {
    self.summary = summary
    self.body = body
    self.trailers = trailers
  }

  /// The full text, ending in a newline.
  public var text: String {
    var parts = [oneLine(summary)]
    if let body, !body.trimmingWhitespace.isEmpty { parts.append(body.trimmingWhitespace) }
    if !trailers.isEmpty {
      parts.append(trailers.map { "\($0.key): \(oneLine($0.value))" }.joined(separator: "\n"))
    }
    return parts.joined(separator: "\n\n") + "\n"
  }

  /// Reads a message back: summary, body and the trailers of its last paragraph.
  public init(parsing message: String) {
    let normalised = message.replacingCRLF
    var paragraphs = normalised.paragraphs.map(\.trimmingWhitespace).filter { !$0.isEmpty }
    let first = paragraphs.isEmpty ? "" : paragraphs.removeFirst()
    let firstLines = first.lines(omittingEmpty: false)
    summary = String(firstLines.first ?? "")
    var rest = firstLines.dropFirst().joined(separator: "\n")
    var trailers: [(key: String, value: String)] = []
    if let last = paragraphs.last, let parsed = CommitMessage.trailers(in: last) {
      trailers = parsed
      paragraphs.removeLast()
    }
    if !rest.isEmpty { paragraphs.insert(rest, at: 0) }
    rest = paragraphs.joined(separator: "\n\n")
    body = rest.isEmpty ? nil : rest
    self.trailers = trailers
  }

  /// The value of the first trailer named `key` (case-insensitive), if any.
  public func trailer(_ key: String) -> String? {
    trailers.first { CommitMessage.sameKey($0.key, key) }?.value
  }

  /// Whether two trailer keys are the same ignoring case (`a.lowercased() == b.lowercased()`),
  /// compared byte by byte when both are ASCII (every real key), without making lower-case copies.
  static func sameKey(_ a: String, _ b: String) -> Bool {
    var (a, b) = (a, b)
    let ascii = a.withUTF8 { x in
      b.withUTF8 { y -> Bool? in
        guard !x.contains(where: { $0 >= 0x80 }), !y.contains(where: { $0 >= 0x80 }) else { return nil }
        guard x.count == y.count else { return false }
        func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        for i in 0..<x.count where lower(x[i]) != lower(y[i]) { return false }
        return true
      }
    }
    return ascii ?? (a.lowercased() == b.lowercased())
  }

  /// A paragraph's trailers, or nil when any line of it is not `Key: value`.
  static func trailers(in paragraph: String) -> [(key: String, value: String)]? {
    var out: [(key: String, value: String)] = []
    for line in paragraph.lines(omittingEmpty: true) {
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let key = line[..<colon]
      guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
      out.append((String(key), String(line[line.index(after: colon)...]).trimmingWhitespace))
    }
    return out.isEmpty ? nil : out
  }

  public static func == (a: CommitMessage, b: CommitMessage) -> Bool {
    a.summary == b.summary && a.body == b.body
      && a.trailers.map { [$0.key, $0.value] } == b.trailers.map { [$0.key, $0.value] }
  }

  private func oneLine(_ s: String) -> String {
    s.replacingCRLF.split(separator: "\n").map(\.trimmingWhitespace).joined(separator: " ")
  }
}

extension String {
  /// The text cut at each blank-line break `\n\n`, left to right and not overlapping, as
  /// Foundation's `components(separatedBy: "\n\n")` cuts it. Without a carriage return a line
  /// feed is a character of its own, so the bytes are cut directly (no bridging); with one
  /// (`\r\n` is one character, which the break does not match) Foundation cuts it.
  var paragraphs: [Substring] {
    if utf8.contains(0x0D) { return components(separatedBy: "\n\n").map { Substring($0) } }
    var out: [Substring] = []
    var start = startIndex
    let bytes = utf8
    var i = bytes.startIndex
    while i != bytes.endIndex {
      let next = bytes.index(after: i)
      if bytes[i] == 0x0A, next != bytes.endIndex, bytes[next] == 0x0A {
        out.append(self[start..<i])
        i = bytes.index(after: next)
        start = i
      } else {
        i = next
      }
    }
    out.append(self[start...])
    return out
  }

  /// The text before the first line feed, as `split(separator: "\n", maxSplits: 1,
  /// omittingEmptySubsequences: false).first` finds it (a carriage return and line feed are one
  /// character, which that does not cut: with a carriage return the characters are read).
  var firstLine: Substring {
    if utf8.contains(0x0D) {
      return split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)[0]
    }
    guard let end = utf8.firstIndex(of: 0x0A) else { return self[...] }
    return self[..<end]
  }

  /// The text cut at each line feed, as `split(separator: "\n", omittingEmptySubsequences:)`
  /// cuts it: without a carriage return a line feed is a character of its own (a grapheme break
  /// falls before and after it), so the bytes are cut directly; with one, the characters are.
  func lines(omittingEmpty: Bool) -> [Substring] {
    if utf8.contains(0x0D) { return split(separator: "\n", omittingEmptySubsequences: omittingEmpty) }
    var out: [Substring] = []
    let bytes = utf8
    var start = bytes.startIndex
    var i = bytes.startIndex
    while i != bytes.endIndex {
      if bytes[i] == 0x0A {
        if !omittingEmpty || start != i { out.append(self[start..<i]) }
        start = bytes.index(after: i)
      }
      i = bytes.index(after: i)
    }
    if !omittingEmpty || start != bytes.endIndex { out.append(self[start...]) }
    return out
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and line breaks (the scalars U+0020,
  /// U+0009, U+000A, U+000D). Each is one byte of UTF-8 that no other scalar's bytes contain, so
  /// the bytes are trimmed: rebuilding the text scalar by scalar was 3% of an audit.
  var trimmingWhitespace: String {
    func ws(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
      var start = 0
      var end = bytes.count
      while start < end, ws(bytes[start]) { start += 1 }
      while end > start, ws(bytes[end - 1]) { end -= 1 }
      // Nothing to trim (the common case): nil, the text as it is.
      if start == 0 && end == bytes.count { return nil }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
    if let done = utf8.withContiguousStorageIfAvailable(trimmed) { return done ?? String(self) }
    var copy = String(self)
    return copy.withUTF8(trimmed) ?? copy
  }

  var replacingCRLF: String {
    // Without a carriage return there is no CRLF to replace.
    if !utf8.contains(0x0D) { return String(self) }
    return String(self).split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
  }
}
