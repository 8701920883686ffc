import Foundation

/// A count per status, in the workflow's order. It encodes as a JSON object whose keys follow
/// that order (docs/format.md §8 wants every status present, zeros included).
public struct StatusCounts: Codable, Sendable, Hashable {
  public var statuses: [String]
  public var values: [Int]

  public init(statuses: [String], values: [Int]) {
    self.statuses = statuses
    self.values = values
  }

  public subscript(status: String) -> Int {
    statuses.firstIndex(of: status).map { values[$0] } ?? 0
  }

  public var total: Int { values.reduce(0, +) }

  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    statuses = c.allKeys.map(\.stringValue)
    values = try statuses.map { try c.decode(Int.self, forKey: Key(stringValue: $0)) }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (s, v) in zip(statuses, values) { try c.encode(v, forKey: Key(stringValue: s)) }
  }
}

/// Which recommendations a report counts: exact matches on the state as of each month.
public struct RecommendationFilter: Codable, Sendable, Hashable {
  public var tag: String?
  public var owner: String?
  public var source: String?

  public init(tag: String? = nil, owner: String? = nil, source: String? = nil) {
    self.tag = tag
    self.owner = owner
    self.source = source
  }

  public func matches(_ s: RecommendationSummary) -> Bool {
    if let tag, !s.tags.contains(tag) { return false }
    if let owner, s.owner != owner { return false }
    if let source, s.source != source { return false }
    return true
  }
}

/// Something that kept a file version out of the figures, for the CLI to print on stderr.
public struct HistoryWarning: Codable, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  /// The commit that introduced this version of the file.
  public var commit: ObjectID
  public var message: String

  public var description: String { "\(path) (commit \(commit.short)): \(message)" }

  public init(path: String, commit: ObjectID, message: String) {
    self.path = path
    self.commit = commit
    self.message = message
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    path = try c.decode(String.self, forKey: .path)
    let hex = try c.decode(String.self, forKey: .commit)
    guard let id = ObjectID(hex: hex) else {
      throw DecodingError.dataCorruptedError(forKey: .commit, in: c, debugDescription: "not a commit id")
    }
    commit = id
    message = try c.decode(String.self, forKey: .message)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(path, forKey: .path)
    try c.encode(commit.hex, forKey: .commit)
    try c.encode(message, forKey: .message)
  }

  private enum CodingKeys: String, CodingKey { case path, commit, message }
}

/// Monthly figures from the history (issue #3): computed once, then encoded as JSON (the shape of
/// docs/format.md §8 plus extra keys) or rendered as a table, CSV or chart.
public struct ProgressReport: Codable, Sendable {
  /// The workflow's statuses in order; every month's `counts` has exactly these keys.
  public var statuses: [String]
  /// The statuses that end a recommendation's life (counted in `final`).
  public var terminal: [String]
  public var filter: RecommendationFilter
  public var months: [Month]
  /// File versions left out of the figures (not parsed, no status, unknown status). Not part of
  /// the JSON document: the CLI prints them on standard error.
  public var warnings: [HistoryWarning] = []

  private enum CodingKeys: String, CodingKey { case statuses, terminal, filter, months }

  /// One month's figures, as of its last day (docs/format.md §5).
  public struct Month: Codable, Sendable, Hashable {
    /// `YYYY-MM`.
    public var month: String
    /// The month's last day, the day the figures are taken as of.
    public var asOf: CalendarDate
    /// The recommendations counted (existing, matching the filter, with a workflow status).
    public var total: Int
    public var counts: StatusCounts
    /// How many are in a terminal status.
    public var final: Int
    /// `final / total`, 0 when `total` is 0 (four decimals).
    public var finalShare: Double
    /// Due date before `asOf`, status neither `complete` nor terminal.
    public var overdue: Int
    /// The difference from the previous month's figures (the month before `--from` for the first).
    public var change: Change
    public var movements: Movements
  }

  /// The difference in `total` and in each status count from the previous month end.
  public struct Change: Codable, Sendable, Hashable {
    public var total: Int
    public var counts: StatusCounts
  }

  /// What moved between the previous month end and this one, one recommendation at a time
  /// (the `--change` view). Month-end states are compared, so a recommendation that went
  /// open -> complete -> open within one month shows no movement.
  public struct Movements: Codable, Sendable, Hashable {
    /// Counted now but not at the previous month end (new, re-created, or now matching the filter).
    public var opened: Int
    /// Now `complete`, previously counted with another status.
    public var completed: Int
    /// Now in a terminal status, previously counted with a non-terminal one.
    public var closed: Int
    /// Now neither `complete` nor terminal, previously `complete` or terminal.
    public var reopened: Int
    /// Counted at the previous month end but not now (deleted, or no longer matching the filter).
    public var removed: Int
  }
}
