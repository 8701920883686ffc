import Foundation

/// The date a commit counts from (docs/format.md §4): its `Effective:` trailer when it has a valid
/// one, otherwise the calendar day of its author date in the author's own UTC offset.
///
/// The committer date is never used: a rebase or an amend must not move a status in time.
public enum CommitDate {
  /// The date (docs/format.md §4) of a commit with this message and author date.
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
