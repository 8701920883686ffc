/// A day in the proleptic Gregorian calendar, with no time and no time zone.
///
/// Recommendation files, `Effective:` trailers and `--as-of` all speak in whole days, so the
/// history code compares these rather than instants. Conversions use integer arithmetic only
/// (no Foundation calendars), because the history walk converts one date per commit.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Builds a date, returning nil unless it is a real day (2021-02-29 is not).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses exactly `YYYY-MM-DD`; anything else (extra spaces, `2021-3-1`, a bad day) is nil.
  public init?(_ text: some StringProtocol) {
    let u = Array(text.utf8)
    guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
    func num(_ r: Range<Int>) -> Int? {
      var v = 0
      for i in r {
        let c = u[i]
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
      }
      return v
    }
    guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// The calendar date of an instant seen from a UTC offset (git's author date and offset).
  /// An instant outside years 1 to 9999 (a hand-made commit can carry any number) is read as
  /// the nearest end of that range, never a crash.
  public init(secondsSinceEpoch seconds: Int64, offsetMinutes: Int) {
    let bound: Int64 = 1 << 40  // about 34,000 years either side of 1970
    let local = min(max(seconds, -bound), bound) + Int64(min(max(offsetMinutes, -100_000), 100_000)) * 60
    let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    self.init(daysSinceEpoch: Int(days))
  }

  /// The date `days` after 1970-01-01 (negative before it), kept within 0001-01-01 and 9999-12-31.
  public init(daysSinceEpoch unclamped: Int) {
    let days = min(max(unclamped, -719_162), 2_932_896)
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
    self.month = m
    self.day = d
  }

  /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  public func adding(days: Int) -> CalendarDate {
    CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
  }

  public var yearMonth: YearMonth { YearMonth(year: year, month: month)! }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// `YYYY-MM-DD`, written digit by digit (an audit or a summary writes one for every row; built
  /// from padded strings it cost ~2,600 instructions). Every initialiser keeps the year within
  /// 1-9999 and the month and day real, so four and two digits always hold them.
  public var description: String {
    String(unsafeUninitializedCapacity: 10) { out in
      func digits(_ v: Int, _ count: Int, at start: Int) {
        var v = v
        for i in (start..<start + count).reversed() {
          out[i] = UInt8(48 + v % 10)
          v /= 10
        }
      }
      digits(year, 4, at: 0)
      out[4] = UInt8(ascii: "-")
      digits(month, 2, at: 5)
      out[7] = UInt8(ascii: "-")
      digits(day, 2, at: 8)
      return 10
    }
  }

  public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let d = CalendarDate(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
    }
    self = d
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

/// A calendar month such as 2021-06; its figure is taken as of its last day.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let year: Int
  public let month: Int

  public init?(year: Int, month: Int) {
    guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
    self.year = year
    self.month = month
  }

  /// Parses exactly `YYYY-MM`.
  public init?(_ text: some StringProtocol) {
    guard text.utf8.count == 7, let d = CalendarDate(text + "-01") else { return nil }
    self.init(year: d.year, month: d.month)
  }

  public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
  public var lastDay: CalendarDate {
    CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
  }
  public var next: YearMonth {
    month == 12 ? YearMonth(year: year + 1, month: 1)! : YearMonth(year: year, month: month + 1)!
  }

  public var description: String { String(firstDay.description.prefix(7)) }

  public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}
