import ArgumentParser
import Foundation
import RecTrackCore

enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
  case md, html, json, pdf, docx
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

        --format pdf prints the HTML paper through WeasyPrint (else headless Chromium): A4, \
        "Page N of M", a running header. --format docx converts it with pandoc for Word. Both \
        need --output. The front matter (title, author, purpose, what the panel is asked to do, \
        the meeting schedule) comes from the paper: section of rectrack.yml; the options below \
        override it for one run.

        Examples:
          rectrack summary --meeting 2022-01-20 --format html --output panel-2022-01.html
          rectrack summary --meeting 2022-01-20 --recorded-at HEAD
          rectrack summary --as-of 2021-12-31 --since 2021-06-30
          rectrack summary --format json | jq .headline
          rectrack summary --meeting 2022-01-20 --format pdf --output panel.pdf
          rectrack summary --format docx --agenda-item 5 --output p.docx
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(
      help: ArgumentHelp("The recorded meeting to write the paper for.", valueName: "date"),
      completion: Complete.meetings)
    var meeting: String?
    @Option(
      name: .customLong("as-of"), help: ArgumentHelp("Any day instead of a meeting.", valueName: "date"))
    var asOf: String?
    @Flag(
      name: .customLong("since-meeting"),
      help: "Compare with the previous meeting (the default when there is one).")
    var sinceMeeting = false
    @Option(help: ArgumentHelp("Compare with this day instead (changes after it count).", valueName: "date"))
    var since: String?
    @Option(help: "md, html, json, pdf or docx (pdf and docx need --output).")
    var format: SummaryFormat = .md
    @Option(
      name: .customLong("agenda-item"),
      help: ArgumentHelp("The paper's agenda item, e.g. 5.", valueName: "text"))
    var agendaItem: String?
    @Option(
      name: .customLong("author"),
      help: ArgumentHelp("Who wrote the paper, e.g. \"Siân Rowlands, Policy Officer\".", valueName: "name"))
    var paperAuthor: String?
    @Option(name: .customLong("paper-title"), help: ArgumentHelp("The report's title.", valueName: "text"))
    var paperTitle: String?
    @Option(help: ArgumentHelp("The paper's purpose, one sentence.", valueName: "text"))
    var purpose: String?
    @Option(name: .customLong("ask"), help: ArgumentHelp("What the panel is asked to do.", valueName: "text"))
    var ask: String?
    @Option(
      name: .customLong("next-meeting"),
      help: ArgumentHelp(
        "The next meeting's day, for \"due before the next meeting\" (default: paper.meetings).",
        valueName: "YYYY-MM-DD"))
    var nextMeeting: String?
    @Option(
      help: ArgumentHelp(
        "Another template in the repository's Templates/ (default: summary.md.mustache or summary.html.mustache).",
        valueName: "name"), completion: Complete.templates)
    var template: String?
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?
    @OptionGroup var cache: CacheOption
    @OptionGroup var recordedAt: RecordedAtOption

    func validate() throws {
      if meeting != nil && asOf != nil { throw ValidationError("Use --meeting or --as-of, not both.") }
      if sinceMeeting && since != nil { throw ValidationError("Use --since-meeting or --since, not both.") }
      if template != nil && format == .json {
        throw ValidationError(
          "--template applies to --format md, html, pdf or docx; json prints the data itself.")
      }
      if (format == .pdf || format == .docx) && output == nil {
        throw ValidationError(
          "--format \(format.rawValue) writes a file: add --output panel.\(format.rawValue)")
      }
    }

    /// The warnings about the repository's own template, and one notice line when it is an older
    /// rectrack's built-in template that 'rectrack templates refresh' would replace.
    func warnAboutTemplate(_ name: String, in store: TemplateStore, head: TrackingRepository) {
      let file = name.hasSuffix(".mustache") ? name : name + ".mustache"
      for w in store.warnings(forTemplate: file) { Console.error("warning: " + w) }
      if let notice = store.olderCopyNotice(forTemplate: file, head: TemplateStore(repo: head)) {
        Console.error("notice: " + notice)
      }
    }

    func run() throws {
      let base = try repoOptions.openForReading()
      let rev = try recordedAt.revision(base)
      var overrides = PaperSettings()
      overrides.agendaItem = agendaItem
      overrides.author = paperAuthor
      overrides.title = paperTitle
      overrides.purpose = purpose
      overrides.recommendation = ask
      let next = try nextMeeting.map { (text) throws -> CalendarDate in
        try parseDate(text, option: "--next-meeting")
      }
      // Found before anything is computed, so a missing engine costs nothing and writes nothing.
      let engine: PaperConverter.Engine?
      switch format {
      case .pdf, .docx:
        let target: PaperConverter.Target = format == .pdf ? .pdf : .docx
        guard let found = PaperConverter.engine(for: target) else {
          throw TrackingError.usage(PaperConverter.missingEngineMessage(target))
        }
        engine = found
      default:
        engine = nil
      }
      var request = PaperRequest(
        meeting: try meeting.map { (t) throws(TrackingError) in try parseDate(t, option: "--meeting") },
        asOf: try asOf.map { (t) throws(TrackingError) in try parseDate(t, option: "--as-of") },
        since: try since.map { (t) throws(TrackingError) in try parseDate(t, option: "--since") },
        sinceMeeting: sinceMeeting, recordedAt: rev, today: today())
      request.paperOverrides = overrides
      request.nextMeeting = next
      request.usingCache = !cache.noCache
      let text: String
      var document: [UInt8]?
      switch format {
      case .json, .md, .html:
        // Remembered: regenerating the same paper from the same records reads one small file.
        let name =
          format == .json ? nil : template ?? SummaryRenderer.defaultTemplate(forFormat: format.rawValue)
        let paper = try Summary.rememberedOutput(request, in: base, format: format.rawValue, template: name) {
          (paper) throws(TrackingError) -> String in
          guard let name else { return SummaryRenderer.json(paper.summary) }
          return try SummaryRenderer.render(
            paper.summary, template: name, store: TemplateStore(repo: paper.repo))
        }
        warnings(recordedAt: paper.recordedAt, paper.warnings, base)
        if let name { warnAboutTemplate(name, in: TemplateStore(repo: paper.repo), head: base) }
        text = paper.text
      case .pdf, .docx:
        let paper = try Summary.paper(request, in: base)
        warnings(recordedAt: paper.summary.recordedAt, paper.summary.warnings, base)
        let name = template ?? SummaryRenderer.defaultTemplate(forFormat: "html")
        let store = TemplateStore(repo: paper.repo)
        warnAboutTemplate(name, in: store, head: base)
        let html = try SummaryRenderer.render(paper.summary, template: name, store: store)
        document = try PaperConverter.convert(
          html: html, to: format == .pdf ? .pdf : .docx, engine: engine!)
        text = ""
      }
      if let output {
        try OutputFile.write(document.map { Array($0) } ?? Array(text.utf8), to: output)
        Console.error("Wrote \(output)" + (engine.map { " (made with \($0.name))" } ?? ""))
      } else if format == .md {
        Console.out(text)
      } else {
        Console.data(text)
      }
    }

    /// The warnings of a paper: uncommitted working files (only when it is built from HEAD, not
    /// a meeting's tag), and files the summary left out.
    func warnings(recordedAt: String?, _ left: [String], _ base: TrackingRepository) {
      if let head = try? base.recordedAt, recordedAt == head.hex { warnAboutUncommitted(base) }
      for w in left { Console.error("warning: \(w)") }
    }
  }
}
