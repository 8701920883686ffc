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

/// Runs a program to completion with its output captured through files (no pipe deadlocks).
public func runProcess(
  _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
  stdin: String? = nil
) throws -> ProcessResult {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: executable)
  p.arguments = arguments
  if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  p.environment = env
  let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rectrack-proc-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: tmp) }
  let out = tmp.appendingPathComponent("out")
  let err = tmp.appendingPathComponent("err")
  _ = FileManager.default.createFile(atPath: out.path, contents: nil)
  _ = FileManager.default.createFile(atPath: err.path, contents: nil)
  let outHandle = try FileHandle(forWritingTo: out)
  let errHandle = try FileHandle(forWritingTo: err)
  p.standardOutput = outHandle
  p.standardError = errHandle
  if let stdin {
    let inFile = tmp.appendingPathComponent("in")
    try Data(stdin.utf8).write(to: inFile)
    p.standardInput = try FileHandle(forReadingFrom: inFile)
  } else {
    p.standardInput = FileHandle.nullDevice
  }
  try p.run()
  p.waitUntilExit()
  try outHandle.close()
  try errHandle.close()
  return ProcessResult(
    status: p.terminationStatus,
    stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
    stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// The full path of a program on PATH.
public func which(_ name: String) -> String? {
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
    let p = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: p) { return p }
  }
  return nil
}
