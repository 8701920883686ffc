import ArgumentParser
import Foundation
import RecTrackCore

extension AuditSeverity: ExpressibleByArgument {}

extension Rectrack {
  struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit",
      abstract:
        "Every change to the recommendations, who made it, and anything that should not have happened.",
      discussion: """
        Walks every commit reachable from HEAD (all parents) that changes \
        Recommendations/: one row per change, then the findings, each with a rule
        id and a severity. Exits 1 when a finding reaches --fail-on (default:
        error), so it can run in CI or in a server's pre-receive hook. \
        docs/audit.md lists the rules, the JSON value and a hook script.

        Examples:
          rectrack audit --since 2021-04-01
          rectrack audit --id DP-DDR-01 --format csv > dp-ddr-01-audit.csv
          rectrack audit --range "$old..$new"     # in a pre-receive hook
          rectrack audit --seal                   # tag HEAD audit/YYYY-MM-DD
          rectrack audit acknowledge ID --note "Re-closed by the office on 4 May"
        """,
      subcommands: [Acknowledge.self])

    @OptionGroup var repoOptions: RepoOptions
    @Option(help: ArgumentHelp("Only changes recorded on or after this day.", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Only changes recorded on or before this day.", valueName: "date"))
    var until: String?
    @Option(help: "Only this recommendation.", completion: Complete.ids, transform: Forgiving.id)
    var id: String?
    @Option(
      help: ArgumentHelp(
        "Only commits in OLD..NEW (reachable from NEW, not from OLD).", valueName: "old..new"))
    var range: String?
    @Option(help: "table, json or csv.")
    var format: ListFormat = .table
    @OptionGroup var display: DisplayOptions
    @Option(
      name: .customLong("fail-on"),
      help: "Exit 1 when a finding is this severe or more: warning or error (info: any finding).")
    var failOn: AuditSeverity = .error
    @Flag(
      help:
        "After auditing, tag HEAD as audit/YYYY-MM-DD so that later rewriting of this history is detected.")
    var seal = false

    func validate() throws {
      if seal && (range != nil || since != nil || until != nil || id != nil) {
        throw ValidationError(
          "--seal audits and tags the whole history of HEAD; it cannot be combined with filters.")
      }
    }

    func run() throws {
      if let id, !TrackingRepository.isValidID(id) { throw TrackingError.invalidID(id) }
      let repo = try repoOptions.openForReading()
      let environment = ProcessInfo.processInfo.environment
      let options = AuditOptions(
        since: try since.map { (t) throws(TrackingError) -> CalendarDate in
          try parseDate(t, option: "--since")
        },
        until: try until.map { (t) throws(TrackingError) -> CalendarDate in
          try parseDate(t, option: "--until")
        },
        id: id, range: range, failOn: failOn, environment: environment)
      let auditor = Auditor(repo: repo)
      try auditor.addObjectDirectories(from: environment)
      let showProgress = Console.stderrIsTerminal
      // JSON without --range (no `base`, the one key before `changes`) is written while the
      // audit walks: the change rows are never all held at once.
      let stream = format == .json && range == nil ? AuditOutput.JSONStream { Console.data(bytes: $0) } : nil
      var streamed = 0
      let report = try auditor.run(
        options,
        progress: { done, total in
          guard showProgress, total >= 1000 else { return }
          FileHandle.standardError.write(
            Data("\rauditing: \(done) of \(total) commits\(done == total ? "\n" : "")".utf8))
        },
        changes: stream.map { stream in
          { (change: AuditChange) in
            stream.add(change)
            streamed += 1
          }
        })
      switch format {
      case .json:
        if let stream {
          stream.finish(report)
        } else {
          AuditOutput.writeJSON(report) { Console.data(bytes: $0) }
        }
      case .csv: Console.data(AuditOutput.csv(report))
      case .table: Console.out(AuditOutput.table(report, width: display.width))
      }
      if seal {
        // The seal is dated when it is made (the committer date, as git dates a tag), never
        // by a typed GIT_AUTHOR_DATE: a later audit checks that date against the tag's name.
        let tagger = try repo.git.defaultSignature().map { (sig) throws(TrackingError) -> Signature in
          let (time, offset) = try Signature.recordedNow()
          return Signature(name: sig.name, email: sig.email, time: time, offsetMinutes: offset)
        }
        let day = tagger?.calendarDate ?? today()
        let (tag, created) = try auditor.seal(
          report, tagger: tagger, on: day, changes: report.changes.count + streamed)
        Console.error(
          created ? "Sealed the audited head as \(tag)." : "The audited head is already sealed as \(tag).")
      }
      if !report.passed {
        throw TrackingError.problemsFound(
          "audit: \(report.counts.error) error(s), \(report.counts.warning) warning(s); failing on \(failOn.rawValue) (see the findings above)."
        )
      }
    }
  }
}
