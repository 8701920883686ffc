import Foundation

/// A change that landed: the new commit and what it says.
public struct RecordedChange: Sendable {
  public var commit: ObjectID
  public var path: String
  public var message: CommitMessage
  /// How many times the change was rebuilt because another writer moved the branch first.
  public var attempts: Int
}

/// Records changes to recommendations as commits, safely.
///
/// Each change is built from HEAD's tree with only the changed blob, so whatever the user has
/// staged stays staged and is not swept in. The branch moves only if it still points at the
/// commit the change was built on (compare-and-swap); if another writer got there first, the
/// change is rebuilt on top of theirs. Writers in the same clone also take an `flock` on
/// `.git/rectrack.lock`, which the kernel releases even if the process is killed. Only after the
/// branch has moved are the working file and its index entry updated, so `git status` stays clean.
public final class Recorder {
  public let repo: TrackingRepository
  public var maxAttempts = 8
  /// Called after a commit is built and before the branch is moved; tests use it to make a second
  /// writer win the race. Never set in production code.
  public var beforeBranchUpdate: (() -> Void)?

  public init(repo: TrackingRepository) { self.repo = repo }

  /// What a change does to one recommendation's document, and the message that describes it.
  public typealias Edit = (inout RecommendationDocument, Recommendation) throws(TrackingError) -> CommitMessage

  /// Changes the committed file of recommendation `id` with `edit` and commits it.
  public func change(id: String, author: Signature, edit: Edit) throws(TrackingError) -> RecordedChange {
    try TrackingRepository.refusePathLike(id)
    return try withLock { () throws(TrackingError) -> RecordedChange in
      for attempt in 1...maxAttempts {
        let (branch, parent) = try branchAndTip()
        guard let parent else { throw .unknownID(id, suggestions: []) }
        // Only the one file is read and parsed: the tree listing is enough to find it.
        let versions = try repo.versions(at: parent).versions
        let matching = versions.filter { $0.id == id }.sorted { $0.path < $1.path }
        guard let version = matching.first else {
          throw .unknownID(id, suggestions: TrackingRepository.closest(to: id, among: versions.map(\.id)))
        }
        if matching.count > 1 {
          throw .usage(
            "\(id) has more than one file (\(matching.map(\.path).joined(separator: ", "))); remove or rename one, then run again.")
        }
        // The one committed file, read and parsed once.
        var doc: RecommendationDocument
        do {
          doc = try RecommendationDocument(bytes: try repo.git.blob(version.blob), path: version.path)
        } catch {
          throw TrackingError.from(error)
        }
        let errors = doc.validate(expectedID: id, statuses: repo.workflow.statuses).filter { $0.severity == .error }
        guard errors.isEmpty else { throw .invalidFiles(errors) }
        let current: Recommendation
        do throws(FormatError) {
          current = try doc.recommendation(expectedID: id, statuses: repo.workflow.statuses)
        } catch {
          throw .invalidFile(error)
        }
        // A copy left one change behind by an interrupted rectrack run is brought up to date
        // below (the commits hold every version); any other uncommitted edit is the user's.
        if attempt == 1, try dirty(current.file), repo.lag(at: current.file) == nil {
          throw .uncommittedEdits(path: current.file)
        }
        let message = try edit(&doc, current)
        try checkValid(doc, id: id)
        if let commit = try commitIfUnchanged(
          branch: branch, parent: parent, path: current.file, text: doc.text, author: author, message: message)
        {
          try updateWorkingFile(current.file, text: doc.text)
          return RecordedChange(commit: commit, path: current.file, message: message, attempts: attempt)
        }
      }
      throw gaveUp()
    }
  }

  /// Adds a new recommendation file at `path` and commits it.
  public func create(id: String, path: String, text: String, author: Signature, message: CommitMessage)
    throws(TrackingError) -> RecordedChange
  {
    let doc: RecommendationDocument
    do { doc = try RecommendationDocument(text: text, path: path) } catch { throw .invalidFile(error) }
    try checkValid(doc, id: id)
    return try withLock { () throws(TrackingError) -> RecordedChange in
      if let workdir = repo.workdir, FileManager.default.fileExists(atPath: workdir + path) {
        // Committed already: say so (a new recommendation with a taken ID), not "not committed".
        if let (_, parent) = try? branchAndTip(), let parent,
          let same = try? repo.versions(at: parent).versions.first(where: { $0.id == id })
        {
          throw .duplicateID(id, path: same.path)
        }
        throw .io("\(path) already exists in the working folder but is not committed. Move it away or commit it, then run again.")
      }
      for attempt in 1...maxAttempts {
        let (branch, parent) = try branchAndTip()
        if let parent {
          let existing = try repo.versions(at: parent).versions
          if let same = existing.first(where: { $0.id == id }) { throw .duplicateID(id, path: same.path) }
        }
        if let commit = try commitIfUnchanged(
          branch: branch, parent: parent, path: path, text: doc.text, author: author, message: message)
        {
          try updateWorkingFile(path, text: doc.text)
          return RecordedChange(commit: commit, path: path, message: message, attempts: attempt)
        }
      }
      throw gaveUp()
    }
  }

