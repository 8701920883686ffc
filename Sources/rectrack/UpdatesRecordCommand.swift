import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct UpdatesRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract: "Record an owner's returned sheet: each change a commit by the owner.",
      discussion: """
        Every row is checked before anything is written. Each change is recorded as the owner's \
        identity from 'owners:' in rectrack.yml (you are the committer), with the owner's text as \
        the note. A row for a recommendation the office changed after the request is shown as a \
        conflict and not recorded; a row with nothing new is counted. Exit 1 when some rows were \
        refused or in conflict (the others are recorded), 2 when the file cannot be read.

        Examples:
          rectrack updates record returns/chief-constable.xlsx --dry-run
          rectrack updates record returns/chief-constable.xlsx --returned 17/01/2024
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(
      help: "The returned sheet (.xlsx or .csv, as attached to the request).",
      completion: .file(extensions: ["xlsx", "csv"]))
    var file: String
    @Flag(name: .customLong("dry-run"), help: "Show what each row would do; record nothing.")
    var dryRun = false
    @Option(
      help: ArgumentHelp(
        "The day the owner returned the sheet (default: today); earlier days are recorded as Effective.",
        valueName: "date"))
    var returned: String?
    @Flag(
      name: .customLong("any-owner"), help: "Record rows for recommendations the sheet's owner does not own.")
    var anyOwner = false

    func run() throws {
      let repo = try repoOptions.open()
      guard let data = FileManager.default.contents(atPath: file) else {
        throw TrackingError.io(
          "cannot read \(file): check the path (the returned sheet, e.g. returns/hp.csv).")
      }
      let rows = try ReturnSheet.read(bytes: Array(data), name: file)
      let day = try updatesDay()
      let returnDay =
        try returned.map { (t) throws(TrackingError) -> CalendarDate in
          try parseDate(t, option: "--returned")
        } ?? day
      let plans = try ReturnRecording.plan(
        rows: rows, repo: repo, today: day, returned: returnDay, anyOwner: anyOwner)
      var lines: [String] = []
      var counts = (recorded: 0, unchanged: 0, conflicts: 0, refused: 0)
      var results = plans.map { ReturnRecording.RowResult(plan: $0, commits: [], refusal: nil) }
      // The request this sheet answers, when it was recorded (not written with --dry-run).
      let first = rows.first { !$0.owner.isEmpty && !$0.madeFrom.isEmpty }
      let request = try first.flatMap { (r) throws(TrackingError) -> UpdateLog.Request? in
        try UpdateLog.request(owner: r.owner, madeFrom: r.madeFrom, in: repo)
      }
      if !dryRun {
        let now = try Signature.now()
        results = ReturnRecording.record(
          plans, repo: repo, today: day, returned: returnDay, time: now, request: request?.tag)
      }
      for result in results {
        let plan = result.plan
        let head = "row \(plan.row) \(plan.id.isEmpty ? "(no ID)" : plan.id): "
        switch plan.outcome {
        case .record(let actions):
          let what = actions.map(\.description).joined(separator: "; ")
          if let refusal = result.refusal {
            counts.refused += 1
            lines.append(head + "refused: " + refusal)
          } else if dryRun {
            counts.recorded += 1
            lines.append(head + "would record " + what + " as " + (plan.identity ?? plan.owner))
          } else {
            counts.recorded += 1
            lines.append(
              head + "recorded " + what + " (" + result.commits.map(\.short).joined(separator: ", ") + ")")
          }
        case .unchanged:
          counts.unchanged += 1
          lines.append(head + "nothing new")
        case .conflict(let actions, let differences):
          counts.conflicts += 1
          lines.append(
            head + "conflict: changed in the tracker after the request, so "
              + actions.map(\.description).joined(separator: "; ") + " is not recorded")
          for d in differences {
            lines.append(
              "    \(d.field): the sheet shows \(shown(d.sent)); the tracker now has \(shown(d.now))")
          }
        case .refused(let why):
          counts.refused += 1
          lines.append(head + "refused: " + why)
        }
      }
      let verb = dryRun ? "would be recorded" : "recorded"
      lines.append(
        "\(counts.recorded) \(verb), \(counts.unchanged) with nothing new, \(counts.conflicts) in conflict, "
          + "\(counts.refused) refused (\(file), returned \(returnDay)).")
      if dryRun { lines.append("Nothing was recorded (dry run).") }
      if let request {
        if dryRun {
          lines.append("This is the reply to the request \(request.tag) of \(request.askedOn.longText).")
        } else if let tag = try UpdateLog.recordReply(
          to: request, returned: returnDay, recorded: counts.recorded, unchanged: counts.unchanged,
          notRecorded: counts.conflicts + counts.refused,
          tagger: try Signature.author(nil, repository: repo.git), in: repo)
        {
          lines.append(
            "Noted as the reply to \(request.tag) (asked on \(request.askedOn.longText)): the tag \(tag).")
        } else {
          lines.append("The reply to \(request.tag) was already noted; 'rectrack updates status' shows it.")
        }
      } else if first != nil {
        lines.append(
          "No recorded request matches this sheet (written with --dry-run, or from another clone before "
            + "'rectrack sync'), so 'rectrack updates status' does not count it as a reply.")
      }
      let width = Console.width
      let wrapped = lines.flatMap { line -> [String] in
        let indent = String(line.prefix { $0 == " " })
        let body = TextTable.wrap(
          String(line.dropFirst(indent.count)), width: max(20, width - indent.count - 2), parts: nil)
        return body.enumerated().map { (($0.offset == 0) ? indent : indent + "  ") + $0.element }
      }
      Console.out(wrapped.joined(separator: "\n") + "\n")
      if counts.conflicts + counts.refused > 0 {
        throw TrackingError.problemsFound(
          "\(counts.conflicts + counts.refused) row\(counts.conflicts + counts.refused == 1 ? " was" : "s were") "
            + "not recorded (see above). For a conflict, check the tracker's value with the owner; fix refused rows "
            + "in the sheet and record it again: rows already recorded then show as nothing new.")
      }
    }

    func shown(_ s: String) -> String {
      if s.isEmpty { return "(empty)" }
      let one = s.replacingOccurrences(of: "\n", with: " ")
      return "'" + (one.count > 60 ? one.prefix(57) + "..." : one) + "'"
    }
  }
}
