import ArgumentParser
import Foundation
import RecTrackCore

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
  case csv, json, xlsx
}

extension Rectrack {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write the recommendations as a spreadsheet (CSV or Excel .xlsx) or JSON.",
      discussion: """
        One row per recommendation, sorted by ID, with every field: the known ones first in a \
        fixed order, your own keys after them (A-Z), then the file. The CSV opens in Excel as \
        it is (UTF-8 with BOM) and reads back with 'rectrack import' without any --map.

        Examples:
          rectrack export --format csv > recommendations.csv
          rectrack export --format csv --status in-progress --output in-progress.csv
          rectrack export --format json --owner "Chief Constable"
          rectrack export --format xlsx --output recommendations.xlsx
          rectrack export --recorded-at meeting/2022-01-20 --output as-circulated.csv
        """)

    @OptionGroup var repoOptions: RepoOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: "csv, json or xlsx (an Excel workbook: header bold and frozen, filters, date cells).")
    var format: ExportFormat = .csv
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var recordedAt: RecordedAtOption
    @Option(
      name: [.customShort("o"), .long],
      help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"),
      completion: .file())
    var output: String?

    func run() throws {
      let day = try asOf.day()
      let state = try ReadState.read(try repoOptions.openForReading(), asOf: asOf, recordedAt: recordedAt)
      let catalog = state.catalog
      report(catalog.problems, shown: catalog)
      let recs = try filters.apply(catalog.recommendations, on: day, workflow: state.repo.workflow)
      if format == .xlsx { return try writeWorkbook(recs) }
      let text =
        format == .csv
        ? RecommendationExport.csv(recs)
        : RecommendationExport.json(recs, recordedAt: .some(state.recordedAt))
      if let output {
        try OutputFile.write(text, to: output)
        Console.error("Wrote \(recs.count) recommendation\(recs.count == 1 ? "" : "s") to \(output).")
      } else {
        Console.data(text)
      }
    }

    /// An Excel workbook, to --output or to standard output when that is not a terminal.
    func writeWorkbook(_ recs: [Recommendation]) throws {
      let bytes = try RecommendationExport.xlsx(recs)
      if let output {
        do { try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
          throw TrackingError.usage("cannot write \(output): \((error as NSError).localizedDescription)")
        }
        Console.error("Wrote \(recs.count) recommendation\(recs.count == 1 ? "" : "s") to \(output).")
      } else if isatty(STDOUT_FILENO) != 0 {
        throw TrackingError.usage(
          "an Excel workbook is not text: add --output recommendations.xlsx (or redirect: > recommendations.xlsx)."
        )
      } else {
        FileHandle.standardOutput.write(Data(bytes))
      }
    }
  }
}
