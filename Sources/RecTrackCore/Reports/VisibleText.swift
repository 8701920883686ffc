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
    if isPlainLayout(s) { return s }
    guard s.unicodeScalars.contains(where: { needsEscaping($0, keepLayout: true) }) else { return s }
    var out = String.UnicodeScalarView()
    let scalars = Array(s.unicodeScalars)
    for (i, u) in scalars.enumerated() {
      if u == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { continue }
      append(u, to: &out, keepLayout: true)
    }
    return String(out)
  }

  /// `text(_:)` for output rectrack has coloured itself (`Palette`): the only sequences kept are
  /// a 256-colour foreground (`ESC[38;5;Nm`) and the reset (`ESC[0m`), which change colour and
  /// nothing else; table cells were already made visible by `line(_:)` before the colour went on.
  public static func keepingColour(_ s: String) -> String {
    if isPlainLayout(s) { return s }
    guard s.unicodeScalars.contains("\u{1B}") else { return text(s) }
    var out = ""
    var rest = Substring(s)
    while let esc = rest.firstIndex(of: "\u{1B}") {
      out += text(String(rest[..<esc]))
      let after = rest[esc...]
      if let end = colourSequenceEnd(after) {
        out += after[..<end]
        rest = after[end...]
      } else {
        out += text(String(after.prefix(1)))
        rest = after.dropFirst()
      }
    }
    return out + text(String(rest))
  }

  /// The end of `ESC[0m` or `ESC[38;5;Nm` (N one to three digits) at the start of `s`, or nil.
  private static func colourSequenceEnd(_ s: Substring) -> Substring.Index? {
    let reset = "\u{1B}[0m"
    if s.hasPrefix(reset) { return s.index(s.startIndex, offsetBy: reset.count) }
    let head = "\u{1B}[38;5;"
    guard s.hasPrefix(head) else { return nil }
    var i = s.index(s.startIndex, offsetBy: head.count)
    var digits = 0
    while i < s.endIndex, s[i].isASCII, s[i].isNumber, digits < 3 {
      i = s.index(after: i)
      digits += 1
    }
    guard digits > 0, i < s.endIndex, s[i] == "m" else { return nil }
    return s.index(after: i)
  }

  /// Printable ASCII, line feeds and tabs only (a 5,000-row table, a 1.4 MB paper): nothing to
  /// show otherwise, found bytewise rather than code point by code point.
  static func isPlainLayout(_ s: String) -> Bool {
    s.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }
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
      out.append(
        contentsOf: ("<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">").unicodeScalars)
    }
  }
}
