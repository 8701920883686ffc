import Foundation
import RecTrackCore

// Only this file decides exit codes: 0 success, 1 a problem the command found and reported,
// 2 bad usage or bad input (docs/format.md §9).
Libgit2.initialise()
exit(Runner.run(arguments: Array(CommandLine.arguments.dropFirst())))
