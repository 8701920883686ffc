internal import Clibgit2
import Foundation

/// A file under `Recommendations/` whose entry differs between a commit and its first parent.
struct FileChange: Sendable, Hashable {
  /// The path in the repository, e.g. `Recommendations/2019-deep-dive/DP-DDR-02.yml`.
  var path: String
  /// The entry in the commit; nil when the commit removed the file.
  var entry: FileEntry?
}

/// One first-parent commit's changes against its first parent: git facts only, no rectrack rule
/// (which names are recommendations, which date counts), so the rules may change and a cached
/// answer still equals a cold one. A commit id fixes its parent, tree and message, so this value
/// never changes: that is what lets `HistoryCache` keep it forever.
struct CommitChanges: Sendable {
  /// The first parent; nil for a root commit.
  var parent: ObjectID?
  var authorTime: Int64 = 0
  var authorOffset: Int32 = 0
  /// The committer date: when the commit was recorded (docs/format.md §7); kept for every commit.
  var committerTime: Int64 = 0
  var committerOffset: Int32 = 0
  /// The first line of the message.
  var summary: String = ""
  /// The whole message when it mentions "effective" in any case (the trailer rule reads it).
  var message: String?
  /// Files (not folders) under `Recommendations/` whose entries differ; empty when none does.
  var files: [FileChange] = []

  /// The day it was recorded: the committer's calendar day in the committer's own offset (the
  /// second clock, docs/format.md §6).
  var recorded: CalendarDate {
    CalendarDate(secondsSinceEpoch: committerTime, offsetMinutes: Int(committerOffset))
  }
}

/// The history cache: each first-parent commit's `CommitChanges` and each blob's
/// `RecommendationSummary`, keyed by object id, in `<git dir>/rectrack/history/` (ARCHITECTURE.md).
///
/// Entries never go stale (an id fixes its content), so the cache only grows: a run that learnt
/// something writes one new segment file (written to a temporary name, then renamed, so a reader
/// sees whole files only); more than `maxSegments` are merged into one. Every segment starts
/// with a magic, a format version, the payload's length and a checksum; a file that fails any
/// check is ignored (and removed when it is ours but damaged), never believed. The walk still
/// starts at HEAD and follows first parents, so a rebased or reset branch only meets the ids
/// it really has.
final class HistoryCache {
  static let magic: [UInt8] = Array("RTRKHIST".utf8)
  static let version: UInt32 = 2
  static let maxSegments = 8
  static let headerSize = 32

  enum Kind: UInt32 {
    case commits = 1
    case readings = 2
    /// A whole assembled history (`AssembledHistoryStore`).
    case assembled = 3
    /// A report computed from a history (`ReportCache`).
    case report = 4
    /// The entry names of folder trees (`FolderNames`).
    case folders = 5
  }

  /// Where segments live; nil when nothing may be written (bare or read-only repository).
  let directory: String
  let writable: Bool
  /// What the segments on disk hold (not what this run adds: a walk never meets an id twice, and
  /// a second table of 50,000 commits would only raise the first run's peak memory).
  private(set) var commits: [ObjectID: CommitChanges] = [:]
  private(set) var readings: [ObjectID: RecommendationSummary] = [:]
  private var newCommits: [(ObjectID, CommitChanges)] = []
  private var newReadings: [(ObjectID, RecommendationSummary)] = []
  private var segments: [Kind: [String]] = [:]

  /// The cache of `repository`, with the segments of the kinds asked for read; nil for a shallow
  /// clone (a commit's parent may be missing there, so its changes depend on the clone).
  static func open(_ repository: Repository, readings wantReadings: Bool) -> HistoryCache? {
    guard let (directory, writable) = location(repository) else { return nil }
    let cache = HistoryCache(directory: directory, writable: writable)
    cache.load(.commits)
    if wantReadings { cache.load(.readings) }
    return cache
  }

  /// The cache folder of `repository` and whether it may be written; nil for a shallow clone.
  static func location(_ repository: Repository) -> (directory: String, writable: Bool)? {
    guard git_repository_is_shallow(repository.pointer) == 0 else { return nil }
    let common = git_repository_commondir(repository.pointer).map { String(cString: $0) } ?? repository.gitDir
    let directory = (common.hasSuffix("/") ? common : common + "/") + "rectrack/history"
    // A bare repository is a server's copy, shared by many: it is read, never written.
    return (directory, !repository.isBare && access(common, W_OK) == 0)
  }

