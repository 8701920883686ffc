import Foundation

/// Runs the git command-line tool: the independent second implementation that history tests
/// compare the libgit2 engine with, and the way test repositories are built.
public struct GitCLI: Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

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
    let process = Process()
    var inputFile: String?
    if let input {
      // A file redirected by the shell, not a pipe or a FileHandle: git may write more than a
      // pipe holds before reading all its input, and Foundation closing a handed-over handle
      // twice aborts the process when tests run in parallel.
      let path = NSTemporaryDirectory() + "rectrack-git-input-\(UUID().uuidString)"
      _ = FileManager.default.createFile(atPath: path, contents: Data(input))
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", "exec /usr/bin/git \"$@\" < \"$0\"", path] + args
      inputFile = path
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
      process.arguments = args
    }
    defer { if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) } }
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    env["GIT_CONFIG_GLOBAL"] = "/dev/null"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_AUTHOR_NAME"] = "Test Author"
    env["GIT_AUTHOR_EMAIL"] = "author@example.org"
    env["GIT_COMMITTER_NAME"] = "Test Committer"
    env["GIT_COMMITTER_EMAIL"] = "committer@example.org"
    for (k, v) in extra { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let errData = LockedData()
    let errThread = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    errThread.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      Thread.sleep(forTimeInterval: 0.01)
      throw GitCLIError(
        arguments: args, status: process.terminationStatus,
        stderr: errData.text + String(decoding: data, as: UTF8.self))
    }
    return Array(data)
  }
}

/// Collects a pipe read on another thread.
private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ d: Data) {
    lock.lock()
    data = d
    lock.unlock()
  }
  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: data, as: UTF8.self)
  }
}

public struct GitCLIError: Error, CustomStringConvertible {
  public var arguments: [String]
  public var status: Int32
  public var stderr: String
  public var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
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
