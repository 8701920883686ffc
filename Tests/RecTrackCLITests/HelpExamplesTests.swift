import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// Every example `--help` prints, copied as printed at 80 columns (and fitting 60), runs as written
/// in bash against a scratch tracking repository.
@Suite(.serialized) struct HelpExamplesTests {
  static let commands: [[String]] = [
    [], ["init"], ["new"], ["list"], ["show"], ["status"], ["update"], ["validate"], ["log"], ["progress"],
    ["meeting"], ["meeting", "add"], ["meeting", "list"], ["summary"], ["audit"], ["edit"], ["import"],
    ["export"], ["sync"], ["updates"], ["updates", "request"], ["updates", "record"],
    ["updates", "status"],
    ["templates"],
  ]

  /// The examples of a help text: the indented lines under "Example(s):" or "Shell completion:",
  /// a line ending in " \" joined with the next as the shell joins them.
  static func examples(in help: String) -> [String] {
    var result: [String] = []
    var inBlock = false
    var current: String?
    for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("Example") && trimmed.hasSuffix(":") || trimmed == "Shell completion:" {
        inBlock = true
        continue
      }
      if trimmed.isEmpty || !line.hasPrefix("  ") { inBlock = false }
      guard inBlock || current != nil else { continue }
      let joined = (current.map { $0 + "\n" } ?? "") + line
      if trimmed.hasSuffix("\\") {
        current = joined
      } else {
        result.append(joined)
        current = nil
      }
    }
    return result
  }

  /// A scratch world: HOME with a git identity, fake editors, a tracking repository with
  /// DP-DDR-01 (recorded in 2020), a meeting on 2022-01-20, a remote, and the CSV files the
  /// examples name.
  final class World {
    let root: String
    var repo: String { root + "/repo" }
    var home: String { root + "/home" }
    var bin: String { root + "/bin" }
    var env: [String: String] = [:]

    init(withRecommendation: Bool = true, withMeeting: Bool = true, withReturn: Bool = false) throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("rectrack-examples-\(UUID())").path
      let fm = FileManager.default
      for d in [repo, home + "/.local/share/bash-completion/completions", bin] {
        try fm.createDirectory(atPath: d, withIntermediateDirectories: true)
      }
      try "[user]\n\tname = Jane Smith\n\temail = jane.smith@opcc.example.org\n"
        .write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
      try fm.createSymbolicLink(atPath: bin + "/rectrack", withDestinationPath: CLI.executable)
      // Editors that change the owner line, as a person would.
      for editor in ["vi", "nano"] {
        let path = bin + "/" + editor
        try "#!/bin/sh\nsed -i 's/^owner: .*/owner: Head of Intelligence/' \"$1\"\n"
          .write(toFile: path, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
      }
      env = [
        "HOME": home, "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        "COLUMNS": "80", "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "VISUAL": "", "EDITOR": "",
        "GIT_CONFIG_GLOBAL": home + "/.gitconfig",
      ]
      // Recorded in 2020 (committer dates too), so a meeting in 2022 is tagged on HEAD.
      try sh(
        "GIT_AUTHOR_DATE=2020-01-10T10:00:00+00:00 GIT_COMMITTER_DATE=2020-01-10T10:00:00+00:00"
          + " rectrack init . --organisation 'Office of the PCC for Dyfed-Powys'")
      if withRecommendation {
        try sh(
          "GIT_AUTHOR_DATE=2020-01-15T10:00:00+00:00 GIT_COMMITTER_DATE=2020-01-15T10:00:00+00:00"
            + " rectrack new --id DP-DDR-01 --title 'Run campaigns'"
            + " --source 'Deep Dive Scrutiny Review - Illegal Drugs' --owner 'Chief Constable'"
            + " --raised 2019-10-01 --due 2020-09-30 --tag intelligence")
        if withMeeting { try sh("rectrack meeting add 2022-01-20 --title 'Police, Fire and Crime Panel'") }
      }
      if withReturn {
        // The owners directory and a returned sheet, for the `updates` examples.
        try sh(
          "printf 'owners:\\n  Chief Constable:\\n    email: cc@police.example.org\\n"
            + "    identity: \"Chief Constable <cc@police.example.org>\"\\n' >> rectrack.yml"
            + " && git commit -qam 'Owners directory'"
            + " && rectrack updates request --owner 'Chief Constable' --format csv"
            + " --output returns/chief-constable.csv"
            + " && rectrack updates request --owner 'Chief Constable' --format xlsx"
            + " --output returns/chief-constable.xlsx")
      }
      try sh(
        "git init -q --bare ../origin.git && git remote add origin ../origin.git && git push -q origin HEAD:main"
      )
      let first = try sh("git rev-list --max-parents=0 HEAD").stdout.trimmingCharacters(
        in: .whitespacesAndNewlines)
      let head = try sh("git rev-parse HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      env["old"] = first
      env["new"] = head
      try """
      Ref,Recommendation,Raised,Lead officer,Status,Target date,Date completed
      NY-01,Publish the force's stop and search data,01/02/2021,Chief Constable,Ongoing,31/03/2022,
      NY-02,Train every officer in trauma-informed practice,01/02/2021,Head of Training,Complete,30/06/2021,15/06/2021

      """.write(toFile: repo + "/tracker.csv", atomically: true, encoding: .utf8)
      try """
      id,status,title,owner,source,raised,due,priority,lead,tags,file
      NY-03,open,Review custody healthcare,Chief Constable,Custody review,2021-02-01,2021-12-31,,,,Recommendations/NY-03.yml

      """.write(toFile: repo + "/export.csv", atomically: true, encoding: .utf8)
      // import's examples: a workbook and a dated log.
      let book = try WorkbookWriter.xlsx(
        sheetName: "Tracker", header: ["Ref", "Title", "Owner", "Date raised"],
        rows: [
          [
            .text("NY-04"), .text("Fund outreach"), .text("PCC"),
            .date(CalendarDate(year: 2021, month: 2, day: 1)!),
          ]
        ])
      try Data(book).write(to: URL(fileURLWithPath: repo + "/tracker.xlsx"))
      try """
      Ref,Update date,Title,Owner,Status,Comment
      L-1,01/02/2021,Publish the data,Chief Constable,open,
      L-1,15/03/2021,,,in-progress,Data team engaged

      """.write(toFile: repo + "/log.csv", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    @discardableResult
    func sh(_ script: String) throws -> ProcessResult {
      let r = try runProcess("/bin/bash", ["-o", "pipefail", "-c", script], in: repo, environment: env)
      if r.status != 0 { throw ProcessError.failed(script, r.stderr) }
      return r
    }

    func run(_ script: String) throws -> ProcessResult {
      try runProcess("/bin/bash", ["-o", "pipefail", "-c", script], in: repo, environment: env)
    }
  }

  enum ProcessError: Error { case failed(String, String) }

  func help(_ command: [String], width: Int) throws -> String {
    let r = try CLI.run(
      command + ["--help"], in: FileManager.default.temporaryDirectory.path,
      environment: ["COLUMNS": "\(width)"])
    #expect(r.status == 0)
    return r.stdout
  }

  @Test func helpFitsAndExamplesArePrintedAsCommands() throws {
    for width in [60, 80, 120] {
      for command in Self.commands {
        let text = try help(command, width: width)
        let examples = Self.examples(in: text)
        #expect(
          !examples.isEmpty || command == ["meeting", "add"] || command == ["meeting", "list"],
          "\(command): no examples")
        for e in examples {
          for line in e.split(separator: "\n") {
            #expect(line.count <= width, "\(command) at \(width): \(line)")
            #expect(line.hasPrefix("  "), "\(command): \(line)")
          }
          // Copied as printed, an example is one command: quotes are balanced on every
          // physical line, so no line break falls inside a quoted argument.
          for line in e.split(separator: "\n") {
            #expect(line.filter { $0 == "\"" }.count % 2 == 0, "\(command) at \(width): \(line)")
          }
        }
      }
    }
  }

  @Test func everyExampleRunsAsWrittenAt80Columns() throws {
    func installed(_ tools: String...) -> Bool {
      tools.contains { (try? runProcess("/bin/sh", ["-c", "command -v \($0)"]).status) == 0 }
    }
    // What an example needs beyond rectrack (`.ci/run` installs each): skipped, and said so, without it.
    let needs: [(example: String, present: Bool, why: String)] = [
      ("| jq", installed("jq"), "jq is not installed (Debian package jq)"),
      (
        "--format pdf", installed("weasyprint", "chromium"),
        "no PDF engine (Debian package weasyprint or chromium)"
      ),
      ("--format docx", installed("pandoc"), "pandoc is not installed (Debian package pandoc)"),
    ]
    for need in needs where !need.present { print("skipping the '\(need.example)' examples: \(need.why)") }
    var ran = 0
    for command in Self.commands {
      for example in Self.examples(in: try help(command, width: 80)) {
        if needs.contains(where: { !$0.present && example.contains($0.example) }) { continue }
        let world = try World(
          withRecommendation: !example.contains("rectrack new "),
          withMeeting: !example.contains("meeting add"),
          withReturn: example.contains("updates record"))
        // `audit acknowledge ID` needs a finding's id, which only a real audit gives
        // (WhoMayDoWhatTests runs it); an old `--effective` date is recorded on a day near it.
        if example.contains("acknowledge ID") { continue }
        if example.contains("--effective 2020-") {
          world.env["GIT_AUTHOR_DATE"] = "2020-07-10T10:00:00+01:00"
          world.env["GIT_COMMITTER_DATE"] = "2020-07-10T10:00:00+01:00"
        }
        let r = try world.run(example)
        #expect(r.status == 0, "\(command): \(example)\nstdout: \(r.stdout)\nstderr: \(r.stderr)")
        ran += 1
      }
    }
    #expect(ran >= 35)
  }
}
