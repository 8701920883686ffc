import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// A few thousand commits with side branches merged back, made with `git fast-import`: the
/// audit's rows must match what `git log` says changed, and a clean history stays clean.
@Suite(
  .enabled(if: SlowTests.enabled, "set RECTRACK_SLOW_TESTS=1")
)
struct AuditLargeHistoryTests {
  @Test func rowsMatchGitLogOnALargeHistoryWithMerges() throws {
    Libgit2.initialise()
    let repo = try TestRepository()
    var stream: [UInt8] = []
    func data(_ s: String) { stream += Array("data \(s.utf8.count)\n\(s)\n".utf8) }
    var status: [Int: String] = [:]
    let next = ["open": "in-progress", "in-progress": "complete", "complete": "in-progress"]
    var content: [Int: String] = [:]
    var mark = 0
    var mainTip = 0
    let recs = 300
    for n in 1...3000 {
      mark += 1
      let t = 1_609_459_200 + n * 3600
      let onSide = n % 50 >= 45  // five commits on a side branch, then a merge
      let branch = onSide ? "refs/heads/side\(n / 50)" : "refs/heads/main"
      stream += Array("commit \(branch)\nmark :\(mark)\n".utf8)
      stream += Array(
        "author Jane <jane@opcc.example.org> \(t) +0000\ncommitter Jane <jane@opcc.example.org> \(t) +0000\n"
          .utf8)
      let i = onSide ? recs + n % 50 : (n - 1) % recs
      let id = String(format: "R-%04d", i)
      var message: String
      if status[i] == nil {
        status[i] = "open"
        message = "\(id): new recommendation (open)\n\nRecommendation: \(id)\nStatus: none -> open\n"
      } else if n % 3 == 0 {
        let old = status[i]!
        status[i] = next[old]!
        message =
          "\(id): \(old) -> \(status[i]!)\n\nStep \(n)\n\nRecommendation: \(id)\nStatus: \(old) -> \(status[i]!)\n"
      } else {
        message = "\(id): progress updated\n\nRecommendation: \(id)\nChanged: progress\n"
      }
      data(message)
      if onSide && n % 50 == 45 {
        stream += Array("from :\(mainTip)\n".utf8)
      } else if mark > 1 {
        stream += Array("from :\(onSide ? mark - 1 : mainTip)\n".utf8)
      }
      stream += Array("M 100644 inline Recommendations/g\(i % 20)/\(id).yml\n".utf8)
      content[i] = sampleRecommendation(id: id, status: status[i]!, extra: "progress: |\n  step \(n)\n")
      data(content[i]!)
      stream += Array("\n".utf8)
      if !onSide { mainTip = mark }
      if n % 50 == 49 {
        mark += 1
        stream += Array("commit refs/heads/main\nmark :\(mark)\n".utf8)
        stream += Array(
          "author Jane <jane@opcc.example.org> \(t + 60) +0000\ncommitter Jane <jane@opcc.example.org> \(t + 60) +0000\n"
            .utf8)
        data("Merge side branch\n")
        // fast-import takes a merge's tree from its first parent: bring the side's files in.
        stream += Array("from :\(mainTip)\nmerge :\(mark - 1)\n".utf8)
        for k in (recs..<recs + 50) where content[k] != nil {
          stream += Array(
            "M 100644 inline Recommendations/g\(k % 20)/\(String(format: "R-%04d", k)).yml\n".utf8)
          data(content[k]!)
        }
        stream += Array("\n".utf8)
        mainTip = mark
      }
    }
    let file = repo.scratch + "/stream"
    try Data(stream).write(to: URL(fileURLWithPath: file))
    let r = try runProcess("/bin/sh", ["-c", "git fast-import --quiet < '\(file)'"], in: repo.path)
    #expect(r.status == 0, "\(r.stderr)")

    let started = Date()
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    let seconds = Date().timeIntervalSince(started)
    #expect(report.findings.map(\.message) == [])
    let gitCommits = try repo.git(
      "log", "--format=%H", "--no-merges", "--full-history", "main", "--", "Recommendations/"
    )
    .split(separator: "\n")
    #expect(report.changes.count == gitCommits.count)
    #expect(Set(report.changes.map(\.commit)) == Set(gitCommits.map(String.init)))
    #expect(
      report.commitsWalked
        == Int(try repo.git("rev-list", "--count", "main").trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(seconds < 120, "the audit took \(seconds) s")
  }
}
