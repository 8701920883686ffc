import Foundation

/// One recommendation file at one point in history: its ID, where it is, which blob.
public struct FileVersion: Sendable, Hashable {
  public var id: String
  public var path: String
  public var blob: ObjectID

  public init(id: String, path: String, blob: ObjectID) {
    self.id = id
    self.path = path
    self.blob = blob
  }
}

/// The recommendations of one state of the repository, parsed, with the problems met on the way.
public struct Catalog: Sendable {
  /// Every recommendation whose file could be read, sorted by ID: the valid ones, and the
  /// invalid ones that still name a known status (their errors are in `problems`).
  public var recommendations: [Recommendation]
  /// Files that did not parse or are invalid (errors), and lesser remarks (warnings).
  public var problems: [FormatError]

  public func recommendation(_ id: String) -> Recommendation? {
    recommendations.first { $0.id == id }
  }

  /// The errors found in the file of `id` (empty when it is valid).
  public func errors(of id: String) -> [FormatError] {
    problems.filter { $0.severity == .error && TrackingRepository.id(ofPath: $0.path) == id }
  }
}

/// A git repository used as a tracking repository: where the files are, the settings, and
/// the committed state of the recommendations.
///
/// Reads go to committed trees (HEAD or a history snapshot), never the working files, so a
/// report is the same on a clone, a bare server copy and a laptop with half-made edits.
public final class TrackingRepository {
  public static let folder = RecommendationPath.folder
  public static let templatesFolder = "Templates"

  public let git: Repository
  /// Settings as committed at HEAD (defaults when there is no `rectrack.yml`).
  public private(set) var settings: Settings

  public var workflow: Workflow { settings.workflow }

  /// The folders `versions(of:at:)` has read, remembered for the next command
  /// (`rememberFolders()` writes them).
  lazy var folderNames = FolderNames(git)

