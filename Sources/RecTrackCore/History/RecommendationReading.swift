import Foundation

/// The fields of one file version that monthly figures need, read once per distinct blob.
public struct RecommendationSummary: Sendable, Hashable {
  public var status: String
  public var owner: String
  public var source: String
  public var tags: [String]
  /// nil when the file has no `due:` or it is not a YYYY-MM-DD date.
  public var due: CalendarDate?

  public init(status: String, owner: String, source: String, tags: [String], due: CalendarDate?) {
    self.status = status
    self.owner = owner
    self.source = source
    self.tags = tags
    self.due = due
  }
}

/// What reading one file version gave: its summary, or why it cannot count.
public enum RecommendationReading: Sendable, Hashable {
  case summary(RecommendationSummary)
  /// The file did not parse, had no status, or its blob could not be read; the message says why.
  case unusable(String)

  public var summary: RecommendationSummary? {
    if case .summary(let s) = self { return s }
    return nil
  }

  /// Parses one file's bytes with the format parser (docs/format.md §2).
  public static func read(bytes: [UInt8], path: String) -> RecommendationReading {
    let document: RecommendationDocument
    do {
      document = try RecommendationDocument(bytes: bytes, path: path)
    } catch {
      return .unusable("\(error)")
    }
    func text(_ key: String) -> String? {
      if case .text(let s)? = document[key] { return s }
      return nil
    }
    guard let status = text("status"), !status.isEmpty else { return .unusable("\(path): no status") }
    let tags: [String]
    switch document["tags"] {
    case .list(let items)?: tags = items
    case .text(let s)? where !s.isEmpty: tags = [s]
    default: tags = []
    }
    return .summary(
      RecommendationSummary(
        status: status, owner: text("owner") ?? "", source: text("source") ?? "", tags: tags,
        due: text("due").flatMap { CalendarDate($0) }))
  }
}

/// Reads and parses blobs on a second thread while the walk goes on (0.82x of `git log` instead
/// of 1.2x when read after it, measured on this project's benchmark, Benchmarks/README.md).
///
/// A blob is read from the packfiles by its own `PackReader` (`packs`, which shares the walk's
/// mapped files), and through its own libgit2 repository handle when that reader does not have
/// it (a `Repository` is not `Sendable`). `@unchecked Sendable` is sound here: every mutable
/// field is guarded by `condition`, and `packs` is used on the reading thread only.
final class BackgroundBlobReader: @unchecked Sendable {
  private let repositoryPath: String
  private let condition = NSCondition()
  private var queue: [(ObjectID, String)] = []
  private var closed = false
  private var finished = false
  private var results: [ObjectID: RecommendationReading] = [:]

  private let packs: PackReader?

  init(repositoryPath: String, packs: PackReader?) {
    self.repositoryPath = repositoryPath
    self.packs = packs
  }

  func start() {
    let thread = Thread { [self] in run() }
    thread.stackSize = 4 << 20
    thread.start()
  }

  /// Queues blobs to read (each once; the caller removes duplicates).
  func submit(_ items: [(ObjectID, String)]) {
    guard !items.isEmpty else { return }
    condition.lock()
    queue.append(contentsOf: items)
    condition.signal()
    condition.unlock()
  }

  /// Waits for every queued blob and returns what each gave.
  func finish() -> [ObjectID: RecommendationReading] {
    condition.lock()
    closed = true
    condition.broadcast()
    while !finished { condition.wait() }
    let out = results
    condition.unlock()
    return out
  }

  private func run() {
    var local: [ObjectID: RecommendationReading] = [:]
    let repository: Repository?
    let openError: String
    do {
      repository = try Repository(discoveringFrom: repositoryPath)
      openError = ""
    } catch {
      repository = nil
      openError = "\(error)"
    }
    while true {
      condition.lock()
      while queue.isEmpty && !closed { condition.wait() }
      let batch = queue
      queue.removeAll(keepingCapacity: true)
      let done = closed && batch.isEmpty
      condition.unlock()
      if done { break }
      for (blob, path) in batch {
        if let bytes = packs?.blob(blob) {
          local[blob] = RecommendationReading.read(bytes: bytes, path: path)
          continue
        }
        guard let repository else {
          local[blob] = .unusable(openError)
          continue
        }
        do {
          local[blob] = RecommendationReading.read(bytes: try repository.blob(blob), path: path)
        } catch {
          local[blob] = .unusable("\(path): \(error)")
        }
      }
    }
    condition.lock()
    results = local
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
