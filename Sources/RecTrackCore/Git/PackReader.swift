internal import CGitShims
internal import Clibgit2
import Foundation

/// Trees read straight from the repository's packfiles, for the walks that read tens of thousands
/// of them (`TreeDiffer` in the history walk and the audit).
///
/// A folder's versions are stored in a pack as chains of deltas, each version a few edits of the
/// one before. libgit2 rebuilds a version from the start of its chain on every read (it keeps
/// only the chain's base); this reader keeps every version it rebuilt, by its place in the pack,
/// so a walk through a folder's history applies each delta once (Benchmarks/README.md).
///
/// It reads only what it is sure of: `.idx` version 2 files beside `.pack` version 2 or 3 files,
/// and whole objects and deltas whose every length, offset and zlib stream checks out. For
/// anything else (a loose object, an alternate, a pack written after it opened, a damaged entry)
/// `read` answers nil and the caller asks libgit2, which gives its own answer or error. The
/// layouts read are git's (gitformat-pack); docs/format.md does not depend on them.
///
/// One thread at a time: the cache and the inflater are not shared.
final class PackReader {
  /// An object as rebuilt: its git type (1 commit, 2 tree, 3 blob, 4 tag) and its bytes.
  final class Object {
    let type: Int
    let bytes: UnsafeMutableBufferPointer<UInt8>

    fileprivate init(type: Int, count: Int) {
      self.type = type
      bytes = .allocate(capacity: Swift.max(count, 1))
      bytesCount = count
    }

