import Foundation
import RecTrackCore

// Only this file decides exit codes: 0 success, 1 a problem the command found and reported,
// 2 bad usage or bad input (docs/format.md §9).
// The process-wide libgit2 settings, made here once before any repository is opened.
Libgit2.initialise()
if let problem = Libgit2.setupError {
  FileHandle.standardError.write(Data("error: libgit2 could not be set up: \(problem)\n".utf8))
  exit(2)
}
// Crash tests only: RECTRACK_TEST_KILL_AT=N kills this process (SIGKILL, as a power cut would)
// when the Nth step of a landing completes, so that the repair can be tested at every step.
if let n = ProcessInfo.processInfo.environment["RECTRACK_TEST_KILL_AT"].flatMap(Int.init), n > 0 {
  nonisolated(unsafe) var steps = 0
  Landing.stepHook = { _ in
    steps += 1
    if steps == n { kill(getpid(), SIGKILL) }
  }
}
exit(Runner.run(arguments: Array(CommandLine.arguments.dropFirst())))
