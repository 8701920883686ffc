import Foundation
import RecTrackTestSupport

/// Sizes of the reliability runs: small by default, CI-sized with `RECTRACK_SLOW_TESTS=1`,
/// and larger still with `RECTRACK_SLOW_TESTS=full` (for a long run by hand; see `SlowTests`).
enum Reliability {
  /// Picks the size for the current level.
  static func size(_ quick: Int, slow: Int, full: Int) -> Int {
    SlowTests.size(quick, slow: slow, full: full)
  }

  /// Prints a measured figure where `swift test` shows it (the closing note quotes these).
  static func report(_ line: String) {
    FileHandle.standardError.write(Data("[reliability] \(line)\n".utf8))
  }
}

/// A started child process that can be killed and waited for.
final class Child {
  let process = Process()
  let stdoutURL: URL
  let stderrURL: URL

  init(_ executable: String, _ args: [String], in dir: String, environment: [String: String] = [:]) throws {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rectrack-child-\(UUID().uuidString)")
    stdoutURL = tmp.appendingPathExtension("out")
    stderrURL = tmp.appendingPathExtension("err")
    // The shell redirects and then execs the program (same pid, so a kill reaches it); no file
    // handles are handed to Process, which can close them twice under parallel tests.
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments =
      ["-c", "exec \"$0\" \"$@\" < /dev/null > '\(stdoutURL.path)' 2> '\(stderrURL.path)'", executable] + args
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    try process.run()
  }

  deinit {
    try? FileManager.default.removeItem(at: stdoutURL)
    try? FileManager.default.removeItem(at: stderrURL)
  }

  func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

  func wait() -> (status: Int32, stdout: String, stderr: String) {
    process.waitUntilExit()
    return (
      process.terminationStatus,
      (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
      (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    )
  }
}