  init(directory: String, writable: Bool) {
    self.directory = directory
    self.writable = writable
  }

  /// Keeps a commit's changes for `save` (an id the segments hold already is left out).
  func add(_ id: ObjectID, _ changes: CommitChanges) {
    if commits[id] == nil { newCommits.append((id, changes)) }
  }

  /// Keeps a blob's reading for `save` (an id the segments hold already is left out).
  func add(_ blob: ObjectID, _ reading: RecommendationSummary) {
    if readings[blob] == nil { newReadings.append((blob, reading)) }
  }

  /// Writes what this run learnt as new segments, merging segments when there are too many.
  /// Failing to write is not an error: the next run walks again.
  func save() {
    guard writable, !newCommits.isEmpty || !newReadings.isEmpty else { return }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      return
    }
    if !newCommits.isEmpty {
      let merge = (segments[.commits]?.count ?? 0) >= Self.maxSegments
      var items = newCommits
      newCommits = []
      if merge { items += commits.map { ($0.key, $0.value) } }
      write(.commits, Self.encode(commits: items), replacing: merge ? segments[.commits] ?? [] : [])
    }
    if !newReadings.isEmpty {
      let merge = (segments[.readings]?.count ?? 0) >= Self.maxSegments
      var items = newReadings
      newReadings = []
      if merge { items += readings.map { ($0.key, $0.value) } }
      write(.readings, Self.encode(readings: items), replacing: merge ? segments[.readings] ?? [] : [])
    }
  }

  /// Forgets every entry (after `save`), so that a long walk's tables do not stay in memory while
  /// the history is assembled and saved.
  func drop() {
    commits = [:]
    readings = [:]
    newCommits = []
    newReadings = []
  }

  private func name(_ kind: Kind) -> String { kind == .commits ? "commits" : "readings" }

  /// Writes `file` (a sealed segment) and removes the segments it replaces.
  private func write(_ kind: Kind, _ file: [UInt8], replacing old: [String]) {
    let checksum = file.withUnsafeBytes {
      Self.checksum(UnsafeRawBufferPointer(rebasing: $0[Self.headerSize...]))
    }
    let path = "\(directory)/\(name(kind))-\(String(checksum, radix: 16)).cache"
    guard (try? AtomicFile.write(file, to: path)) != nil else { return }
    for o in old where o != path { unlink(o) }
    segments[kind] = old.isEmpty ? (segments[kind] ?? []) + [path] : [path]
  }

  private func load(_ kind: Kind) {
    let prefix = name(kind) + "-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    for n in names.sorted() where n.hasPrefix(prefix) && n.hasSuffix(".cache") {
      let path = "\(directory)/\(n)"
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      let ok: Bool = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
        switch Self.check(raw, kind: kind) {
        case .valid(let payload):
          do {
            if kind == .commits {
              try Self.decodeCommits(payload, reserve: { commits.reserveCapacity(commits.count + $0) }) {
                commits[$0] = $1
              }
            } else {
              try Self.decodeReadings(payload, reserve: { readings.reserveCapacity(readings.count + $0) }) {
                readings[$0] = $1
              }
            }
            return true
          } catch {
            return false
          }
        case .foreignOrFuture:
          return true  // not ours to remove, not ours to read
        case .damaged:
          return false
        }
      }
      if ok {
        segments[kind, default: []].append(path)
      } else if writable {
        unlink(path)  // ours but damaged: its entries are learnt again and written anew
      }
    }
  }

  // MARK: The segment format

  enum Check {
    case valid(UnsafeRawBufferPointer)
    /// Another program's file, or a later rectrack's format: left alone.
    case foreignOrFuture
    /// Truncated, or its checksum does not match.
    case damaged
  }

  /// `RTRKHIST`, version (u32), kind (u32), payload length (u64), checksum (u64), payload;
  /// numbers little-endian.
  static func segment(kind: Kind, payload: [UInt8]) -> [UInt8] {
    var w = ByteWriter()
    w.bytes(magic)
    w.u32(version)
    w.u32(kind.rawValue)
    w.u64(UInt64(payload.count))
    w.u64(checksum(payload))
    w.bytes(payload)
    return w.buffer
  }

  /// Sets the length and checksum of a segment built as `segment(kind:payload: [])` with its
  /// payload appended afterwards.
  static func seal(_ file: inout [UInt8]) {
    let length = UInt64(file.count - headerSize)
    let sum = file.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
    withUnsafeBytes(of: length.littleEndian) { file.replaceSubrange(16..<24, with: $0) }
    withUnsafeBytes(of: sum.littleEndian) { file.replaceSubrange(24..<32, with: $0) }
  }

  static func check(_ raw: UnsafeRawBufferPointer, kind: Kind) -> Check {
    guard raw.count >= headerSize else {
      let foreign = raw.count >= magic.count && !raw.prefix(magic.count).elementsEqual(magic)
      return foreign ? .foreignOrFuture : .damaged
    }
    guard raw.prefix(magic.count).elementsEqual(magic) else { return .foreignOrFuture }
    let version = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
    let storedKind = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian
    guard version == Self.version, storedKind == kind.rawValue else { return .foreignOrFuture }
    let length = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
    let sum = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian
    guard length == UInt64(raw.count - headerSize) else { return .damaged }
    let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
    guard checksum(payload) == sum else { return .damaged }
    return .valid(payload)
  }

  /// Whether a file is there that is not this version's segment of `kind` (another program's,
  /// a later rectrack's): it is left alone, not overwritten.
  static func isOthers(_ file: String, kind: Kind) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: file) else { return false }
    defer { try? handle.close() }
    let head = [UInt8](handle.readData(ofLength: headerSize))
    let ours = segment(kind: kind, payload: []).prefix(16)
    // As `check`: another magic is another's; ours cut short is damaged.
    if head.count >= magic.count, !head.prefix(magic.count).elementsEqual(magic) { return true }
    return head.count >= 16 && !head.prefix(16).elementsEqual(ours)
  }

  /// A fast 64-bit checksum (FNV-style over 8-byte words): catches damage, not forgery.
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    var i = 0
    while i + 8 <= bytes.count {
      h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian) &* 0x0000_0100_0000_01b3
      h ^= h >> 29
      i += 8
    }
    while i < bytes.count {
      h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3
      i += 1
    }
    return h ^ (h >> 32)
  }

  static func checksum(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { checksum($0) } }

  /// A sealed segment of kind `.commits`: strings first (each once), then records that refer to
  /// them by number.
  static func encode(commits items: [(ObjectID, CommitChanges)]) -> [UInt8] {
    var strings = StringTable()
    var body = ByteWriter()
    body.buffer.reserveCapacity(items.count * 64)
    body.u32(UInt32(items.count))
    for (id, c) in items {
      body.oid(id)
      var flags: UInt8 = 0
      if c.parent != nil { flags |= 1 }
      if c.message != nil { flags |= 2 }
      if !c.files.isEmpty { flags |= 4 }
      body.u8(flags)
      if let p = c.parent { body.oid(p) }
      body.u64(UInt64(bitPattern: c.committerTime))
      body.u32(UInt32(bitPattern: c.committerOffset))
      guard !c.files.isEmpty else { continue }
      body.u64(UInt64(bitPattern: c.authorTime))
      body.u32(UInt32(bitPattern: c.authorOffset))
      body.u32(strings.index(c.summary))
      if let m = c.message { body.u32(strings.index(m)) }
      body.u32(UInt32(c.files.count))
      for f in c.files {
        body.u32(strings.index(f.path))
        if let e = f.entry {
          body.u8(1)
          body.oid(e.blob)
          body.u32(e.mode)
        } else {
          body.u8(0)
        }
      }
    }
    return strings.sealed(.commits, then: body.buffer)
  }

  static func decodeCommits(
    _ payload: UnsafeRawBufferPointer, reserve: (Int) -> Void, _ add: (ObjectID, CommitChanges) -> Void
  ) throws(ByteReader.Truncated) {
    try SegmentReader.records(payload, smallest: 21, reserve: reserve) { r throws(ByteReader.Truncated) in
      let id = try r.oid()
      let flags = try r.u8()
      var c = CommitChanges(parent: flags & 1 != 0 ? try r.oid() : nil)
      c.committerTime = Int64(bitPattern: try r.u64())
      c.committerOffset = Int32(bitPattern: try r.u32())
      if flags & 4 != 0 {
        c.authorTime = Int64(bitPattern: try r.u64())
        c.authorOffset = Int32(bitPattern: try r.u32())
        c.summary = try r.string()
        if flags & 2 != 0 { c.message = try r.string() }
        let n = try r.count()
        c.files.reserveCapacity(n)
        for _ in 0..<n {
          let path = try r.string()
          let entry: FileEntry? = try r.u8() == 1 ? FileEntry(blob: try r.oid(), mode: try r.u32()) : nil
          c.files.append(FileChange(path: path, entry: entry))
        }
      }
      add(id, c)
    }
  }

  /// A sealed segment of kind `.readings`, laid out as `encode(commits:)`.
  static func encode(readings items: [(ObjectID, RecommendationSummary)]) -> [UInt8] {
    var strings = StringTable()
    var body = ByteWriter()
    body.buffer.reserveCapacity(items.count * 48)
    body.u32(UInt32(items.count))
    for (blob, s) in items {
      body.oid(blob)
      body.summary(s, &strings)
    }
    return strings.sealed(.readings, then: body.buffer)
  }

  static func decodeReadings(
    _ payload: UnsafeRawBufferPointer, reserve: (Int) -> Void,
    _ add: (ObjectID, RecommendationSummary) -> Void
  ) throws(ByteReader.Truncated) {
    try SegmentReader.records(payload, smallest: 36, reserve: reserve) { r throws(ByteReader.Truncated) in
      add(try r.oid(), try r.summary())
    }
  }
}