  /// Opens the repository containing `path`.
  public init(at path: String) throws(TrackingError) {
    do {
      git = try Repository(discoveringFrom: path)
    } catch {
      var isFolder: ObjCBool = false
      if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        throw .usage(
          "there is no folder \(path). Give the folder of a tracking repository (the one holding Recommendations/)."
        )
      }
      if !isFolder.boolValue {
        throw .usage(
          "\(path) is a file, not a folder. Give the folder of a tracking repository (the one holding "
            + "Recommendations/), e.g. --repo ~/recommendations.")
      }
      // libgit2 1.5 reports a repository of another user as not found when no safe.directory is set.
      var info = stat()
      if error.isNotFound, stat(path + "/.git", &info) == 0, info.st_uid != geteuid() {
        throw .git(GitError.notOwned(path))
      }
      if error.isNotFound { throw .notARepository(path) }
      throw .git(error)
    }
    settings = Settings()
    settings = try loadSettings()
  }

  public init(repository: Repository) throws(TrackingError) {
    git = repository
    settings = Settings()
    settings = try loadSettings()
  }

  /// The repository read as recorded at `commit` (docs/format.md §6): files, settings and templates
  /// come from that commit instead of HEAD; nil reads as a repository with no commit yet.
  public init(repository: Repository, pinnedAt commit: ObjectID?) throws(TrackingError) {
    git = repository
    pinned = .some(commit)
    settings = Settings()
    settings = try loadSettings()
  }

  /// The commit reads use when not HEAD's (`init(repository:pinnedAt:)`).
  private var pinned: ObjectID?? = nil

  /// The commit every read of this value comes from: HEAD's, or the pinned one (nil: none).
  public var recordedAt: ObjectID? {
    get throws(TrackingError) { try headCommit() }
  }

  /// The working tree folder (with a trailing slash) or nil when bare.
  public var workdir: String? { git.workdir }

  func headCommit() throws(TrackingError) -> ObjectID? {
    if let pinned { return pinned }
    do { return try git.head().commit } catch { throw .git(error) }
  }

  private func loadSettings() throws(TrackingError) -> Settings {
    guard let head = try headCommit() else { return Settings() }
    do {
      let tree = try git.commit(head).tree
      guard let e = try git.entry(at: Settings.fileName, inTree: tree), e.isBlob else { return Settings() }
      let text = String(decoding: try git.blob(e.id), as: UTF8.self)
      return try Settings(yaml: text)
    } catch {
      throw TrackingError.from(error)
    }
  }

  /// The recommendation files of a commit's tree (HEAD when nil), keyed by ID, plus warnings for
  /// entries that are not recommendation files (symbolic links, other file types).
  public func versions(at commit: ObjectID? = nil) throws(TrackingError) -> (
    versions: [FileVersion], problems: [FormatError]
  ) {
    let start: ObjectID? = if let commit { commit } else { try headCommit() }
    guard let c = start else { return ([], []) }
    do throws(GitError) {
      let tree = try git.commit(c).tree
      var out: [FileVersion] = []
      var problems: [FormatError] = []
      for (path, entry) in try git.files(
        under: Self.folder, inTree: tree, maxDepth: RecommendationPath.maxFolderDepth)
      {
        if let unsafe = TreePath.problem(path) {
          problems.append(
            FormatError(
              path: path, line: 1, column: 1, severity: .error,
              message: "this entry of the committed tree is not a safe path (\(unsafe)); rectrack ignores it",
              hint:
                "someone made this commit by hand; remove the entry with git and tell whoever administers the server",
              sourceLine: nil))
          continue
        }
        // One rule for what counts (`RecommendationPath`), as in the history walk and the
        // audit, so that reports of HEAD and of any past day agree.
        let id: String
        switch RecommendationPath.classify(path: path, mode: entry.mode) {
        case .recommendation(let found): id = found
        case let kind:
          if let warning = FormatError.notCounted(path, kind) { problems.append(warning) }
          continue
        }
        out.append(FileVersion(id: id, path: path, blob: entry.id))
      }
      return (out, problems)
    } catch {
      throw .git(error)
    }
  }

  /// The ID a path stands for: the file name without `.yml`.
  public static func id(ofPath path: String) -> String {
    // An ASCII path reads the same as bytes and as characters: its last non-empty component,
    // without splitting the whole path (the audit asks for every changed file).
    var bytes = path
    if let ascii = bytes.withUTF8({ u -> String? in
      guard u.allSatisfy({ $0 < 0x80 }) else { return nil }
      var end = u.count
      while end > 0, u[end - 1] == 0x2F { end -= 1 }
      guard end > 0 else { return nil }  // no component: the general way below
      var start = end
      while start > 0, u[start - 1] != 0x2F { start -= 1 }
      let n = end - start
      let yml = n >= 4 && u[end - 4] == 0x2E && u[end - 3] == 0x79 && u[end - 2] == 0x6D && u[end - 1] == 0x6C
      return String(decoding: UnsafeBufferPointer(rebasing: u[start..<(yml ? end - 4 : end)]), as: UTF8.self)
    }) {
      return ascii
    }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return name.hasSuffix(".yml") ? String(name.dropLast(4)) : name
  }

  /// Refuses an ID that reads as a path (`../x`, `a/b`): IDs are looked up, never joined onto a
  /// folder, but saying so plainly beats "no such recommendation" for what may be an attack.
  public static func refusePathLike(_ id: String) throws(TrackingError) {
    if id.contains("/") || id.contains("..") || id.contains("\\") || id.contains("\0") {
      throw .invalidID(id)
    }
  }

  /// True when `id` has the shape of docs/format.md §1.
  public static func isValidID(_ id: String) -> Bool { Recommendation.isValidID(id) }

  /// Parses file versions into a catalog, in the order of their paths: a later file with an ID
  /// already met is named as a duplicate and not read. The files are read and parsed on two
  /// threads when there are many (`Repository.mapBlobs`); the answer, warnings and errors
  /// included, is the one reading them one by one gives (`helper: false`, which tests compare).
  public func catalog(_ versions: [FileVersion], extraProblems: [FormatError] = []) throws(TrackingError)
    -> Catalog
  {
    try catalog(versions, extraProblems: extraProblems, helper: Repository.helpsReading)
  }

  package func catalog(_ versions: [FileVersion], extraProblems: [FormatError], helper: Bool)
    throws(TrackingError) -> Catalog
  {
    // What each file is, in path order: the first with its ID is read, a later one is a duplicate.
    enum Step {
      case read(Int)
      case duplicate(FormatError)
    }
    var steps: [Step] = []
    var reads: [FileVersion] = []
    var seen: [String: String] = [:]
    // `versions(at:)` lists them in path order already: then they are not copied to be sorted.
    let inOrder = zip(versions, versions.dropFirst()).allSatisfy { $0.path <= $1.path }
    for v in inOrder ? versions : versions.sorted(by: { $0.path < $1.path }) {
      if let other = seen[v.id] {
        steps.append(
          .duplicate(
            FormatError(
              path: v.path, line: 1, column: 1, severity: .error,
              message: "the ID \(v.id) is already used by \(other)",
              hint: "IDs must be unique across all sub-folders; rename one of the files and its id line",
              sourceLine: nil)))
        continue
      }
      seen[v.id] = v.path
      steps.append(.read(reads.count))
      reads.append(v)
    }
    let statuses = workflow.statuses
    let files = reads
    let readings = git.mapBlobs(files.map(\.blob), helper: helper) { i, bytes in
      FileReading(bytes, of: files[i], statuses: statuses)
    }
    var recs: [Recommendation] = []
    recs.reserveCapacity(reads.count)
    var problems = extraProblems
    for step in steps {
      switch step {
      case .duplicate(let error): problems.append(error)
      case .read(let i):
        // The first file that cannot be read stops the catalog, as reading in order would.
        let reading: FileReading
        switch readings[i] {
        case .success(let r): reading = r
        case .failure(let error): throw .git(error)
        }
        problems += reading.problems
        if let r = reading.recommendation { recs.append(r) }
      }
    }
    recs.sort { $0.id < $1.id }  // in place: 5,000 recommendations are not copied for it
    return Catalog(recommendations: recs, problems: problems)
  }

  /// The committed state at HEAD.
  public func headCatalog() throws(TrackingError) -> Catalog {
    let (v, p) = try versions()
    return try catalog(v, extraProblems: p)
  }

  /// The recommendation `id` in `catalog`, or `unknownID` with the closest IDs as suggestions.
  public static func find(_ id: String, in catalog: Catalog) throws(TrackingError) -> Recommendation {
    try refusePathLike(id)
    if let r = catalog.recommendation(id) { return r }
    if let r = catalog.recommendation(id.uppercased()) { return r }
    if let broken = catalog.problems.first(where: { $0.severity == .error && Self.id(ofPath: $0.path) == id })
    {
      throw .invalidFile(broken)
    }
    throw .unknownID(id, suggestions: closest(to: id, among: catalog.recommendations.map(\.id)))
  }

  /// Up to three IDs nearest to `id` by edit distance (case-insensitive).
  public static func closest(to id: String, among ids: [String]) -> [String] {
    let target = Array(id.uppercased().unicodeScalars)
    let scored = ids.map { candidate -> (String, Int) in
      (candidate, editDistance(target, Array(candidate.unicodeScalars)))
    }
    let limit = max(2, target.count / 2)
    return scored.filter { $0.1 <= limit }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
  }

  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = prev
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return prev[b.count]
  }

  /// Paths under `Recommendations/` with uncommitted changes (for the warning of docs/format.md §8).
  public func uncommittedRecommendationPaths() -> [String] {
    (try? git.changedPaths(under: Self.folder)) ?? []
  }

  /// `uncommittedRecommendationPaths()` through a handle of its own on the same repository, so
  /// that another thread can compute it while this one reads; nil when it cannot be opened again.
  public static func uncommittedRecommendationPaths(ofWorkingTree workdir: String) -> [String]? {
    guard let other = try? Repository(discoveringFrom: workdir) else { return nil }
    return (try? other.changedPaths(under: folder)) ?? []
  }

  /// Those of `paths` whose working file or index entry differs from HEAD's (a command that
  /// reads one recommendation checks its own files only: one index entry and one file each,
  /// no scan of the folder).
  public func uncommittedPaths(among paths: [String]) -> [String] {
    paths.filter { (try? git.hasUncommittedChanges(at: $0)) == true }
  }
}

