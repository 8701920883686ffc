import Foundation
import RecTrackCore
import Testing
import Yams

/// Helpers shared by the Format test files.
enum FormatTestSupport {
  /// The example file of docs/format.md §2, exactly.
  static let specExample =
    """
    # Deep Dive Scrutiny Review: illegal drugs
    id: DP-DDR-01
    title: Run targeted drug-intelligence campaigns with partner agencies
    source: Deep Dive Scrutiny Review - Illegal Drugs
    raised: 2019-10-01
    owner: Chief Constable
    lead: Head of Serious and Organised Crime   # optional
    due: 2020-09-30                             # optional
    priority: high                              # optional: high | medium | low
    status: in-progress
    tags: [intelligence, county-lines]          # optional
    description: |
      Engage partner agencies such as CrimeStoppers to run localised,
      targeted intelligence-gathering campaigns in known drug hot spots.
    progress: |
      Campaign launched in Llanelli and Newtown in March 2020.

    """

  /// What Yams reads: nil when it fails or reads something that is not a flat mapping of
  /// strings and lists of strings.
  static func yamsFields(_ text: String) -> [(key: String, value: FieldValue)]? {
    let node: Node?
    do {
      if text.hasPrefix("\u{FEFF}") {
        // Yams' String entry point hands libyaml the byte-order mark as a character at
        // column 0; reading the file's bytes (as a tool reading a file does) skips it.
        node = try Parser(yaml: Data(text.utf8)).singleRoot()
      } else {
        node = try Yams.compose(yaml: text)
      }
    } catch {
      return nil
    }
    guard let node else { return [] }
    guard case .mapping(let mapping) = node else { return nil }
    var out: [(key: String, value: FieldValue)] = []
    for (k, v) in mapping {
      guard case .scalar(let key) = k else { return nil }
      switch v {
      case .scalar(let s):
        out.append((key.string, .text(s.string)))
      case .sequence(let seq):
        var items: [String] = []
        for item in seq {
          guard case .scalar(let s) = item else { return nil }
          items.append(s.string)
        }
        out.append((key.string, .list(items)))
      default:
        return nil
      }
    }
    return out
  }

  static func same(_ a: [(key: String, value: FieldValue)], _ b: [(key: String, value: FieldValue)]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }

  static func show(_ fields: [(key: String, value: FieldValue)]?) -> String {
    guard let fields else { return "nil" }
    return fields.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
  }

  /// The message of the error a text raises, or nil when it parses.
  static func parseError(_ text: String, path: String = "R.yml") -> FormatError? {
    do {
      _ = try RecommendationDocument(text: text, path: path)
      return nil
    } catch {
      return error
    }
  }

  /// Splits text into lines, each with its line break, so tests can compare bytes line by line.
  static func lines(_ text: String) -> [Substring] {
    var out: [Substring] = []
    var start = text.startIndex
    var i = text.startIndex
    while i < text.endIndex {
      if text[i] == "\n" || text[i] == "\r\n" {
        let next = text.index(after: i)
        out.append(text[start..<next])
        start = next
        i = next
      } else {
        i = text.index(after: i)
      }
    }
    if start < text.endIndex { out.append(text[start...]) }
    return out
  }

  /// The package root, found from this file's path.
  static func packageRoot(_ filePath: String = #filePath) -> String {
    var parts = filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }
}