    /// The object's length (the buffer holds at least one byte so that it is never empty).
    let bytesCount: Int
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[0..<bytesCount]) }

    deinit { bytes.deallocate() }
  }

  private let packs: [Pack]
  private let inflater: UnsafeMutableRawPointer
  /// Rebuilt objects by pack and offset (`key`), oldest first in `order` for eviction.
  private var cache: [UInt64: Object] = [:]
  private var order: [UInt64] = []
  private var orderStart = 0
  private var cachedBytes = 0
  /// What the cache may hold: the versions of some thirty folder chains 50 deep of ~8 KB trees
  /// (with 16 MiB a cold `progress` on 5,000/50,000 peaked at 206 MB, over its 200 MB target).
  static let cacheLimit = 8 << 20
  /// An object larger than this is left to libgit2 (trees are kilobytes).
  static let objectLimit = 64 << 20
  private var scratch: UnsafeMutableBufferPointer<UInt8> = .allocate(capacity: 1 << 16)

  /// The packs of the object database in `objectsFolder` (`<git dir>/objects`); nil when it has
  /// none this reader can read, or zlib cannot start.
  convenience init?(objectsFolder: String) {
    let folder = objectsFolder + "/pack"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
      $0.hasSuffix(".idx")
    }.sorted()
    var found: [Pack] = []
    for name in names {
      let base = folder + "/" + String(name.dropLast(4))
      if let pack = Pack(index: base + ".idx", pack: base + ".pack") { found.append(pack) }
    }
    self.init(packs: found)
  }

  private init?(packs: [Pack]) {
    guard !packs.isEmpty, let z = rectrack_inflater_new() else { return nil }
    self.packs = packs
    inflater = z
  }

  /// A reader of the same packs for another thread: the mapped files are shared (they are only
  /// read, and a second mapping would count every page it touches twice in the process's
  /// memory); the cache and the inflater are its own.
  func sibling() -> PackReader? { PackReader(packs: packs) }

  /// The bytes of blob `id` when this reader has it as a blob; nil leaves it to libgit2 (which
  /// also says what is wrong with an id that is not a blob).
  func blob(_ id: ObjectID) -> [UInt8]? {
    guard let object = read(id), object.type == 3 else { return nil }
    return Array(object.buffer)
  }

  /// For a repository: its common git folder's `objects`.
  convenience init?(_ repository: Repository) {
    let common = git_repository_commondir(repository.pointer).map { String(cString: $0) } ?? repository.gitDir
    self.init(objectsFolder: (common.hasSuffix("/") ? common : common + "/") + "objects")
  }

  deinit {
    rectrack_inflater_free(inflater)
    scratch.deallocate()
  }

  /// The object `id`, or nil when this reader does not have it or cannot be sure of it.
  func read(_ id: ObjectID) -> Object? {
    guard let (p, offset) = locate(id) else { return nil }
    return object(pack: p, at: offset)
  }

  private func locate(_ id: ObjectID) -> (Int, Int)? {
    var raw = id.raw
    return withUnsafeBytes(of: &raw) { bytes -> (Int, Int)? in
      let key = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
      for (i, pack) in packs.enumerated() {
        if let offset = pack.offset(of: key) { return (i, offset) }
      }
      return nil
    }
  }

  private static func key(_ pack: Int, _ offset: Int) -> UInt64 { UInt64(pack) << 48 | UInt64(offset) }

  /// The object at `offset` in pack `p`, its delta chain followed down to a whole object or one
  /// rebuilt before, then every delta applied in turn (each result kept, and whole trees).
  private func object(pack p: Int, at offset: Int) -> Object? {
    var chain: [(pack: Int, offset: Int, data: Int, size: Int)] = []
    var (cp, co) = (p, offset)
    var base: Object?
    while base == nil {
      if let known = cache[Self.key(cp, co)] {
        base = known
        break
      }
      // A chain of REF_DELTAs can point round in a circle; git itself stops at 10,000 or so.
      guard chain.count < 10_000, let header = packs[cp].header(at: co) else { return nil }
      switch header.type {
      case 1...4:
        guard header.size <= Self.objectLimit else { return nil }
        let whole = Object(type: header.type, count: header.size)
        guard inflate(pack: cp, from: header.data, into: whole.bytes.baseAddress!, count: header.size) else {
          return nil
        }
        // A commit is read once by a walk: kept only as the base of a delta being applied.
        if header.type == 2 || !chain.isEmpty { remember(whole, Self.key(cp, co)) }
        base = whole
      case 6:
        guard let (distance, data) = packs[cp].deltaDistance(at: header.data), distance < co else {
          return nil
        }
        chain.append((cp, co, data, header.size))
        co -= distance
      case 7:
        guard let baseID = packs[cp].bytes(at: header.data, count: 20) else { return nil }
        chain.append((cp, co, header.data + 20, header.size))
        var found: (Int, Int)?
        for (i, pack) in packs.enumerated() {
          if let o = pack.offset(of: baseID) {
            found = (i, o)
            break
          }
        }
        guard let found else { return nil }
        (cp, co) = found
      default:
        return nil
      }
    }
    guard var result = base else { return nil }
    for link in chain.reversed() {
      guard link.size <= Self.objectLimit else { return nil }
      if scratch.count < link.size {
        scratch.deallocate()
        scratch = .allocate(capacity: link.size)
      }
      guard inflate(pack: link.pack, from: link.data, into: scratch.baseAddress!, count: link.size),
        let next = Self.apply(UnsafeBufferPointer(rebasing: scratch[0..<link.size]), to: result)
      else { return nil }
      remember(next, Self.key(link.pack, link.offset))
      result = next
    }
    return result
  }

  private func inflate(pack p: Int, from start: Int, into out: UnsafeMutablePointer<UInt8>, count: Int)
    -> Bool
  {
    let pack = packs[p]
    guard start < pack.entriesEnd else { return false }
    return rectrack_inflate_exact(inflater, pack.file.base + start, pack.entriesEnd - start, out, count) == 0
  }

  private func remember(_ object: Object, _ key: UInt64) {
    guard object.bytesCount <= Self.cacheLimit / 4 else { return }
    cache[key] = object
    order.append(key)
    cachedBytes += object.bytesCount
    while cachedBytes > Self.cacheLimit, orderStart < order.count {
      if let gone = cache.removeValue(forKey: order[orderStart]) { cachedBytes -= gone.bytesCount }
      orderStart += 1
    }
    if orderStart > 4096, orderStart * 2 > order.count {
      order.removeFirst(orderStart)
      orderStart = 0
    }
  }

  /// `base` with a git delta applied (gitformat-pack, "Deltified representation"), or nil when
  /// the delta does not fit the base or does not make exactly the size it announces.
  static func apply(_ delta: UnsafeBufferPointer<UInt8>, to base: Object) -> Object? {
    var p = 0
    func size() -> Int? {
      var value = 0
      var shift = 0
      while p < delta.count, shift < 56 {
        let c = delta[p]
        p += 1
        value |= Int(c & 0x7F) << shift
        if c & 0x80 == 0 { return value }
        shift += 7
      }
      return nil
    }
    guard let sourceSize = size(), sourceSize == base.bytesCount, let targetSize = size(),
      targetSize <= objectLimit
    else { return nil }
    let out = Object(type: base.type, count: targetSize)
    let target = out.bytes.baseAddress!
    let source = base.bytes.baseAddress!
    var written = 0
    while p < delta.count {
      let op = delta[p]
      p += 1
      if op & 0x80 != 0 {
        var offset = 0
        var count = 0
        for bit in 0..<4 where op & (1 << bit) != 0 {
          guard p < delta.count else { return nil }
          offset |= Int(delta[p]) << (8 * bit)
          p += 1
        }
        for bit in 0..<3 where op & (0x10 << bit) != 0 {
          guard p < delta.count else { return nil }
          count |= Int(delta[p]) << (8 * bit)
          p += 1
        }
        if count == 0 { count = 0x10000 }
        guard offset + count <= sourceSize, written + count <= targetSize else { return nil }
        (target + written).update(from: source + offset, count: count)
        written += count
      } else if op != 0 {
        let count = Int(op)
        guard p + count <= delta.count, written + count <= targetSize else { return nil }
        (target + written).update(from: delta.baseAddress! + p, count: count)
        written += count
        p += count
      } else {
        return nil  // reserved
      }
    }
    return written == targetSize ? out : nil
  }
}

