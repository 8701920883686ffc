/// Encodes a `Codable` value straight into the dictionaries, arrays, strings, numbers and booleans
/// a Mustache template reads: the same value as printing it as JSON and decoding that text
/// (absent and null keys are left out, whole numbers are Int), without the text in between,
/// whose decoding cost more than the rest of a summary (Benchmarks/README.md).
enum TemplateData {
  static func encode(_ value: some Encodable) throws -> Any {
    let root = Node()
    try value.encode(to: TemplateEncoder(node: root, codingPath: []))
    return root.value
  }

  /// One value being built: a scalar, or a container filled by its children.
  final class Node {
    enum Kind { case empty, scalar, null, object, array }
    var kind = Kind.empty
    var scalar: Any = 0
    var pairs: [(String, Node)] = []
    var items: [Node] = []

    func set(_ v: Any) {
      kind = .scalar
      scalar = v
    }

    var value: Any {
      switch kind {
      case .empty, .null: return [String: Any]()
      case .scalar: return scalar
      case .object:
        var out: [String: Any] = [:]
        out.reserveCapacity(pairs.count)
        for (k, n) in pairs where n.kind != .null { out[k] = n.value }
        return out
      case .array: return items.map(\.value)
      }
    }
  }

  struct TemplateEncoder: Encoder {
    let node: Node
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      if node.kind != .object { node.kind = .object }
      return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      if node.kind != .array { node.kind = .array }
      return Unkeyed(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
      Single(node: node, codingPath: codingPath)
    }
  }

  /// JSON text has one kind of number: a whole one reads back as Int, any other as Double.
  static func number(_ d: Double) -> Any { d.rounded() == d && abs(d) < 1e15 ? Int(d) : d }
  static func integer<T: BinaryInteger>(_ v: T) -> Any { Int(exactly: v).map { $0 as Any } ?? Double(v) }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    var codingPath: [any CodingKey]

    func child(_ key: Key) -> Node {
      let n = Node()
      node.pairs.append((key.stringValue, n))
      return n
    }

    mutating func encodeNil(forKey key: Key) throws { child(key).kind = .null }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).set(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).set(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { child(key).set(number(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { child(key).set(number(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).set(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { child(key).set(integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      let n = child(key)
      try value.encode(to: TemplateEncoder(node: n, codingPath: codingPath + [key]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
      -> KeyedEncodingContainer<NestedKey>
    {
      TemplateEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      TemplateEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TemplateEncoder(node: node, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
      TemplateEncoder(node: child(key), codingPath: codingPath + [key])
    }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let node: Node
    var codingPath: [any CodingKey]
    var count: Int { node.items.count }

    func next() -> Node {
      let n = Node()
      node.items.append(n)
      return n
    }

    mutating func encodeNil() throws { next().kind = .null }
    mutating func encode(_ value: Bool) throws { next().set(value) }
    mutating func encode(_ value: String) throws { next().set(value) }
    mutating func encode(_ value: Double) throws { next().set(number(value)) }
    mutating func encode(_ value: Float) throws { next().set(number(Double(value))) }
    mutating func encode(_ value: Int) throws { next().set(value) }
    mutating func encode(_ value: Int8) throws { next().set(integer(value)) }
    mutating func encode(_ value: Int16) throws { next().set(integer(value)) }
    mutating func encode(_ value: Int32) throws { next().set(integer(value)) }
    mutating func encode(_ value: Int64) throws { next().set(integer(value)) }
    mutating func encode(_ value: UInt) throws { next().set(integer(value)) }
    mutating func encode(_ value: UInt8) throws { next().set(integer(value)) }
    mutating func encode(_ value: UInt16) throws { next().set(integer(value)) }
    mutating func encode(_ value: UInt32) throws { next().set(integer(value)) }
    mutating func encode(_ value: UInt64) throws { next().set(integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      try value.encode(to: TemplateEncoder(node: next(), codingPath: codingPath))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      TemplateEncoder(node: next(), codingPath: codingPath).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      TemplateEncoder(node: next(), codingPath: codingPath).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TemplateEncoder(node: next(), codingPath: codingPath) }
  }

  struct Single: SingleValueEncodingContainer {
    let node: Node
    var codingPath: [any CodingKey]
    mutating func encodeNil() throws { node.kind = .null }
    mutating func encode(_ value: Bool) throws { node.set(value) }
    mutating func encode(_ value: String) throws { node.set(value) }
    mutating func encode(_ value: Double) throws { node.set(number(value)) }
    mutating func encode(_ value: Float) throws { node.set(number(Double(value))) }
    mutating func encode(_ value: Int) throws { node.set(value) }
    mutating func encode(_ value: Int8) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int16) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int32) throws { node.set(integer(value)) }
    mutating func encode(_ value: Int64) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt16) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt32) throws { node.set(integer(value)) }
    mutating func encode(_ value: UInt64) throws { node.set(integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      try value.encode(to: TemplateEncoder(node: node, codingPath: codingPath))
    }
  }
}
