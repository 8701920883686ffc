/// One located problem in a recommendation file, worded for the office staff who edit them.
///
/// It renders like a compiler diagnostic (`path:line:col: error: ...`, the source line, a
/// caret, a hint) because that is what editors and CI logs already know how to show, and
/// because a person fixing a file needs to see the line and what to type instead.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Errors make a file unusable; warnings point at something that is probably a mistake.
  public enum Severity: String, Sendable, Hashable {
    case error
    case warning
  }

  /// The file's path as the user knows it (repository path or path on disk).
  public var path: String
  /// 1-based line number.
  public var line: Int
  /// 1-based column, counted in Characters so that the caret sits under the right letter
  /// for the person reading, whatever multibyte text comes before it.
  public var column: Int
  public var severity: Severity
  /// What is wrong, in plain words.
  public var message: String
  /// What to write instead. Rendered on its own line starting with `hint: `.
  public var hint: String?
  /// The offending line without its line ending, or nil when the problem has no single line
  /// (a missing key).
  public var sourceLine: String?

  public init(
    path: String, line: Int, column: Int, severity: Severity = .error, message: String,
    hint: String? = nil, sourceLine: String? = nil
  ) {
    self.path = path
    self.line = line
    self.column = column
    self.severity = severity
    self.message = message
    self.hint = hint
    self.sourceLine = sourceLine
  }

  /// `<path>:<line>:<col>: error: <message>`, then the source line and a caret under the
  /// column, then the hint line. A hint that already starts with `hint: ` is not prefixed twice,
  /// so callers may build hints either way.
  public var description: String {
    var out = "\(path):\(line):\(column): \(severity.rawValue): \(message)"
    if let sourceLine {
      out += "\n" + sourceLine + "\n" + String(repeating: " ", count: max(0, column - 1)) + "^"
    }
    if let hint {
      out += "\n" + (hint.hasPrefix("hint: ") ? hint : "hint: " + hint)
    }
    return out
  }
}