/// A segment's payload as `StringTable` lays it out: the strings, then records referring to
/// them by number. Every decoder of the history cache reads through it.
struct SegmentReader {
  var bytes: ByteReader
  let strings: [String]

  init(_ payload: UnsafeRawBufferPointer) throws(ByteReader.Truncated) {
    bytes = ByteReader(payload)
    strings = try StringTable.decode(&bytes)
  }

  /// Reads a count of records (each at least `smallest` bytes, to reserve no more than the
  /// payload can hold), calls `record` for each, and refuses bytes left over.
  static func records(
    _ payload: UnsafeRawBufferPointer, smallest: Int, reserve: (Int) -> Void,
    _ record: (inout SegmentReader) throws(ByteReader.Truncated) -> Void
  ) throws(ByteReader.Truncated) {
    var r = try SegmentReader(payload)
    let count = try r.u32()
    reserve(Int(min(count, UInt32(r.bytes.remaining / smallest))))
    for _ in 0..<count { try record(&r) }
    try r.end()
  }

  mutating func u8() throws(ByteReader.Truncated) -> UInt8 { try bytes.u8() }
  mutating func u32() throws(ByteReader.Truncated) -> UInt32 { try bytes.u32() }
  mutating func u64() throws(ByteReader.Truncated) -> UInt64 { try bytes.u64() }
  mutating func oid() throws(ByteReader.Truncated) -> ObjectID { try bytes.oid() }

