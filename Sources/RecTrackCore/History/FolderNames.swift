import Foundation

/// What each folder tree under `Recommendations/` holds, remembered by tree id in
/// `<git dir>/rectrack/history/folders.cache`, so that finding one recommendation's file by name
/// (`show`, `status`, `update`: `Repository.entries(named:under:inTree:remembering:)`) reads only
/// the folders that hold that name, not every folder.
///
/// A folder is remembered as a hash of each of its entries' names and its sub-folders (name and
/// id). A tree's id fixes its entries, so what is remembered can never be stale; a name whose hash
/// a folder lacks is not in it, and a folder whose hashes hold it is read to be sure (a hash may
/// collide). The file is one segment in `HistoryCache`'s format (magic, version, kind, length,
/// checksum): a damaged, foreign or future file is not believed, and ours damaged is rewritten.
/// Like the other caches it is written only in a writable, non-bare, non-shallow repository.
final class FolderNames {
  struct Folder {
    /// The hashes (`hash`) of every entry's name, sorted.
    var names: [UInt64]
    var folders: [(name: String, id: ObjectID)]

    func mayHold(_ hash: UInt64) -> Bool {
      var (low, high) = (0, names.count)
      while low < high {
        let mid = (low + high) / 2
        if names[mid] < hash { low = mid + 1 } else { high = mid }
      }
      return low < names.count && names[low] == hash
    }
  }

  /// The file keeps the folders the last lookup used, and others while it holds at most this many
  /// times their names (so a lookup at an older commit does not evict HEAD's folders at once).
  static let keptRatio = 2

  private let file: String?
  private let writable: Bool
  private var known: [ObjectID: Folder] = [:]
  private var used: Set<ObjectID> = []
  private var learnt = false

  /// The remembered folders of `repository`; empty (and never saved) where there is no cache.
  init(_ repository: Repository) {
    guard let (directory, writable) = HistoryCache.location(repository) else {
      (file, self.writable) = (nil, false)
      return
    }
    let path = directory + "/folders.cache"
    (file, self.writable) = (path, writable)
    guard let data = FileManager.default.contents(atPath: path) else { return }
    let ok: Bool = data.withUnsafeBytes { raw in
      switch HistoryCache.check(raw, kind: .folders) {
      case .valid(let payload): return (try? Self.decode(payload, into: &known)) != nil
      case .foreignOrFuture: return true
      case .damaged: return false
      }
    }
    if !ok {
      known = [:]
      if writable { unlink(path) }
    }
  }

  /// What folder `id` holds, if remembered (and then kept by `save`).
  func folder(_ id: ObjectID) -> Folder? {
    guard let f = known[id] else { return nil }
    used.insert(id)
    return f
  }

  /// Remembers what folder `id` holds, read just now.
  func remember(_ id: ObjectID, _ folder: Folder) {
    known[id] = folder
    used.insert(id)
    learnt = true
  }

  /// Writes the file when this run read a folder it did not know, keeping the folders it used
  /// and, while the file stays under `keptRatio` times their names, others. Failing is not an error.
  func save() {
    guard learnt, writable, let file else { return }
    learnt = false
    let usedNames = used.reduce(0) { $0 + (known[$1]?.names.count ?? 0) }
    var kept = used.compactMap { id in known[id].map { (id, $0) } }
    var total = usedNames
    for (id, f) in known where !used.contains(id) && total + f.names.count <= Self.keptRatio * usedNames {
      kept.append((id, f))
      total += f.names.count
    }
    let directory = (file as NSString).deletingLastPathComponent
    guard !HistoryCache.isOthers(file, kind: .folders),
      (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil
    else { return }
    var w = ByteWriter()
    w.u32(UInt32(kept.count))
    for (id, f) in kept {
      w.oid(id)
      w.u32(UInt32(f.names.count))
      for h in f.names { w.u64(h) }
      w.u32(UInt32(f.folders.count))
      for sub in f.folders {
        w.u32(UInt32(sub.name.utf8.count))
        w.bytes(sub.name.utf8)
        w.oid(sub.id)
      }
    }
    let bytes = HistoryCache.segment(kind: .folders, payload: w.buffer)
    try? AtomicFile.write(bytes, to: file)
  }

  private static func decode(_ payload: UnsafeRawBufferPointer, into known: inout [ObjectID: Folder])
    throws(ByteReader.Truncated)
  {
    var r = ByteReader(payload)
    let count = Int(try r.u32())
    known.reserveCapacity(count)
    for _ in 0..<count {
      let id = try r.oid()
      let n = Int(try r.u32())
      guard n <= r.remaining / 8 else { throw ByteReader.Truncated() }
      var names: [UInt64] = []
      names.reserveCapacity(n)
      for _ in 0..<n { names.append(try r.u64()) }
      let m = Int(try r.u32())
      var folders: [(name: String, id: ObjectID)] = []
      for _ in 0..<m {
        let length = Int(try r.u32())
        let name = String(decoding: try r.take(length), as: UTF8.self)
        folders.append((name, try r.oid()))
      }
      known[id] = Folder(names: names, folders: folders)
    }
    guard r.remaining == 0 else { throw ByteReader.Truncated() }
  }

  /// The hash a name is remembered by (64-bit FNV-1a of its bytes).
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
  }

  static func hash(_ name: String) -> UInt64 {
    var name = name
    return name.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
  }
}
