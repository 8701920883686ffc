import ArgumentParser
import Foundation
import RecTrackCore

enum MeetingListFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

extension Rectrack {
  /// `rectrack meeting add|list`: the review-meeting calendar, kept as git tags.
  struct Meeting: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "meeting",
      abstract: "Record review meetings (as tags meeting/YYYY-MM-DD) and list them.",
      discussion: """
        A meeting is an annotated git tag on the commit its paper is built from (HEAD, or --at), \
        so every clone sees the same calendar (push it with: git push origin 'refs/tags/meeting/*') \
        and 'rectrack summary --meeting' gives the paper as circulated. 'rectrack summary' \
        compares a meeting with the one before it.

        Examples:
          rectrack meeting add 2022-01-20 --title "Police, Fire and Crime Panel"
          rectrack meeting add 2021-10-14 --title "Panel" --at 2021-10-14
          rectrack meeting list --format json
        """,
      subcommands: [Add.self, MeetingList.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record a meeting on a day.")

      @OptionGroup var repoOptions: RepoOptions
      @Argument(help: ArgumentHelp("The meeting day.", valueName: "date"))
      var date: String
      @Option(help: "The meeting's name, e.g. \"Police and Crime Panel\".")
      var title: String
      @Option(help: "Anything else to remember about it (agenda item, minute reference).")
      var notes: String?
      @Option(
        help: ArgumentHelp(
          "Who records it, as \"Name <email>\" (default: git's user.name and user.email).",
          valueName: "name <email>"))
      var author: String?
      @Option(
        help: ArgumentHelp(
          "The commit the paper was built from, when not HEAD: a commit, tag, branch, or a day (the last "
            + "commit recorded on or before it). Needed when commits were recorded after the meeting day.",
          valueName: "REV"))
      var at: String?

      func run() throws {
        let day = try parseDate(date, option: "DATE")
        let repo = try repoOptions.open()
        let tagger = try Signature.author(author, repository: repo.git)
        let rev = try at.map { (t) throws(TrackingError) in
          try RecordedAt.parse(t, in: repo.git, option: "--at")
        }
        let m = try MeetingCalendar.add(
          date: day, title: title, notes: notes, tagger: tagger, at: rev, in: repo)
        let text =
          "Recorded meeting \(m.date) \"\(m.title)\" as tag \(m.tag) on commit \(String(m.commit.prefix(10)))"
          + (at == nil ? " (HEAD)" : "") + ": its paper is built from that commit."
        Console.out(TextTable.wrap(text, width: Console.width, indent: ""))
      }
    }

    struct MeetingList: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the recorded meetings.")

      @OptionGroup var repoOptions: RepoOptions
      @Option(help: "table or json.")
      var format: MeetingListFormat = .table
      @OptionGroup var display: DisplayOptions

      func run() throws {
        let repo = try repoOptions.open()
        let meetings = try MeetingCalendar.list(in: repo)
        switch format {
        case .json:
          let encoder = JSONEncoder()
          encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
          Console.data(String(decoding: try encoder.encode(meetings), as: UTF8.self) + "\n")
        case .table:
          if meetings.isEmpty {
            let text = "No meetings recorded. Add one: rectrack meeting add YYYY-MM-DD --title \"...\""
            Console.out(display.width.map { TextTable.wrap(text, width: $0, indent: "") } ?? text + "\n")
          }
          if meetings.isEmpty { return }
          var table = TextTable([
            .init("DATE", head: true), .init("COMMIT", optional: true, head: true),
            .init("TITLE", wraps: true, minWidth: 16), .init("NOTES", wraps: true, minWidth: 16),
          ])
          if !meetings.contains(where: { $0.notes != nil }) { table.columns.removeLast() }
          for m in meetings {
            let cells = [m.date.description, String(m.commit.prefix(10)), m.title, m.notes ?? ""]
            table.add(Array(cells.prefix(table.columns.count)))
          }
          Console.out(table.render(width: display.width))
        }
      }
    }
  }
}
