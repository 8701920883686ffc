import RecTrackCore
import Testing

/// The one table layout: every line fits, nothing is cut, optional columns give way first.
@Suite struct TextTableTests {
  func listLike() -> TextTable {
    var t = TextTable([
      .init("ID", head: true), .init("STATUS", head: true, isStatus: true),
      .init("DUE", keepWhole: true, separator: " (", head: true, minWidth: 11),
      .init("OWNER", wraps: true, minWidth: 10), .init("TITLE", wraps: true, minWidth: 16),
      .init("TAGS", keepWhole: true, separator: ", ", optional: true, minWidth: 10),
    ])
    t.add([
      "DP-DDR-01", "in-progress", "31 Dec 2023 (overdue)", "Chief Constable",
      "Run targeted drug-intelligence campaigns with partner agencies in known hot spots", "intelligence",
    ])
    t.add(["DP-DDR-02", "open", "-", "Head of Finance", "Short title", "county-lines, treatment"])
    return t
  }

  @Test(arguments: [40, 60, 80, 100, 120, 200])
  func everyLineFitsAndEveryWordIsThere(_ width: Int) {
    let out = listLike().render(width: width)
    for line in out.split(separator: "\n") { #expect(line.count <= width, "\(width): \(line)") }
    for word in [
      "DP-DDR-01", "in-progress", "31 Dec 2023", "(overdue)", "drug-intelligence", "hot", "spots",
      "Chief", "Constable",
    ] {
      #expect(out.contains(word), "\(width): \(word) missing in\n\(out)")
    }
  }

  @Test func optionalColumnGivesWayToTheTitleAndIsNamed() {
    let out = listLike().render(width: 80)
    #expect(!out.contains("intelligence\n") || out.contains("TAGS"))
    #expect(out.contains("Not shown at this width: TAGS. Add --wide to show every column."), "\(out)")
    let wide = listLike().render(width: nil)
    #expect(wide.contains("county-lines, treatment"))
    #expect(wide.split(separator: "\n").count == 3)
  }

  @Test func keepWholePartsAreNeverSplit() {
    var t = TextTable([.init("ID", head: true), .init("CHANGE", keepWhole: true, minWidth: 5)])
    t.add(["R-1", "status not-accepted -> in-progress; due 2023-08-31 -> 2023-12-31; title"])
    for width in [45, 60, 80] {
      let out = t.render(width: width)
      #expect(out.contains("status not-accepted -> in-progress;"), "\(width)\n\(out)")
      #expect(out.contains("due 2023-08-31 -> 2023-12-31;"), "\(width)\n\(out)")
    }
  }

  @Test func numbersFoldIntoBlocksRepeatingTheFirstColumn() {
    var t = TextTable(
      [.init("Month")]
        + ["Total", "open", "in-progress", "not-accepted", "superseded", "Overdue"].map {
          TextTable.Column($0, alignment: .right)
        }, narrow: .fold, underline: true)
    t.add(["2021-06", "10", "2", "3", "1", "0", "4"])
    let out = t.render(width: 40)
    for line in out.split(separator: "\n") { #expect(line.count <= 40, "\(line)") }
    #expect(out.components(separatedBy: "2021-06").count - 1 >= 2, "\(out)")
    #expect(out.contains("in-"), "\(out)")
  }

  @Test func cellTextIsOneLine() {
    #expect(TextTable.cellText("a\nb\r\nc\td  ") == "a b c d")
  }
}