  /// A string by its number in the table.
  mutating func string() throws(ByteReader.Truncated) -> String {
    let i = Int(try bytes.u32())
    guard i < strings.count else { throw ByteReader.Truncated() }
    return strings[i]
  }

  /// A text `ByteWriter.text` wrote: nil when absent; a presence byte other than 0 or 1 is damage.
  mutating func text() throws(ByteReader.Truncated) -> String? {
    switch try bytes.u8() {
    case 0: return nil
    case 1: return try string()
    default: throw ByteReader.Truncated()
    }
  }

  /// A text `ByteWriter.text` wrote that must be there.
  mutating func requiredText() throws(ByteReader.Truncated) -> String {
    guard let s = try text() else { throw ByteReader.Truncated() }
    return s
  }

  /// A count of items that follow, each at least one byte long.
  mutating func count() throws(ByteReader.Truncated) -> Int {
    let n = Int(try bytes.u32())
    guard n <= bytes.remaining else { throw ByteReader.Truncated() }
    return n
  }

  /// A `RecommendationSummary` as `ByteWriter.summary` wrote it.
  mutating func summary() throws(ByteReader.Truncated) -> RecommendationSummary {
    let status = try string()
    let owner = try string()
    let source = try string()
    let n = try count()
    var tags: [String] = []
    tags.reserveCapacity(n)
    for _ in 0..<n { tags.append(try string()) }
    let due = Int32(bitPattern: try u32())
    return RecommendationSummary(
      status: status, owner: owner, source: source, tags: tags,
      due: due == Int32.min ? nil : CalendarDate(daysSinceEpoch: Int(due)))
  }

