import Foundation

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
  /// "Trailer" is read as git reads it (`git interpret-trailers`, `%(trailers)`), so that what
  /// `git log` shows as a trailer is exactly what counts:
  /// - trailers form the message's last paragraph, and the first paragraph (the title) never
  ///   holds trailers: a one-line message `Effective: 2021-03-15` has none;
  /// - that paragraph is a trailer block when every line is `Key: value` (a key of letters,
  ///   digits and `-`; indented lines continue the previous trailer), or when it has a line
  ///   git writes itself (`Signed-off-by: `, `(cherry picked from commit `) and at least a
  ///   quarter of its lines are trailers;
  /// - a `---` line ends the message (what follows is a patch);
  /// - keys match without regard to case; with several `Effective:` trailers the first with a
  ///   valid date counts.
  public static func effectiveDate(inMessage message: String) -> CalendarDate? {
    // "\r\n" is one Character in Swift, so split on both forms.
    var lines: [Substring] = message.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    if let divider = lines.firstIndex(where: { $0 == "---" || $0.hasPrefix("--- ") || $0.hasPrefix("---\t") })
    {
      lines.removeSubrange(divider...)
    }
    func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
    while let last = lines.last, isBlank(last) { lines.removeLast() }
    // The title: the first run of non-blank lines.
    guard let titleStart = lines.firstIndex(where: { !isBlank($0) }) else { return nil }
    let titleEnd = lines[titleStart...].firstIndex(where: isBlank) ?? lines.endIndex
    guard let blank = lines.lastIndex(where: isBlank), blank >= titleEnd else { return nil }
    let paragraph = lines[(blank + 1)...]
    var trailerLines = 0
    var otherLines = 0
    var continuations = 0
    var recognised = false
    var values: [String] = []
    // Whether the last trailer seen is an `Effective:` one (its continuation lines extend it).
    var inEffective = false
    for line in paragraph {
      if line.hasPrefix("#") { continue }
      if line.hasPrefix("Signed-off-by: ") || line.hasPrefix("(cherry picked from commit ") {
        recognised = true
        trailerLines += 1
        continuations = 0
        inEffective = false
      } else if let first = line.first, first != " ", first != "\t", let key = trailerKey(line) {
        trailerLines += 1
        continuations = 0
        inEffective = key.lowercased() == "effective"
        if inEffective, let value = trailerValue(line, key: "effective") { values.append(String(value)) }
      } else if line.first == " " || line.first == "\t" {
        continuations += 1
        if inEffective, !values.isEmpty {
          values[values.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
        }
      } else {
        otherLines += 1 + continuations
        continuations = 0
        inEffective = false
      }
    }
    let isBlock = (trailerLines > 0 && otherLines == 0) || (recognised && trailerLines * 3 >= otherLines)
    guard isBlock else { return nil }
    return values.lazy.compactMap { CalendarDate($0) }.first
  }

  /// The key of a `Key: value` line (letters, digits and `-`, spaces allowed before the colon).
  static func trailerKey(_ line: Substring) -> Substring? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    var key = line[..<colon]
    while key.last == " " || key.last == "\t" { key = key.dropLast() }
    guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
      return nil
    }
    return key
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
    while end > trimmed.startIndex,
      trimmed[trimmed.index(before: end)] == " " || trimmed[trimmed.index(before: end)] == "\t"
    {
      end = trimmed.index(before: end)
    }
    return trimmed[..<end]
  }
}

/// Which files under `Recommendations/` are recommendations (spec section 1): a file named
/// `<ID>.yml` whose ID matches `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`. Other files there (a README,
/// `notes.yaml`, `draft.yml`) are not recommendations and never enter the history.
public enum RecommendationFileName {
  /// How many folders deep below `Recommendations/` rectrack looks for files. Deeper entries
  /// are not recommendations, in every reader (HEAD, the history walk, the audit), so a tree
  /// nested 20,000 folders deep is read without running out of stack and every report agrees.
  public static let maxFolderDepth = 64

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
