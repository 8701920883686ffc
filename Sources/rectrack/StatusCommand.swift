import ArgumentParser
import RecTrackCore

extension Rectrack {
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Change a recommendation's status (one commit).",
      discussion: """
        The workflow in rectrack.yml says which changes are allowed. A final status (closed, \
        superseded) is left only with --reopen and a --note.

        Examples:
          rectrack status DP-DDR-01 in-progress --note "Campaign launched in Llanelli"
          rectrack status DP-DDR-01 complete --note "Campaign ran March-June" --effective 2020-06-30
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @Argument(help: "The new status, e.g. in-progress.", completion: Complete.statuses)
    var newStatus: String
    @OptionGroup var change: ChangeOptions
    @Flag(help: "Allow leaving a final status (needs --note).")
    var reopen = false
    @Option(
      name: .customLong("superseded-by"), help: "With 'superseded': the ID that replaces it.",
      completion: Complete.ids, transform: Forgiving.id)
    var supersededBy: String?

    func run() throws {
      let repo = try repoOptions.open()
      let author = try Signature.author(change.author, repository: repo.git)
      let result = try Recorder(repo: repo).setStatus(
        id: id, to: try Forgiving.status(newStatus, workflow: repo.workflow), note: change.note, effective: try change.effectiveDate(), reopen: reopen,
        supersededBy: supersededBy, author: author)
      Console.out("Recorded \(result.message.summary) (commit \(result.commit.short)).\n")
    }
  }
}
