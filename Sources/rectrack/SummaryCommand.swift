import ArgumentParser
import Foundation
import RecTrackCore

enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
  case md, html, json
}

extension Rectrack {
  /// `rectrack summary`: the paper for a review meeting.
  struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "summary",
      abstract: "Write the progress paper for a review meeting: what changed since the last one.",
      discussion: """
        Computed as of the meeting day (a commit counts from its 'Effective:' trailer, else its \
        author's day) and compared with the previous meeting, or --since. Without --meeting or \
        --as-of, the latest recorded meeting is used (else today).

        A meeting's paper is built from the history as recorded at its tag, so it comes out \
        the same, byte for byte, whenever it is made again (the paper as circulated). The \
        previous meeting's figures are shown as its paper circulated them, beside the same \
        day as restated by anything recorded later (each such record is listed). \
        --recorded-at HEAD restates the paper with everything recorded since.

        Markdown and HTML come from Mustache templates: Templates/summary.md.mustache and \
        summary.html.mustache in the tracking repository when it has them, else the built-in \
        ones. --format json prints the data the templates get (docs/summaries.md).

        Examples:
          rectrack summary --meeting 2022-01-20 --format html --output panel-2022-01.html
          rectrack summary --meeting 2022-01-20 --recorded-at HEAD
          rectrack summary --as-of 2021-12-31 --since 2021-06-30
          rectrack summary --format json | jq .headline
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(
      help: ArgumentHelp("The recorded meeting to write the paper for.", valueName: "date"),
      completion: Complete.meetings)
    var meeting: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Any day instead of a meeting.", valueName: "date"))
    var asOf: String?
    @Flag(name: .customLong("since-meeting"), help: "Compare with the previous meeting (the default when there is one).")
    var sinceMeeting = false
    @Option(help: ArgumentHelp("Compare with this day instead (changes after it count).", valueName: "date"))
    var since: String?
    @Option(help: "md, html or json.")
    var format: SummaryFormat = .md
    @Option(help: ArgumentHelp(
      "Another template in the repository's Templates/ (default: summary.md.mustache or summary.html.mustache).",
      valueName: "name"), completion: Complete.templates)
    var template: String?
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?
    @OptionGroup var recordedAt: RecordedAtOption

    func validate() throws {
      if meeting != nil && asOf != nil { throw ValidationError("Use --meeting or --as-of, not both.") }
      if sinceMeeting && since != nil { throw ValidationError("Use --since-meeting or --since, not both.") }
      if template != nil && format == .json {
        throw ValidationError("--template applies to --format md or html; json prints the data itself.")
      }
    }

    func run() throws {
      let base = try repoOptions.open()
      let rev = try recordedAt.revision(base)
      let paper = try Summary.paper(
        PaperRequest(
          meeting: try meeting.map { (t) throws(TrackingError) in try parseDate(t, option: "--meeting") },
          asOf: try asOf.map { (t) throws(TrackingError) in try parseDate(t, option: "--as-of") },
          since: try since.map { (t) throws(TrackingError) in try parseDate(t, option: "--since") },
          sinceMeeting: sinceMeeting, recordedAt: rev, today: today()),
        in: base)
      let summary = paper.summary
      // Working files matter only when the paper is built from HEAD (not a meeting's tag).
      if let head = try base.recordedAt, summary.recordedAt == head.hex { warnAboutUncommitted(base) }
      for w in summary.warnings { Console.error("warning: \(w)") }
      let text: String
      switch format {
      case .json: text = SummaryRenderer.json(summary)
      case .md, .html:
        text = try SummaryRenderer.render(
          summary, template: template ?? SummaryRenderer.defaultTemplate(forFormat: format.rawValue),
          store: TemplateStore(repo: paper.repo))
      }
      if let output {
        do {
          try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
          throw TrackingError.io("could not write \(output): \(error.localizedDescription)")
        }
        Console.error("Wrote \(output)")
      } else {
        Console.out(text)
      }
    }
  }
}
