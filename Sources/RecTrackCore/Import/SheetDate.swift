/// Dates as people write them in trackers and papers, and as spreadsheets hold them.
///
/// Accepted, with or without a time of day after them ("31/03/2022 00:00", "2022-03-31T09:30Z"):
/// - ISO: `2022-03-31`;
/// - numbers: `31/03/2022`, `31-03-2022`, `31.03.2022`, `31/03/22` (day first unless the date order
///   is `mdy`). A two-digit year is read as Excel reads it: 00-29 are 2000-2029, 30-99 are 1930-1999;
/// - words: `31 March 2022`, `31-Mar-2022`, `4th September 2014`, `22nd May 2018`, `March 31, 2022`,
///   `Sept 30 2023`;
/// - a month without a day: `March 2021`, `Sep 2019`, `Sep '19`, `Sep ’19`, `Sep-19`, `03/2021`:
///   its first day, or its last day when the date is a deadline (`monthEnd`).
///
/// The one rule for ambiguous dates: a date written with numbers only is read in the date order
/// given (`dmy`, the UK order, by default; `--date-order mdy` for US sheets). It is never swapped
/// when it does not fit: under `dmy`, `03/31/2022` is refused (there is no month 31), not read
/// as 31 March. Dates with the month in words are never ambiguous.
public enum SheetDate {
  /// Which of day and month comes first in a date written with numbers only.
  public enum Order: String, Sendable, CaseIterable {
    case dmy, mdy
  }

  /// What a cell in a date column holds.
  public enum Value: Sendable, Hashable {
    /// A full date.
    case date(CalendarDate)
    /// A month without a day.
    case month(YearMonth)
    /// A word that says there is no date yet ("TBC", "N/A", "ongoing").
    case none(String)
  }

  static let monthNames = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]
  static let fullMonthNames = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
  ]

  /// Words that mean "no date (yet)" in a date column, lower-cased.
  public static let noDateWords: Set<String> = [
    "tbc", "tba", "tbd", "n/a", "na", "n.a.", "none", "ongoing", "on-going", "on going", "-", "--", "unknown",
    "to be confirmed", "to be agreed", "not applicable", "not known", "rolling", "continuous", "various",
  ]

  /// The date in `text`, or nil when it is not one of the accepted forms. A month without a day
  /// is its first day, or its last day with `monthEnd` (a deadline: "due March 2021").
  public static func parse(_ text: String, order: Order = .dmy, monthEnd: Bool = false) -> CalendarDate? {
    switch value(text, order: order) {
    case .date(let d)?: return d
    case .month(let m)?: return monthEnd ? m.lastDay : m.firstDay
    case .none?, nil: return nil
    }
  }

  /// What a spreadsheet cell in a date column holds: a date, a month, a no-date word, or nil when
  /// it is none of them. Unlike `parse`, a plain five-digit number is an Excel date serial (a date
  /// cell read without its format: 44651 is 2022-03-31; 10000-99999 are the years 1927-2173).
  public static func cell(_ text: String, order: Order = .dmy) -> Value? {
    let s = text.trimmingWhitespace
    if let serial = excelSerial(s) { return .date(serial) }
    if noDateWords.contains(s.lowercased()) { return .none(s) }
    return value(s, order: order)
  }

  /// The day of a five-digit Excel date serial (days since 1899-12-30, the 1900 date system; a
  /// fraction is the time of day and is dropped). A shorter number ("2021") is not taken for one.
  public static func excelSerial(_ s: String) -> CalendarDate? {
    let whole = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    guard let first = whole.first, first.utf8.count == 5,
      first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      whole.count == 1 || whole[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let n = Int(first), (1...2_958_465).contains(n)
    else { return nil }
    return CalendarDate(daysSinceEpoch: n - 25569)
  }

  /// The Excel serial of a day (for writing date cells).
  public static func excelSerial(of date: CalendarDate) -> Int { date.daysSinceEpoch + 25569 }

  /// Parses every accepted form; nil when the text is none of them.
  static func value(_ text: String, order: Order) -> Value? {
    var s = text.trimmingWhitespace
    if s.isEmpty { return nil }
    if s.utf8.count >= 10, let iso = CalendarDate(s.prefix(10)) {
      let rest = s.dropFirst(10)
      if rest.isEmpty || ((rest.first == "T" || rest.first == " ") && isTime(rest.dropFirst())) {
        return .date(iso)
      }
      return nil
    }
    // Drop a time of day after the date ("31/03/2022 00:00").
    if let space = s.lastIndex(of: " "), isTime(s[s.index(after: space)...]) {
      s = String(s[..<space]).trimmingWhitespace
    }
    // Apostrophes of a short year ("Sep '19", "Sep ’19") and commas ("March 31, 2022") go.
    s = String(s.map { $0 == "," ? " " : $0 })
    let parts = s.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == " " }).map(String.init)
    guard parts.count == 2 || parts.count == 3 else { return nil }
    let yearPart = parts[parts.count - 1]
    guard let year = year(yearPart) else { return nil }
    let apostrophe = yearPart.first == "'" || yearPart.first == "’" || yearPart.first == "‘"
    if parts.count == 2 {
      // A month without a day: "March 2021", "Sep '19", "03/2021".
      if let m = monthNumber(parts[0]) ?? (apostrophe ? nil : number(parts[0], digits: 1...2)),
        yearPart.utf8.count >= 2, let ym = YearMonth(year: year, month: m)
      {
        if number(parts[0], digits: 1...2) != nil && yearPart.utf8.count != 4 { return nil }
        return .month(ym)
      }
      return nil
    }
    if apostrophe { return nil }
    let a = parts[0]
    let b = parts[1]
    let day: Int
    let month: Int
    if let m = monthNumber(b), let d = dayNumber(a) {
      (day, month) = (d, m)  // 31 March 2022, 4th September 2014, 31-Mar-22
    } else if let m = monthNumber(a), let d = dayNumber(b) {
      (day, month) = (d, m)  // March 31 2022, Sept 30th 2023
    } else if let x = number(a, digits: 1...2), let y = number(b, digits: 1...2) {
      (day, month) = order == .dmy ? (x, y) : (y, x)
    } else {
      return nil
    }
    return CalendarDate(year: year, month: month, day: day).map { .date($0) }
  }

  /// A four-digit year, or a two-digit one (optionally after an apostrophe) read as Excel does.
  private static func year(_ text: String) -> Int? {
    var t = Substring(text)
    if let f = t.first, f == "'" || f == "’" || f == "‘" { t = t.dropFirst() }
    if let y = number(String(t), digits: 4...4) { return y }
    if let y = number(String(t), digits: 2...2) { return y < 30 ? 2000 + y : 1900 + y }
    return nil
  }

  private static func number(_ s: String, digits: ClosedRange<Int>) -> Int? {
    guard digits.contains(s.utf8.count), s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(s)
  }

  /// "4", "04", "4th", "22nd", "1st", "3rd".
  private static func dayNumber(_ s: String) -> Int? {
    let lower = s.lowercased()
    for suffix in ["st", "nd", "rd", "th"] where lower.hasSuffix(suffix) {
      return number(String(lower.dropLast(2)), digits: 1...2)
    }
    return number(lower, digits: 1...2)
  }

  /// "Mar", "March", "Sept" in any case.
  private static func monthNumber(_ s: String) -> Int? {
    let lower = s.lowercased()
    guard lower.count >= 3 else { return nil }
    if let i = fullMonthNames.firstIndex(of: lower) { return i + 1 }
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
