import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The assembled-history cache (`.git/rectrack/history/assembled-*.cache`): a saved history is
/// taken whole for an unchanged HEAD, carried on for a HEAD a few commits further on, and
/// rebuilt for a rewritten branch; every answer equals a cold walk's, and a damaged, foreign,
/// future or misnamed file is never believed. No timings.
@Suite struct AssembledHistoryTests {
  func load(_ path: String, cache: Bool, contents: Bool = true) throws -> RecommendationHistory {
    try RecommendationHistory.load(
      from: Repository(discoveringFrom: path), readingContents: contents, usingCache: cache)
  }

  func dir(_ repo: TestRepository) -> String { repo.path + "/.git/rectrack/history" }

  func files(_ repo: TestRepository, _ prefix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir(repo))) ?? []).filter { $0.hasPrefix(prefix) }
      .sorted().map { dir(repo) + "/" + $0 }
  }

  /// Removes the per-commit segments, so that only an assembled history can answer from cache.
  func dropSegments(_ repo: TestRepository) throws {
    for f in files(repo, "commits-") + files(repo, "readings-") {
      try FileManager.default.removeItem(atPath: f)
    }
  }

  func expectEqual(_ a: RecommendationHistory, _ b: RecommendationHistory, _ label: String) {
    #expect(a.head == b.head, "\(label): head")
    #expect(a.chain == b.chain, "\(label): chain differs")
    #expect(a.commits == b.commits, "\(label): commits differ")
    #expect(a.changes == b.changes, "\(label): changes differ")
    #expect(a.contents == b.contents, "\(label): readings differ")
    #expect(a.ids == b.ids, "\(label): ids differ")
  }

  /// Cached (twice: built or carried on, then taken whole) equals cold, with and without contents.
  func expectSame(_ repo: TestRepository, _ label: String, carried: Bool = false) throws {
    for contents in [true, false] {
      let cold = try load(repo.path, cache: false, contents: contents)
      let saved = files(repo, "assembled-")
      let first = try load(repo.path, cache: true, contents: contents)
      expectEqual(first, cold, "\(label) (contents \(contents), first)")
      if carried {
        // Carried on from the saved history below: only the new commits were walked.
        #expect(first.commitsFromCache > 0, "\(label): not carried on from \(saved)")
      }
      try dropSegments(repo)
      let again = try load(repo.path, cache: true, contents: contents)
      expectEqual(again, cold, "\(label) (contents \(contents), whole)")
      // Taken whole; or, a few commits past a saved history (fewer than the 8 that make it
      // worth saving again, as after an amend of one of those), carried on from that one again.
      let walked = again.firstParentLength - again.commitsFromCache
      #expect(walked < 8, "\(label): the saved history was not taken (\(walked) walked)")
    }
  }

  @Test(arguments: [3, 11, 29] as [UInt64])
  func savedHistoriesEqualColdOnesThroughRewrites(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 30)
    let git = repo.git
    try expectSame(repo, "seed \(seed) first run")
    #expect(files(repo, "assembled-c-").count == 1 && files(repo, "assembled-p-").count == 1)

    // One new commit, then three: carried on from the saved history.
    let ids = try load(repo.path, cache: false).headSnapshot()
    let sorted = ids.keys.sorted()
    if let id = sorted.first, let v = ids[id] {
      try repo.write(v.path, TestRepository.recommendation(id: id, status: "closed"))
      try repo.commit("\(id): closed\n\nRecommendation: \(id)", date: "2031-03-01T10:00:00+01:00")
    }
    try expectSame(repo, "seed \(seed) one commit on", carried: true)
    if sorted.count > 2, let v = ids[sorted[1]] {
      try repo.remove(v.path)
      try repo.commit("\(sorted[1]): removed", date: "2031-03-02T10:00:00+01:00")
      try repo.move(ids[sorted[2]]!.path, "Recommendations/moved/\(sorted[2]).yml")
      try repo.commit("\(sorted[2]): moved\n\nEffective: 2019-01-01", date: "2031-03-03T10:00:00+01:00")
    }
    try repo.write(
      "Recommendations/new/ZZ-NEW-01.yml", TestRepository.recommendation(id: "ZZ-NEW-01", status: "open"))
    try repo.write("Recommendations/new/ZZ-NEW-02.yml", "not: [a recommendation\n")
    try repo.commit("ZZ-NEW-01: new", date: "2031-03-04T10:00:00+01:00")
    try expectSame(repo, "seed \(seed) three commits on", carried: true)

    // A changed rectrack.yml: a new HEAD; the history does not depend on it, the answer is the cold one.
    try repo.write(
      "rectrack.yml",
      "statuses: [open, in-progress, implemented, closed, not-accepted, parked]\n"
        + "terminal: [closed, not-accepted]\ninitial: open\n")
    try repo.commit("Settings: a parked status", date: "2031-03-05T10:00:00+01:00")
    try expectSame(repo, "seed \(seed) rectrack.yml changed", carried: true)

    // Amend HEAD: the saved head is not below the new one.
    try git.run(
      ["commit", "-q", "--amend", "--allow-empty", "-m", "Amended\n\nEffective: 2020-01-02"],
      environment: ["GIT_COMMITTER_DATE": "2032-01-01T00:00:00Z"])
    try expectSame(repo, "seed \(seed) amended")

    // Reset to an older commit (its committer time is older than every saved head).
    try git.run(["reset", "-q", "--hard", "HEAD~5"])
    try expectSame(repo, "seed \(seed) reset")

    // Rebase dropping one commit, with a committer date later than every saved head.
    var random = SeededRandom(seed: seed)
    var rebased = false
    for _ in 0..<12 where !rebased {
      let k = Int.random(in: 1...8, using: &random)
      do {
        try git.run(
          ["rebase", "-q", "-X", "theirs", "--onto", "HEAD~\(k + 1)", "HEAD~\(k)"],
          environment: ["GIT_COMMITTER_DATE": "2033-02-02T00:00:00Z"])
        rebased = true
      } catch {
        _ = try? git.run(["rebase", "--abort"])
      }
    }
    #expect(rebased, "seed \(seed): no rebase went through")
    try expectSame(repo, "seed \(seed) rebased")
    #expect(files(repo, "assembled-c-").count <= 4, "old saved histories are not pruned")
  }

  /// A HEAD a few commits past a saved history carries it on without saving; eight or more on,
  /// the carried history is saved under the new HEAD and taken whole next time.
  @Test func aHistoryCarriedEightCommitsOnIsSaved() throws {
    let repo = try HistoryGenerator.generate(seed: 12, steps: 15)
    _ = try load(repo.path, cache: true)
    for n in 1...8 {
      try repo.write(
        "Recommendations/new/ZZ-NEW-0\(n).yml",
        TestRepository.recommendation(id: "ZZ-NEW-0\(n)", status: "open"))
      try repo.commit("ZZ-NEW-0\(n): new", date: "2031-03-0\(n)T10:00:00+01:00")
      let head = try repo.head()
      let carried = try load(repo.path, cache: true)
      expectEqual(carried, try load(repo.path, cache: false), "\(n) on")
      let saved = FileManager.default.fileExists(atPath: dir(repo) + "/assembled-c-\(head).cache")
      #expect(saved == (n == 8), "\(n) commits on: saved \(saved)")
    }
    try dropSegments(repo)
    let whole = try load(repo.path, cache: true)
    #expect(whole.commitsFromCache == whole.firstParentLength, "the saved history was not taken whole")
  }

  /// A saved history of another commit, or of the other kind, put under this commit's name.
  @Test func aMisnamedSavedHistoryIsNeverBelieved() throws {
    let repo = try HistoryGenerator.generate(seed: 6, steps: 20)
    _ = try load(repo.path, cache: true)
    _ = try load(repo.path, cache: true, contents: false)
    let saved = try #require(files(repo, "assembled-c-").first)
    let plain = try #require(files(repo, "assembled-p-").first)
    try repo.commit("Nothing changed", date: "2031-01-01T00:00:00Z")
    let head = try repo.head()
    let cold = try load(repo.path, cache: false)
    try dropSegments(repo)
    // The older commit's file, under the new head's name: the payload names another head.
    let target = dir(repo) + "/assembled-c-\(head).cache"
    try FileManager.default.moveItem(atPath: saved, toPath: target)
    try FileManager.default.removeItem(atPath: plain)
    let h = try load(repo.path, cache: true)
    expectEqual(h, cold, "another head's file")
    #expect(h.commitsFromCache == 0, "another head's history was believed")
    // The plain kind under the contents kind's name.
    _ = try load(repo.path, cache: true, contents: false)
    try FileManager.default.removeItem(atPath: target)
    try FileManager.default.moveItem(atPath: dir(repo) + "/assembled-p-\(head).cache", toPath: target)
    try dropSegments(repo)
    let k = try load(repo.path, cache: true)
    expectEqual(k, cold, "the other kind's file")
    #expect(k.commitsFromCache == 0, "a history without contents was believed")
  }

  /// Each way the saved file can be wrong: the answer is the cold one, its own damaged file is
  /// removed and written anew, another program's or version's file is left alone.
  @Test func damagedForeignAndFutureSavedHistoriesAreNeverBelieved() throws {
    let repo = try HistoryGenerator.generate(seed: 7, steps: 25)
    let cold = try load(repo.path, cache: false)
    _ = try load(repo.path, cache: true)
    let file = try #require(files(repo, "assembled-c-").first)
    let original = try Data(contentsOf: URL(fileURLWithPath: file))

    func damage(_ label: String, ours: Bool, _ change: (inout Data) -> Void) throws {
      try dropSegments(repo)
      var d = original
      change(&d)
      try d.write(to: URL(fileURLWithPath: file))
      let h = try load(repo.path, cache: true)
      #expect(h.commitsFromCache == 0 && h.readingsFromCache == 0, "\(label): a bad file was believed")
      expectEqual(h, cold, label)
      let now = FileManager.default.contents(atPath: file)
      // Ours: removed and written anew. Not ours: left exactly as it was.
      #expect(ours ? now != nil && now != d : now == d, "\(label)")
      if !ours { try original.write(to: URL(fileURLWithPath: file)) }
      try dropSegments(repo)
      let next = try load(repo.path, cache: true)
      #expect(next.commitsFromCache == next.firstParentLength, "\(label): not rebuilt")
      expectEqual(next, cold, "\(label) rebuilt")
    }

    for c in CacheDamage.all { try damage(c.label, ours: c.ours, c.change) }
  }

  @Test func aBareOrUnwritableRepositoryIsReadWithoutSaving() throws {
    let repo = try HistoryGenerator.generate(seed: 8, steps: 15)
    let bare = try TemporaryDirectory(prefix: "rectrack-bare")
    let path = bare.path + "/server.git"
    try repo.git.run(["clone", "-q", "--bare", repo.path, path])
    expectEqual(try load(path, cache: true), try load(path, cache: false), "bare")
    #expect(!FileManager.default.fileExists(atPath: path + "/rectrack"), "a bare repository got a cache")
    try Data("in the way\n".utf8).write(to: URL(fileURLWithPath: repo.path + "/.git/rectrack"))
    expectEqual(try load(repo.path, cache: true), try load(repo.path, cache: false), "blocked")
    #expect((try? String(contentsOfFile: repo.path + "/.git/rectrack", encoding: .utf8)) == "in the way\n")
  }
}
