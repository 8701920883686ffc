import Foundation
import RecTrackCore

// Only this file decides exit codes: 0 success, 1 a problem the command found and reported,
// 2 bad usage or bad input (spec section 6).
Libgit2.initialise()
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
