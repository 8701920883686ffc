import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The template data encoded straight from the summary equals the JSON text decoded, value for
/// value and type for type (a Bool stays a Bool, a whole number an Int), so templates render the
/// same (the nodes templates get render as these dictionaries do: TemplateRenderingAgreementTests).
@Suite struct SummaryTemplateDataTests {
  func canonical(_ value: Any) throws -> String {
    // Serialised with sorted keys, Bool and Int differ ("true" / "1"), Int and Double too ("1" / "1.5").
    func tagged(_ v: Any) -> Any {
      switch v {
      case let b as Bool: return ["bool": b]
      case let i as Int: return ["int": i]
      case let d as Double: return ["double": d]
      case let s as String: return ["string": s]
      case let a as [Any]: return a.map(tagged)
      case let o as [String: Any]: return o.mapValues(tagged)
      default: return ["other": "\(type(of: v))"]
      }
    }
    let data = try JSONSerialization.data(withJSONObject: tagged(value), options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  @Test func directTemplateDataEqualsDecodedJSON() throws {
    let (folder, repo) = try SummaryTests.fixture()
    let summary = try withExtendedLifetime(folder) { try SummaryTests.summary(repo) }
    let direct = try canonical(SummaryRenderer.plainContext(summary))
    let viaJSON = try canonical(SummaryRenderer.contextThroughJSON(summary))
    #expect(direct == viaJSON)
    #expect(direct.count > 1_000, "the fixture's summary is too small to test anything")
  }
}
