import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The history commands answer the same with the cache, without it (`--no-cache`), and after
/// the cache was damaged; the cache appears in `.git/rectrack/history/`.
@Suite struct HistoryCacheCommandTests {
  @Test func everyHistoryCommandAnswersTheSameWithAndWithoutTheCache() throws {
    let repo = try HistoryGenerator.generate(seed: 17, steps: 25)
    let id = try #require(
      try repo.git.run(["ls-tree", "-r", "--name-only", "HEAD", "--", "Recommendations/"])
        .split(separator: "\n").first.map { String($0.split(separator: "/").last!.dropLast(4)) })
    let commands: [[String]] = [
      ["progress", "--format", "json"], ["progress", "--change"], ["log", id, "--format", "json"],
      ["log", id],
      ["list", "--as-of", "2020-06-30", "--format", "json"], ["show", id, "--as-of", "2020-12-31"],
      ["summary", "--as-of", "2020-12-31", "--since", "2020-06-30", "--format", "md"],
      ["export", "--format", "csv", "--as-of", "2020-06-30"],
      ["progress", "--recorded-at", "HEAD~3", "--format", "json"],
      ["progress", "--recorded-at", "2020-09-30"],
      ["log", id, "--recorded-at", "HEAD~3"], ["log", id, "--recorded-at", "2020-09-30", "--format", "json"],
      ["list", "--as-of", "2020-06-30", "--recorded-at", "HEAD~2"],
    ]
    func run(_ args: [String]) throws -> ProcessResult {
      try CLI.run(args + ["--repo", repo.path], in: repo.path)
    }
    let cold = try commands.map { try run($0 + ["--no-cache"]) }
    #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/rectrack/history"), "--no-cache wrote")
    let first = try commands.map { try run($0) }
    let dir = repo.path + "/.git/rectrack/history"
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(files.contains { $0.hasPrefix("commits-") } && files.contains { $0.hasPrefix("readings-") })
    // Each file is written under a temporary name and renamed: none is left behind.
    #expect(files.allSatisfy { !$0.hasPrefix(".") }, "temporary files left: \(files)")
    let warm = try commands.map { try run($0) }
    for f in files { try Data("garbage".utf8).write(to: URL(fileURLWithPath: dir + "/" + f)) }
    let damaged = try commands.map { try run($0) }
    for (i, c) in commands.enumerated() {
      #expect(cold[i].status == 0, "\(c): \(cold[i].stderr)")
      for other in [first[i], warm[i], damaged[i]] {
        #expect(other.status == cold[i].status && other.stdout == cold[i].stdout, "\(c)")
      }
    }
  }

  /// Changes recorded with `update` after the reports were remembered (today, back-dated 25
  /// days with `--effective`, two in a row): every history command still answers as `--no-cache` does,
  /// whether its report is carried on from the one below or computed again.
  @Test func reportsAfterRecordedChangesAnswerAsWithoutTheCache() throws {
    let repo = try HistoryGenerator.generate(seed: 19, steps: 25)
    let ids = try repo.git.run(["ls-tree", "-r", "--name-only", "HEAD", "--", "Recommendations/"])
      .split(separator: "\n").map { String($0.split(separator: "/").last!.dropLast(4)) }
    try #require(ids.count >= 3)
    let commands: [[String]] = [
      ["progress", "--format", "json"], ["progress", "--change"], ["progress", "--from", "2020-03"],
      ["log", ids[0], "--format", "json"], ["list", "--as-of", "2020-06-30", "--format", "json"],
      ["summary", "--as-of", "2020-12-31", "--since", "2020-06-30", "--format", "json"],
      ["summary", "--as-of", "2020-12-31", "--since", "2020-06-30", "--format", "md"],
      ["summary", "--as-of", "2020-09-30", "--format", "html"],
    ]
    func run(_ args: [String]) throws -> ProcessResult {
      try CLI.run(args + ["--repo", repo.path], in: repo.path)
    }
    func expectSame(_ label: String) throws {
      for c in commands {
        let remembered = try run(c)
        let cold = try run(c + ["--no-cache"])
        #expect(cold.status == 0, "\(label) \(c): \(cold.stderr)")
        #expect(remembered.status == cold.status && remembered.stdout == cold.stdout, "\(label) \(c)")
        #expect(remembered.stderr == cold.stderr, "\(label) \(c): warnings differ")
      }
    }
    try expectSame("as generated")
    func update(_ args: [String]) throws {
      let r = try run(["update"] + args)
      try #require(r.status == 0, "update \(args): \(r.stderr)")
    }
    try update([ids[0], "--progress", "Recorded today."])
    try expectSame("one change today")
    // rectrack.yml allows `--effective` 31 days back by default.
    let now = Date()
    let late = CalendarDate(
      secondsSinceEpoch: Int64(now.timeIntervalSince1970),
      offsetMinutes: TimeZone.current.secondsFromGMT(for: now) / 60
    ).adding(days: -25)
    try update([ids[1], "--progress", "Recorded late.", "--effective", late.description])
    try expectSame("a change back-dated to \(late)")
    try update([ids[2], "--progress", "First of two."])
    try update([ids[0], "--progress", "Second of two."])
    try expectSame("two changes at once")
  }
}
