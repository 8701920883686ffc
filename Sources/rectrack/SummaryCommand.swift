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

        Markdown and HTML come from Mustache templates: Templates/summary.md.mustache and \
        summary.html.mustache in the tracking repository when it has them, else the built-in \
        ones. --format json prints the data the templates get (docs/summaries.md).

        Examples:
          rectrack summary --meeting 2022-01-20 --format html --output panel-2022-01.html
          rectrack summary --as-of 2021-12-31 --since 2021-06-30
          rectrack summary --format json | jq .headline
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(help: ArgumentHelp("The recorded meeting to write the paper for.", valueName: "YYYY-MM-DD"))
    var meeting: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Any day instead of a meeting.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Flag(name: .customLong("since-meeting"), help: "Compare with the previous meeting (the default when there is one).")
    var sinceMeeting = false
    @Option(help: ArgumentHelp("Compare with this day instead (changes after it count).", valueName: "YYYY-MM-DD"))
    var since: String?
    @Option(help: "md, html or json.")
    var format: SummaryFormat = .md
    @Option(help: ArgumentHelp(
      "Another template in the repository's Templates/ (default: summary.md.mustache or summary.html.mustache).",
      valueName: "name"))
    var template: String?
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
      if meeting != nil && asOf != nil { throw ValidationError("Use --meeting or --as-of, not both.") }
      if sinceMeeting && since != nil { throw ValidationError("Use --since-meeting or --since, not both.") }
      if template != nil && format == .json {
        throw ValidationError("--template applies to --format md or html; json prints the data itself.")
      }
    }

    func run() throws {
      let repo = try repoOptions.open()
      warnAboutUncommitted(repo)
      let settings = try SummarySettings(settingsText: repo.settings.text)
      let meetings = try MeetingCalendar.list(in: repo)
      var theMeeting: RecTrackCore.Meeting?
      let day: CalendarDate
      if let meeting {
        let d = try parseDate(meeting, option: "--meeting")
        guard let m = meetings.first(where: { $0.date == d }) else {
          let known = meetings.map(\.date.description).joined(separator: ", ")
          throw TrackingError.usage(
            "no meeting is recorded on \(d). "
              + (known.isEmpty ? "Record one with: rectrack meeting add \(d) --title \"...\"" : "Recorded: \(known)."))
        }
        theMeeting = m
        day = d
      } else if let asOf {
        day = try parseDate(asOf, option: "--as-of")
      } else if let last = meetings.last(where: { $0.date <= today() }) {
        theMeeting = last
        day = last.date
      } else {
        day = today()
      }
      var start: CalendarDate?
      var previous: RecTrackCore.Meeting?
      if let since {
        let d = try parseDate(since, option: "--since")
        guard d < day else { throw TrackingError.usage("--since \(d) must be before the summary's day, \(day).") }
        start = d
        previous = meetings.first { $0.date == d }
      } else if let p = meetings.last(where: { $0.date < day }) {
        start = p.date
        previous = p
      } else if sinceMeeting {
        throw TrackingError.usage("there is no meeting before \(day) to compare with; use --since YYYY-MM-DD.")
      }

      let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
      let summary = try Summary.build(
        repo: repo, history: history,
        request: SummaryRequest(asOf: day, since: start, meeting: theMeeting, previousMeeting: previous),
        settings: settings)
      for w in summary.warnings { Console.error("warning: \(w)") }
      let text: String
      switch format {
      case .json: text = SummaryRenderer.json(summary)
      case .md, .html:
        let name = template ?? SummaryRenderer.defaultTemplate(forFormat: format.rawValue)
        let store = TemplateStore(repo: repo)
        for w in store.warnings(forTemplate: name.hasSuffix(".mustache") ? name : name + ".mustache") {
          Console.error("warning: " + w)
        }
        text = try SummaryRenderer.render(
          summary, template: template ?? SummaryRenderer.defaultTemplate(forFormat: format.rawValue),
          store: TemplateStore(repo: repo))
      }
      if let output {
        try OutputFile.write(text, to: output)
        Console.error("Wrote \(output)")
      } else if format == .md {
        Console.out(text)
      } else {
        Console.data(text)
      }
    }
  }
}
