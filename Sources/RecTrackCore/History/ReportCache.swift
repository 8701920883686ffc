import Foundation

/// Reports computed from a history, remembered under everything that decides them, in
/// `<git dir>/rectrack/history/report-<digest>.cache` (the newest `kept` files).
///
/// A report is a function of its key alone: the start commit (which fixes the whole first-parent
/// chain below it), the settings that shape the figures (the workflow and the filter, as
/// `rectrack.yml` and the options gave them), the months asked for (the last one resolved, so
/// "this month" is part of the key), the cache format (`HistoryCache.version`) and this file's
/// own `version` (bump it when a rule baked into a report changes). So a remembered report can
/// only be stale if a key leaves out something the report reads; `ReportCacheTests` compares
/// remembered and cold reports after changing each part of the key.
///
/// The file holds the whole key and the report; a different key under the same digest is a
/// miss, and a file that fails `HistoryCache.check` is ignored (and removed when ours). Like the
/// other caches it is never written in a bare or read-only repository.
struct ReportCache {
  static let kept = 32
  /// The report encodings below; part of every key. 2: a paper keeps where it names its commit;
  /// 3: a log is written in records, not JSON.
  static let version: UInt32 = 3
  /// How many first-parent commits below a commit are searched for a report to carry on (the
  /// office records a few changes, then asks again).
  static let reach = 16

  let directory: String
  let writable: Bool

  /// The cache of `repository`, with a key for a report of `kind` begun with the commit the
  /// report's history starts at (`start`, else HEAD); nil when there is no commit yet, or no
  /// place for the cache (a shallow clone).
  static func open(_ repository: Repository, for kind: String, at start: ObjectID?) throws(GitError)
    -> (store: ReportCache, key: ReportKey, start: ObjectID)?
  {
    let first = if let start { start } else { try repository.head().commit }
    guard let first, let (directory, writable) = HistoryCache.location(repository) else { return nil }
    var key = ReportKey(kind)
    key.oid(first)
    return (ReportCache(directory: directory, writable: writable), key, first)
  }

  /// The nearest of the `reach` first-parent commits below `start` whose remembered value
  /// `read` finds: that commit, how many commits below it is, and the value; nil when none is
  /// (or the chain ends, or a commit cannot be read). The one search of the reports that are
  /// carried on from a commit below (progress, the `--as-of` snapshot, `log ID`).
  static func nearestBelow<T>(_ start: ObjectID, in repository: Repository, _ read: (ObjectID) -> T?)
    -> (commit: ObjectID, depth: Int, value: T)?
  {
    var below = start
    for depth in 1...reach {
      guard let parent = try? repository.commit(below).parents.first else { return nil }
      below = parent
      if let value = read(below) { return (below, depth, value) }
    }
    return nil
  }

  private func path(_ key: [UInt8]) -> String {
    let digest = String(HistoryCache.checksum(key), radix: 16)
    return "\(directory)/report-\(String(repeating: "0", count: 16 - digest.count))\(digest).cache"
  }

  /// The value saved under `key`, decoded by `decode`; nil when there is none, or it is another
  /// key's, damaged, from another version, or does not decode.
  func read<T>(_ key: [UInt8], _ decode: (inout SegmentReader) throws(ByteReader.Truncated) -> T) -> T? {
    let file = path(key)
    guard let data = FileManager.default.contents(atPath: file) else { return nil }
    let found: T?? = data.withUnsafeBytes { raw -> T?? in
      switch HistoryCache.check(raw, kind: .report) {
      case .valid(let payload):
        var keyReader = ByteReader(payload)
        guard let length = try? keyReader.u32(), let stored = try? keyReader.take(Int(length)) else {
          return .some(nil)
        }
        // Another key with the same digest: not damage, just not this report.
        guard stored.elementsEqual(key) else { return .none }
        let rest = UnsafeRawBufferPointer(rebasing: payload[keyReader.position...])
        guard var r = try? SegmentReader(rest), let value = try? decode(&r), (try? r.end()) != nil else {
          return .some(nil)
        }
        return value
      case .foreignOrFuture: return .none
      case .damaged: return .some(nil)
      }
    }
    switch found {
    case .some(.some(let value)): return value
    case .some(.none):
      if writable { unlink(file) }  // ours but damaged: written anew by this run
      return nil
    case .none: return nil
    }
  }

  /// Saves a value under `key` (`encode` writes its records, numbering strings in the table),
  /// and keeps the newest `kept` reports. Failing to write is not an error.
  func save(_ key: [UInt8], _ encode: (inout ByteWriter, inout StringTable) -> Void) {
    let target = path(key)
    guard writable, !HistoryCache.isOthers(target, kind: .report) else { return }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      return
    }
    var strings = StringTable()
    var w = ByteWriter()
    encode(&w, &strings)
    var file = HistoryCache.segment(kind: .report, payload: [])
    ByteWriter.append(u32: UInt32(key.count), to: &file)
    file.append(contentsOf: key)
    file.append(contentsOf: strings.encoded())
    file.append(contentsOf: w.buffer)
    HistoryCache.seal(&file)
    guard (try? AtomicFile.write(file, to: target)) != nil else { return }
    prune()
  }

  private func prune() {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    var files: [(String, Double)] = []
    for n in names where n.hasPrefix("report-") && n.hasSuffix(".cache") {
      var st = stat()
      let file = "\(directory)/\(n)"
      guard stat(file, &st) == 0 else { continue }
      files.append((file, Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9))
    }
    for (file, _) in files.sorted(by: { $0.1 > $1.1 }).dropFirst(Self.kept) { unlink(file) }
  }
}

// MARK: - Keys

/// The bytes of a key: a kind, the versions, then the parts in a fixed order, each length-prefixed.
struct ReportKey {
  private(set) var bytes: [UInt8] = []

  init(_ kind: String) {
    text(kind)
    u32(HistoryCache.version)
    u32(ReportCache.version)
  }

  mutating func u32(_ v: UInt32) { ByteWriter.append(u32: v, to: &bytes) }

  mutating func text(_ s: String?) {
    guard let s else { return u32(UInt32.max) }
    u32(UInt32(s.utf8.count))
    bytes.append(contentsOf: s.utf8)
  }

  mutating func texts(_ list: [String]) {
    u32(UInt32(list.count))
    for s in list { text(s) }
  }

  mutating func month(_ m: YearMonth?) { text(m?.description) }

  mutating func oid(_ id: ObjectID) { text(id.hex) }

  /// Every field of the workflow (transitions too: a report need not read them, but a key that
  /// holds more than it needs only misses more often).
  mutating func workflow(_ w: Workflow) {
    texts(w.statuses)
    texts(w.terminal.sorted())
    text(w.initial)
    u32(UInt32(w.transitions.count))
    for (from, to) in w.transitions.sorted(by: { $0.key < $1.key }) {
      text(from)
      texts(to)
    }
    text(w.awaitingVerification)
  }

  mutating func filter(_ f: RecommendationFilter) {
    text(f.tag)
    text(f.owner)
    text(f.source)
  }
}

extension ByteWriter {
  static func append(u32 v: UInt32, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }
}
