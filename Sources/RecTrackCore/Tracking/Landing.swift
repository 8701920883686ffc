import Foundation

/// The one way a rectrack command puts commits on a branch and brings the working folder along.
///
/// Every writer (`new`, `status`, `update`, `edit`, `import`, `init`, `sync`) lands through
/// `Landing.land`, so that all of them are safe and recoverable in the same way:
///
/// 1. under the clone's write lock (`.git/rectrack.lock`, refused when it cannot be taken), the
///    caller builds its commit or chain on the branch's tip (objects only: nothing a ref points at);
/// 2. every path the working folder would get is checked by `TreePath`, and no file may be
///    written through a symbolic link in the working folder: a hostile tree is refused whole,
///    before anything moves;
/// 3. the branch moves by compare-and-swap; if another writer moved it first, the caller builds
///    again on the new tip (up to `maxAttempts`);
/// 4. the working files change: removals first, then each file by a rename, so that none is ever
///    half-written; then the index entries of exactly those paths, in one index write.
///
/// A process killed anywhere leaves either nothing (before 3) or a branch that has the change
/// and a working folder one step behind it, which `rectrack validate` recognises
/// (`interruptedWork`) and repairs with one command that restores HEAD's version of each
/// path; it never touches a path this landing did not change.
public struct Landing {
  public let repo: TrackingRepository
  public var maxAttempts = 8
  /// Called after the commits are built and before the branch moves; tests use it to make a
  /// second writer win the race. Never set in production code.
  public var beforeBranchUpdate: (() -> Void)?

  /// Crash tests only: called with the name of each step as it completes ("objects", "branch",
  /// "file", "index"); the executable kills itself there when `RECTRACK_TEST_KILL_AT` says so.
  /// The library never sets it.
  nonisolated(unsafe) public static var stepHook: ((String) -> Void)?

  public init(repo: TrackingRepository) { self.repo = repo }

  /// What a build step made: the new tip and anything the caller wants back.
  public struct Built<Value> {
    public var commit: ObjectID
    public var value: Value
    public init(commit: ObjectID, value: Value) {
      self.commit = commit
      self.value = value
    }
  }

  /// Lands on `ref` (nil: the branch HEAD is on). `build(tip, attempt)` is called under the lock
  /// with the branch's current tip and returns the commit to move it to. `updateWorkingTree`:
  /// whether the working folder follows (false for a branch that is not checked out).
  /// `locked`: the caller already holds the write lock (sync holds it for the whole round).
  public func land<Value>(
    ref: String? = nil, updateWorkingTree: Bool = true, locked: Bool = false, logMessage: String,
    build: (_ tip: ObjectID?, _ attempt: Int) throws(TrackingError) -> Built<Value>
  ) throws(TrackingError) -> (value: Value, commit: ObjectID, attempts: Int) {
    if locked {
      return try landLocked(ref: ref, updateWorkingTree: updateWorkingTree, logMessage: logMessage, build)
    }
    return try TrackingRepository.withWriteLock(gitDir: repo.git.gitDir) {
      () throws(TrackingError) -> (value: Value, commit: ObjectID, attempts: Int) in
      try landLocked(ref: ref, updateWorkingTree: updateWorkingTree, logMessage: logMessage, build)
    }
  }

  private func landLocked<Value>(
    ref: String?, updateWorkingTree: Bool, logMessage: String,
    _ build: (_ tip: ObjectID?, _ attempt: Int) throws(TrackingError) -> Built<Value>
  ) throws(TrackingError) -> (value: Value, commit: ObjectID, attempts: Int) {
    for attempt in 1...maxAttempts {
      let (branch, tip) = try target(ref)
      let built = try build(tip, attempt)
      let changes: [TreeChange]
      do throws(GitError) {
        let oldTree = try tip.map { (c) throws(GitError) in try repo.git.commit(c).tree }
        let newTree = try repo.git.commit(built.commit).tree
        let follows = updateWorkingTree && repo.workdir != nil
        changes = follows ? try repo.git.changes(from: oldTree, to: newTree) : []
      } catch {
        throw .git(error)
      }
      try WorkingFolder(repo: repo).refuseUnsafe(changes)
      Self.stepHook?("objects")
      beforeBranchUpdate?()
      let moved: Bool
      do throws(GitError) {
        moved = try repo.git.compareAndSwapBranch(
          branch, to: built.commit, expected: tip, logMessage: logMessage)
      } catch {
        throw .git(error)
      }
      guard moved else { continue }
      Self.stepHook?("branch")
      try WorkingFolder(repo: repo).apply(changes)
      return (built.value, built.commit, attempt)
    }
    throw gaveUp()
  }

  /// The branch to move and its tip.
  private func target(_ ref: String?) throws(TrackingError) -> (branch: String, tip: ObjectID?) {
    do {
      if let ref { return (ref, try repo.git.resolve(ref)) }
      switch try repo.git.head() {
      case .unborn(let b): return (b, nil)
      case .branch(let b, let c): return (b, c)
      case .detached: throw TrackingError.detachedHead
      }
    } catch {
      throw TrackingError.from(error)
    }
  }

  /// Why the branch never moved: a lock left by an interrupted command (which no retry can
  /// get past), or other writers that kept winning.
  func gaveUp() -> TrackingError {
    if case .branch(let name, _)? = try? repo.git.head() {
      let lock = repo.git.gitDir + name + ".lock"
      if FileManager.default.fileExists(atPath: lock) {
        return .io(
          "\(name) is locked by \(lock), left by an interrupted git or rectrack command; nothing was recorded. If no git or rectrack command is running, remove it (rm -f '\(lock)') and run again."
        )
      }
    }
    return .raceLost(attempts: maxAttempts)
  }
}

