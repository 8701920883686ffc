import Foundation

/// A real git repository in a temporary folder, built with the git CLI, with fixed dates.
public final class TestRepository {
  private let directory: TemporaryDirectory
  public let git: GitCLI
  public var path: String { directory.path }

  public init() throws {
    directory = try TemporaryDirectory(prefix: "rectrack-history")
    git = GitCLI(directory: directory.path)
    try git.run(["init", "-q", "-b", "main"])
    try git.run(["config", "core.autocrlf", "false"])
    try git.run(["config", "commit.gpgsign", "false"])
  }

  /// Writes a file (relative path), creating folders; bytes are written as given (CRLF kept).
  public func write(_ relativePath: String, _ content: String) throws {
    let full = path + "/" + relativePath
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(content.utf8).write(to: URL(fileURLWithPath: full))
  }

  public func read(_ relativePath: String) -> String? {
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

  /// Stages everything and commits with this author date (ISO 8601 with offset, e.g.
  /// `2021-03-31T23:30:00-02:00`). Returns the new commit's id.
  @discardableResult
  public func commit(_ message: String, date: String, allowEmpty: Bool = true) throws -> String {
    try git.run(["add", "-A"])
    var args = ["commit", "-q", "--cleanup=verbatim", "-F", "-"]
    if allowEmpty { args.append("--allow-empty") }
    try git.run(args, environment: dateEnvironment(date), input: message)
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
      ], environment: dateEnvironment(date))
    return try head()
  }

  private func dateEnvironment(_ date: String) -> [String: String] {
    ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
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
