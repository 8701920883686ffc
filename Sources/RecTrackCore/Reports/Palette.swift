/// The one set of status colours: the HTML paper's chart uses the hex values, the terminal the
/// ANSI 256-colour codes chosen to look the same. Colour only ever repeats what a word already
/// says (the status name is always printed), so output without colour loses nothing.
public struct Palette: Sendable {
  public struct Colour: Sendable, Hashable {
    /// CSS colour, e.g. "#2171b5".
    public var hex: String
    /// ANSI 256-colour index (foreground `ESC[38;5;<n>m`).
    public var ansi256: Int
  }

  /// The standard statuses, on one blue ramp from light (not started) to dark (closed), with the
  /// statuses that leave the work undone in greys. It is deliberately unlike red/amber/green, so no
  /// status reads as a RAG rating; each step differs in lightness, so the chart reads in greyscale
  /// and for colour-blind readers (the same hue throughout); the words are always printed too.
  public static let named: [String: Colour] = [
    "open": Colour(hex: "#c6dbef", ansi256: 153),
    "in-progress": Colour(hex: "#6baed6", ansi256: 74),
    "complete": Colour(hex: "#2171b5", ansi256: 32),
    "closed": Colour(hex: "#08306b", ansi256: 25),
    "not-accepted": Colour(hex: "#bdbdbd", ansi256: 250),
    "superseded": Colour(hex: "#737373", ansi256: 243),
  ]

  /// A repository's own statuses take these in turn, by their place in the workflow: purples and
  /// teals of distinct lightness, again unlike red/amber/green.
  public static let cycle: [Colour] = [
    Colour(hex: "#9e9ac8", ansi256: 146), Colour(hex: "#54278f", ansi256: 54),
    Colour(hex: "#80cdc1", ansi256: 116), Colour(hex: "#01665e", ansi256: 23),
    Colour(hex: "#d9d9d9", ansi256: 253), Colour(hex: "#525252", ansi256: 239),
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
