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
        A meeting is an annotated git tag on the last commit authored on or before the meeting \
        day, so every clone sees the same calendar (push it with: git push origin 'refs/tags/meeting/*'). \
        'rectrack summary' compares a meeting with the one before it.

        Examples:
          rectrack meeting add 2022-01-20 --title "Police, Fire and Crime Panel"
          rectrack meeting list --format json
        """,
      subcommands: [Add.self, MeetingList.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record a meeting on a day.")

      @OptionGroup var repoOptions: RepoOptions
      @Argument(help: ArgumentHelp("The meeting day.", valueName: "YYYY-MM-DD"))
      var date: String
      @Option(help: "The meeting's name, e.g. \"Police and Crime Panel\".")
      var title: String
      @Option(help: "Anything else to remember about it (agenda item, minute reference).")
      var notes: String?
      @Option(help: ArgumentHelp(
        "Who records it, as \"Name <email>\" (default: git's user.name and user.email).", valueName: "name <email>"))
      var author: String?

      func run() throws {
        let day = try parseDate(date, option: "DATE")
        let repo = try repoOptions.open()
        let tagger = try Signature.author(author, repository: repo.git)
        let m = try MeetingCalendar.add(date: day, title: title, notes: notes, tagger: tagger, in: repo)
        Console.out("Recorded meeting \(m.date) \"\(m.title)\" as tag \(m.tag) on commit \(String(m.commit.prefix(10))).\n")
      }
    }

    struct MeetingList: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "list", abstract: "List the recorded meetings.")

      @OptionGroup var repoOptions: RepoOptions
      @Option(help: "table or json.")
      var format: MeetingListFormat = .table

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
            Console.out("No meetings recorded. Add one: rectrack meeting add YYYY-MM-DD --title \"...\"\n")
          }
          for m in meetings {
            Console.out("\(m.date)  \(String(m.commit.prefix(10)))  \(VisibleText.line(m.title))\n")
            if let notes = m.notes { Console.out("            \(notes.replacingOccurrences(of: "\n", with: " "))\n") }
          }
        }
      }
    }
  }
}
