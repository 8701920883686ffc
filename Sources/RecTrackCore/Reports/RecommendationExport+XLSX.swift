import Foundation

extension RecommendationExport {
  /// The export as an Excel workbook: the same columns and rows as the CSV, with `raised` and
  /// `due` as date cells and `description` and `progress` wrapped. It reads back with
  /// `rectrack import` without any option, as the CSV does.
  public static func xlsx(_ recs: [Recommendation]) throws(TrackingError) -> [UInt8] {
    let cols = columns(recs)
    let rows = recs.map { r in
      cols.map { c -> WorkbookWriter.Cell in
        let text = cell(r, c)
        if c == "raised" || c == "due", let d = CalendarDate(text) { return .date(d) }
        if c == "description" || c == "progress" { return .wrapped(text) }
        return .text(text)
      }
    }
    return try WorkbookWriter.xlsx(sheetName: "Recommendations", header: cols, rows: rows)
  }
}
