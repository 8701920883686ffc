/// The typed view of one valid recommendation file.
///
/// Reports and the history code work with these fields; `fields` keeps every key in file
/// order, the user's own keys included, so that nothing in the file is lost when shown.
public struct Recommendation: Sendable, Hashable {
  public var id: String
  public var title: String
  public var source: String
  public var owner: String
  public var status: String
  public var raised: CalendarDate
  public var due: CalendarDate?
  public var lead: String?
  public var priority: String?
  public var description: String?
  public var progress: String?
  public var supersededBy: String?
  public var tags: [String]
  /// Repository path, e.g. "Recommendations/x/DP-DDR-01.yml".
  public var file: String
  /// Every key in file order.
  public var fields: [(key: String, value: FieldValue)]

  public init(
    id: String, title: String, source: String, owner: String, status: String,
    raised: CalendarDate, due: CalendarDate? = nil, lead: String? = nil, priority: String? = nil,
    description: String? = nil, progress: String? = nil, supersededBy: String? = nil,
    tags: [String] = [], file: String, fields: [(key: String, value: FieldValue)] = []
  ) {
    self.id = id
    self.title = title
    self.source = source
    self.owner = owner
    self.status = status
    self.raised = raised
    self.due = due
    self.lead = lead
    self.priority = priority
    self.description = description
    self.progress = progress
    self.supersededBy = supersededBy
    self.tags = tags
    self.file = file
    self.fields = fields
  }

  /// The value of any key, known or the user's own.
  public subscript(key: String) -> FieldValue? {
    fields.first { $0.key == key }?.value
  }

  public static func == (a: Recommendation, b: Recommendation) -> Bool {
    a.id == b.id && a.title == b.title && a.source == b.source && a.owner == b.owner
      && a.status == b.status && a.raised == b.raised && a.due == b.due && a.lead == b.lead
      && a.priority == b.priority && a.description == b.description && a.progress == b.progress
      && a.supersededBy == b.supersededBy && a.tags == b.tags && a.file == b.file
      && a.fields.count == b.fields.count
      && zip(a.fields, b.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(file)
    hasher.combine(status)
    hasher.combine(fields.count)
    for field in fields {
      hasher.combine(field.key)
      hasher.combine(field.value)
    }
  }
}
