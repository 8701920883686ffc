import ArgumentParser
import RecTrackCore

/// The root command: `rectrack <subcommand>`.
struct Rectrack: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rectrack",
    abstract: "Track a commissioner's recommendations to a police force in a git repository.",
    discussion: """
      Each recommendation is a small text file under Recommendations/; every change is a git \
      commit recording who made it, when and why. Run 'rectrack help <command>' for examples.

      Examples:
        rectrack list --status in-progress
        rectrack status DP-DDR-01 complete --note "Campaign ran March-June"
        rectrack list --owner "Chief Constable" --overdue
        rectrack summary --meeting 2022-01-20 --format html --output panel.html

      Shell completion:
        rectrack --generate-completion-script bash > ~/.local/share/bash-completion/completions/rectrack
      """,
    version: "0.1.0",
    subcommands: [
      Init.self, New.self, List.self, Show.self, Status.self, Update.self, Validate.self, Log.self,
      Progress.self, Meeting.self, SummaryCommand.self, Audit.self, Edit.self, Import.self, Export.self,
      Sync.self, Record.self, Updates.self, Templates.self,
    ])
}
