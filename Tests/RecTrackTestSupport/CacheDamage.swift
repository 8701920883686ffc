import Foundation

/// The ways a file of rectrack's caches (`.git/rectrack/history/`) can be wrong, for the tests
/// of each cache: cut short, emptied, a byte flipped, grown, its length changed (all of them
/// ours but damaged: removed or rewritten), or another program's, a later version's or another
/// kind's file (left alone). One list, so every cache is damaged the same ways.
public enum CacheDamage {
  public struct Case: Sendable {
    public let label: String
    /// True when the file is rectrack's own but damaged; false when it is not rectrack's to touch.
    public let ours: Bool
    public let change: @Sendable (inout Data) -> Void
  }

  public static let all: [Case] = [
    Case(label: "truncated", ours: true) { $0 = $0.prefix($0.count / 2) },
    Case(label: "header only", ours: true) { $0 = $0.prefix(20) },
    Case(label: "empty", ours: true) { $0 = Data() },
    Case(label: "a byte flipped near the end", ours: true) { $0[$0.count - 7] ^= 0x10 },
    Case(label: "a byte flipped in the middle", ours: true) { $0[$0.count / 2] ^= 0x01 },
    Case(label: "grown", ours: true) { $0.append(contentsOf: [0, 0, 0, 0]) },
    Case(label: "length changed", ours: true) { $0[16] ^= 0x01 },
    Case(label: "foreign", ours: false) {
      $0 = Data("PK\u{3}\u{4} not a rectrack file, but long enough".utf8)
    },
    Case(label: "future version", ours: false) { $0[8] = 99 },
    Case(label: "another kind", ours: false) { $0[12] = 7 },
  ]
}