  func end() throws(ByteReader.Truncated) {
    guard bytes.remaining == 0 else { throw ByteReader.Truncated() }
  }
}

/// Each distinct string once, numbered in order of first use.
struct StringTable {
  private var numbers: [String: UInt32] = [:]
  private var list: [String] = []

  mutating func index(_ s: String) -> UInt32 {
    if let n = numbers[s] { return n }
    let n = UInt32(list.count)
    numbers[s] = n
    list.append(s)
    return n
  }

  func encoded() -> [UInt8] {
    var w = ByteWriter()
    write(to: &w)
    return w.buffer
  }

  /// A whole segment of `kind` (`HistoryCache.segment`): these strings, then `body`, built in
  /// one buffer of the final size.
  func sealed(_ kind: HistoryCache.Kind, then body: [UInt8]) -> [UInt8] {
    var w = ByteWriter(buffer: HistoryCache.segment(kind: kind, payload: []))
    w.buffer.reserveCapacity(
      HistoryCache.headerSize + 4 + list.reduce(0) { $0 + 4 + $1.utf8.count } + body.count)
    write(to: &w)
    w.bytes(body)
    HistoryCache.seal(&w.buffer)
    return w.buffer
  }

  private func write(to w: inout ByteWriter) {
    w.u32(UInt32(list.count))
    for s in list {
      w.u32(UInt32(s.utf8.count))
      w.bytes(s.utf8)
    }
  }

  static func decode(_ r: inout ByteReader) throws(ByteReader.Truncated) -> [String] {
    let n = Int(try r.u32())
    guard n <= r.remaining else { throw ByteReader.Truncated() }
    var out: [String] = []
    out.reserveCapacity(n)
    for _ in 0..<n {
      let length = Int(try r.u32())
      out.append(String(decoding: try r.take(length), as: UTF8.self))
    }
    return out
  }
}

struct ByteWriter {
  var buffer: [UInt8] = []
  mutating func u8(_ v: UInt8) { buffer.append(v) }
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
  mutating func bytes<S: Sequence>(_ s: S) where S.Element == UInt8 { buffer.append(contentsOf: s) }
  /// A `RecommendationSummary`, its strings numbered in `strings` (`SegmentReader.summary`).
  mutating func summary(_ s: RecommendationSummary, _ strings: inout StringTable) {
    u32(strings.index(s.status))
    u32(strings.index(s.owner))
    u32(strings.index(s.source))
    u32(UInt32(s.tags.count))
    for t in s.tags { u32(strings.index(t)) }
    u32(UInt32(bitPattern: s.due.map { Int32(truncatingIfNeeded: $0.daysSinceEpoch) } ?? Int32.min))
  }

  /// A text that may be absent: a presence byte, then its number in `strings` (`SegmentReader.text`).
  mutating func text(_ s: String?, _ strings: inout StringTable) {
    u8(s == nil ? 0 : 1)
    if let s { u32(strings.index(s)) }
  }

  mutating func oid(_ id: ObjectID) {
    var raw = id.raw
    withUnsafeBytes(of: &raw) { buffer.append(contentsOf: $0.prefix(20)) }
  }
}

/// Reads a payload front to back; running past its end throws, so a damaged file is refused.
struct ByteReader {
  struct Truncated: Error {}
  let bytes: UnsafeRawBufferPointer
  var position = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var remaining: Int { bytes.count - position }

  mutating func take(_ n: Int) throws(Truncated) -> UnsafeRawBufferPointer {
    guard n >= 0, n <= remaining else { throw Truncated() }
    defer { position += n }
    return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)])
  }

  mutating func u8() throws(Truncated) -> UInt8 { try take(1)[0] }
  mutating func u32() throws(Truncated) -> UInt32 { try take(4).loadUnaligned(as: UInt32.self).littleEndian }
  mutating func u64() throws(Truncated) -> UInt64 { try take(8).loadUnaligned(as: UInt64.self).littleEndian }
  mutating func oid() throws(Truncated) -> ObjectID {
    let b = try take(20)
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid) { $0.copyMemory(from: b) }
    return ObjectID(oid)
  }
}
