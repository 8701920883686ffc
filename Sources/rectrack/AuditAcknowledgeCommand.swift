import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack.Audit {
  struct Acknowledge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "acknowledge",
      abstract: "Record that the commissioner's office has dealt with an audit finding (one commit).",
      discussion: """
        The id is the one 'rectrack audit' shows after the rule (the key 'id' in --format json). \
        The finding is still listed, marked acknowledged, and no longer makes the audit fail. \
        Only people in the role 'commissioner' of rectrack.yml may acknowledge.

        Example:
          rectrack audit acknowledge 7709f35ee862 --note "Reopened and re-closed by the office on 4 May"
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The finding's id, as 'rectrack audit' shows it.")
    var findingID: String
    @Option(help: "How the finding was dealt with; becomes the commit's body.")
    var note: String
    @Option(
      help: ArgumentHelp(
        "Who acknowledges it, as \"Name <email>\" (default: git's user.name and user.email).",
        valueName: "name <email>"))
    var author: String?

    func run() throws {
      let repo = try repoOptions.open()
      let signature = try Signature.author(author, repository: repo.git)
      let (commit, finding) = try Auditor(repo: repo).acknowledge(
        findingID: findingID, note: note, author: signature)
      Console.out(
        "Acknowledged finding \(finding.id) (\(finding.rule.rawValue)) (commit \(commit.short)).\n")
    }
  }
}
