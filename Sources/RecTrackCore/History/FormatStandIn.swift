// TEMPORARY stand-in for the format branch's RecommendationDocument / FieldValue / FormatError.
// Deleted when `format` is merged.

struct FormatError: Error, CustomStringConvertible {
  var description: String
}

enum FieldValue: Sendable, Hashable {
  case text(String)
  case list([String])
}

struct RecommendationDocument {
  private var fields: [String: FieldValue] = [:]

  subscript(key: String) -> FieldValue? { fields[key] }

  init(bytes: some Collection<UInt8>, path: String) throws(FormatError) {
    let text = String(decoding: Array(bytes), as: UTF8.self)
    for (n, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
      let line = rawLine
      guard let first = line.first, first != " ", first != "#" else { continue }
      guard let colon = line.firstIndex(of: ":") else {
        throw FormatError(description: "\(path):\(n + 1): error: expected `key: value`")
      }
      let key = String(line[..<colon])
      var value = line[line.index(after: colon)...].drop { $0 == " " }
      if let hash = value.range(of: " #") { value = value[..<hash.lowerBound] }
      let v = String(value).trimmingSpaces
      if v.hasPrefix("[") && v.hasSuffix("]") {
        let inner = v.dropFirst().dropLast()
        fields[key] = .list(inner.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty })
      } else if v == "|" || v == "|-" {
        fields[key] = .text("")
      } else {
        fields[key] = .text(v)
      }
    }
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
