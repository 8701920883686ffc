import ArgumentParser
import RecTrackCore

/// The root command: `rectrack <subcommand>`.
struct Rectrack: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rectrack",
    abstract: "Track a commissioner's recommendations to a police force in a git repository.",
    discussion: """
      Each recommendation is a small text file under Recommendations/; every change is a git
      commit recording who made it, when and why. Run 'rectrack help <command>' for examples.
      """,
    version: "0.1.0",
    subcommands: [
      Init.self, New.self, List.self, Show.self, Status.self, Update.self, Validate.self, Audit.self,
    ])
}
