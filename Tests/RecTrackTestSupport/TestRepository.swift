import Foundation

/// A real git repository in a temporary folder, built with the git CLI, removed when the value
/// is released: the one repository fixture of the tests.
///
/// Tests build real repositories in code (no zipped fixtures) and cross-check what rectrack
/// did with the git CLI, a second implementation of everything libgit2 does. Every git process
/// runs in the test's own home (`Hermetic`): identity `Test Author <author@example.org>`, LF
/// line endings kept, no signing (`commit(_:date:)` and `merge` name a separate committer). Histories of many commits are made by
/// one `git fast-import` process (`FastImport`, `HistoryGenerator`), not a process per commit.
public final class TestRepository {
  /// The working folder (the repository itself when bare).
  public let path: String
  /// A sibling folder for clones and other scratch files, removed with the repository.
  public let scratch: String
  /// git in `path`: `repo.git("add", "-A")`, `repo.git(arguments: [...])`, `repo.git.run([...])`.
  public let git: GitCLI

  /// A new repository on branch `main`.
  public init(bare: Bool = false) throws {
    Hermetic.isolateLibgit2()
    scratch = NSTemporaryDirectory() + "rectrack-test-\(UUID().uuidString)"
    path = scratch + "/repo"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    try Self.gitCLI(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []) + [path], in: scratch)
    git = GitCLI(directory: path)
    // The identity is also the repository's own, so a test that gives rectrack a home without
    // one still records as Test Author.
    try git.run(["config", "user.name", "Test Author"])
    try git.run(["config", "user.email", "author@example.org"])
    try git.run(["config", "core.autocrlf", "false"])
    try git.run(["config", "commit.gpgsign", "false"])
  }

  deinit { try? FileManager.default.removeItem(atPath: scratch) }

  /// Runs git in `dir` in the test's environment (plus `environment`) and returns its standard
  /// output; throws `TestSupportError` with standard error on failure.
  @discardableResult
  public static func gitCLI(
    _ args: [String], in dir: String, environment: [String: String] = [:], stdin: String? = nil
  ) throws -> String {
    try GitCLI(directory: dir).run(args, environment: environment, input: stdin)
  }

  /// Writes a file (relative path), creating folders; bytes are written as given (CRLF kept).
  public func write(_ relativePath: String, _ content: String) throws {
    let full = path + "/" + relativePath
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(content.utf8).write(to: URL(fileURLWithPath: full))
  }

  /// A working file's text; throws when it cannot be read.
  public func read(_ relativePath: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + relativePath)), as: UTF8.self)
  }

  /// A working file's text, or nil when there is none (or it cannot be read).
  public func contents(_ relativePath: String) -> String? {
    FileManager.default.contents(atPath: path + "/" + relativePath).map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  public func remove(_ relativePath: String) throws {
    try FileManager.default.removeItem(atPath: path + "/" + relativePath)
  }

  public func move(_ from: String, _ to: String) throws {
    let target = path + "/" + to
    try FileManager.default.createDirectory(
      atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: path + "/" + from, toPath: target)
  }

  /// Stages everything and commits with this author and committer date (ISO 8601 with offset,
  /// e.g. `2021-03-31T23:30:00-02:00`), the message kept verbatim, by `author` as `committer`.
  /// Returns the new commit's id.
  @discardableResult
  public func commit(_ message: String, date: String, allowEmpty: Bool = true) throws -> String {
    try git.run(["add", "-A"])
    var args = ["commit", "-q", "--cleanup=verbatim", "-F", "-"]
    if allowEmpty { args.append("--allow-empty") }
    try git.run(args, environment: Self.historyEnvironment(date), input: message)
    return try head()
  }

  /// Commits everything with fixed author and committer dates (ISO 8601 with offset), by the
  /// home's identity (`author`, also as committer) unless `author` is given.
  @discardableResult
  public func commitAll(_ message: String, date: String = "2021-01-15T12:00:00+00:00", author: String? = nil)
    throws -> String
  {
    try git.run(["add", "-A"])
    var args = ["commit", "-q", "--allow-empty", "-m", message]
    if let author { args += ["--author", author] }
    try git.run(args, environment: Self.dateEnvironment(date))
    return try head()
  }

  public func head() throws -> String {
    try git.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  public func checkout(_ branch: String, create: Bool = false) throws {
    try git.run(create ? ["checkout", "-q", "-b", branch] : ["checkout", "-q", branch])
  }

  /// `git merge --no-ff` with a fixed date: the merge is one commit on the first-parent line.
  @discardableResult
  public func merge(_ branch: String, message: String, date: String) throws -> String {
    try git.run(
      [
        "-c", "merge.directoryRenames=false", "-c", "merge.renames=false", "merge", "-q", "--no-ff",
        "--no-edit", "-m", message, branch,
      ], environment: Self.historyEnvironment(date))
    return try head()
  }

  static func dateEnvironment(_ date: String) -> [String: String] {
    ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
  }

  /// The author of every commit the fixture makes.
  public static let author = "Test Author <author@example.org>"
  /// The committer of `commit(_:date:)`, `merge` and generated histories: a second person, so
  /// that author and committer are told apart (the two clocks, the audit).
  public static let committer = "Test Committer <committer@example.org>"

  /// `dateEnvironment` with `author` and `committer` named.
  static func historyEnvironment(_ date: String) -> [String: String] {
    dateEnvironment(date).merging([
      "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.org",
      "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.org",
    ]) { $1 }
  }

  /// The text of a valid recommendation file (docs/format.md §2).
  public static func recommendation(
    id: String, status: String?, owner: String = "Chief Constable", source: String = "Review A",
    tags: [String] = [], due: String? = nil, title: String? = nil, crlf: Bool = false
  ) -> String {
    var lines = [
      "# generated", "id: \(id)", "title: \(title ?? "Recommendation \(id)")", "source: \(source)",
      "raised: 2019-10-01", "owner: \(owner)",
    ]
    if let due { lines.append("due: \(due)") }
    if let status { lines.append("status: \(status)") }
    lines.append("tags: [\(tags.joined(separator: ", "))]")
    lines.append("description: |")
    lines.append("  Generated for a history test.")
    let eol = crlf ? "\r\n" : "\n"
    return lines.joined(separator: eol) + eol
  }
}
