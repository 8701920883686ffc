import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct UpdatesStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Who has been asked for an update, who has replied and who is late.",
      discussion: """
        One row per owner: their latest request (recorded by 'updates request' as a tag \
        updates/DAY/OWNER), how many recommendations it asked about, the day the reply is due, \
        the day it came back ('updates record') or "no reply", and "late" when it came after the \
        reply-by day or has not come and that day has passed.

        Examples:
          rectrack updates status
          rectrack updates status --format json
          rectrack updates status --as-of 2024-02-06
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(help: "table or json.")
    var format: MeetingListFormat = .table
    @OptionGroup var display: DisplayOptions
    @Option(
      name: .customLong("as-of"),
      help: ArgumentHelp("Where things stood at the end of this day (default: today).", valueName: "date"))
    var asOf: String?

    /// The JSON document: the day it was computed for and each owner's status.
    struct Output: Encodable {
      var today: CalendarDate
      var owners: [UpdateLog.OwnerStatus]
    }

    func run() throws {
      let repo = try repoOptions.openForReading()
      let day =
        try asOf.map { (t) throws(TrackingError) -> CalendarDate in try parseDate(t, option: "--as-of") }
        ?? today()
      let log = try UpdateLog.record(in: repo)
      let owners = UpdateLog.status(requests: log.requests, replies: log.replies, today: day)
      switch format {
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Console.data(
          String(decoding: try encoder.encode(Output(today: day, owners: owners)), as: UTF8.self) + "\n")
      case .table:
        if owners.isEmpty {
          let text =
            "No update requests recorded. Write them with 'rectrack updates request --output requests/'."
          Console.out(display.width.map { TextTable.wrap(text, width: $0, indent: "") } ?? text + "\n")
          return
        }
        var table = TextTable([
          .init("OWNER", wraps: true, head: true, minWidth: 16), .init("ASKED ON"),
          .init("ITEMS", alignment: .right, minWidth: 5), .init("REPLY BY"), .init("REPLIED ON"),
          .init("LATE", minWidth: 4),
        ])
        for o in owners {
          table.add([
            o.owner, TextTable.humanDate(o.askedOn), String(o.items), TextTable.humanDate(o.replyBy),
            o.repliedOn.map(TextTable.humanDate) ?? "no reply", o.late ? "late" : "",
          ])
        }
        Console.out(table.render(width: display.width))
        let late = owners.filter { $0.late && $0.repliedOn == nil }.count
        if late > 0 {
          let text =
            "\(late) owner\(late == 1 ? " has" : "s have") not replied by the reply-by day: chase them, "
            + "or send a new request (rectrack updates request --owner NAME)."
          Console.out(display.width.map { TextTable.wrap(text, width: $0, indent: "") } ?? text + "\n")
        }
      }
    }
  }
}
