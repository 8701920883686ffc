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
  package var beforeBranchUpdate: (() -> Void)?
  /// `--override`: record a change the recording rules refuse, where rectrack.yml allows it.
  public var overrideRequested = false
  /// Tests turn the recording rules off to plant a change rectrack would refuse.
  package var enforceRules = true
  /// The committer date for a change by this author; nil (production): the real time now, or
  /// `GIT_COMMITTER_DATE`. Tests that build dated histories in-process set it.
  package var committerDate: ((_ author: Signature) -> (time: Int64, offset: Int))?

  public init(repo: TrackingRepository) { self.repo = repo }

  /// What a change does to one recommendation's document, and the message that describes it.
  public typealias Edit = (inout RecommendationDocument, Recommendation) throws(TrackingError) ->
    CommitMessage

  /// The landing every change of this recorder goes through (lock, compare-and-swap, working files).
  var landing: Landing {
    var l = Landing(repo: repo)
    l.maxAttempts = maxAttempts
    l.beforeBranchUpdate = beforeBranchUpdate
    return l
  }

  /// Changes the committed file of recommendation `id` with `edit` and commits it.
  public func change(id: String, author: Signature, edit: Edit) throws(TrackingError) -> RecordedChange {
    try TrackingRepository.refusePathLike(id)
    let landed = try landing.land(logMessage: "rectrack: change \(id)") {
      (parent, attempt) throws(TrackingError) -> Landing.Built<(String, CommitMessage)> in
      guard let parent else { throw .unknownID(id, suggestions: []) }
      // Only the one file is looked up by name, read and parsed; all are listed only to suggest
      // IDs when it is not there.
      let matching = try repo.versions(of: id, at: parent)
      guard let version = matching.first else {
        let all = try repo.versions(at: parent).versions
        throw .unknownID(id, suggestions: TrackingRepository.closest(to: id, among: all.map(\.id)))
      }
      if matching.count > 1 {
        throw .usage(
          "\(id) has more than one file (\(matching.map(\.path).joined(separator: ", "))); remove or rename one, then run again."
        )
      }
      // The one committed file, read and parsed once.
      var doc: RecommendationDocument
      do {
        doc = try RecommendationDocument(bytes: try repo.git.blob(version.blob), path: version.path)
      } catch {
        throw TrackingError.from(error)
      }
      let errors = doc.validate(expectedID: id, statuses: repo.workflow.statuses).filter {
        $0.severity == .error
      }
      guard errors.isEmpty else { throw .invalidFiles(errors) }
      let current: Recommendation
      do throws(FormatError) {
        current = try doc.recommendation(expectedID: id, statuses: repo.workflow.statuses)
      } catch {
        throw .invalidFile(error)
      }
      // A copy left one change behind by an interrupted rectrack run is brought up to date
      // by the landing (the commits hold every version); any other uncommitted edit is the user's.
      if attempt == 1, try dirty(current.file), repo.lag(at: current.file) == nil {
        throw .uncommittedEdits(path: current.file)
      }
      let edited = try edit(&doc, current)
      try checkValid(doc, id: id)
      let message = try checkRules(
        parent: parent, files: [(current.file, doc.text)], message: edited, author: author)
      let commit = try buildCommit(
        parent: parent, files: [(current.file, doc.text)], author: author, message: message)
      return Landing.Built(commit: commit, value: (current.file, message))
    }
    repo.rememberFolders()
    return RecordedChange(
      commit: landed.commit, path: landed.value.0, message: landed.value.1, attempts: landed.attempts)
  }

  /// Adds a new recommendation file at `path` and commits it.
  public func create(id: String, path: String, text: String, author: Signature, message: CommitMessage)
    throws(TrackingError) -> RecordedChange
  {
    let doc: RecommendationDocument
    do { doc = try RecommendationDocument(text: text, path: path) } catch { throw .invalidFile(error) }
    try checkValid(doc, id: id)
    let landed = try landing.land(logMessage: "rectrack: " + message.summary) {
      (parent, attempt) throws(TrackingError) -> Landing.Built<CommitMessage> in
      if let parent {
        if let same = try repo.versions(of: id, at: parent).first { throw .duplicateID(id, path: same.path) }
      }
      let message = try checkRules(
        parent: parent, files: [(path, doc.text)], message: message, author: author)
      do throws(GitError) { try repo.git.refuseDirectoryFileConflict(at: [path], inCommit: parent) } catch {
        throw .git(error)
      }
      if attempt == 1, let workdir = repo.workdir, FileManager.default.fileExists(atPath: workdir + path) {
        throw .io(
          "\(path) already exists in the working folder but is not committed. Move it away or commit it, then run again."
        )
      }
      return Landing.Built(
        commit: try buildCommit(parent: parent, files: [(path, doc.text)], author: author, message: message),
        value: message)
    }
    repo.rememberFolders()
    return RecordedChange(commit: landed.commit, path: path, message: landed.value, attempts: landed.attempts)
  }

  /// Commits arbitrary files (used by `init` for its starter files); same safety as above.
  public func commitFiles(_ files: [(path: String, text: String)], author: Signature, message: CommitMessage)
    throws(TrackingError) -> ObjectID
  {
    try landing.land(logMessage: "rectrack: " + message.summary) {
      (parent, _) throws(TrackingError) -> Landing.Built<Void> in
      let message = try checkRules(parent: parent, files: files, message: message, author: author)
      let commit = try buildCommit(parent: parent, files: files, author: author, message: message)
      return Landing.Built(commit: commit, value: ())
    }.commit
  }

  // MARK: Steps

  func dirty(_ path: String) throws(TrackingError) -> Bool {
    do { return try repo.git.hasUncommittedChanges(at: path) } catch { throw .git(error) }
  }

  func checkValid(_ doc: RecommendationDocument, id: String) throws(TrackingError) {
    let errors = doc.validate(expectedID: id, statuses: repo.workflow.statuses).filter {
      $0.severity == .error
    }
    if !errors.isEmpty { throw .invalidFiles(errors) }
  }

  /// The committer of a commit by `author` recorded now (`Signature.committer`, or the test
  /// clock `committerDate`).
  func committer(for author: Signature) throws(TrackingError) -> Signature {
    var committer = try Signature.committer(for: author, repository: repo.git)
    if let committerDate {
      (committer.time, committer.offsetMinutes) = committerDate(author)
    }
    return committer
  }

  /// One commit on `parent` (nil: the first) with `files` written into its tree; moves nothing.
  /// The committer is git's configured identity at the real time of recording (or
  /// `GIT_COMMITTER_DATE`): that is the date the record was made (docs/format.md §6), whatever
  /// the author date says.
  func buildCommit(
    parent: ObjectID?, files: [(path: String, text: String)], author: Signature, message: CommitMessage,
    on handle: Repository? = nil
  ) throws(TrackingError) -> ObjectID {
    let git = handle ?? repo.git
    let committer = try committer(for: author)
    do {
      var updates: [TreeUpdate] = []
      for f in files {
        updates.append(TreeUpdate(path: f.path, blob: try git.createBlob(Array(f.text.utf8))))
      }
      let baseTree = try parent.map { (p) throws(GitError) -> ObjectID in try git.commit(p).tree }
      let tree = try git.updatedTree(base: baseTree, updates: updates)
      return try git.createCommit(
        tree: tree, parents: parent.map { [$0] } ?? [], author: author, committer: committer,
        message: message.text)
    } catch {
      throw .git(error)
    }
  }
}

