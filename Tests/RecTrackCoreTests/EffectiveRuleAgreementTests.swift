import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// `--effective` after the day of recording: the recorder's early check (`status`, `update`,
/// `edit`, `import`) and the audit's `effective-in-future` rule are one rule. Around midnight in
/// every offset, the recorder refuses exactly what the audit would flag, with the rule's words.
@Suite struct EffectiveRuleAgreementTests {
  @Test func theRecorderRefusesExactlyWhatTheAuditFlags() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.commitAll("Add")
    let recorder = Recorder(repo: try TrackingRepository(at: repo.path))
    let settings = try RuleSettings(settingsText: "")
    var refused = 0
    var accepted = 0
    var n = 0
    // 2020-03-02 00:30 and 23:30 UTC, seen from offsets that move the author's day either way.
    for time in [1_583_109_000, 1_583_191_800] as [Int64] {
      for offset in [-720, -61, 0, 59, 840] {
        let author = Signature(
          name: "Jane Smith", email: "jane@example.org", time: time, offsetMinutes: offset)
        for shift in -1...1 {
          n += 1
          let effective = author.calendarDate.adding(days: shift)
          var recorderRefusal: String?
          do {
            _ = try recorder.update(
              id: "DP-01", changes: .init(progress: "step \(n)"), note: nil, effective: effective,
              author: author)
          } catch {
            recorderRefusal = error.description
          }
          let file = RuleFileChange(
            recommendation: "DP-01", path: "Recommendations/DP-01.yml", old: nil,
            new: RuleFileVersion(
              bytes: Array(sampleRecommendation(id: "DP-01").utf8), path: "Recommendations/DP-01.yml",
              id: "DP-01", statuses: settings.workflow.statuses))
          let commit = RuleCommit(
            id: nil, author: author, committer: author,
            message: CommitMessage(
              summary: "DP-01: progress",
              trailers: [("Recommendation", "DP-01"), ("Effective", "\(effective)")]),
            files: [file], settings: settings)
          var history = RuleHistory()
          let found = AuditRules.check(
            commit, rules: AuditRules.all.filter { type(of: $0).rule == .effectiveInFuture },
            history: &history)
          #expect(found.count == (shift > 0 ? 1 : 0), "\(effective) recorded \(author.iso8601)")
          #expect(
            (recorderRefusal != nil) == !found.isEmpty,
            "\(effective) recorded \(author.iso8601): recorder \(recorderRefusal ?? "accepted"), audit \(found.count)"
          )
          if let refusal = found.first?.refusal {
            let said = recorderRefusal ?? ""
            #expect(said.contains(refusal), "\(said) vs \(refusal)")
            refused += 1
          } else {
            accepted += 1
          }
        }
      }
    }
    #expect(refused == 10 && accepted == 20)
  }
}
