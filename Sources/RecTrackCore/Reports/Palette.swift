/// The one set of status colours: the HTML paper's chart uses the hex values, the terminal the
/// ANSI 256-colour codes chosen to look the same. Colour only ever repeats what a word already
/// says (the status name is always printed), so output without colour loses nothing.
public struct Palette: Sendable {
  public struct Colour: Sendable, Hashable {
    /// CSS colour, e.g. "#d9822b".
    public var hex: String
    /// ANSI 256-colour index (foreground `ESC[38;5;<n>m`).
    public var ansi256: Int
  }

  /// The standard statuses: warm for work outstanding, calm for done.
  public static let named: [String: Colour] = [
    "open": Colour(hex: "#d9822b", ansi256: 172),
    "in-progress": Colour(hex: "#f2c14e", ansi256: 221),
    "complete": Colour(hex: "#7fb069", ansi256: 107),
    "closed": Colour(hex: "#2d6a4f", ansi256: 29),
    "not-accepted": Colour(hex: "#8d99ae", ansi256: 103),
    "superseded": Colour(hex: "#c9ced6", ansi256: 251),
  ]

  /// A repository's own statuses take these in turn, by their place in the workflow.
  public static let cycle: [Colour] = [
    Colour(hex: "#4e79a7", ansi256: 67), Colour(hex: "#e15759", ansi256: 167),
    Colour(hex: "#76b7b2", ansi256: 109), Colour(hex: "#b07aa1", ansi256: 139),
    Colour(hex: "#9c755f", ansi256: 137), Colour(hex: "#bab0ac", ansi256: 145),
  ]

  /// The workflow's statuses in order, to give unnamed ones a stable colour.
  public var statuses: [String]

  public init(statuses: [String]) { self.statuses = statuses }

  /// The colour of `status`, the `index`-th status of the workflow.
  public static func colour(of status: String, index: Int) -> Colour {
    named[status] ?? cycle[index % cycle.count]
  }

  public func colour(of status: String) -> Colour? {
    if let c = Self.named[status] { return c }
    return statuses.firstIndex(of: status).map { Self.cycle[$0 % Self.cycle.count] }
  }

  /// `text` in the colour of `status` (unchanged for an unknown status).
  public func ansi(_ text: String, status: String) -> String {
    guard let c = colour(of: status) else { return text }
    return "\u{1B}[38;5;\(c.ansi256)m" + text + "\u{1B}[0m"
  }
}
