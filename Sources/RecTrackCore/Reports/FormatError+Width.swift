extension FormatError {
  /// `description` fitted to `width` (nil: as is): the message and hint wrap at spaces, a long
  /// source line is shown as the part around the caret, with "…" where it was shortened.
  public func text(width: Int?) -> String {
    guard let width else { return description }
    var out = TextTable.hanging(
      "", "\(path):\(line):\(column): \(severity.rawValue): \(message)", width: width, indent: 2)
    if let sourceLine {
      var shown = sourceLine
      var caret = max(0, column - 1)
      if shown.count > width {
        let room = max(10, width - 2)
        let start = max(0, min(caret - room / 2, shown.count - room))
        let piece = String(shown.dropFirst(start).prefix(room))
        let left = start > 0 ? "…" : ""
        let right = start + room < shown.count ? "…" : ""
        shown = left + piece + right
        caret = caret - start + left.count
      }
      out += shown + "\n" + String(repeating: " ", count: caret) + "^\n"
    }
    if let hint {
      let text = hint.hasPrefix("hint: ") ? String(hint.dropFirst(6)) : hint
      out += TextTable.hanging("hint: ", text, width: width, indent: 6)
    }
    return String(out.dropLast())
  }
}
