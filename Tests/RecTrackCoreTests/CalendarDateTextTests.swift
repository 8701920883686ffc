import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// A day is written `YYYY-MM-DD` digit by digit: the same text as padding each number's string,
/// and read back as the same day: the first and last 40 years representable, 1890-2120, and
/// 20,000 random days between.
@Suite struct CalendarDateTextTests {
  /// The text as it was built before: each number's digits, padded with zeros.
  static func padded(_ d: CalendarDate) -> String {
    func pad(_ v: Int, _ n: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    return "\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))"
  }

  @Test func everyDayOfManyYearsIsWrittenAsBeforeAndReadsBack() throws {
    let first = try #require(CalendarDate(year: 1, month: 1, day: 1)).daysSinceEpoch
    let last = try #require(CalendarDate(year: 9999, month: 12, day: 31)).daysSinceEpoch
    var days = Array(first..<first + 40 * 366) + Array(last - 40 * 366...last)
    let y1890 = try #require(CalendarDate(year: 1890, month: 1, day: 1)).daysSinceEpoch
    days += Array(y1890..<y1890 + 230 * 366)
    var random = SeededRandom(seed: 5)
    days += (0..<20_000).map { _ in Int.random(in: first...last, using: &random) }
    for n in days {
      let d = CalendarDate(daysSinceEpoch: n)
      let text = d.description
      #expect(text == Self.padded(d), "day \(n)")
      #expect(CalendarDate(text) == d, "\(text) reads back")
    }
  }
}
