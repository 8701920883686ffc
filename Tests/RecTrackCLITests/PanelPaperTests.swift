import Foundation
import RecTrackTestSupport
import Testing

/// The panel paper (issue 14): its sections computed from history agree with a replay of the
/// same history by the git CLI, and the PDF, Word and HTML papers are real documents that real
/// programs open (WeasyPrint or Chromium, pandoc, LibreOffice, axe-core in Chromium).
@Suite struct PanelPaperTests {
  let repo: TestRepository
  static let day = "2021-10-15"

  static func file(id: String, status: String, due: String?, progress: String? = nil) -> String {
    var lines = [
      "id: \(id)", "title: Recommendation \(id) with a title long enough to wrap in a table cell",
      "source: Review A", "raised: 2020-10-01", "owner: Chief Constable", "status: \(status)",
    ]
    if let due { lines.append("due: \(due)") }
    if let progress { lines += ["progress: |", "  \(progress)"] }
    return lines.joined(separator: "\n") + "\n"
  }

  init() throws {
    repo = try TestRepository()
    func put(_ id: String, _ status: String, _ due: String?, _ progress: String? = nil) throws {
      try repo.write(
        "Recommendations/\(id).yml", Self.file(id: id, status: status, due: due, progress: progress))
    }
    try put("R-1", "open", "2021-03-31")
    try put("R-2", "open", "2021-05-31")
    try put("R-3", "in-progress", "2021-02-28")
    try put("R-4", "open", nil)
    try put("R-5", "open", "2021-12-31")
    try repo.commit("Add five\n", date: "2021-01-05T10:00:00+00:00")
    try put("R-3", "complete", "2021-02-28", "Done, evidence sent.")
    try repo.commit("R-3: in-progress -> complete\n", date: "2021-01-15T10:00:00+00:00")
    try put("R-1", "in-progress", "2021-06-30")
    try repo.commit("R-1: due\n\nReason: Staff shortage\n", date: "2021-03-20T10:00:00+00:00")
    try put("R-2", "complete", "2021-05-31", "Training delivered.")
    try repo.commit("R-2: complete\n", date: "2021-04-02T10:00:00+00:00")
    try put("R-4", "open", nil, "Scoping has started.")
    try repo.commit("R-4: progress\n", date: "2021-04-10T10:00:00+00:00")
    try put("R-1", "in-progress", "2021-09-30", "Half of the stations done.")
    try repo.commit("R-1: due again\n\nReason: Pandemic restrictions\n", date: "2021-06-25T10:00:00+00:00")
    try put("R-5", "closed", "2021-12-31")
    try repo.commit("R-5: closed\n", date: "2021-07-01T10:00:00+00:00")
    try put("R-1", "in-progress", "2021-09-30", "Half of the stations done.")
    try put("R-4", "in-progress", "2021-08-31", "Scoping has started.")
    try repo.commit("R-4: in progress\n", date: "2021-08-01T10:00:00+00:00")
    try put("R-4", "in-progress", "2021-07-31", "Scoping has started.")
    try repo.commit("R-4: brought forward\n\nReason: Extra staff\n", date: "2021-08-02T10:00:00+00:00")
    try put("R-1", "in-progress", "2021-09-30", "All stations done; awaiting sign-off.")
    try repo.commit("R-1: progress\n", date: "2021-09-10T10:00:00+00:00")
  }

  func rectrack(_ args: String..., environment: [String: String] = [:]) throws -> ProcessResult {
    try CLI.run(args + ["--repo", repo.path], in: repo.path, environment: environment)
  }

