/// An optional that JSON always carries: `null` when absent, where Swift's synthesized
/// encoding would leave the key out. For keys a contract requires even when empty
/// (`recordedAt`, `previous`: docs/format.md §6). Reads and writes like the optional it wraps.
@propertyWrapper
public struct EncodedAsNull<Value: Codable & Sendable>: Codable, Sendable {
  public var wrappedValue: Value?

  public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
  }
}

extension KeyedDecodingContainer {
  /// A missing key decodes as nil, as for a plain optional.
  public func decode<V>(_ type: EncodedAsNull<V>.Type, forKey key: Key) throws -> EncodedAsNull<V> {
    try decodeIfPresent(type, forKey: key) ?? EncodedAsNull(wrappedValue: nil)
  }
}
