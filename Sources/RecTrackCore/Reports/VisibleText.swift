/// Text from a repository made safe to show on a terminal: control characters are shown
/// visibly instead of being sent to the terminal, where an escape sequence in a title or an
/// author's name could recolour, hide or rewrite what follows (an author ending in `ESC[8m`
/// would make the rest of an audit finding invisible).
///
/// Every human-readable output goes through `text(_:)` or `line(_:)`; JSON and CSV do not
/// (JSON escapes control characters itself, and a CSV keeps the data exactly).
///
/// The notation is the one `cat -v` and `less` use: a C0 control character as `^` and a letter
/// (`ESC` is `^[`, a tab `^I`, a carriage return `^M`), `DEL` as `^?`; C1 controls and the
/// invisible direction overrides that can reorder a line (U+202A to U+202E, U+2066 to U+2069) as
/// `<U+202E>`. Everything else, accents and all other scripts included, is shown as it is.
public enum VisibleText {
  /// Multi-line text (a card, a log, a finding): line feeds and tabs are kept, a CR LF pair
  /// becomes a line feed, every other control character is shown visibly.
  public static func text(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { needsEscaping($0, keepLayout: true) }) else { return s }
    var out = String.UnicodeScalarView()
    let scalars = Array(s.unicodeScalars)
    for (i, u) in scalars.enumerated() {
      if u == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { continue }
      append(u, to: &out, keepLayout: true)
    }
    return String(out)
  }

  /// One table cell or one line: line feeds and tabs are shown visibly too (`^J`, `^I`), so a
  /// value can never break the row it is in.
  public static func line(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { needsEscaping($0, keepLayout: false) }) else { return s }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars { append(u, to: &out, keepLayout: false) }
    return String(out)
  }

  private static func needsEscaping(_ u: Unicode.Scalar, keepLayout: Bool) -> Bool {
    let v = u.value
    if keepLayout && (u == "\n" || u == "\t") { return false }
    return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v)
      || (0x2066...0x2069).contains(v)
  }

  private static func append(_ u: Unicode.Scalar, to out: inout String.UnicodeScalarView, keepLayout: Bool) {
    guard needsEscaping(u, keepLayout: keepLayout) else {
      out.append(u)
      return
    }
    let v = u.value
    if v < 0x20 {
      out.append("^")
      out.append(Unicode.Scalar(UInt8(v + 0x40)))
    } else if v == 0x7F {
      out.append(contentsOf: "^?".unicodeScalars)
    } else {
      let hex = String(v, radix: 16, uppercase: true)
      out.append(contentsOf: ("<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">").unicodeScalars)
    }
  }
}