/// The working folder and index as a landing changes them.
struct WorkingFolder {
  let repo: TrackingRepository

  /// Refuses, before anything moves, a change set that would write a path `TreePath` refuses or
  /// write through a symbolic link that is in the working folder and stays there.
  func refuseUnsafe(_ changes: [TreeChange]) throws(TrackingError) {
    for c in changes {
      if let problem = TreePath.problem(c.path) {
        throw .unsafeTree(path: c.path, problem: problem)
      }
    }
    guard let workdir = repo.workdir else { return }
    let removed = Set(changes.filter { $0.new == nil }.map(\.path))
    for c in changes where c.new != nil {
      var prefix = ""
      for part in c.path.split(separator: "/").dropLast() {
        prefix += (prefix.isEmpty ? "" : "/") + part
        var st = stat()
        guard lstat(workdir + prefix, &st) == 0 else { break }
        if st.st_mode & S_IFMT == S_IFLNK && !removed.contains(prefix) {
          throw .unsafeTree(
            path: c.path,
            problem:
              "\(prefix) is a symbolic link in the working folder, and the file would be written through it")
        }
      }
    }
  }

  /// Removes, then writes, the changed working files; then updates their index entries.
  func apply(_ changes: [TreeChange]) throws(TrackingError) {
    guard let workdir = repo.workdir, !changes.isEmpty else { return }
    let fm = FileManager.default
    // Removals first (deepest first), so that a link or file replaced by a folder is out of the way.
    for c in changes.filter({ $0.new == nil }).sorted(by: { $0.path > $1.path }) {
      let full = workdir + c.path
      var st = stat()
      if lstat(full, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
        guard unlink(full) == 0 else {
          throw .io(
            "the change was recorded, but \(c.path) could not be removed from the working folder (\(String(cString: strerror(errno)))). Run 'rectrack validate' to see how to finish it."
          )
        }
        Landing.stepHook?("file")
      }
      // Folders left empty go too, as git does; a folder with other files stays.
      var dir = (c.path as NSString).deletingLastPathComponent
      while !dir.isEmpty, rmdir(workdir + dir) == 0 { dir = (dir as NSString).deletingLastPathComponent }
    }
    for c in changes where c.new != nil {
      let entry = c.new!
      let full = workdir + c.path
      do {
        try fm.createDirectory(
          at: URL(fileURLWithPath: full).deletingLastPathComponent(), withIntermediateDirectories: true)
        if entry.isSymlink {
          try AtomicFile.link(to: String(decoding: try repo.git.blob(entry.id), as: UTF8.self), at: full)
        } else if entry.isBlob {
          let mode: mode_t = entry.mode == 0o100755 ? 0o755 : 0o644
          try AtomicFile.write(try repo.git.blob(entry.id), to: full, mode: mode)
        } else {
          continue  // a submodule: git's business, not rectrack's
        }
      } catch let e as TrackingError {
        throw .io(
          "the change was recorded, but \(c.path) could not be written in the working folder (\(e)). Run 'rectrack validate' to see how to finish it."
        )
      } catch {
        throw .io(
          "the change was recorded, but \(c.path) could not be written in the working folder (\(error.localizedDescription)). Run 'rectrack validate' to see how to finish it."
        )
      }
      Landing.stepHook?("file")
    }
    try updateIndex(changes)
    Landing.stepHook?("index")
  }

  /// Sets the index entries of the changed paths to what the tree has (removals first, so a
  /// link replaced by a folder leaves no stale entry), retrying while git's index is locked.
  private func updateIndex(_ changes: [TreeChange]) throws(TrackingError) {
    var lastError: GitError?
    for _ in 0..<50 {
      do {
        try repo.git.updateIndex(
          removing: changes.filter { $0.new == nil }.map(\.path),
          adding: changes.filter { $0.new.map { $0.isBlob || $0.isSymlink } ?? false }.map(\.path))
        return
      } catch {
        guard error.isLocked else { throw .git(error) }
        lastError = error
        usleep(20_000)
      }
    }
    throw .io(
      "the change was recorded and the working files are up to date, but git's index stayed locked (\(lastError?.message ?? "")). If no git command is running, remove .git/index.lock, then run 'rectrack validate' to see how to finish it."
    )
  }
}

extension TrackingRepository {
  /// Runs `body` holding the exclusive `flock` on `.git/rectrack.lock` that every rectrack writer
  /// of this clone takes, so that no change is recorded halfway through another (the kernel
  /// releases it if the process dies). A lock that cannot be taken (a folder or an unreadable
  /// file at that path, a read-only repository) is refused: writing without it could lose a
  /// colleague's change made at the same moment.
  static func withWriteLock<T>(gitDir: String, _ body: () throws(TrackingError) -> T)
    throws(TrackingError) -> T
  {
    let path = gitDir + "rectrack.lock"
    let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .lockUnusable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var rc: Int32
    repeat { rc = flock(fd, LOCK_EX) } while rc != 0 && errno == EINTR
    guard rc == 0 else { throw .lockUnusable(path: path, reason: String(cString: strerror(errno))) }
    defer { flock(fd, LOCK_UN) }
    return try body()
  }
}