  /// Commits arbitrary files (used by `init` for its starter files); same safety as above.
  public func commitFiles(_ files: [(path: String, text: String)], author: Signature, message: CommitMessage)
    throws(TrackingError) -> ObjectID
  {
    try withLock { () throws(TrackingError) -> ObjectID in
      for _ in 1...maxAttempts {
        let (branch, parent) = try branchAndTip()
        if let c = try commit(branch: branch, parent: parent, files: files, author: author, message: message) {
          for f in files { try writeWorkingFile(f.path, text: f.text) }
          try refreshIndex(files.map(\.path))
          return c
        }
      }
      throw gaveUp()
    }
  }

  // MARK: Steps

  /// Why the branch never moved: a lock left by an interrupted command (which no retry can
  /// get past), or other writers that kept winning.
  func gaveUp() -> TrackingError {
    if case .branch(let name, _)? = try? repo.git.head() {
      let lock = repo.git.gitDir + name + ".lock"
      if FileManager.default.fileExists(atPath: lock) {
        return .io(
          "\(name) is locked by \(lock), left by an interrupted git or rectrack command; nothing was recorded. If no git or rectrack command is running, remove it (rm -f '\(lock)') and run again.")
      }
    }
    return .raceLost(attempts: maxAttempts)
  }

  func branchAndTip() throws(TrackingError) -> (branch: String, tip: ObjectID?) {
    do {
      switch try repo.git.head() {
      case .unborn(let b): return (b, nil)
      case .branch(let b, let c): return (b, c)
      case .detached: throw TrackingError.detachedHead
      }
    } catch {
      throw TrackingError.from(error)
    }
  }

  func dirty(_ path: String) throws(TrackingError) -> Bool {
    do { return try repo.git.hasUncommittedChanges(at: path) } catch { throw .git(error) }
  }

  func checkValid(_ doc: RecommendationDocument, id: String) throws(TrackingError) {
    let errors = doc.validate(expectedID: id, statuses: repo.workflow.statuses).filter { $0.severity == .error }
    if !errors.isEmpty { throw .invalidFiles(errors) }
  }

  private func commitIfUnchanged(
    branch: String, parent: ObjectID?, path: String, text: String, author: Signature, message: CommitMessage
  ) throws(TrackingError) -> ObjectID? {
    try commit(branch: branch, parent: parent, files: [(path, text)], author: author, message: message)
  }

  private func commit(
    branch: String, parent: ObjectID?, files: [(path: String, text: String)], author: Signature, message: CommitMessage
  ) throws(TrackingError) -> ObjectID? {
    do {
      var updates: [TreeUpdate] = []
      for f in files {
        updates.append(TreeUpdate(path: f.path, blob: try repo.git.createBlob(Array(f.text.utf8))))
      }
      let baseTree = try parent.map { (p) throws(GitError) -> ObjectID in try repo.git.commit(p).tree }
      let tree = try repo.git.updatedTree(base: baseTree, updates: updates)
      let committer = repo.git.defaultSignature().map {
        Signature(name: $0.name, email: $0.email, time: author.time, offsetMinutes: author.offsetMinutes)
      } ?? author
      let commit = try repo.git.createCommit(
        tree: tree, parents: parent.map { [$0] } ?? [], author: author, committer: committer, message: message.text)
      beforeBranchUpdate?()
      let moved = try repo.git.compareAndSwapBranch(
        branch, to: commit, expected: parent, logMessage: "rectrack: " + message.summary)
      return moved ? commit : nil
    } catch {
      throw .git(error)
    }
  }

  func updateWorkingFile(_ path: String, text: String) throws(TrackingError) {
    guard repo.workdir != nil else { return }
    try writeWorkingFile(path, text: text)
    try refreshIndex([path])
  }