extension Signature {
  /// Parses `Name <email>`.
  public static func parse(_ text: String) -> (name: String, email: String)? {
    guard let lt = text.lastIndex(of: "<"), text.hasSuffix(">") else { return nil }
    let name = text[..<lt].trimmingWhitespace
    let email = String(text[text.index(after: lt)..<text.index(before: text.endIndex)]).trimmingWhitespace
    guard !name.isEmpty, email.contains("@"), !email.contains(" "), !name.contains("<"), !name.contains(">")
    else {
      return nil
    }
    return (name, email)
  }

  /// The instant to stamp on a new commit as its author date: now in the local time zone, or the
  /// date in `GIT_AUTHOR_DATE` (ISO 8601 with offset, or git's `@seconds +hhmm`), as git does.
  /// An author date in the future is refused: nobody records today what has not happened yet.
  public static func now(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(TrackingError)
    -> (time: Int64, offset: Int)
  {
    try date(from: "GIT_AUTHOR_DATE", environment: environment)
  }

  /// The committer date of a commit rectrack makes: the real time now, unless
  /// `GIT_COMMITTER_DATE` is given (as for git). Never the author date.
  public static func recordedNow(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(TrackingError) -> (time: Int64, offset: Int)
  {
    try date(from: "GIT_COMMITTER_DATE", environment: environment)
  }

  /// A committer for a commit by `author`: git's configured identity (or the author's) at
  /// `recordedNow()`.
  public static func committer(for author: Signature, repository: Repository) throws(TrackingError)
    -> Signature
  {
    let (time, offset) = try recordedNow()
    let configured: Signature?
    do { configured = try repository.defaultSignature() } catch { throw .git(error) }
    let who = configured ?? author
    return Signature(name: who.name, email: who.email, time: time, offsetMinutes: offset)
  }

  /// How far ahead of this computer's clock a given date may be (clocks of two machines differ).
  static let futureTolerance: Int64 = 5 * 60

  private static func date(from variable: String, environment: [String: String]) throws(TrackingError)
    -> (time: Int64, offset: Int)
  {
    let now = Date()
    let real = Int64(now.timeIntervalSince1970)
    if let text = environment[variable], !text.isEmpty {
      guard let parsed = parseDate(text) else {
        throw .usage(
          "\(variable) '\(text)' is not a date rectrack reads: use 2021-03-31T23:30:00-02:00 or '@1617233400 -0200'."
        )
      }
      if parsed.time > real + futureTolerance {
        throw .usage(
          "\(variable) '\(text)' is in the future; rectrack records what has happened. Unset it (unset \(variable)) to record the change now, or give the past moment it happened."
        )
      }
      return parsed
    }
    return (real, TimeZone.current.secondsFromGMT(for: now) / 60)
  }

  static func parseDate(_ text: String) -> (time: Int64, offset: Int)? {
    func offsetMinutes(_ s: Substring) -> Int? {
      let digits = s.dropFirst().filter { $0 != ":" }
      guard let sign = s.first, sign == "+" || sign == "-", digits.count == 4, let v = Int(digits) else {
        return nil
      }
      let m = (v / 100) * 60 + v % 100
      return sign == "-" ? -m : m
    }
    if text.hasPrefix("@") {
      let parts = text.dropFirst().split(separator: " ")
      guard parts.count == 2, let secs = Int64(parts[0]), let off = offsetMinutes(parts[1]) else {
        return nil
      }
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
    let found: Signature?
    do { found = try repository.defaultSignature() } catch { throw .git(error) }
    guard let configured = found else { throw .missingAuthor }
    return Signature(name: configured.name, email: configured.email, time: time, offsetMinutes: offset)
  }
}
