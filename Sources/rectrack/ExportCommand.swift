import ArgumentParser
import Foundation
import RecTrackCore

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
  case csv, json
}

extension Rectrack {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write the recommendations as a spreadsheet (CSV) or JSON.",
      discussion: """
        One row per recommendation, sorted by ID, with every field: the known ones first in a \
        fixed order, your own keys after them (A-Z), then the file. The CSV opens in Excel as \
        it is (UTF-8 with BOM) and reads back with 'rectrack import' without any --map.

        Examples:
          rectrack export --format csv > recommendations.csv
          rectrack export --format csv --status in-progress --output in-progress.csv
          rectrack export --format json --owner "Chief Constable"
        """)

    @OptionGroup var repoOptions: RepoOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: "csv or json.")
    var format: ExportFormat = .csv
    @OptionGroup var asOf: AsOfOption
    @Option(
      name: [.customShort("o"), .long],
      help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"),
      completion: .file())
    var output: String?

    func run() throws {
      let repo = try repoOptions.open()
      let day = try asOf.day()
      let catalog = try asOf.catalog(repo)
      report(catalog.problems, shown: catalog)
      let recs = try filters.apply(catalog.recommendations, on: day, workflow: repo.workflow)
      let text = format == .csv ? RecommendationExport.csv(recs) : RecommendationExport.json(recs)
      if let output {
        try OutputFile.write(text, to: output)
        Console.error("Wrote \(recs.count) recommendation\(recs.count == 1 ? "" : "s") to \(output).")
      } else {
        Console.data(text)
      }
    }
  }
}