/// A file mapped read-only for as long as the reader lives.
private final class MappedFile {
  let base: UnsafePointer<UInt8>
  let count: Int

  init?(_ path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size > 0,
      let m = mmap(nil, Int(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0),
      m != MAP_FAILED
    else { return nil }
    base = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
    count = Int(st.st_size)
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

  func u32(at offset: Int) -> UInt32 {
    UInt32(bigEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt32.self))
  }
}

/// One packfile and its index (gitformat-pack: `.idx` version 2, `.pack` version 2 or 3).
private struct Pack {
  let index: MappedFile
  let file: MappedFile
  /// Where the entries end: the 20-byte checksum follows.
  let entriesEnd: Int
  private let names: Int
  private let offsets32: Int
  private let offsets64: Int
  private let largeOffsets: Int

  init?(index indexPath: String, pack packPath: String) {
    guard let index = MappedFile(indexPath), let file = MappedFile(packPath) else { return nil }
    // .idx v2: magic, version, 256 cumulative counts, names, CRCs, 32-bit offsets, 64-bit offsets,
    // two checksums.
    guard index.count >= 8 + 1024 + 40, index.u32(at: 0) == 0xFF74_4F63, index.u32(at: 4) == 2 else {
      return nil
    }
    var last: UInt32 = 0
    for i in 0..<256 {
      let n = index.u32(at: 8 + 4 * i)
      guard n >= last else { return nil }
      last = n
    }
    let n = Int(last)
    let fixed = 8 + 1024 + 28 * n + 40
    guard index.count >= fixed, (index.count - fixed) % 8 == 0 else { return nil }
    // .pack: "PACK", version, object count; entries; checksum.
    guard file.count >= 32, file.u32(at: 0) == 0x5041_434B, [2, 3].contains(file.u32(at: 4)),
      Int(file.u32(at: 8)) == n
    else { return nil }
    self.index = index
    self.file = file
    entriesEnd = file.count - 20
    names = 8 + 1024
    offsets32 = names + 24 * n
    offsets64 = names + 28 * n
    largeOffsets = (index.count - fixed) / 8
  }

