import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The recorder and the audit call the same rules: a change `status`, `update` or `edit` accepts
/// is never a finding of a recording rule in `audit`, and a change they refuse, once planted
/// (recorded with the rules switched off), is a finding of exactly the rule that refused it.
@Suite struct RuleAgreementTests {
  static let office = ("Olwen Office", "olwen@opcc.example.org")
  static let force = ("Insp. Price", "g.price@police.example.org")
  static let panel = ("Pat Panel", "pat@panel.example.org")

  static let settings = AuditFixtures.settings(
    extra: """
        anyone:
          people: ["*"]
          may-set: []
      audit:
        effective-max-days-before: 10

      """)

  /// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  }

  enum Outcome {
    case accepted(ObjectID)
    case refused(AuditRule, planted: ObjectID)
  }

  @Test(arguments: [UInt64(1), 7, 42])
  func recorderAndAuditAgreeOnRandomHistories(seed: UInt64) throws {
    Libgit2.initialise()
    let temp = try TestRepository()
    try temp.write("rectrack.yml", Self.settings)
    for n in 1...3 { try temp.write("Recommendations/R-0\(n).yml", sampleRecommendation(id: "R-0\(n)")) }
    try temp.commitAll("Start", date: "2021-01-01T10:00:00+00:00", author: AuditFixtures.commissioner)

    var random = Random(state: seed)
    var outcomes: [Outcome] = []
    let start: Int64 = 1_609_495_200 + 86_400  // 2021-01-02T10:00Z
    let statuses = Workflow.standard.statuses
    for step in 0..<45 {
      let (name, email) = random.pick([Self.office, Self.force, Self.force, Self.panel])
      let author = Signature(name: name, email: email, time: start + Int64(step) * 86_400, offsetMinutes: 0)
      let id = "R-0\(1 + random.below(3))"
      let note: String? = random.chance(70) ? "step \(step)" : nil
      let effective: CalendarDate? =
        random.chance(40) ? author.calendarDate.adding(days: -random.below(25)) : nil
      let due = random.chance(30)
      let target = random.pick(statuses)
      let reopen = random.chance(30)
      func attempt(enforcing: Bool) throws -> ObjectID? {
        let repo = try TrackingRepository(at: temp.path)
        let recorder = Recorder(repo: repo)
        recorder.enforceRules = enforcing
        if due {
          let (_, original) = try recorder.committedFile(id: id)
          let newDue = CalendarDate("2022-01-01")!.adding(days: random.below(300))
          let edited = original.replacingOccurrences(
            of: #"(?m)^due: .*$"#, with: "due: \(newDue)", options: .regularExpression)
          return try recorder.recordEdit(
            id: id, original: original, edited: edited, note: note, effective: effective, reopen: false,
            author: author)?.commit
        }
        return try recorder.setStatus(
          id: id, to: target, note: note, effective: effective, reopen: reopen, author: author
        ).commit
      }
      do {
        if let c = try attempt(enforcing: true) { outcomes.append(.accepted(c)) }
      } catch TrackingError.ruleRefused(let rule, _) {
        let planted = try #require(try attempt(enforcing: false))
        outcomes.append(.refused(try #require(AuditRule(rawValue: rule)), planted: planted))
      } catch TrackingError.transitionNotAllowed {
        let planted = try #require(try attempt(enforcing: false))
        outcomes.append(.refused(.transitionNotAllowed, planted: planted))
      } catch TrackingError.nothingToChange {
        continue
      }
    }

    let report = try Auditor(repo: try TrackingRepository(at: temp.path)).run(AuditOptions())
    let recording = AuditRules.recordingIDs
    var accepted = 0
    var refused = 0
    var rulesSeen = Set<AuditRule>()
    for outcome in outcomes {
      switch outcome {
      case .accepted(let c):
        accepted += 1
        let wrong = report.findings.filter { $0.commit == c.hex && recording.contains($0.rule) }
        #expect(wrong.isEmpty, "seed \(seed): accepted \(c.short) is a finding: \(wrong.map(\.message))")
      case .refused(let rule, let c):
        refused += 1
        rulesSeen.insert(rule)
        let found = report.findings.filter { $0.commit == c.hex }.map(\.rule)
        #expect(found.contains(rule), "seed \(seed): refused by \(rule.rawValue), audit found \(found)")
      }
    }
    // Both sides were exercised.
    #expect(accepted >= 5 && refused >= 5, "seed \(seed): \(accepted) accepted, \(refused) refused")
    #expect(rulesSeen.count >= 3, "seed \(seed): refusals only by \(rulesSeen.map(\.rawValue))")
    print("seed \(seed): \(accepted) accepted, \(refused) refused by \(rulesSeen.map(\.rawValue).sorted())")
  }
}