  func writeWorkingFile(_ path: String, text: String) throws(TrackingError) {
    guard let workdir = repo.workdir else { return }
    let url = URL(fileURLWithPath: workdir + path)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try AtomicFile.write(Array(text.utf8), to: url.path)
    } catch {
      throw .io(
        "the change was committed, but \(path) could not be written in the working folder (\(error.localizedDescription)). Run 'git checkout -- \(path)' to bring it up to date.")
    }
  }

  func refreshIndex(_ paths: [String]) throws(TrackingError) {
    var lastError: GitError?
    for _ in 0..<50 {
      do {
        try repo.git.refreshIndex(paths: paths)
        return
      } catch {
        guard error.isLocked else { throw .git(error) }
        lastError = error
        usleep(20_000)
      }
    }
    // Only the recorded files are reset to the new commit, so work the user staged is kept.
    let files = paths.map { "'\($0)'" }.joined(separator: " ")
    throw .io(
      "the change was committed, but git's index stayed locked (\(lastError?.message ?? "")). If no git command "
        + "is running, remove .git/index.lock and run 'git reset -q -- \(files)' (this updates only "
        + "\(paths.count == 1 ? "that file's" : "those files'") entry; anything else you staged stays staged).")
  }

  /// Runs `body` holding an exclusive `flock` on `.git/rectrack.lock` (released by the kernel even
  /// when the process dies, so a crash never leaves a stale lock).
  func withLock<T>(_ body: () throws(TrackingError) -> T) throws(TrackingError) -> T {
    let lockPath = repo.git.gitDir + "rectrack.lock"
    let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return try body() }  // read-only repository: CAS alone still protects the branch
    defer { close(fd) }
    flock(fd, LOCK_EX)
    defer { flock(fd, LOCK_UN) }
    return try body()
  }
}

extension Signature {
  /// Parses `Name <email>`.
  public static func parse(_ text: String) -> (name: String, email: String)? {
    guard let lt = text.lastIndex(of: "<"), text.hasSuffix(">") else { return nil }
    let name = text[..<lt].trimmingWhitespace
    let email = String(text[text.index(after: lt)..<text.index(before: text.endIndex)]).trimmingWhitespace
    guard !name.isEmpty, email.contains("@"), !email.contains(" "), !name.contains("<"), !name.contains(">") else {
      return nil
    }
    return (name, email)
  }

  /// The instant to stamp on a new commit: now in the local time zone, or the date in
  /// `GIT_AUTHOR_DATE` (ISO 8601 with offset, or git's `@seconds +hhmm`), as git does.
  public static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws(TrackingError)
    -> (time: Int64, offset: Int)
  {
    if let text = environment["GIT_AUTHOR_DATE"], !text.isEmpty {
      guard let parsed = parseDate(text) else {
        throw .usage(
          "GIT_AUTHOR_DATE '\(text)' is not a date rectrack reads: use 2021-03-31T23:30:00-02:00 or '@1617233400 -0200'.")
      }
      return parsed
    }
    let now = Date()
    return (Int64(now.timeIntervalSince1970), TimeZone.current.secondsFromGMT(for: now) / 60)
  }

  static func parseDate(_ text: String) -> (time: Int64, offset: Int)? {
    func offsetMinutes(_ s: Substring) -> Int? {
      let digits = s.dropFirst().filter { $0 != ":" }
      guard let sign = s.first, sign == "+" || sign == "-", digits.count == 4, let v = Int(digits) else { return nil }
      let m = (v / 100) * 60 + v % 100
      return sign == "-" ? -m : m
    }
    if text.hasPrefix("@") {
      let parts = text.dropFirst().split(separator: " ")
      guard parts.count == 2, let secs = Int64(parts[0]), let off = offsetMinutes(parts[1]) else { return nil }
      return (secs, off)
    }
    // YYYY-MM-DDTHH:MM:SS±HH:MM
    guard text.count == 25, let date = CalendarDate(text.prefix(10)) else { return nil }
    let t = Array(text)
    guard t[10] == "T", t[13] == ":", t[16] == ":",
      let h = Int(String(t[11...12])), let mi = Int(String(t[14...15])), let s = Int(String(t[17...18])),
      let off = offsetMinutes(Substring(String(t[19...])))
    else { return nil }
    let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    return (local - Int64(off) * 60, off)
  }

  /// The author of a change: `--author` when given, else git's configured identity.
  public static func author(_ option: String?, repository: Repository) throws(TrackingError) -> Signature {
    let (time, offset) = try now()
    if let option {
      guard let (name, email) = parse(option) else { throw .badAuthor(option) }
      return Signature(name: name, email: email, time: time, offsetMinutes: offset)
    }
    guard let configured = repository.defaultSignature() else { throw .missingAuthor }
    return Signature(name: configured.name, email: configured.email, time: time, offsetMinutes: offset)
  }
}
