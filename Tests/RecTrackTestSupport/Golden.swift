import Foundation
import Testing

/// Golden files: recording them (`RECTRACK_RECORD_GOLDEN=1`) and saying where one differs.
public enum Golden {
  /// Whether this run re-records the golden files instead of checking them.
  public static var recording: Bool { ProcessInfo.processInfo.environment["RECTRACK_RECORD_GOLDEN"] == "1" }

  /// Writes `text` to `url`, making its folder.
  public static func record(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  /// The golden file's text to compare `text` with; in a recording run, writes `text` there
  /// instead, records an issue (so a recording run is never mistaken for a passing one) and
  /// returns nil.
  public static func expected(at url: URL, recording text: String) throws -> String? {
    if recording {
      try record(text, to: url)
      Issue.record("recorded \(url.path); run again without RECTRACK_RECORD_GOLDEN to check it")
      return nil
    }
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// Where `got` first differs from `golden`, as a message naming the line; nil when they are equal.
  public static func difference(golden: String, got: String, name: String) -> String? {
    guard golden != got else { return nil }
    let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
    let b = got.split(separator: "\n", omittingEmptySubsequences: false)
    let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    let expected = line < a.count ? String(a[line]) : ""
    let actual = line < b.count ? String(b[line]) : ""
    return
      "\(name) differs from the golden file at line \(line + 1): "
      + "expected «\(expected)», got «\(actual)». "
      + "Re-record with RECTRACK_RECORD_GOLDEN=1 if the change is intended."
  }
}
