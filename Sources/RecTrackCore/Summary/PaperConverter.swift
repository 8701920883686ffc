import Foundation

/// Turns the HTML paper into the documents a clerk puts into an agenda pack: PDF through a real
/// typesetting engine found on the machine (WeasyPrint, else headless Chromium), and Word through
/// pandoc. rectrack writes neither format itself: those engines are well kept, and the HTML
/// paper's print styles (A4, "Page N of M", a running header) are written for both.
public enum PaperConverter {
  public enum Target: String, Sendable {
    case pdf, docx
  }

  /// A program that can do a conversion.
  public struct Engine: Sendable, Equatable {
    public var name: String
    public var path: String
  }

  /// What to install when no engine is found, as one line a user can act on.
  public static func missingEngineMessage(_ target: Target) -> String {
    switch target {
    case .pdf:
      return "no PDF engine found: install WeasyPrint (sudo apt-get install weasyprint) or Chromium "
        + "(sudo apt-get install chromium), or set RECTRACK_PDF_ENGINE to the path of either; nothing was written"
    case .docx:
      return "no Word converter found: install pandoc (sudo apt-get install pandoc), or set "
        + "RECTRACK_DOCX_ENGINE to its path; nothing was written"
    }
  }

  /// The engine for `target`: `RECTRACK_PDF_ENGINE`/`RECTRACK_DOCX_ENGINE` when set (a path or a
  /// program name), else the first of the known programs on `PATH`.
  public static func engine(
    for target: Target, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> Engine?
  {
    let variable = target == .pdf ? "RECTRACK_PDF_ENGINE" : "RECTRACK_DOCX_ENGINE"
    let candidates: [String]
    if let chosen = environment[variable], !chosen.isEmpty {
      candidates = [chosen]
    } else {
      candidates =
        target == .pdf ? ["weasyprint", "chromium", "chromium-browser", "google-chrome"] : ["pandoc"]
    }
    let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
    for c in candidates {
      if c.contains("/") {
        if FileManager.default.isExecutableFile(atPath: c) { return Engine(name: kind(of: c), path: c) }
        continue
      }
      for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/" + c) {
        return Engine(name: kind(of: c), path: d + "/" + c)
      }
    }
    return nil
  }

  static func kind(of program: String) -> String {
    let base = (program as NSString).lastPathComponent.lowercased()
    if base.contains("weasyprint") { return "weasyprint" }
    if base.contains("chrom") { return "chromium" }
    return base
  }

  /// Converts `html` (a complete, self-contained document) to `target` and returns the bytes.
  /// Works in a private temporary folder that it removes; writes nothing anywhere else.
  public static func convert(html: String, to target: Target, engine: Engine) throws(TrackingError) -> [UInt8]
  {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent(
      "rectrack-paper-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
      try fm.createDirectory(
        at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    } catch {
      throw .io("cannot make a temporary folder for the conversion: \(error.localizedDescription)")
    }
    defer { try? fm.removeItem(at: dir) }
    let input = dir.appendingPathComponent("paper.html")
    let output = dir.appendingPathComponent("paper." + target.rawValue)
    do {
      try Data(html.utf8).write(to: input)
    } catch {
      throw .io("cannot write the temporary paper: \(error.localizedDescription)")
    }
    let arguments: [String]
    switch (target, engine.name) {
    case (.pdf, "chromium"):
      arguments = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        "--user-data-dir=" + dir.path + "/profile",
        "--print-to-pdf=" + output.path, input.absoluteString,
      ]
    case (.pdf, _):
      arguments = ["--quiet", "--encoding", "utf-8", input.path, output.path]
    case (.docx, _):
      arguments = ["--from", "html", "--to", "docx", "--output", output.path, input.path]
    }
    let (status, errors) = try run(engine.path, arguments, in: dir)
    guard status == 0, let data = fm.contents(atPath: output.path), !data.isEmpty else {
      let detail = errors.split(separator: "\n").prefix(3).joined(separator: " / ")
      throw .io(
        "\(engine.name) could not make the \(target.rawValue.uppercased()) (exit \(status))"
          + (detail.isEmpty ? "" : ": \(detail)") + "; nothing was written")
    }
    return [UInt8](data)
  }

  /// Runs a program with its standard error kept in a file, to quote when it fails.
  static func run(_ path: String, _ arguments: [String], in dir: URL) throws(TrackingError) -> (Int32, String)
  {
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = env["HOME"] ?? dir.path
    let errPath = dir.appendingPathComponent("stderr.txt").path
    guard
      let r = Subprocess.run(
        [path] + arguments, directory: dir.path, environment: env, errors: .file(errPath))
    else {
      throw .io("cannot run \(path)")
    }
    return (r.status, (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
  }
}
