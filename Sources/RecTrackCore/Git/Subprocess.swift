internal import CGitShims
import Foundation

/// The one way rectrack runs another program (git's credential helpers, gpg and ssh-keygen for
/// signatures, the PDF and Word engines): posix_spawn with its input from a pipe, its output
/// read from a pipe, and its standard error passed through, discarded or kept in a file.
///
/// Not Foundation's `Process`: on Linux it starts the child in a process group of its own,
/// outside the terminal's foreground group (so git's "Username for ..." prompt cannot read the
/// terminal), and file handles handed to it can be closed twice, which aborts a process that runs
/// several at once.
enum Subprocess {
  enum ErrorOutput {
    /// Passed through to rectrack's own standard error (prompts and messages reach the user).
    case inherit
    case discard
    /// Written to this file.
    case file(String)
  }

  struct Result {
    var status: Int32
    var output: [UInt8]
  }

  /// Runs `arguments[0]` (a path) with `arguments`, in `directory`, with `environment` (nil:
  /// rectrack's own), feeding `input` (nil: /dev/null). Returns nil when it cannot be started;
  /// `status` is the exit status, or 128 + the signal that ended it.
  static func run(
    _ arguments: [String], input: [UInt8]? = nil, directory: String? = nil,
    environment: [String: String]? = nil,
    errors: ErrorOutput = .inherit
  ) -> Result? {
    guard let program = arguments.first else { return nil }
    var toChild: [Int32] = [-1, -1]
    var fromChild: [Int32] = [-1, -1]
    // Close-on-exec: a program started at the same moment by another thread must not inherit
    // this one's pipe ends (it would hold a stdin open, and both would wait for ever).
    guard rectrack_pipe_cloexec(&toChild) == 0 else { return nil }
    guard rectrack_pipe_cloexec(&fromChild) == 0 else {
      close(toChild[0])
      close(toChild[1])
      return nil
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if input != nil {
      posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
    switch errors {
    case .inherit: break
    case .discard: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    case .file(let path):
      posix_spawn_file_actions_addopen(&actions, 2, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    }
    for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
    // The shell changes folder, then becomes the program: `cd DIR && exec PROGRAM ARGS...`.
    let argv =
      ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory ?? "."] + [program] + arguments.dropFirst()
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    let envStrings = environment.map { $0.map { "\($0.key)=\($0.value)" } }
    var cEnv: [UnsafeMutablePointer<CChar>?]? = envStrings.map { $0.map { strdup($0) } + [nil] }
    defer { for e in cEnv ?? [] { free(e) } }
    var pid: pid_t = 0
    let rc: Int32
    if cEnv != nil {
      rc = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgs, &cEnv!)
    } else {
      rc = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgs, environ)
    }
    close(toChild[0])
    close(fromChild[1])
    guard rc == 0 else {
      close(toChild[1])
      close(fromChild[0])
      return nil
    }
    if let input { write(input, to: toChild[1]) }
    close(toChild[1])
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress!, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      output += buffer[0..<n]
    }
    close(fromChild[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
    let signal = status & 0x7f
    return Result(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, output: output)
  }

  /// Writes all of `bytes` to a pipe; a reader that has gone away ends it without SIGPIPE.
  private static func write(_ bytes: [UInt8], to fd: Int32) {
    var pipeSignal = sigset_t()
    var previous = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let count = bytes.count
    var done = 0
    while done < count {
      let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + done, count - done) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 {
        if n < 0 && errno == EPIPE {
          var zero = timespec()
          sigtimedwait(&pipeSignal, nil, &zero)
        }
        return
      }
      done += n
    }
  }
}
