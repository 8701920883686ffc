import ArgumentParser
import RecTrackCore

extension Rectrack {
  struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "new",
      abstract: "Add a recommendation (one commit).",
      discussion: """
        Writes Recommendations/[FOLDER/]ID.yml from the new-recommendation template and commits it.

        Example:
          rectrack new --id DP-DDR-01 --title "Run targeted drug-intelligence campaigns" \\
            --source "Deep Dive Scrutiny Review - Illegal Drugs" --owner "Chief Constable" \\
            --raised 2019-10-01 --due 2020-09-30 --priority high --tag intelligence
        """)

    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "The ID, e.g. DP-DDR-01 (capital letters, digits, hyphens).", transform: Forgiving.id)
    var id: String
    @Option(help: "A short title.")
    var title: String
    @Option(help: "The review or report it comes from.")
    var source: String
    @Option(help: "Who must act on it, e.g. \"Chief Constable\".")
    var owner: String
    @Option(
      help: ArgumentHelp(
        "When it was made (e.g. 2019-10-01 or 1/10/2019; default: today).", valueName: "date"))
    var raised: String?
    @Option(help: ArgumentHelp("When it is due (e.g. 2020-09-30 or 30/09/2020).", valueName: "date"))
    var due: String?
    @Option(help: "high, medium or low.")
    var priority: String?
    @Option(help: "The officer leading the work.")
    var lead: String?
    @Option(name: .customLong("tag"), help: "A tag (repeat for more).")
    var tags: [String] = []
    @Option(help: "What the recommendation asks for.")
    var description: String?
    @Option(help: "The starting status (default: the workflow's first, usually open).")
    var status: String?
    @Option(help: "A sub-folder of Recommendations/ to put it in, e.g. 2019-deep-dive.")
    var folder: String?
    @Option(help: "A note for the commit.")
    var note: String?
    @Option(help: ArgumentHelp("Who adds it, as \"Name <email>\".", valueName: "name <email>"))
    var author: String?
    @OptionGroup var overrideOption: OverrideOption

    func run() throws {
      let repo = try repoOptions.open()
      let signature = try Signature.author(author, repository: repo.git)
      let raisedDate =
        try raised.map { (t) throws(TrackingError) in try parseDate(t, option: "--raised") }
        ?? signature.calendarDate
      let dueDate = try due.map { (t) throws(TrackingError) in try parseDate(t, option: "--due") }
      let new = NewRecommendation(
        id: id, title: title, source: source, owner: owner, raised: raisedDate,
        status: try status.map { (s) throws(TrackingError) in try Forgiving.status(s, workflow: repo.workflow)
        },
        lead: lead,
        due: dueDate, priority: priority, tags: tags, description: description, folder: folder)
      let change = try overrideOption.recorder(repo).create(new, note: note, author: signature)
      Console.out("Added \(id) in \(change.path) (commit \(change.commit.short)).\n")
    }
  }
}
