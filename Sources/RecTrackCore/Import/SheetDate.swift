/// Dates as office spreadsheets hold them once saved as CSV.
///
/// UK offices write day first (31/03/2022), Excel's ISO and "long date" formats give
/// 2022-03-31 and 31-Mar-2022, and a cell formatted as date-and-time adds " 00:00". Day-first
/// is the only reading of a slashed date: a US-style 03/31/2022 fails (there is no month 31)
/// rather than being silently swapped. Two-digit years are refused because 31/03/22 could be
/// 1922 or 2022 and the tracker must not guess.
public enum SheetDate {
  static let monthNames = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  /// The date in `text`, or nil when it is not one of the accepted forms.
  public static func parse(_ text: String) -> CalendarDate? {
    var s = text.trimmingWhitespace
    if s.isEmpty { return nil }
    if s.utf8.count >= 10, let iso = CalendarDate(s.prefix(10)) {
      let rest = s.dropFirst(10)
      if rest.isEmpty || ((rest.first == "T" || rest.first == " ") && isTime(rest.dropFirst())) { return iso }
      return nil
    }
    // Drop a time of day after the date ("31/03/2022 00:00").
    if let space = s.lastIndex(of: " "), isTime(s[s.index(after: space)...]) {
      s = String(s[..<space]).trimmingWhitespace
    }
    let parts = s.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == " " }).map(String.init)
    guard parts.count == 3, let day = number(parts[0], digits: 1...2),
      let year = number(parts[2], digits: 4...4)
    else { return nil }
    let month: Int
    if let m = number(parts[1], digits: 1...2) {
      month = m
    } else if let m = monthNumber(parts[1]) {
      month = m
    } else {
      return nil
    }
    return CalendarDate(year: year, month: month, day: day)
  }

  private static func number(_ s: String, digits: ClosedRange<Int>) -> Int? {
    guard digits.contains(s.utf8.count), s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(s)
  }

  /// "Mar", "March", "Sept" in any case.
  private static func monthNumber(_ s: String) -> Int? {
    let lower = s.lowercased()
    guard lower.count >= 3 else { return nil }
    let full = [
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december",
    ]
    if let i = full.firstIndex(of: lower) { return i + 1 }
    if lower == "sept" { return 9 }
    return monthNames.firstIndex(of: lower).map { $0 + 1 }
  }

  /// `HH:MM` or `HH:MM:SS`, optionally with fractions or a zone (`Z`, `+01:00`).
  private static func isTime(_ s: Substring) -> Bool {
    let u = Array(s.utf8)
    guard u.count >= 5, u[2] == UInt8(ascii: ":") else { return false }
    let digits = [0, 1, 3, 4]
    return digits.allSatisfy { u[$0] >= 0x30 && u[$0] <= 0x39 }
  }
}
