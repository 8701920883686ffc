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

        The rectrack.yml has a 'roles' section: the commissioner's office (--office-domain, \
        else the domain of the author's email) may set every status, the force (--force-domain) \
        may set open, in-progress, complete and not-accepted, everyone else none.

        Example:
          rectrack init ~/opcc-recommendations --organisation "Office of the PCC for Dyfed-Powys" \\
            --office-domain opcc.example.org --force-domain dyfed-powys.police.uk
        """)

    @Argument(help: "The folder (default: the current folder).")
    var path: String?

    @Option(help: "The organisation's name, shown on reports.")
    var organisation: String?

    @Option(help: ArgumentHelp("Who makes the first commit, as \"Name <email>\".", valueName: "name <email>"))
    var author: String?

    @Option(
      name: .customLong("office-domain"),
      help: ArgumentHelp("The commissioner's office's email domain (role commissioner).", valueName: "domain")
    )
    var officeDomain: String?

    @Option(
      name: .customLong("force-domain"),
      help: ArgumentHelp("The force's email domain (role force).", valueName: "domain"))
    var forceDomain: String?

    func run() throws {
      let target = path ?? FileManager.default.currentDirectoryPath
      if let officeDomain { try StarterRoles.check(officeDomain, option: "--office-domain") }
      if let forceDomain { try StarterRoles.check(forceDomain, option: "--force-domain") }
      let (repo, created) = try TrackingRepository.initialise(
        at: target, organisation: organisation, authorOption: author,
        roles: StarterRoles(officeDomain: officeDomain, forceDomain: forceDomain))
      let place = repo.workdir ?? target
      if created.isEmpty {
        Console.out("\(place) is already a tracking repository; nothing to add.\n")
      } else {
        Console.out(
          "Tracking repository ready at \(place)\n"
            + TextTable.hanging(
              "Committed: ", created.joined(separator: ", "), width: Console.width, indent: 2, parts: ", "))
        if created.contains(Settings.fileName) { sayRoles(repo) }
        Console.out(
          "Next: add a recommendation with\n  rectrack new --id ID --title ... --source ... --owner ...\n")
      }
    }

    /// Says who the roles name, and what is left for the user to fill in.
    private func sayRoles(_ repo: TrackingRepository) {
      func say(_ text: String) {
        Console.out(TextTable.hanging("Roles: ", text, width: Console.width, indent: 2))
      }
      let roles = (try? AuditSettings(settingsText: repo.settings.text, workflow: repo.workflow))?.roles ?? []
      func people(_ name: String) -> [String] { roles.first { $0.name == name }?.people ?? [] }
      let office = people(AuditSettings.commissionerRole)
      if office.isEmpty {
        say(
          "no office domain is known; fill in 'commissioner: people:' in rectrack.yml and record it with "
            + "'rectrack record rectrack.yml --note ...'.")
      } else {
        let source = officeDomain == nil ? " (taken from the author's email; --office-domain sets it)" : ""
        say("the commissioner's office is \(office.joined(separator: ", "))\(source).")
      }
      let force = people("force")
      if force.isEmpty {
        say(
          "the force's addresses are not filled in: until they are, the force may set no status. Edit "
            + "'force: people:' in rectrack.yml (e.g. [\"*@police.example.org\"]) and run 'rectrack record "
            + "rectrack.yml --note ...', or use --force-domain."
        )
      } else {
        say("the force is \(force.joined(separator: ", ")).")
      }
    }
  }
}
