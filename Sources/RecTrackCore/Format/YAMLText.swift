/// Character rules shared by the reader and the writer.
///
/// The reader and the writer must agree exactly on what YAML reads back unchanged,
/// so both sides ask these functions rather than keeping their own lists.
enum YAMLText {
  /// Code points that may not appear raw anywhere in a file: YAML forbids them outright
  /// (C0/C1 controls, DEL, U+FFFE/U+FFFF), or YAML 1.1 parsers such as libyaml read them
  /// as line breaks (U+0085, U+2028, U+2029), or they are a byte-order mark that is not at
  /// the start of the file. Tab, LF and CR are handled separately by the callers.
  @inline(__always)
  static func isForbidden(_ v: UInt32) -> Bool {
    if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
    if v < 0x7F { return false }
    if v <= 0x9F { return true }
    if v < 0x2028 { return false }
    return v == 0x2028 || v == 0x2029 || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF
  }

  /// Characters that cannot start a plain scalar (YAML's c-indicator set).
  @inline(__always)
  static func isIndicator(_ v: UInt32) -> Bool {
    switch v {
    case 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E,
      0x27, 0x22, 0x25, 0x40, 0x60:
      return true
    default:
      return false
    }
  }

  /// True when `s` written without quotes reads back as exactly `s`: after `key: ` when
  /// `inFlow` is false, or as a `[...]` item when true. Deliberately stricter than YAML
  /// (any leading indicator, any `#` or `:` in a list item is quoted) so that no reader,
  /// YAML 1.1 or 1.2, can disagree.
  static func isPlainSafe(_ s: String, inFlow: Bool) -> Bool {
    let scalars = s.unicodeScalars
    guard let first = scalars.first, let last = scalars.last else { return false }
    if first == " " || isIndicator(first.value) || last == " " || last == ":" { return false }
    var previous: Unicode.Scalar = " "
    for c in scalars {
      let v = c.value
      if v == 0x09 || v == 0x0A || v == 0x0D || isForbidden(v) { return false }
      if inFlow {
        switch v {
        case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x3A, 0x23: return false
        default: break
        }
      }
      if c == "#" && previous == " " { return false }
      if c == " " && previous == ":" { return false }
      previous = c
    }
    return true
  }

  /// `s` as a double-quoted YAML scalar, escaping everything that is not printable so the
  /// result is always one line and always reads back as `s`.
  static func doubleQuoted(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for c in s.unicodeScalars {
      switch c.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x00: out += "\\0"
      case 0x07: out += "\\a"
      case 0x08: out += "\\b"
      case 0x09: out += "\\t"
      case 0x0A: out += "\\n"
      case 0x0B: out += "\\v"
      case 0x0C: out += "\\f"
      case 0x0D: out += "\\r"
      case 0x1B: out += "\\e"
      case 0x85: out += "\\N"
      case 0x2028: out += "\\L"
      case 0x2029: out += "\\P"
      case let v where v < 0x20 || (v >= 0x7F && v <= 0x9F):
        out += "\\x" + hex(v, digits: 2)
      case 0xFEFF, 0xFFFE, 0xFFFF:
        out += "\\u" + hex(c.value, digits: 4)
      default:
        out.unicodeScalars.append(c)
      }
    }
    out += "\""
    return out
  }

  static func hex(_ v: UInt32, digits: Int) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
  }

  /// A block scalar for multi-line text: the indicator (`|` or `|-`) and the text lines,
  /// or nil when a block would not read back as `s` (no line break; two or more final line
  /// breaks; a first line of text starting with a space, which would shift the indentation;
  /// a tab where indentation is expected; a CR or a control character; a last line of only
  /// spaces, which YAML readers do not all read alike, docs/format.md §2).
  static func block(_ s: String) -> (indicator: String, lines: [Substring])? {
    guard s.utf8.contains(0x0A) else { return nil }
    for c in s.unicodeScalars
    where c.value != 0x0A && c.value != 0x09 && (c.value == 0x0D || isForbidden(c.value)) {
      return nil
    }
    var lines = s.split(separator: "\n", omittingEmptySubsequences: false)
    var indicator = "|-"
    if lines.last?.isEmpty == true {
      lines.removeLast()
      indicator = "|"
      if lines.last?.isEmpty != false { return nil }
    }
    guard let firstText = lines.first(where: { !$0.isEmpty }), firstText.utf8.first != 0x20 else {
      return nil
    }
    if let last = lines.last, !last.isEmpty, last.utf8.allSatisfy({ $0 == 0x20 }) { return nil }
    for line in lines {
      if line.utf8.first(where: { $0 != 0x20 }) == 0x09 { return nil }
    }
    return (indicator, lines)
  }
}
