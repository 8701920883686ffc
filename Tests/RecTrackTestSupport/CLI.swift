import Foundation

/// Runs the built `rectrack` binary (built by SwiftPM next to the test bundle) end to end.
public enum CLI {
  /// The path of the `rectrack` executable in the same build folder as the running tests.
  public static var executable: String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("rectrack").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    // Fall back on the package's default debug build folder.
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return package.appendingPathComponent(".build/debug/rectrack").path
  }

  /// Runs `rectrack args...` in `directory` with a fixed environment (no colour, no terminal).
  public static func run(
    _ args: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil
  ) throws -> ProcessResult {
    var env = Hermetic.environment
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    for (k, v) in environment { env[k] = v }
    return try runProcess(executable, args, in: directory, environment: env, stdin: stdin)
  }
}
