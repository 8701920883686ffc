import ArgumentParser
import RecTrackCore

extension SyncPreference: ExpressibleByArgument {}

extension Rectrack {
  struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Share changes with the central repository: fetch, replay yours on top, push.",
      discussion: """
        Your changes since the last sync are replayed on top of the server's, keeping their \
        authors, dates and notes; history stays linear and nothing is ever force-pushed. Changes \
        to different fields of one recommendation are combined. If the same field was changed \
        on both sides, sync stops, shows both values and changes nothing; settle it and run \
        again, with --keep local or --keep remote if one side's value should stand. \
        Credentials come from ssh-agent or git's credential helpers (see docs/sync.md).

        Examples:
          rectrack sync
          rectrack sync --remote origin --branch main
          rectrack sync --keep remote
        """)

    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "The remote to sync with.")
    var remote = "origin"

    @Option(help: "The branch (default: the current branch).")
    var branch: String?

    @Option(
      help: ArgumentHelp(
        "Where both sides changed a field differently, whose value stands: local or remote.",
        valueName: "side"))
    var keep: SyncPreference?

    func run() throws {
      let repo = try repoOptions.open()
      let result = try Synchroniser(repo: repo).sync(
        SyncOptions(remote: remote, branch: branch, prefer: keep))
      let place = "\(result.remote)/\(result.branch)"
      defer { reportTags(result) }
      if result.upToDate {
        Console.out("Already in step with \(place)\(result.tip.map { " (\($0.short))" } ?? "").\n")
        return
      }
      func changes(_ n: Int) -> String { n == 1 ? "1 change" : "\(n) changes" }
      var parts: [String] = []
      if result.received > 0 { parts.append("received \(changes(result.received))") }
      if result.sent > 0 { parts.append("sent \(changes(result.sent))") }
      if !parts.isEmpty {
        Console.out(
          "Synced with \(place): \(parts.joined(separator: ", ")); now at \(result.tip?.short ?? "-").\n")
      }
      if !result.combined.isEmpty {
        Console.out("Combined field by field: \(result.combined.joined(separator: ", ")).\n")
      }
    }

    /// Tags shared (meetings, audit seals, update requests and replies), and any that could not be.
    func reportTags(_ result: SyncResult) {
      let tags = result.tags
      if !tags.received.isEmpty {
        Console.out(
          TextTable.hanging(
            "Received tags: ", tags.received.joined(separator: ", ") + ".", width: Console.width, indent: 2,
            parts: ", "))
      }
      if !tags.sent.isEmpty {
        Console.out(
          TextTable.hanging(
            "Sent tags: ", tags.sent.joined(separator: ", ") + ".", width: Console.width, indent: 2,
            parts: ", "))
      }
      if !tags.conflicts.isEmpty {
        Console.error(
          "warning: \(tags.conflicts.joined(separator: ", ")) differ between this clone and \(result.remote); each side keeps its own. Compare them with 'git show TAG' and delete the wrong one (git tag -d TAG, or on the server)."
        )
      }
      for (tag, reason) in tags.refused.sorted(by: { $0.key < $1.key }) {
        Console.error(
          "warning: \(result.remote) refused \(tag) (\(reason)); it is kept in this clone only. "
            + "If another clone sent a tag of that name meanwhile, the next 'rectrack sync' compares "
            + "the two; otherwise show the reason to whoever looks after \(result.remote).")
      }
      if let problem = result.tagProblem {
        Console.error(
          "warning: the changes are in step, but meetings and audit seals could not be shared (\(problem)); run 'rectrack sync' again later."
        )
      }
    }
  }
}