  func json() throws -> [String: Any] {
    let r = try rectrack(
      "summary", "--as-of", Self.day, "--since", "2021-06-30", "--format", "json", "--next-meeting",
      "2021-12-31")
    #expect(r.status == 0, "\(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  /// One file's versions as the git CLI sees them: (author day, commit, text), oldest first.
  func versions(of id: String) throws -> [(day: String, commit: String, text: String)] {
    let path = "Recommendations/\(id).yml"
    let log = try repo.git.run([
      "log", "--first-parent", "--reverse", "--format=%H %ad", "--date=short", "--", path,
    ])
    return try log.split(separator: "\n").map { line in
      let parts = line.split(separator: " ")
      let text = try repo.git.run(["show", "\(parts[0]):\(path)"])
      return (String(parts[1]), String(parts[0]), text)
    }
  }

  static func field(_ key: String, in text: String) -> String? {
    for line in text.split(separator: "\n") where line.hasPrefix(key + ": ") {
      return String(line.dropFirst(key.count + 2))
    }
    return nil
  }

  static func progress(in text: String) -> String? {
    guard let r = text.range(of: "progress: |\n") else { return nil }
    return text[r.upperBound...].split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
  }

  static func days(_ a: String, _ b: String) -> Int {
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd"
    f.timeZone = TimeZone(identifier: "UTC")
    return Int((f.date(from: b)!.timeIntervalSince(f.date(from: a)!) / 86_400).rounded())
  }

  @Test func sectionsAgreeWithAReplayByTheGitCLI() throws {
    let doc = try json()
    var awaiting: [(String, Int)] = []
    var slippage: [String: (String, String, Int, Int)] = [:]
    var narratives: [String: (String?, String?)] = [:]
    for id in ["R-1", "R-2", "R-3", "R-4", "R-5"] {
      let vs = try versions(of: id).filter { $0.day <= Self.day }
      let status = Self.field("status", in: vs.last!.text)!
      guard status != "closed" else { continue }
      if status == "complete" {
        var since: String?
        var previous: String?
        for v in vs {
          let s = Self.field("status", in: v.text)
          if s == "complete" && previous != "complete" { since = v.day }
          previous = s
        }
        awaiting.append((id, Self.days(since!, Self.day)))
      }
      let dues = vs.map { Self.field("due", in: $0.text) }
      var moves = 0
      for (a, b) in zip(dues, dues.dropFirst()) where a != nil && b != nil && a != b { moves += 1 }
      if moves > 0, let first = dues.compactMap({ $0 }).first, let now = dues.last! {
        slippage[id] = (first, now, moves, Self.days(first, now))
      }
      var updated: String?
      var before: String?
      for v in vs {
        let p = Self.progress(in: v.text)
        if p != before, p != nil { updated = v.day }
        before = p
      }
      narratives[id] = (
        Self.progress(in: vs.last!.text), Self.progress(in: vs.last!.text) == nil ? nil : updated
      )
    }
    awaiting.sort { ($0.1, $1.0) > ($1.1, $0.0) }

    let gotAwaiting = try #require(doc["awaitingVerification"] as? [[String: Any]])
    #expect(gotAwaiting.map { $0["id"] as? String } == awaiting.map(\.0))
    #expect(gotAwaiting.map { $0["days"] as? Int } == awaiting.map(\.1))

    let gotSlippage = try #require(doc["slippage"] as? [[String: Any]])
    #expect(Set(gotSlippage.compactMap { $0["id"] as? String }) == Set(slippage.keys))
    for s in gotSlippage {
      let want = try #require(slippage[s["id"] as! String])
      #expect(s["originalDue"] as? String == want.0)
      #expect(s["due"] as? String == want.1)
      #expect(s["moves"] as? Int == want.2)
      #expect(s["slippageDays"] as? Int == want.3)
    }
    // R-1 slipped twice, with both reasons; R-4's first date was set (not a move), then brought forward.
    let r1 = try #require(gotSlippage.first { $0["id"] as? String == "R-1" })
    let reasons = (r1["history"] as? [[String: Any]])?.compactMap { $0["reason"] as? String }
    #expect(reasons == ["Staff shortage", "Pandemic restrictions"])
    let r4 = try #require(gotSlippage.first { $0["id"] as? String == "R-4" })
    #expect(r4["slippageDays"] as? Int == -31 && r4["slippageText"] as? String == "31 days earlier")

    let gotNarratives = try #require(doc["narratives"] as? [[String: Any]])
    #expect(Set(gotNarratives.compactMap { $0["id"] as? String }) == Set(narratives.keys))
    for n in gotNarratives {
      let want = try #require(narratives[n["id"] as! String])
      #expect(n["progress"] as? String == want.0)
      #expect(n["progressUpdated"] as? String == want.1)
    }

    let soon = try #require(doc["dueBeforeNextMeeting"] as? [[String: Any]])
    #expect(soon.isEmpty, "nothing open is due between 15 October and 31 December but the closed R-5")
    let paper = try #require(doc["paper"] as? [String: Any])
    #expect(paper["dateText"] as? String == "15 October 2021")
    #expect((paper["executiveSummary"] as? [String])?.isEmpty == false)
  }

  /// The front matter names the record the paper is built from by the day it was recorded (as
  /// the git CLI reads the committer date); its commit appears in the appendix only.
  @Test func frontMatterGivesTheRecordsDayAndOnlyTheAppendixItsCommit() throws {
    let head = try repo.head()
    let recorded = try repo.git.run(["log", "-1", "--format=%cd", "--date=format:%-d %B %Y", "HEAD"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    for format in ["md", "html"] {
      let r = try rectrack("summary", "--as-of", Self.day, "--since", "2021-06-30", "--format", format)
      #expect(r.status == 0, "\(r.stderr)")
      let parts = r.stdout.components(separatedBy: "Appendix: commits in the period")
      #expect(parts.count == 2)
      let body = parts[0]
      #expect(body.contains("the record as of \(recorded)"), "\(format): \(body.prefix(1500))")
      #expect(!body.contains(String(head.prefix(7))), "\(format): a commit id before the appendix")
      #expect(parts[1].contains(head), "\(format): the appendix names the commit")
    }
  }

  @Test func frontMatterComesFromRectrackYmlAndTheCommandLine() throws {
    try repo.write(
      "rectrack.yml",
      """
      organisation: Office of the Police and Crime Commissioner
      paper:
        title: "Recommendations tracker: progress report"
        author: "Siân Rowlands, Policy Officer"
        purpose: To update the Panel on progress.
        recommendation: The Panel is asked to note the progress.
        meetings: [2021-06-30, 2021-11-30]

      """)
    try repo.commit("Paper settings\n", date: "2021-09-11T10:00:00+00:00")
    let r = try rectrack("summary", "--as-of", Self.day, "--agenda-item", "7", "--format", "md")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("# Recommendations tracker: progress report\n"))
    #expect(r.stdout.contains("**Agenda item:** 7"))
    #expect(r.stdout.contains("**Author:** Siân Rowlands, Policy Officer"))
    #expect(r.stdout.contains("The Panel is asked to note the progress."))
    #expect(r.stdout.contains("## Due before the next meeting (30 November 2021)"))
    let bad = try rectrack("summary", "--as-of", Self.day, "--next-meeting", "next tuesday")
    #expect(bad.status == 2 && bad.stderr.contains("--next-meeting"))
  }

  static let pdfEngine = which("weasyprint") ?? which("chromium")

  @Test(
    .enabled(if: pdfEngine != nil, "needs WeasyPrint or Chromium (apt-get install weasyprint) and pdftotext"))
  func pdfHasPageNumbersARunningHeaderAndEverySection() throws {
    let out = repo.path + "/../paper-\(UUID().uuidString).pdf"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let r = try rectrack(
      "summary", "--as-of", Self.day, "--since", "2021-06-30", "--format", "pdf", "--output", out,
      "--next-meeting",
      "2021-12-31")
    #expect(r.status == 0, "\(r.stderr)")
    let pdf = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(pdf.starts(with: Data("%PDF-".utf8)))
    guard which("pdftotext") != nil else {
      Issue.record("pdftotext is missing (apt-get install poppler-utils): the PDF's text was not checked")
      return
    }
    let text = try runProcess(which("pdftotext")!, ["-layout", out, "-"]).stdout
    let pages = text.components(separatedBy: "\u{0C}").filter {
      !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    #expect(pages.count >= 2)
    for (k, page) in pages.enumerated() {
      #expect(page.contains("Page \(k + 1) of \(pages.count)"), "page \(k + 1) has no page number")
    }
    for heading in [
      "Recommendation to the panel", "Executive summary", "Headline figures", "New since the last meeting",
      "Closed since the last meeting", "Awaiting verification by the office", "Overdue",
      "Due before the next meeting", "Due-date history", "Progress of every open recommendation",
      "Appendix: commits in the period",
    ] {
      #expect(text.contains(heading), "the PDF has no section '\(heading)'")
    }
    #expect(text.contains("15 October 2021"))
    #expect(!text.contains("file://"))
  }

  @Test func withoutAnEngineNothingIsWritten() throws {
    let out = repo.path + "/../never-\(UUID().uuidString).pdf"
    let r = try rectrack(
      "summary", "--as-of", Self.day, "--format", "pdf", "--output", out,
      environment: ["RECTRACK_PDF_ENGINE": "/nonexistent/weasyprint"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("no PDF engine found") && r.stderr.contains("apt-get install weasyprint"))
    #expect(r.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: out))
    let docx = try rectrack(
      "summary", "--as-of", Self.day, "--format", "docx", "--output", out,
      environment: ["RECTRACK_DOCX_ENGINE": "/nonexistent/pandoc"])
    #expect(docx.status == 2 && docx.stderr.contains("pandoc"))
    let noOutput = try rectrack("summary", "--format", "pdf")
    #expect(noOutput.status == 2 && noOutput.stderr.contains("--output"))
  }

  static let office = which("soffice") ?? which("libreoffice")

  @Test(
    .enabled(
      if: which("pandoc") != nil && office != nil,
      "needs pandoc and LibreOffice (apt-get install pandoc libreoffice-writer-nogui)"))
  func wordPaperOpensInLibreOffice() throws {
    let dir = try TemporaryDirectory(prefix: "rectrack-docx")
    let out = dir.path + "/paper.docx"
    let r = try rectrack(
      "summary", "--as-of", Self.day, "--since", "2021-06-30", "--format", "docx", "--output", out)
    #expect(r.status == 0, "\(r.stderr)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(bytes.starts(with: Data("PK".utf8)))
    // LibreOffice opens it and converts it to PDF: a document it had to repair would not convert.
    let convert = try runProcess(
      Self.office!,
      [
        "--headless", "-env:UserInstallation=file://\(dir.path)/profile", "--convert-to", "pdf", "--outdir",
        dir.path, out,
      ],
      environment: ["HOME": dir.path])
    #expect(convert.status == 0, "\(convert.stderr)")
    let pdf = dir.path + "/paper.pdf"
    #expect(FileManager.default.fileExists(atPath: pdf), "\(convert.stdout) \(convert.stderr)")
    if let pdftotext = which("pdftotext") {
      let text = try runProcess(pdftotext, [pdf, "-"]).stdout
      #expect(text.contains("Executive summary") && text.contains("Due-date history") && text.contains("R-1"))
    }
  }

  /// axe-core's script, shipped inside the PyPI package axe-playwright-python (`.ci/run` installs it).
  static let axeScript: String? = {
    if let p = ProcessInfo.processInfo.environment["RECTRACK_AXE_JS"],
      FileManager.default.fileExists(atPath: p)
    {
      return p
    }
    guard let python = which("python3"),
      let r = try? runProcess(
        python,
        ["-c", "import axe_playwright_python, os; print(os.path.dirname(axe_playwright_python.__file__))"]),
      r.status == 0
    else { return nil }
    let p = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/axe.min.js"
    return FileManager.default.fileExists(atPath: p) ? p : nil
  }()

  /// The violations axe-core finds in `html` under WCAG 2.1 A and AA, run in headless Chromium.
  func axeViolations(_ html: String, in dir: String) throws -> String {
    try FileManager.default.copyItem(atPath: Self.axeScript!, toPath: dir + "/axe.min.js")
    let probe = """
      <script src="axe.min.js"></script><script>
      axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
        .then(function (r) { var p = document.createElement('pre'); p.id = 'axe-result';
          p.textContent = JSON.stringify(r.violations.map(function (v) { return v.id + ': ' + v.help; }));
          document.body.appendChild(p); });
      </script></body>
      """
    try Data(html.replacingOccurrences(of: "</body>", with: probe).utf8).write(
      to: URL(fileURLWithPath: dir + "/page.html"))
    let r = try runProcess(
      which("chromium")!,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir)/profile",
        "--virtual-time-budget=20000",
        "--dump-dom", "file://\(dir)/page.html",
      ])
    guard let start = r.stdout.range(of: "<pre id=\"axe-result\">"),
      let end = r.stdout.range(of: "</pre>", range: start.upperBound..<r.stdout.endIndex)
    else {
      Issue.record("axe-core did not report: \(r.stderr.suffix(500))")
      return "no result"
    }
    return String(r.stdout[start.upperBound..<end.lowerBound])
  }

  @Test(
    .enabled(
      if: which("chromium") != nil && axeScript != nil,
      "needs chromium and axe-core (apt-get install chromium; pip install axe-playwright-python)"))
  func htmlPaperPassesAxeWCAG21AA() throws {
    let r = try rectrack("summary", "--as-of", Self.day, "--since", "2021-06-30", "--format", "html")
    #expect(r.status == 0, "\(r.stderr)")
    let dir = try TemporaryDirectory(prefix: "rectrack-axe")
    #expect(try axeViolations(r.stdout, in: dir.path) == "[]")
    // The check can fail: the same paper with an image without alternative text does.
    let broken = try TemporaryDirectory(prefix: "rectrack-axe")
    let bad = try axeViolations(
      r.stdout.replacingOccurrences(of: "</h1>", with: "</h1><img src=\"x.png\"/>"), in: broken.path)
    #expect(bad.contains("image-alt"))
  }
}
