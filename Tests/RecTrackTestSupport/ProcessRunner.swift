import Foundation

/// What a finished process said and how it ended.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Errors from test helpers, with the command that failed.
public struct TestSupportError: Error, CustomStringConvertible {
  public var description: String
  public init(_ d: String) { description = d }
}

/// Runs a program to completion, its standard input, output and error redirected by the shell
/// to files (no pipes to deadlock on, and no file handles handed to `Process`, which on Linux can
/// close them a second time while other tests run in parallel). The one process runner of the
/// tests: git, the rectrack binary and other tools all go through it.
public func runProcess(
  _ executable: String, _ arguments: [String], in directory: String? = nil,
  environment: [String: String] = [:],
  stdin: String? = nil
) throws -> ProcessResult {
  let r = try runProcessBytes(
    executable, arguments, in: directory, environment: environment, stdin: stdin.map { Array($0.utf8) })
  return ProcessResult(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self), stderr: r.stderr)
}

/// `runProcess` with standard input and output as bytes (for `git cat-file --batch`).
public func runProcessBytes(
  _ executable: String, _ arguments: [String], in directory: String? = nil,
  environment: [String: String] = [:],
  stdin: [UInt8]? = nil
) throws -> (status: Int32, stdout: [UInt8], stderr: String) {
  let tmp = FileManager.default.temporaryDirectory.appendingPathComponent(
    "rectrack-proc-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: tmp) }
  let input = tmp.appendingPathComponent("in")
  let out = tmp.appendingPathComponent("out")
  let err = tmp.appendingPathComponent("err")
  try Data(stdin ?? []).write(to: input)
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/bin/sh")
  // The temporary paths hold only letters, digits, '-' and '/', so single quotes suffice.
  p.arguments =
    ["-c", "exec \"$0\" \"$@\" < '\(input.path)' > '\(out.path)' 2> '\(err.path)'", executable] + arguments
  if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  p.environment = env
  try p.run()
  p.waitUntilExit()
  return (
    p.terminationStatus, Array((try? Data(contentsOf: out)) ?? Data()),
    String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
  )
}

/// The full path of a program on PATH.
public func which(_ name: String) -> String? {
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
    let p = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: p) { return p }
  }
  return nil
}
