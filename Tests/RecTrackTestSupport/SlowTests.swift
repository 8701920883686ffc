import Foundation

/// How much of the longer, randomised testing to do, from `RECTRACK_SLOW_TESTS`; the one parser
/// every test asks:
///
/// - unset, empty or `0`: `quick` (a developer's `swift test`);
/// - `full`: `full` (a long run by hand);
/// - anything else (`1`, as `.ci/run` sets it): `slow`.
public enum SlowTests {
  public enum Level: Int, Comparable, Sendable {
    case quick, slow, full
    public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
  }

  /// The level a value of the variable stands for.
  public static func level(_ value: String?) -> Level {
    switch value {
    case nil, "", "0": return .quick
    case "full": return .full
    default: return .slow
    }
  }

  /// The level of this run.
  public static var current: Level { level(ProcessInfo.processInfo.environment["RECTRACK_SLOW_TESTS"]) }

  /// True for `slow` and `full` runs (CI and long runs by hand).
  public static var enabled: Bool { current >= .slow }

  /// Picks a size for this run's level.
  public static func size(_ quick: Int, slow: Int, full: Int) -> Int {
    switch current {
    case .quick: quick
    case .slow: slow
    case .full: full
    }
  }
}
