import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract: "Commit hand edits to recommendation files, templates or rectrack.yml (one commit).",
      discussion: """
        Checks every file first (format, workflow, roles) and commits none of them if one is \
        wrong; the edits stay in the working folder. The commit carries rectrack's trailers, so \
        the audit knows it is a rectrack change.

        Examples:
          rectrack record Recommendations/DP-DDR-03.yml --note "Typo in the title"
          rectrack record rectrack.yml --note "Roles for 2024"
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The files to record (under Recommendations/ or Templates/, or rectrack.yml).")
    var paths: [String]
    @Option(help: "What was edited and why; becomes the commit's body.")
    var note: String
    @Option(
      help: ArgumentHelp(
        "Who made the edits, as \"Name <email>\" (default: git's user.name and user.email).",
        valueName: "name <email>"))
    var author: String?
    @Flag(help: "Allow an edited file to leave a final status (needs --note).")
    var reopen = false
    @OptionGroup var overrideOption: OverrideOption

    func run() throws {
      let repo = try repoOptions.open()
      guard let workdir = repo.workdir else {
        throw TrackingError.bareRepository("recording hand edits")
      }
      let top = URL(fileURLWithPath: workdir).standardizedFileURL.resolvingSymlinksInPath().path + "/"
      let here = FileManager.default.currentDirectoryPath
      let relative = try paths.map { (p) throws(TrackingError) -> String in
        let absolute = p.hasPrefix("/") ? p : here + "/" + p
        let full = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
        guard full.hasPrefix(top) else {
          throw TrackingError.usage("\(p) is not inside the tracking repository at \(workdir).")
        }
        return String(full.dropFirst(top.count))
      }
      let signature = try Signature.author(author, repository: repo.git)
      let result = try overrideOption.recorder(repo).recordHandEdits(
        paths: relative, note: note, reopen: reopen, author: signature)
      Console.out("Recorded \(result.message.summary) (commit \(result.commit.short)).\n")
    }
  }
}
