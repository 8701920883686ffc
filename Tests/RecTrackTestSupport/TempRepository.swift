import Foundation

/// A scratch git repository made with the git CLI, removed when the value is released.
///
/// Tests build real repositories in code (no zipped fixtures) and cross-check what rectrack
/// did with the git CLI, a second implementation of everything libgit2 does.
public final class TempRepository {
  public let path: String
  private let root: String

  /// A new repository on branch `main` with a local identity (`Test Author <author@example.org>`).
  public init(bare: Bool = false) throws {
    root =
      FileManager.default.temporaryDirectory.appendingPathComponent("rectrack-test-\(UUID().uuidString)").path
    path = root + "/repo"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try Self.gitCLI(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []) + [path], in: root)
    try git("config", "user.name", "Test Author")
    try git("config", "user.email", "author@example.org")
    try git("config", "core.autocrlf", "false")
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// A sibling folder for clones and other scratch files, removed with the repository.
  public var scratch: String { root }

  /// Runs git in the repository and returns its standard output; throws with stderr on failure.
  @discardableResult
  public func git(_ args: String..., environment: [String: String] = [:], stdin: String? = nil) throws
    -> String
  {
    try Self.gitCLI(args, in: path, environment: environment, stdin: stdin)
  }

  @discardableResult
  public func git(arguments args: [String], environment: [String: String] = [:], stdin: String? = nil) throws
    -> String
  {
    try Self.gitCLI(args, in: path, environment: environment, stdin: stdin)
  }

  @discardableResult
  public static func gitCLI(
    _ args: [String], in dir: String, environment: [String: String] = [:], stdin: String? = nil
  ) throws -> String {
    var env = Hermetic.environment
    for (k, v) in environment { env[k] = v }
    let r = try runProcess(Hermetic.git, args, in: dir, environment: env, stdin: stdin)
    guard r.status == 0 else {
      throw TestSupportError("git \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
    }
    return r.stdout
  }

  /// Writes a file in the working tree, creating folders.
  public func write(_ relative: String, _ text: String) throws {
    let url = URL(fileURLWithPath: path + "/" + relative)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  public func read(_ relative: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)), as: UTF8.self)
  }

  /// Commits everything with fixed author and committer dates (ISO 8601 with offset).
  @discardableResult
  public func commitAll(_ message: String, date: String = "2021-01-15T12:00:00+00:00", author: String? = nil)
    throws -> String
  {
    try git("add", "-A")
    var args = ["commit", "-q", "--allow-empty", "-m", message]
    if let author { args += ["--author", author] }
    try git(arguments: args, environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
    return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// A valid recommendation file's text, with optional extra lines appended.
public func sampleRecommendation(
  id: String, status: String = "open", title: String = "Run targeted drug-intelligence campaigns",
  owner: String = "Chief Constable", source: String = "Deep Dive Scrutiny Review - Illegal Drugs",
  due: String? = "2020-09-30", tags: [String] = ["intelligence"], extra: String = ""
) -> String {
  var s = """
    # Deep Dive Scrutiny Review: illegal drugs
    id: \(id)
    title: \(title)
    source: \(source)
    raised: 2019-10-01
    owner: \(owner)

    """
  if let due { s += "due: \(due)   # agreed with the force\n" }
  s += "status: \(status)\n"
  s += "tags: [\(tags.joined(separator: ", "))]\n"
  s +=
    "description: |\n  Engage partner agencies such as CrimeStoppers to run localised,\n  targeted campaigns.\n"
  return s + extra
}
