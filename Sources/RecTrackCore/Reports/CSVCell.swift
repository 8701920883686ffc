/// The one rule for cells that a spreadsheet could run as a formula (CSV injection, OWASP).
///
/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
/// single quote in front (`'=HYPERLINK(...)`), so Excel and LibreOffice show it as text instead of
/// computing it. A plain number (`-3`, `+2.5`, `-0,75`) is left as it is: a spreadsheet reads it
/// as that number and nothing else. Dates as rectrack writes them (`2021-03-31`) start with a
/// digit and are never touched.
///
/// `rectrack import` undoes exactly that: a cell of one or more quotes followed by one of those
/// characters loses one quote. Export adds a quote to such a cell too (`'=x` becomes `''=x`), so
/// export then import gives back every value as it was.
public enum CSVCell {
  /// The cell as written to a CSV file.
  public static func neutralised(_ s: String) -> String {
    guard startsWithTrigger(s.drop { $0 == "'" }), !isPlainNumber(s) else { return s }
    return "'" + s
  }

  /// The value of a cell read from a CSV file: one added quote removed.
  public static func restored(_ s: String) -> String {
    guard s.hasPrefix("'"), startsWithTrigger(s.drop { $0 == "'" }) else { return s }
    return String(s.dropFirst())
  }

  static func startsWithTrigger(_ s: Substring) -> Bool {
    guard let c = s.unicodeScalars.first else { return false }
    return c == "=" || c == "+" || c == "-" || c == "@" || c == "\t" || c == "\r"
  }

  /// An optional sign, digits, and at most one decimal point or comma with digits after it.
  static func isPlainNumber(_ s: String) -> Bool {
    var u = Substring(s).unicodeScalars[...]
    if let f = u.first, f == "-" || f == "+" { u = u.dropFirst() }
    let digits = u.prefix { ("0"..."9").contains($0) }
    guard !digits.isEmpty else { return false }
    u = u.dropFirst(digits.count)
    if let f = u.first, f == "." || f == "," {
      u = u.dropFirst()
      let fraction = u.prefix { ("0"..."9").contains($0) }
      guard !fraction.isEmpty else { return false }
      u = u.dropFirst(fraction.count)
    }
    return u.isEmpty
  }
}