/// What one committed file gives the catalog: its problems in the order found, and the
/// recommendation when it can be shown.
struct FileReading: Sendable {
  var problems: [FormatError] = []
  var recommendation: Recommendation?

  init(_ bytes: [UInt8], of v: FileVersion, statuses: [String]) {
    do {
      let doc = try RecommendationDocument(bytes: bytes, path: v.path)
      let diagnostics = doc.validate(expectedID: v.id, statuses: statuses)
      problems += diagnostics
      if !diagnostics.contains(where: { $0.severity == .error }) {
        recommendation = try doc.recommendation(expectedID: v.id, statuses: statuses)
      } else if let readable = doc.readableRecommendation(expectedID: v.id, statuses: statuses) {
        // Invalid but it exists and says its status: reports show it (as progress counts it),
        // with its errors in `problems`; writes refuse it until it is fixed.
        recommendation = readable
      }
    } catch {
      problems.append(error)
    }
  }
}

extension FormatError {
  /// The warning for an entry under `Recommendations/` that `RecommendationPath` does not count
  /// (nil for entries nobody would take for one).
  static func notCounted(_ path: String, _ kind: RecommendationPath.Kind) -> FormatError? {
    switch kind {
    case .recommendation, .other: return nil
    case .notARegularFile:
      return FormatError(
        path: path, line: 1, column: 1, severity: .warning,
        message: "this is a symbolic link or special file, not a recommendation file; it is ignored",
        hint: "replace it with an ordinary file", sourceLine: nil)
    case .notAnID:
      return FormatError(
        path: path, line: 1, column: 1, severity: .warning,
        message: "the file name is not a recommendation ID, so this file is not counted as a recommendation",
        hint: "name the file after its ID in capitals, e.g. DP-DDR-01.yml", sourceLine: nil)
    }
  }
}
