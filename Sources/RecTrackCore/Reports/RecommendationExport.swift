import Foundation

/// The state of the tracker as a spreadsheet (CSV) or as JSON, for people who work in Excel.
///
/// It takes a list of recommendations, whatever state they come from (HEAD or a date in the
/// past), so the same code serves `export` and `export --as-of`. Columns come in a fixed order,
/// the known fields first and the user's own keys after them in alphabetical order, so that
/// two exports of the same repository line up column for column; and the headings are the
/// keys themselves, so `rectrack import` reads an export back without any `--map`.
public enum RecommendationExport {
  /// The known fields in export order; `file` is always last.
  public static let knownColumns = [
    "id", "status", "title", "owner", "source", "raised", "due", "priority", "lead", "tags", "description",
    "progress", "superseded-by", "evidence",
  ]

  /// Every column of an export of `recs`: the known ones any of them has (id, status, title,
  /// owner, source and raised always), then the user's own keys sorted, then `file`.
  public static func columns(_ recs: [Recommendation]) -> [String] {
    var present = Set<String>(["id", "status", "title", "owner", "source", "raised"])
    var own = Set<String>()
    for r in recs {
      for (key, _) in r.fields {
        if knownColumns.contains(key) { present.insert(key) } else if key != "file" { own.insert(key) }
      }
    }
    return knownColumns.filter(present.contains) + own.sorted() + ["file"]
  }

  /// The cell text of one field: lists joined with "; " (as `import` splits tags), and the final
  /// line break of the narrative fields dropped (it only makes Excel show an empty line; `import`
  /// puts it back).
  public static func cell(_ r: Recommendation, _ column: String) -> String {
    if column == "file" { return r.file }
    guard let value = r[column] else { return "" }
    switch value {
    case .list(let items):
      return items.joined(separator: "; ")
    case .text(var s):
      if column == "description" || column == "progress" {
        while s.hasSuffix("\n") { s.removeLast() }
      }
      return s
    }
  }

  /// RFC 4180 CSV, comma-separated, CRLF line ends and a UTF-8 byte-order mark, which is what
  /// Excel needs to open a file by double-click with accents and line breaks intact.
  /// Line breaks inside cells stay LF, as Excel writes them.
  public static func csv(_ recs: [Recommendation]) -> String {
    let cols = columns(recs)
    var lines = [cols.map(RecommendationOutput.csvField).joined(separator: ",")]
    for r in recs {
      lines.append(cols.map { RecommendationOutput.csvField(cell(r, $0)) }.joined(separator: ","))
    }
    return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
  }

  /// A JSON array with one object per recommendation (every key of its file, plus `file`),
  /// sorted by ID: the same objects as `list --format json`.
  public static func json(_ recs: [Recommendation], recordedAt: String?? = nil) -> String {
    RecommendationOutput.json(recs.sorted { $0.id < $1.id }, recordedAt: recordedAt)
  }
}
