import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// A history made by rectrack itself, through `Recorder`, by the right people in the right
/// order, has no findings at all.
@Suite struct AuditCleanHistoryTests {
  @Test func historyRecordedByRectrackHasNoFindings() throws {
    Libgit2.initialise()
    let repo = try TestRepository()
    try repo.write("rectrack.yml", AuditHistoryBuilder.settings)
    try repo.commitAll("Settings with roles", date: "2021-02-01T09:00:00+00:00")
    let recorder = Recorder(repo: try TrackingRepository(at: repo.path))
    // Recorded on the days the history says (in production the committer date is the real time).
    recorder.committerDate = { ($0.time, $0.offsetMinutes) }
    var day = 1
    func person(_ text: String) -> Signature {
      let (name, email) = Signature.parse(text)!
      day += 1
      return Signature(name: name, email: email, time: 1_612_137_600 + Int64(day) * 86_400, offsetMinutes: 60)
    }
    let c = AuditHistoryBuilder.commissioner
    let f = AuditHistoryBuilder.force
    for id in ["R-01", "R-02"] {
      _ = try recorder.create(
        NewRecommendation(
          id: id, title: "Run targeted campaigns", source: "Deep dive", owner: "Chief Constable",
          raised: CalendarDate("2021-01-15")!, due: CalendarDate("2021-06-30"),
          folder: id == "R-02" ? "2021" : nil),
        note: nil, author: person(c))
    }
    _ = try recorder.setStatus(
      id: "R-01", to: "in-progress", note: "Started", effective: nil, author: person(f))
    _ = try recorder.update(
      id: "R-01", changes: .init(due: CalendarDate("2021-09-30"), reason: "Staff shortage"), note: nil,
      effective: nil,
      author: person(f))
    _ = try recorder.update(
      id: "R-01", changes: .init(progress: "Half done"), note: nil, effective: nil, author: person(f))
    let complete = person(f)
    _ = try recorder.setStatus(
      id: "R-01", to: "complete", note: "Finished", effective: complete.calendarDate.adding(days: -3),
      author: complete)
    _ = try recorder.setStatus(
      id: "R-01", to: "closed", note: "Verified by the office", effective: nil, author: person(c))
    _ = try recorder.setStatus(
      id: "R-01", to: "in-progress", note: "Evidence was missing", effective: nil, reopen: true,
      author: person(c))
    _ = try recorder.setStatus(
      id: "R-02", to: "not-accepted", note: "Not accepted", effective: nil, author: person(f))
    _ = try recorder.update(
      id: "R-02", changes: .init(set: [(key: "lead", value: .text("Head of Intelligence"))]), note: nil,
      effective: nil,
      author: person(c))

    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    #expect(report.findings.map(\.message) == [])
    #expect(report.passed)
    #expect(report.changes.count == 10)
    #expect(report.changes.allSatisfy { $0.byRectrack })
    #expect(report.commitsWalked == 11)
    #expect(
      report.changes.map { AuditOutput.describe($0) }.suffix(8) == [
        "status open -> in-progress", "due 2021-06-30 -> 2021-09-30", "progress",
        "status in-progress -> complete",
        "status complete -> closed", "status closed -> in-progress", "status open -> not-accepted", "lead",
      ])
    let late = try #require(report.changes.first { $0.status?.to == "complete" })
    #expect(late.effective == late.recorded.adding(days: -3))
    #expect(report.changes.first { $0.due != nil && $0.kind == .modified }?.reason == "Staff shortage")
  }
}
