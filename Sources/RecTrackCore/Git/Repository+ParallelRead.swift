import Foundation

extension Repository {
  /// `body(i, bytes)` for each blob `ids[i]`, answers in the order of `ids`, computed on this
  /// thread and, when `helper` is true, on one more thread with its own handle on the same
  /// repository (a `Repository` belongs to one thread). Both take the next few ids from a shared
  /// counter, so neighbouring ids (which share delta bases in a pack) are mostly read by the same
  /// handle, and a thread the machine gives less time to simply takes fewer.
  ///
  /// Every failure is this handle's own: a blob the helper could not read (or a helper that could
  /// not open the repository) is read again here, so the answers, errors included, are those of a
  /// plain loop over `ids` with `blob(_:)`. `HEAD` reads of 5,000 files take about half the time
  /// on two cores (Benchmarks/README.md).
  ///
  /// Packed blobs are read by a `PackReader` per thread (sharing one mapping of the packs), and
  /// only the rest through libgit2: two threads asking libgit2 wait for each other on its pack
  /// locks.
  package func mapBlobs<T: Sendable>(
    _ ids: [ObjectID], helper: Bool = Repository.helpsReading, _ body: @escaping @Sendable (Int, [UInt8]) -> T
  ) -> [Result<T, GitError>] {
    let work = BlobWork<T>(ids: ids, body: body)
    // A few dozen files are read before a thread would have started (or the packs mapped).
    let many = ids.count >= 2 * BlobWork<T>.chunk
    let packs = many ? PackReader(self) : nil
    let helped = helper && many
    let finished = DispatchSemaphore(value: 0)
    if helped {
      let path = workdir ?? gitDir
      let theirs = UncheckedBox(packs?.sibling())
      let thread = Thread {
        if let other = try? Repository(discoveringFrom: path) {
          work.run(other, packs: theirs.value, keepingFailures: false)
        }
        finished.signal()
      }
      // As much stack as the main thread's: the parser may meet any file here.
      thread.stackSize = 8 << 20
      thread.start()
    }
    work.run(self, packs: packs, keepingFailures: true)
    if helped { finished.wait() }
    return work.results(completingWith: self)
  }

  /// Whether `mapBlobs` uses a second thread by default: only with more than one core.
  package static let helpsReading = ProcessInfo.processInfo.activeProcessorCount > 1
}

/// The shared state of one `mapBlobs`. `@unchecked Sendable` is sound: `next` is only touched
/// under `lock`; each slot of `slots` is written by the one thread that took its index, and read
/// only after the helper has signalled that it finished (or was never started).
private final class BlobWork<T: Sendable>: @unchecked Sendable {
  static var chunk: Int { 16 }

  let ids: [ObjectID]
  let body: @Sendable (Int, [UInt8]) -> T
  private let lock = NSLock()
  private var next = 0
  private let slots: UnsafeMutableBufferPointer<Result<T, GitError>?>

  init(ids: [ObjectID], body: @escaping @Sendable (Int, [UInt8]) -> T) {
    self.ids = ids
    self.body = body
    slots = .allocate(capacity: ids.count)
    slots.initialize(repeating: nil)
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  /// Takes chunks of ids until none are left. Only the caller's own handle keeps failures
  /// (`keepingFailures`); the helper leaves them to it.
  func run(_ repository: Repository, packs: PackReader?, keepingFailures: Bool) {
    while let range = take() {
      for i in range {
        if let bytes = packs?.blob(ids[i]) {
          slots[i] = .success(body(i, bytes))
          continue
        }
        do throws(GitError) {
          slots[i] = .success(body(i, try repository.blob(ids[i])))
        } catch {
          if keepingFailures { slots[i] = .failure(error) }
        }
      }
    }
  }

  private func take() -> Range<Int>? {
    lock.lock()
    defer { lock.unlock() }
    guard next < ids.count else { return nil }
    let start = next
    next = min(ids.count, next + Self.chunk)
    return start..<next
  }

  /// Every answer in order; slots the helper left are computed with `repository` now.
  func results(completingWith repository: Repository) -> [Result<T, GitError>] {
    slots.indices.map { (i) -> Result<T, GitError> in
      if let done = slots[i] { return done }
      do throws(GitError) {
        return .success(body(i, try repository.blob(ids[i])))
      } catch {
        return .failure(error)
      }
    }
  }
}

/// A value handed to the one thread that uses it from then on (`mapBlobs`' helper gets its own
/// `PackReader`, which is not `Sendable` because it must not be shared).
private struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
