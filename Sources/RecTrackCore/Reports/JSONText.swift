/// JSON text written straight into bytes: the same text `JSONSerialization` writes with
/// `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` (two-space indent, `"key" : value`),
/// without building `[String: Any]` values first. On 5,000 recommendations (7 MB) that took
/// most of `list --format json`'s time (Benchmarks/README.md).
struct JSONText {
  private(set) var bytes: [UInt8] = []
  private var depth = 0

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  var text: String { String(decoding: bytes, as: UTF8.self) }

  mutating func newline() {
    bytes.append(0x0A)
    for _ in 0..<depth {
      bytes.append(0x20)
      bytes.append(0x20)
    }
  }

  /// `[ ... ]` with one element per line; `element(i)` writes element i.
  mutating func array(count: Int, _ element: (inout JSONText, Int) -> Void) {
    openArray()
    for i in 0..<count {
      self.element(first: i == 0)
      element(&self, i)
    }
    closeArray(empty: count == 0)
  }

  /// `{ ... }` with keys in sorted order; `value(key)` writes the key's value.
  mutating func object(keys: [String], _ value: (inout JSONText, String) -> Void) {
    openObject()
    for (i, key) in keys.sorted().enumerated() {
      if i > 0 { bytes.append(0x2C) }
      newline()
      string(key)
      separator()
      value(&self, key)
    }
    closeObject(empty: keys.isEmpty)
  }

  // The same text a piece at a time, for writers that know their keys in sorted order (the
  // audit's rows: `array` and `object` are these calls).

  /// `[`; then `element(first:)` before each element, then `closeArray(empty:)`.
  mutating func openArray() {
    bytes.append(0x5B)
    depth += 1
  }

  /// What comes before an element: a comma unless it is the first, and a new line.
  mutating func element(first: Bool) {
    if !first { bytes.append(0x2C) }
    newline()
  }

  mutating func closeArray(empty: Bool) {
    depth -= 1
    if empty { bytes.append(0x0A) }  // JSONSerialization writes an empty array as "[\n\n]"
    newline()
    bytes.append(0x5D)
  }

  /// `{`; then `member(_:first:)` and the value for each key in sorted order, then `closeObject`.
  mutating func openObject() {
    bytes.append(0x7B)
    depth += 1
  }

  /// A key (plain ASCII, given in sorted order): a comma unless first, a new line, `"key" : `.
  mutating func member(_ key: StaticString, first: Bool = false) {
    element(first: first)
    bytes.append(0x22)
    key.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(0x22)
    separator()
  }

  /// A key of any text (given in sorted order): a comma unless first, a new line, `"key" : `.
  mutating func member(_ key: String, first: Bool = false) {
    element(first: first)
    string(key)
    separator()
  }

  mutating func closeObject(empty: Bool = false) {
    depth -= 1
    if empty { bytes.append(0x0A) }  // an empty object is "{\n\n}", as an empty array
    newline()
    bytes.append(0x7D)
  }

  private mutating func separator() {
    bytes.append(0x20)
    bytes.append(0x3A)
    bytes.append(0x20)
  }

  mutating func null() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

  mutating func int(_ n: Int) { bytes.append(contentsOf: String(n).utf8) }

  mutating func bool(_ b: Bool) { bytes.append(contentsOf: (b ? "true" : "false").utf8) }

  /// The bytes written so far, taken out (the next bytes continue the same text).
  mutating func drain() -> [UInt8] {
    let out = bytes
    bytes.removeAll(keepingCapacity: true)
    return out
  }

  /// A line break at the end of the text.
  mutating func endLine() { bytes.append(0x0A) }

  mutating func string(_ s: String) {
    bytes.append(0x22)
    // Most text needs no escaping: copied whole.
    var s = s
    let plain = s.withUTF8 { (u: UnsafeBufferPointer<UInt8>) -> Bool in
      for c in u where c < 0x20 || c == 0x22 || c == 0x5C { return false }
      bytes.append(contentsOf: u)
      return true
    }
    if plain {
      bytes.append(0x22)
      return
    }
    for c in s.utf8 {
      switch c {
      case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
      case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
      case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
      case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
      case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
      case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
      case 0..<0x20:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
      default: bytes.append(c)
      }
    }
    bytes.append(0x22)
  }
}

extension RecommendationOutput {
  /// The JSON of `list`/`export`: an array of `jsonObject`s, as `json(_: Any)` would write it.
  /// - Parameter recordedAt: when given, every element carries `recordedAt`: the commit id the
  ///   history was read at, or null for an empty history (docs/format.md §7).
  public static func json(_ recs: [Recommendation], recordedAt: String?? = nil) -> String {
    String(decoding: jsonBytes(recs, recordedAt: recordedAt), as: UTF8.self)
  }

  /// `json(_:recordedAt:)` as the bytes written out (7 MB for 5,000 recommendations: not copied
  /// into a string and out again).
  public static func jsonBytes(_ recs: [Recommendation], recordedAt: String?? = nil) -> [UInt8] {
    var w = JSONText(capacity: recs.count * 1_500)
    w.array(count: recs.count) { w, i in write(recs[i], recordedAt: recordedAt, into: &w) }
    w.endLine()
    return w.bytes
  }

  /// The JSON of `show`: one `jsonObject`.
  public static func json(_ rec: Recommendation, recordedAt: String?? = nil) -> String {
    var w = JSONText()
    write(rec, recordedAt: recordedAt, into: &w)
    return w.text + "\n"
  }

  private static func write(_ r: Recommendation, recordedAt: String??, into w: inout JSONText) {
    // As in jsonObject: `file` first, then each field (a later key replaces an earlier one),
    // then `recordedAt` when asked for; keys in sorted order. Sorted by key and then by place,
    // the last of each run of equal keys is the one that counts (no dictionary for each of
    // 5,000 recommendations).
    var members: [(key: String, place: Int, value: FieldValue?)] = [("file", 0, .text(r.file))]
    members.reserveCapacity(r.fields.count + 2)
    for (key, value) in r.fields { members.append((key, members.count, value)) }
    if recordedAt != nil { members.append(("recordedAt", members.count, nil)) }
    members.sort { $0.key != $1.key ? $0.key < $1.key : $0.place < $1.place }
    w.openObject()
    var first = true
    for (n, m) in members.enumerated() where n + 1 == members.count || members[n + 1].key != m.key {
      w.member(m.key, first: first)
      first = false
      if m.key == "recordedAt", let recordedAt {
        if let id = recordedAt { w.string(id) } else { w.null() }
        continue
      }
      switch m.value {
      case .text(let s)?: w.string(s)
      case .list(let items)?:
        if items.isEmpty {
          w.emptyArray()
        } else {
          w.array(count: items.count) { w, i in w.string(items[i]) }
        }
      case nil: w.null()  // not reached: only `recordedAt` has no value
      }
    }
    w.closeObject(empty: members.isEmpty)
  }
}

extension JSONText {
  /// An empty array, as JSONSerialization writes it when pretty-printing.
  mutating func emptyArray() { array(count: 0) { _, _ in } }
}
