/// The date a commit counts from (spec section 4): its `Effective:` trailer when it has a valid
/// one, otherwise the calendar day of its author date in the author's own UTC offset.
///
/// The committer date is never used: a rebase or an amend must not move a status in time.
public enum CommitDate {
  /// The spec date of a commit with this message and author date.
  public static func of(message: String, authorTime: Int64, authorOffsetMinutes: Int) -> CalendarDate {
    effectiveDate(inMessage: message)
      ?? CalendarDate(secondsSinceEpoch: authorTime, offsetMinutes: authorOffsetMinutes)
  }

  /// The date of the message's `Effective: YYYY-MM-DD` trailer, or nil when there is none or
  /// its value is not a real day.
  ///
  /// Trailers follow git's own reading (`git interpret-trailers`): they live in the message's
  /// last paragraph, and the first paragraph (the title) never holds trailers, so a one-line
  /// message `Effective: 2021-03-15` has no trailer. The key is matched without regard to case,
  /// as git does. When the paragraph holds several `Effective:` lines the last one decides,
  /// because git appends trailers in the order they were added.
  public static func effectiveDate(inMessage message: String) -> CalendarDate? {
    // "\r\n" is one Character in Swift, so split on both forms.
    var lines: [Substring] = message.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
    while let last = lines.last, isBlank(last) { lines.removeLast() }
    while let first = lines.first, isBlank(first) { lines.removeFirst() }
    guard let blank = lines.lastIndex(where: isBlank) else { return nil }
    var found: Substring?
    for line in lines[(blank + 1)...] {
      if let value = trailerValue(line, key: "effective") { found = value }
    }
    return found.flatMap { CalendarDate($0) }
  }

  /// The trimmed value of `line` when it reads `<key>: value` (key case-insensitive, spaces
  /// allowed before the colon, as git allows).
  static func trailerValue(_ line: Substring, key: String) -> Substring? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let name = line[..<colon].drop { $0 == " " }.reversed().drop { $0 == " " || $0 == "\t" }
    guard String(name.reversed()).lowercased() == key else { return nil }
    let value = line[line.index(after: colon)...]
    let trimmed = value.drop { $0 == " " || $0 == "\t" }
    var end = trimmed.endIndex
    while end > trimmed.startIndex, trimmed[trimmed.index(before: end)] == " " || trimmed[trimmed.index(before: end)] == "\t" {
      end = trimmed.index(before: end)
    }
    return trimmed[..<end]
  }
}

/// Which files under `Recommendations/` are recommendations (spec section 1): a file named
/// `<ID>.yml` whose ID matches `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`. Other files there (a README,
/// `notes.yaml`, `draft.yml`) are not recommendations and never enter the history.
public enum RecommendationFileName {
  /// The recommendation ID a file name stands for, or nil when the file is not a recommendation.
  public static func id(fromFileName name: String) -> String? {
    var bytes = Array(name.utf8)
    return bytes.withUnsafeMutableBufferPointer { buf in
      id(fromFileName: UnsafeBufferPointer(buf)).map { String(decoding: $0, as: UTF8.self) }
    }
  }

  /// The ID bytes of a file name, checked without building a String (the walk sees many names).
  static func id(fromFileName name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
    let n = name.count
    guard n > 4, name[n - 4] == 0x2E, name[n - 3] == 0x79, name[n - 2] == 0x6D, name[n - 1] == 0x6C else {
      return nil
    }
    let stem = UnsafeBufferPointer(rebasing: name[0..<(n - 4)])
    return isValidID(stem) ? stem : nil
  }

  /// `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`.
  static func isValidID(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = s.first, first >= 0x41 && first <= 0x5A else { return false }
    var previousDash = false
    for c in s.dropFirst() {
      if c == 0x2D {
        if previousDash { return false }
        previousDash = true
      } else if (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) {
        previousDash = false
      } else {
        return false
      }
    }
    return !previousDash
  }
}