  /// The offset of the entry named by the 20 bytes at `id`, when this pack has it.
  func offset(of id: UnsafePointer<UInt8>) -> Int? {
    let first = Int(id[0])
    var low = first == 0 ? 0 : Int(index.u32(at: 8 + 4 * (first - 1)))
    var high = Int(index.u32(at: 8 + 4 * first))
    // Names compare as big-endian integers: the first eight bytes decide almost every step.
    let head = UInt64(bigEndian: UnsafeRawPointer(id).loadUnaligned(as: UInt64.self))
    // Names are hashes, spread evenly: each probe goes where `head` falls between the nearest
    // names known below and above it (within the first byte's bucket to begin with), which
    // finds it in two or three probes where halving takes ten. After four such probes, halving
    // finishes, so an uneven index costs no more than a binary search.
    var below = UInt64(first) << 56
    var above = below | ((1 << 56) - 1)
    var probes = 0
    while low < high {
      var mid = (low + high) / 2
      if probes < 4, head >= below, head <= above {
        let share = Double(head - below) / (Double(above - below) + 1)
        mid = low + Swift.min(Int(share * Double(high - low)), high - low - 1)
        probes += 1
      }
      let name = index.base + names + 20 * mid
      let h = UInt64(bigEndian: UnsafeRawPointer(name).loadUnaligned(as: UInt64.self))
      let r = h != head ? (h < head ? -1 : 1) : memcmp(name + 8, id + 8, 12)
      if r == 0 { return entryOffset(mid) }
      if r < 0 {
        low = mid + 1
        below = h
      } else {
        high = mid
        above = h
      }
    }
    return nil
  }

  private func entryOffset(_ i: Int) -> Int? {
    let small = index.u32(at: offsets32 + 4 * i)
    var offset: UInt64 = UInt64(small)
    if small & 0x8000_0000 != 0 {
      let j = Int(small & 0x7FFF_FFFF)
      guard j < largeOffsets else { return nil }
      offset = UInt64(index.u32(at: offsets64 + 8 * j)) << 32 | UInt64(index.u32(at: offsets64 + 8 * j + 4))
    }
    guard offset >= 12, offset < UInt64(entriesEnd) else { return nil }
    return Int(offset)
  }

  /// An entry's type and size, and where its data (or its delta's base) starts.
  func header(at offset: Int) -> (type: Int, size: Int, data: Int)? {
    var p = offset
    guard p < entriesEnd else { return nil }
    var c = file.base[p]
    p += 1
    let type = Int(c >> 4 & 7)
    var size = Int(c & 15)
    var shift = 4
    while c & 0x80 != 0 {
      guard p < entriesEnd, shift < 56 else { return nil }
      c = file.base[p]
      p += 1
      size |= Int(c & 0x7F) << shift
      shift += 7
    }
    return (type, size, p)
  }

  /// An OFS_DELTA's distance back to its base, and where the delta's zlib stream starts.
  func deltaDistance(at offset: Int) -> (Int, Int)? {
    var p = offset
    guard p < entriesEnd else { return nil }
    var c = file.base[p]
    p += 1
    var distance = Int(c & 0x7F)
    while c & 0x80 != 0 {
      guard p < entriesEnd, distance < 1 << 48 else { return nil }
      c = file.base[p]
      p += 1
      distance = (distance + 1) << 7 | Int(c & 0x7F)
    }
    guard distance > 0 else { return nil }
    return (distance, p)
  }

  func bytes(at offset: Int, count: Int) -> UnsafePointer<UInt8>? {
    offset + count <= entriesEnd ? file.base + offset : nil
  }
}
