import Mustache

/// Encodes a `Codable` value straight into the data a Mustache template reads: the same value as
/// printing it as JSON and decoding that text into dictionaries, arrays, strings, numbers and
/// booleans (absent and null keys are left out, whole numbers are Int), without the text in
/// between, whose decoding cost more than the rest of a summary (Benchmarks/README.md).
///
/// The template gets the encoded values themselves (`context`): objects as their `Node`, strings
/// and numbers as a `Scalar`, each answering swift-mustache exactly as the dictionary, string or
/// number it stands for does, while a lookup costs one search of the object's keys and a value is
/// written without the engine's generic description of it. `plain` gives the dictionaries
/// themselves (what the nodes stand for).
enum TemplateData {
  /// The template data of `value`, as the template reads it.
  static func encode(_ value: some Encodable) throws -> Any {
    let root = Node()
    try value.encode(to: TemplateEncoder(node: root))
    return root.context
  }

  /// The same data as plain dictionaries, arrays, strings, numbers and booleans.
  static func plain(_ value: some Encodable) throws -> Any {
    let root = Node()
    try value.encode(to: TemplateEncoder(node: root))
    return root.value
  }

  /// A string or a number as the template gets it: no keys (the `Mirror` of a string or a number
  /// has no children), written as `String(describing:)` writes it, with its own transforms (a
  /// Double has none), and never null to a section (`isNull`). A Bool is handed over as a Bool:
  /// sections test it.
  struct Scalar: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    enum Value {
      case string(String)
      case int(Int)
      case double(Double)
      case bool(Bool)
    }
    let value: Value

    var any: Any {
      switch value {
      case .string(let s): return s
      case .int(let i): return i
      case .double(let d): return d
      case .bool(let b): return b
      }
    }

    var context: Any {
      if case .bool(let b) = value { return b }
      return self
    }

    func child(named name: String) -> Any? { nil }

    var renderText: String {
      switch value {
      case .string(let s): return s
      case .int(let i): return String(describing: i)
      case .double(let d): return String(describing: d)
      case .bool(let b): return String(describing: b)
      }
    }

    var isNull: Bool { false }

