import ArgumentParser
import RecTrackCore

extension Rectrack {
  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "update",
      abstract: "Update the progress narrative, the due date or other fields (one commit).",
      discussion: """
        Only the lines of the changed fields are rewritten; comments and other fields stay as they are.

        Examples:
          rectrack update DP-DDR-01 --progress "Campaign launched in March 2020."
          rectrack update DP-DDR-01 --due 2021-03-31 --reason "Delayed by the pandemic"
          rectrack update DP-DDR-01 --set lead="Head of Intelligence" --set tags=intelligence,county-lines
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @Option(help: "The new progress narrative (replaces the old one; git keeps the history).")
    var progress: String?
    @Option(
      help: ArgumentHelp("A new due date (e.g. 2021-03-31 or 31/03/2021); needs --reason.", valueName: "date")
    )
    var due: String?
    @Option(help: "Why the due date moves.")
    var reason: String?
    @Option(
      name: .customLong("set"),
      help: ArgumentHelp(
        "Set a field: key=value (tags take a comma-separated list). Repeatable.", valueName: "key=value"))
    var assignments: [String] = []
    @Option(help: ArgumentHelp("Remove an optional field. Repeatable.", valueName: "key"))
    var unset: [String] = []
    @OptionGroup var change: ChangeOptions
    @OptionGroup var overrideOption: OverrideOption

    func run() throws {
      let repo = try repoOptions.open()
      var changes = Recorder.FieldChanges(progress: progress, reason: reason, unset: unset)
      if let due { changes.due = try parseDate(due, option: "--due") }
      for a in assignments {
        guard let eq = a.firstIndex(of: "="), eq != a.startIndex else {
          throw TrackingError.usage(
            "--set '\(a)' must be key=value, e.g. --set lead=\"Head of Intelligence\".")
        }
        let key = String(a[..<eq])
        let value = String(a[a.index(after: eq)...])
        if key == "tags" {
          changes.set.append(
            (
              key,
              .list(
                value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                  !$0.isEmpty
                })
            ))
        } else {
          changes.set.append((key, .text(value)))
        }
      }
      let author = try Signature.author(change.author, repository: repo.git)
      let result = try overrideOption.recorder(repo).update(
        id: id, changes: changes, note: change.note, effective: try change.effectiveDate(), author: author)
      Console.out("Recorded \(result.message.summary) (commit \(result.commit.short)).\n")
    }
  }
}
