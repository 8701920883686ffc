import ArgumentParser
import RecTrackCore

extension Rectrack {
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "validate",
      abstract: "Check every recommendation file and rectrack.yml; exit 1 if any has errors.",
      discussion: """
        Checks the working files (what you are about to commit); in a bare repository, HEAD's.

        Example:
          rectrack validate
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Option(help: "text or json.")
    var format: ShowFormat = .text
    @OptionGroup var display: DisplayOptions

    func run() throws {
      let repo = try repoOptions.openForReading()
      let result = try repo.validate()
      switch format {
      case .json:
        let problems: [[String: Any]] = result.problems.map {
          [
            "file": $0.path, "line": $0.line, "column": $0.column, "severity": $0.severity.rawValue,
            "message": $0.message, "hint": $0.hint ?? "",
          ]
        }
        Console.data(
          RecommendationOutput.json(
            [
              "filesChecked": result.filesChecked, "errors": result.errorCount,
              "warnings": result.warningCount,
              "problems": problems,
            ] as [String: Any]))
      case .text:
        for p in result.problems { Console.out(p.text(width: display.width) + "\n") }
        let what = result.checkedWorkingTree ? "working files" : "committed files"
        let summary =
          "\(result.filesChecked) recommendation file\(result.filesChecked == 1 ? "" : "s") checked (\(what)): "
          + "\(result.errorCount) error\(result.errorCount == 1 ? "" : "s"), "
          + "\(result.warningCount) warning\(result.warningCount == 1 ? "" : "s")."
        Console.out(display.width.map { TextTable.wrap(summary, width: $0, indent: "") } ?? summary + "\n")
      }
      if result.errorCount > 0 {
        throw TrackingError.problemsFound(
          "validate: fix the errors above (each names the file, line and what to write), then run 'rectrack validate' again."
        )
      }
    }
  }
}
