import ArgumentParser
import Foundation
import RecTrackCore

/// Parses the command line, runs the command and turns every error into one clear message on
/// standard error and an exit code; never a stack trace.
enum Runner {
  static func run(arguments: [String]) -> Int32 {
    if arguments.isEmpty, let repo = try? TrackingRepository(at: FileManager.default.currentDirectoryPath),
      let text = try? Overview.text(for: repo, width: Console.width, today: today())
    {
      Console.out(text)
      return 0
    }
    do {
      var command = try Rectrack.parseAsRoot(arguments)
      try command.run()
      return 0
    } catch let error as TrackingError {
      Console.error(error.isLocated ? error.description : "error: " + error.description)
      return error.exitCode
    } catch let error as GitError {
      Console.error("error: " + error.description)
      return 2
    } catch {
      if Rectrack.exitCode(for: error) == .success, let command = HelpText.command(for: arguments) {
        Console.out(HelpText.render(command, width: Console.width) + "\n")
        return 0
      }
      let message = Rectrack.fullMessage(for: error)
      if Rectrack.exitCode(for: error) == .success, message.hasPrefix("OVERVIEW:"),
        arguments.first != "---completion"
      {
        // Help shown without --help (e.g. `rectrack meeting`): laid out the same way.
        Console.out(HelpText.render(HelpText.walk(arguments), width: Console.width) + "\n")
        return 0
      }
      if Rectrack.exitCode(for: error) == .success {
        if !message.isEmpty { Console.out(message + "\n") }
        return 0
      }
      Console.error(message.hasPrefix("Error:") ? "error:" + message.dropFirst(6) : message)
      return 2
    }
  }
}

extension TrackingError {
  /// True when the message already starts with `file:line:col: error:`.
  var isLocated: Bool {
    switch self {
    case .invalidFile, .invalidFiles, .settings, .problemsFound, .importProblems: return true
    default: return false
    }
  }
}

/// Standard output and standard error, unbuffered enough for pipes and tests.
///
/// `out` and `error` are for people: control characters from repository text are shown visibly
/// (`VisibleText`), so no title or author name can send escape sequences to the terminal.
/// `data` writes exactly (JSON, CSV, a rendered template). A failed write to standard output
/// (a full disk, a closed pipe) ends the program with one line on standard error and exit 2.
enum Console {
  static func out(_ text: String) {
    data(VisibleText.keepingColour(text))
  }

  /// Writes `text` to standard output as it is.
  static func data(_ text: String) { data(bytes: Array(text.utf8)) }

  /// Writes `bytes` to standard output as they are, or exits with status 2 when it cannot.
  static func data(bytes: [UInt8]) {
    if !write(bytes, to: STDOUT_FILENO) {
      let reason = String(cString: strerror(errno))
      error(
        "error: could not write the output (\(reason)). Nothing in the repository was changed by writing it; "
          + "free some space or write to another place (e.g. --output FILE, or redirect to another file).")
      exit(2)
    }
  }

  static func error(_ text: String) {
    let visible = VisibleText.text(text)
    _ = write(Array((visible.hasSuffix("\n") ? visible : visible + "\n").utf8), to: STDERR_FILENO)
  }

  /// Writes all of `bytes`, retrying after interruptions; false (with `errno` set) when it fails.
  private static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      done += n
    }
    return true
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// The width output must fit: `COLUMNS` when set (at least 20), else the terminal's, else 80
  /// (a file or a pipe: the same layout whatever window the command was typed in).
  static var width: Int {
    if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c >= 20 { return c }
    var ws = winsize()
    if stdoutIsTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 {
      return Int(ws.ws_col)
    }
    return 80
  }

  /// Whether to colour standard output: a terminal, and `NO_COLOR` unset.
  static var colour: Bool {
    stdoutIsTerminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
  }
}
