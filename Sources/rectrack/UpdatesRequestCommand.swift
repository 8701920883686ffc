import ArgumentParser
import Foundation
import RecTrackCore

enum RequestFormat: String, ExpressibleByArgument, CaseIterable {
  case eml, xlsx, csv, md
}

extension ReturnSheet.Format: ExpressibleByArgument {}
extension UpdateRequests.Recipient: ExpressibleByArgument {}

extension Rectrack {
  struct UpdatesRequest: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "request",
      abstract: "Write one update request per owner (.eml with the return sheet, or the sheet alone).",
      discussion: """
        Each owner is asked about their recommendations that are not finished and are overdue, \
        due on or before --before (default: the next meeting in 'paper: meetings:' of \
        rectrack.yml, else 30 days from today), awaiting verification, or have had no change \
        recorded since the last meeting. Email addresses come from 'owners:' in rectrack.yml. An \
        owner with nothing to ask gets no file. Each request is recorded as a tag \
        updates/DAY/OWNER (what was asked, of whom, reply by --before), so 'updates status' and \
        the meeting paper can say who replied; --dry-run writes the files without recording.

        Examples:
          rectrack updates request --before 2024-02-06 --output requests/
          rectrack updates request --owner "Chief Constable" --format xlsx --output cc.xlsx
          rectrack updates request --attach csv --output requests/
          rectrack updates request --to lead --output requests/
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(
      help: ArgumentHelp(
        "Ask about recommendations due on or before this day, the reply-by day (default: the next meeting).",
        valueName: "date"))
    var before: String?
    @Option(help: "Only this owner's (or with --to lead, this lead's) request.", completion: Complete.owners)
    var owner: String?
    @Option(
      help: ArgumentHelp(
        "owner (each recommendation's owner) or lead (its lead where 'owners:' in rectrack.yml "
          + "lists them, else its owner)."))
    var to: UpdateRequests.Recipient = .owner
    @Option(
      help: ArgumentHelp(
        "eml (an email ready to send, the sheet attached), xlsx or csv (the return sheet alone) "
          + "or md (for printing)."))
    var format: RequestFormat = .eml
    @Option(help: "The return sheet attached to an .eml: xlsx (an Excel workbook) or csv.")
    var attach: ReturnSheet.Format = .xlsx
    @Option(
      help: ArgumentHelp(
        "A folder (one file per owner) or, for one owner, a file name.", valueName: "folder|file"))
    var output: String
    @Flag(name: .customLong("dry-run"), help: "Write the files but do not record the requests.")
    var dryRun = false

    func run() throws {
      let repo = try repoOptions.open()
      warnAboutUncommitted(repo)
      let day = try updatesDay()
      let nextMeeting = try PaperSettings(settingsText: repo.settings.text).meetings.first { $0 > day }
      let cutOff =
        try before.map { (t) throws(TrackingError) -> CalendarDate in try parseDate(t, option: "--before") }
        ?? nextMeeting ?? day.adding(days: 30)
      let requests = try UpdateRequests.build(
        repo: repo, today: day, before: cutOff, owner: owner, to: to)
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
      let intoFolder = output.hasSuffix("/") || (exists && isDirectory.boolValue)
      if !intoFolder, requests.requests.count > 1 {
        throw TrackingError.usage(
          "\(requests.requests.count) owners have something to ask, so --output must be a folder (e.g. --output requests/), or add --owner NAME for one file."
        )
      }
      var written: [(file: String, request: UpdateRequests.OwnerRequest)] = []
      if intoFolder, !requests.requests.isEmpty {
        do {
          try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
          throw TrackingError.io("could not create the folder \(output): \(error.localizedDescription)")
        }
      }
      let organisation = repo.settings.organisation
      let from = try repo.git.defaultSignature().map { (name: $0.name, email: $0.email) }
      let now = try Signature.now()
      for request in requests.requests {
        let bytes: [UInt8]
        switch format {
        case .eml:
          bytes = Array(
            try RequestMessage.eml(
              request, requests: requests, organisation: organisation, from: from,
              time: (now.time, now.offset), sheet: attach
            ).utf8)
        case .xlsx: bytes = try ReturnSheet.xlsx(request, madeFrom: requests.madeFrom)
        case .csv: bytes = Array(ReturnSheet.csv(request, madeFrom: requests.madeFrom).utf8)
        case .md:
          bytes = Array(RequestMessage.markdown(request, requests: requests, organisation: organisation).utf8)
        }
        let file =
          intoFolder
          ? URL(fileURLWithPath: output).appendingPathComponent(
            UpdateRequests.fileStem(for: request.owner) + "." + format.rawValue
          ).path
          : output
        do {
          let url = URL(fileURLWithPath: file)
          try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
          try Data(bytes).write(to: url, options: .atomic)
        } catch {
          throw TrackingError.io("could not write \(file): \(error.localizedDescription)")
        }
        written.append((file, request))
      }
      var tags: [String: String] = [:]
      if !dryRun, !written.isEmpty {
        let office = try Signature.author(nil, repository: repo.git)
        tags = try UpdateLog.record(requests, tagger: office, in: repo)
      }
      Console.out(summary(requests, written: written, intoFolder: intoFolder, tags: tags))
      let noEmail = written.filter { $0.request.email == nil }.map(\.request.owner)
      if format == .eml, !noEmail.isEmpty {
        Console.error(
          "warning: no email address for \(noEmail.joined(separator: "; ")) in rectrack.yml, so "
            + "\(noEmail.count == 1 ? "that request has" : "those requests have") no recipient. Add them under "
            + "'owners:' (see docs/updates.md), or fill in To: before sending.")
      }
    }

    /// `text` wrapped to `width`, the first line after `first`, the others after `rest`.
    func para(_ text: String, _ width: Int, _ first: String, _ rest: String) -> [String] {
      let body = TextTable.wrap(text, width: max(20, width - rest.count), parts: nil)
      return body.enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }
    }

    func summary(
      _ requests: UpdateRequests, written: [(file: String, request: UpdateRequests.OwnerRequest)],
      intoFolder: Bool, tags: [String: String]
    ) -> String {
      var lines: [String] = []
      let width = Console.width
      let basis = "Asked about: each recommendation " + RequestMessage.basis(requests) + "."
      if written.isEmpty {
        lines += para(
          "Nothing to ask: no recommendation is " + RequestMessage.basis(requests) + ".", width, "", "")
      } else {
        let folder = intoFolder ? output : nil
        lines.append(
          "Wrote \(written.count) request\(written.count == 1 ? "" : "s")"
            + (folder.map { " in \($0)" } ?? "") + ":")
        for (file, request) in written {
          let n = request.items.count
          let name = folder == nil ? file : URL(fileURLWithPath: file).lastPathComponent
          lines += para(
            "\(name): \(request.owner), \(n) recommendation\(n == 1 ? "" : "s")", width, "  ", "    ")
        }
        lines += para(basis, width, "", "")
        let replyBy = "reply by \(requests.before.longText)"
        if dryRun {
          lines += para("Not recorded (--dry-run): 'updates status' will not show these.", width, "", "")
        } else if !tags.isEmpty {
          let names = Set(tags.values).sorted()
          lines += para(
            "Recorded as \(names.count == 1 ? "the tag" : "tags") \(names.joined(separator: ", ")) (\(replyBy)); "
              + "'rectrack updates status' shows who has replied.", width, "", "  ")
        }
      }
      if !requests.nothingToAsk.isEmpty {
        lines += para(
          "Nothing to ask of: \(requests.nothingToAsk.joined(separator: "; ")) (no file written).", width, "",
          "  ")
      }
      if !written.isEmpty {
        lines += para(
          format == .md
            ? "Print or send these; the return sheets come with --format eml, xlsx or csv."
            : "Send each file to its owner; record the returned sheet with 'rectrack updates record FILE'.",
          width, "", "")
      }
      return lines.joined(separator: "\n") + "\n"
    }
  }
}
