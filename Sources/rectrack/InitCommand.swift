import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Make a folder a tracking repository (runs git init when needed).",
      discussion: """
        Commits a rectrack.yml (organisation and workflow), the default templates and a short \
        Recommendations/README.md. Running it again adds only what is missing.

        Example:
          rectrack init ~/opcc-recommendations --organisation "Office of the PCC for Dyfed-Powys"
        """)

    @Argument(help: "The folder (default: the current folder).")
    var path: String?

    @Option(help: "The organisation's name, shown on reports.")
    var organisation: String?

    @Option(help: ArgumentHelp("Who makes the first commit, as \"Name <email>\".", valueName: "name <email>"))
    var author: String?

    func run() throws {
      let target = path ?? FileManager.default.currentDirectoryPath
      let (repo, created) = try TrackingRepository.initialise(
        at: target, organisation: organisation, authorOption: author)
      let place = repo.workdir ?? target
      if created.isEmpty {
        Console.out("\(place) is already a tracking repository; nothing to add.\n")
      } else {
        Console.out("Tracking repository ready at \(place)\nCommitted: \(created.joined(separator: ", "))\n")
        Console.out("Next: add a recommendation with 'rectrack new --id ID --title ... --source ... --owner ...'\n")
      }
    }
  }
}
