import Foundation
import RecTrackCore
import Testing

/// `list`/`show` JSON is written directly; it must be the very text JSONSerialization wrote before.
@Suite struct RecommendationJSONTests {
  static let statuses = ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"]

  func recommendation(_ id: String, extra: [String]) throws -> Recommendation {
    let text =
      ([
        "id: \(id)", "title: \"Quotes \\\" and back\\\\slash / slash\"", "source: Review é 🚓",
        "raised: 2019-10-01", "owner: Chief Constable", "status: open",
      ] + extra).joined(separator: "\n") + "\n"
    let doc = try RecommendationDocument(text: text, path: "Recommendations/x/\(id).yml")
    return try doc.recommendation(expectedID: id, statuses: Self.statuses)
  }

  @Test func directJSONEqualsJSONSerialization() throws {
    let recs = [
      try recommendation(
        "A-01", extra: ["tags: []", "description: |", "  Line one\tTab", "", "  Line three"]),
      try recommendation("A-02", extra: ["tags: [x, y z]", "lead: \"Ctrl \\u0001 char\"", "zeta-key: last"]),
      try recommendation("A-03", extra: ["progress: |", "  Carriage\r", "  return"]),
    ]
    let direct = RecommendationOutput.json(recs)
    let viaFoundation = RecommendationOutput.json(recs.map(RecommendationOutput.jsonObject) as Any)
    #expect(direct == viaFoundation)
    let one = RecommendationOutput.jsonObject(recs[1]) as Any
    #expect(RecommendationOutput.json(recs[1]) == RecommendationOutput.json(one))
    #expect(RecommendationOutput.json([]) == RecommendationOutput.json([[String: Any]]() as Any))
  }
}
