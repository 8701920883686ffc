/// The value of one entry in a recommendation file.
///
/// The file format only knows two shapes, text and a one-line flow list, so the model
/// says exactly that and nothing more; dates, statuses and IDs are strings at this layer
/// and get their meaning in `Recommendation`.
public enum FieldValue: Sendable, Hashable {
  /// A plain, quoted or block (`|`, `|-`) scalar, as YAML reads it.
  case text(String)
  /// A flow list such as `[a, 'b c', "d"]`.
  case list([String])

  /// The text, or nil for a list; lets callers read text fields without a switch.
  public var text: String? {
    if case .text(let s) = self { return s }
    return nil
  }

  /// The items, or nil for text.
  public var list: [String]? {
    if case .list(let items) = self { return items }
    return nil
  }
}
