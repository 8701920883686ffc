import Foundation

/// Turns a `Summary` into text: JSON (the value itself) or a Mustache template fed with that
/// same JSON, so the template data is exactly what `--format json` documents.
public enum SummaryRenderer {
  /// The built-in template for each rendered format.
  public static func defaultTemplate(forFormat format: String) -> String { "summary.\(format).mustache" }

  /// The file name a template is looked up by: `.mustache` added when missing.
  static func templateFile(_ template: String) -> String {
    template.hasSuffix(".mustache") ? template : template + ".mustache"
  }

  /// The summary as one pretty-printed JSON document (keys sorted, so output is stable).
  public static func json(_ summary: Summary) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain structs, strings and numbers cannot fail.
    let data = (try? encoder.encode(summary)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Renders `template` (a name in the repository's `Templates/`, else built in; `.mustache` is
  /// added when missing) with the summary's JSON value as its data.
  public static func render(_ summary: Summary, template: String, store: TemplateStore) throws(TrackingError)
    -> String
  {
    try store.render(named: templateFile(template), context: context(summary))
  }

  /// Renders template text directly (tests, and callers that hold a template in memory).
  public static func render(_ summary: Summary, templateText: String, origin: String) throws(TrackingError)
    -> String
  {
    try TemplateStore.render(text: templateText, origin: origin, context: context(summary))
  }

  /// The template data: the JSON document as a template reads it (absent keys stay absent, so
  /// `{{#due}}` means "has a due date"). Encoded straight from the value (TemplateData) into
  /// nodes that answer the template as the decoded dictionaries would (`plainContext`).
  public static func context(_ summary: Summary) -> Any {
    (try? TemplateData.encode(summary)) ?? [String: Any]()
  }

  /// The same data as the JSON document decoded into dictionaries, arrays, strings, numbers and
  /// booleans, encoded straight from the value: what `context` stands for.
  public static func plainContext(_ summary: Summary) -> Any {
    (try? TemplateData.plain(summary)) ?? [String: Any]()
  }

  /// The template data the slow way: the JSON text decoded (what `plainContext` must equal).
  public static func contextThroughJSON(_ summary: Summary) -> Any {
    let data = Data(json(summary).utf8)
    return ((try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .object([:])).any
  }
}

/// Any JSON value, decoded with Swift's own types (booleans stay booleans, whole numbers Int),
/// which is what Mustache sections test.
enum JSONValue: Decodable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? c.decode(Int.self) {
      self = .int(i)
    } else if let d = try? c.decode(Double.self) {
      self = .double(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  var any: Any {
    switch self {
    case .null: return [String: Any]()
    case .bool(let b): return b
    case .int(let i): return i
    case .double(let d): return d
    case .string(let s): return s
    case .array(let a): return a.map(\.any)
    case .object(let o):
      var out: [String: Any] = [:]
      for (k, v) in o {
        if case .null = v { continue }
        out[k] = v.any
      }
      return out
    }
  }
}
