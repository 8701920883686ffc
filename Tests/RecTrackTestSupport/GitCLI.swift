import Foundation

/// Runs the git command-line tool: the independent second implementation that history tests
/// compare the libgit2 engine with, and the way test repositories are built. Every run is in the
/// test's own home (`Hermetic`), whose identity is `Test Author <author@example.org>`.
public struct GitCLI: Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

  /// `repo.git("log", "--oneline")`: runs git and returns its standard output.
  @discardableResult
  public func callAsFunction(_ args: String..., environment: [String: String] = [:], stdin: String? = nil)
    throws -> String
  {
    try run(args, environment: environment, input: stdin)
  }

  /// `repo.git(arguments: [...])`: runs git and returns its standard output.
  @discardableResult
  public func callAsFunction(
    arguments args: [String], environment: [String: String] = [:], stdin: String? = nil
  ) throws -> String {
    try run(args, environment: environment, input: stdin)
  }

  /// Runs `git args...` in `directory` and returns its standard output; throws on a non-zero exit.
  @discardableResult
  public func run(_ args: [String], environment extra: [String: String] = [:], input: String? = nil) throws
    -> String
  {
    String(
      decoding: try runData(args, environment: extra, input: input.map { Array($0.utf8) }), as: UTF8.self)
  }

  public func runData(_ args: [String], environment extra: [String: String] = [:], input: [UInt8]? = nil)
    throws
    -> [UInt8]
  {
    var env = Hermetic.environment
    for (k, v) in extra { env[k] = v }
    let r = try runProcessBytes(Hermetic.git, args, in: directory, environment: env, stdin: input)
    guard r.status == 0 else {
      throw TestSupportError("git \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
    }
    return r.stdout
  }
}

/// A temporary folder removed when the test is done with it.
public final class TemporaryDirectory {
  public let path: String

  public init(prefix: String = "rectrack-test") throws {
    path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A small seeded generator (SplitMix64) so a failing seed can be replayed exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// True with probability `p`.
  public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
