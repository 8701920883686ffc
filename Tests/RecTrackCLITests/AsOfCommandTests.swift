import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// `list --as-of` and `show --as-of` through the built binary, checked against the brute-force
/// git-CLI replay on generated histories (moves, deletions, merges, backdated trailers, offsets).
@Suite struct AsOfCommandTests {
  @Test(arguments: [11, 12, 13] as [UInt64])
  func listAsOfAgreesWithTheReplay(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 30)
    let reference = try BruteForceHistory(repositoryPath: repo.path)
    let dates = reference.commits.map(\.date)
    let first = try #require(dates.min(), "seed \(seed): the generated history has no commits")
    let last = try #require(dates.max())
    var rng = SeededRandom(seed: seed)
    var days = [first.adding(days: -1), first, last]
    for _ in 0..<6 {
      days.append(
        first.adding(days: Int(rng.next() % UInt64(max(1, last.daysSinceEpoch - first.daysSinceEpoch + 1)))))
    }
    for day in days {
      let r = try CLI.run(["list", "--as-of", day.description, "--format", "json"], in: repo.path)
      #expect(r.status == 0, "\(r.stderr)")
      let array = try #require(
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
      // Files that do not parse as of that day are left out (with a warning); the rest must match.
      let expected = reference.snapshot(asOf: day)
      let got = Dictionary(
        uniqueKeysWithValues: array.compactMap { o -> (String, String)? in
          guard let id = o["id"] as? String, let file = o["file"] as? String else { return nil }
          return (id, file)
        })
      for (id, file) in got {
        #expect(expected[id]?.path == file, "seed \(seed) \(day) \(id)")
      }
      for o in array {
        guard let id = o["id"] as? String, let v = expected[id] else { continue }
        #expect(o["status"] as? String == reference.fields[v.blob]?.status, "seed \(seed) \(day) \(id)")
      }
      let ids = array.compactMap { $0["id"] as? String }
      #expect(ids == ids.sorted(), "sorted by id")
      // Every recommendation the replay says existed is listed, or reported as unreadable.
      for (id, version) in expected where got[id] == nil {
        #expect(r.stderr.contains(version.path), "seed \(seed) \(day): \(id) missing without a warning")
      }
    }
  }

  @Test func showAsOfAndBeforeItExisted() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.commitAll("Add", date: "2020-01-10T10:00:00+00:00")
    try repo.write(
      "Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01", status: "in-progress"))
    try repo.commitAll("Start\n\nEffective: 2020-03-01", date: "2020-06-10T10:00:00+00:00")
    func status(_ day: String) throws -> String? {
      let r = try CLI.run(["show", "DP-DDR-01", "--as-of", day, "--format", "json"], in: repo.path)
      guard r.status == 0 else { return nil }
      let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
      return obj?["status"] as? String
    }
    #expect(try status("2020-02-29") == "open")
    #expect(try status("2020-03-01") == "in-progress")
    let before = try CLI.run(["show", "DP-DDR-01", "--as-of", "2019-12-31"], in: repo.path)
    #expect(before.status == 2)
    #expect(
      before.stderr
        == "error: DP-DDR-01 did not exist on 2019-12-31. Run 'rectrack log DP-DDR-01' to see when it was added.\n"
    )
  }
}

/// A file with errors still exists (docs/format.md §5): list, show and progress agree on it.
@Suite struct InvalidFileCommandTests {
  @Test func readableInvalidFilesAreShownAndCountedUnreadableOnesLeftOut() throws {
    let repo = try TestRepository()
    try repo.write("Recommendations/DP-01.yml", sampleRecommendation(id: "DP-01"))
    try repo.write(
      "Recommendations/DP-02.yml",
      sampleRecommendation(id: "DP-02", status: "in-progress").replacingOccurrences(
        of: "owner: Chief Constable\n", with: ""))
    try repo.write("Recommendations/DP-03.yml", "id: DP-03\ntitle: Phase 2: pilot\nstatus: open\n")
    try repo.write("Recommendations/DP-04.yml", sampleRecommendation(id: "DP-04", status: "finished"))
    // Not an ID, so not a recommendation, for HEAD and history alike.
    try repo.write("Recommendations/draft.yml", sampleRecommendation(id: "DP-05"))
    try repo.commitAll("Add four", date: "2021-01-10T10:00:00+00:00")

    let list = try CLI.run(["list", "--as-of", "2021-01-31", "--format", "json"], in: repo.path)
    #expect(list.status == 0)
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(array.compactMap { $0["id"] as? String } == ["DP-01", "DP-02"])
    #expect(array[1]["status"] as? String == "in-progress")
    #expect(array[1]["owner"] == nil)
    #expect(list.stderr.contains("Recommendations/DP-02.yml:1:1: error: "))
    #expect(
      list.stderr.hasSuffix(
        "warning: 1 file has errors and is shown with what could be read; 2 files are left out (no readable status). Run 'rectrack validate' for details.\n"
      ))

    let progress = try CLI.run(
      ["progress", "--from", "2021-01", "--to", "2021-01", "--format", "json"], in: repo.path)
    let doc = try #require(
      try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [String: Any])
    let month = try #require((doc["months"] as? [[String: Any]])?.first)
    #expect(month["total"] as? Int == array.count)

    let head = try CLI.run(["list", "--format", "json"], in: repo.path)
    #expect(head.stdout == list.stdout)

    let status = try CLI.run(
      ["status", "DP-02", "complete", "--author", "A B <a@example.org>"], in: repo.path)
    #expect(status.status == 2)
    #expect(status.stderr.hasPrefix("Recommendations/DP-02.yml:1:1: error: "))
    #expect(try repo.git("log", "--oneline").split(separator: "\n").count == 1)
  }
}