    func transform(_ name: String) -> Any? {
      switch value {
      case .string(let s): return s.transform(name)
      case .int(let i): return i.transform(name)
      case .double, .bool: return nil
      }
    }
  }

  /// A key's or an element's value: null, a scalar, or a node (a container, or a value encoded
  /// by its own type, which may turn out to be a scalar or null).
  enum Slot {
    case null
    case scalar(Scalar.Value)
    case node(Node)

    var isNull: Bool {
      switch self {
      case .null: return true
      case .scalar: return false
      case .node(let n): return n.kind == .null
      }
    }

    /// The plain value (null: an empty dictionary, as in an array).
    var value: Any {
      switch self {
      case .null: return [String: Any]()
      case .scalar(let v): return Scalar(value: v).any
      case .node(let n): return n.value
      }
    }

    var context: Any {
      switch self {
      case .null: return Node()
      case .scalar(let v): return Scalar(value: v).context
      case .node(let n): return n.context
      }
    }
  }

  /// One value being built: a scalar, or a container filled by its children.
  ///
  /// To the template an object (or null, or nothing: an empty dictionary) is its node, which
  /// looks up its keys (`MustacheParent`, the later of two equal keys winning, nulls left out), is
  /// written as the dictionary's description and takes the dictionary's transforms, as
  /// swift-mustache treats that dictionary; an array is an array of its elements' `context`.
  final class Node: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    enum Kind { case empty, scalar, null, object, array }
    var kind = Kind.empty
    var scalar = Scalar.Value.int(0)
    var pairs: [(String, Slot)] = []
    var items: [Slot] = []
    /// An object's keys when it has many (built at its first lookup), and an array as the
    /// template iterates it (built at its first use).
    private var index: [String: Slot]?
    private var list: [Any]?

    func set(_ v: Scalar.Value) {
      kind = .scalar
      scalar = v
    }

    /// This node as a key's or an element's value.
    var slot: Slot {
      switch kind {
      case .null: return .null
      case .scalar: return .scalar(scalar)
      default: return .node(self)
      }
    }

    /// The value this node stands for, as plain Swift values (the JSON text decoded).
    var value: Any {
      switch kind {
      case .empty, .null: return [String: Any]()
      case .scalar: return Scalar(value: scalar).any
      case .object:
        var out: [String: Any] = [:]
        out.reserveCapacity(pairs.count)
        for (k, n) in pairs where !n.isNull { out[k] = n.value }
        return out
      case .array: return items.map(\.value)
      }
    }

    /// What the template gets for this node.
    var context: Any {
      switch kind {
      case .empty, .null, .object: return self
      case .scalar: return Scalar(value: scalar).context
      case .array:
        if let list { return list }
        let made = items.map(\.context)
        list = made
        return made
      }
    }

    func child(named name: String) -> Any? {
      guard kind == .object else { return nil }
      if pairs.count <= 8 {
        for (k, n) in pairs.reversed() where k == name && !n.isNull { return n.context }
        return nil
      }
      if index == nil {
        var made: [String: Slot] = [:]
        made.reserveCapacity(pairs.count)
        for (k, n) in pairs where !n.isNull { made[k] = n }
        index = made
      }
      return index?[name]?.context
    }

    var renderText: String { String(describing: value) }

    var isNull: Bool { false }

    func transform(_ name: String) -> Any? {
      (value as? [String: Any])?.transform(name)
    }
  }

  /// The coding path is not kept (it stays empty): no encoder of the summary reads it.
  struct TemplateEncoder: Encoder {
    let node: Node
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      if node.kind != .object { node.kind = .object }
      return KeyedEncodingContainer(Keyed<Key>(node: node))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      if node.kind != .array { node.kind = .array }
      return Unkeyed(node: node)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
      Single(node: node)
    }
  }

  /// JSON text has one kind of number: a whole one reads back as Int, any other as Double.
  static func number(_ d: Double) -> Scalar.Value {
    d.rounded() == d && abs(d) < 1e15 ? .int(Int(d)) : .double(d)
  }
  static func integer<T: BinaryInteger>(_ v: T) -> Scalar.Value {
    Int(exactly: v).map { .int($0) } ?? .double(Double(v))
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    var codingPath: [any CodingKey] { [] }

    /// A node for `key`, in place at once (a container filled later).
    func child(_ key: Key) -> Node {
      let n = Node()
      node.pairs.append((key.stringValue, .node(n)))
      return n
    }

    func put(_ v: Scalar.Value, _ key: Key) { node.pairs.append((key.stringValue, .scalar(v))) }

    mutating func encodeNil(forKey key: Key) throws { node.pairs.append((key.stringValue, .null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(number(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(integer(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      let n = Node()
      try value.encode(to: TemplateEncoder(node: n))
      node.pairs.append((key.stringValue, n.slot))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
      -> KeyedEncodingContainer<NestedKey>
    {
      TemplateEncoder(node: child(key)).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      TemplateEncoder(node: child(key)).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TemplateEncoder(node: node) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
      TemplateEncoder(node: child(key))
    }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let node: Node
    var codingPath: [any CodingKey] { [] }
    var count: Int { node.items.count }

    /// A node for the next element, in place at once (a container filled later).
    func next() -> Node {
      let n = Node()
      node.items.append(.node(n))
      return n
    }

    func put(_ v: Scalar.Value) { node.items.append(.scalar(v)) }

    mutating func encodeNil() throws { node.items.append(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(number(value)) }
    mutating func encode(_ value: Float) throws { put(number(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(integer(value)) }
    mutating func encode(_ value: Int16) throws { put(integer(value)) }
    mutating func encode(_ value: Int32) throws { put(integer(value)) }
    mutating func encode(_ value: Int64) throws { put(integer(value)) }
    mutating func encode(_ value: UInt) throws { put(integer(value)) }
    mutating func encode(_ value: UInt8) throws { put(integer(value)) }
    mutating func encode(_ value: UInt16) throws { put(integer(value)) }
    mutating func encode(_ value: UInt32) throws { put(integer(value)) }
    mutating func encode(_ value: UInt64) throws { put(integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      let n = Node()
      try value.encode(to: TemplateEncoder(node: n))
      node.items.append(n.slot)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      TemplateEncoder(node: next()).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      TemplateEncoder(node: next()).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TemplateEncoder(node: next()) }
  }

  struct Single: SingleValueEncodingContainer {
    let node: Node
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil() throws { node.kind = .null }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(number(value)) }
    mutating func encode(_ value: Float) throws { node.set(number(Double(value))) }
    mutating func encode(_ value: Int) throws { node.set(.int(value)) }
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
      try value.encode(to: TemplateEncoder(node: node))
    }
  }
}
