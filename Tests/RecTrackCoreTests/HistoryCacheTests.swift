import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The history cache (`.git/rectrack/history/`): cached answers equal cold ones on generated and
/// rewritten histories, and a damaged, foreign or future cache is never believed. No timings.
@Suite struct HistoryCacheTests {
  static let seeds: [UInt64] = [3, 11, 29]

  func load(_ path: String, cache: Bool) throws -> RecommendationHistory {
    try RecommendationHistory.load(
      from: Repository(discoveringFrom: path), readingContents: true, usingCache: cache)
  }

  /// The cache answers exactly as a cold walk does.
  func expectSame(_ path: String, _ label: String, fullyCached: Bool = false, writable: Bool = true) throws {
    let cold = try load(path, cache: false)
    let warm = try load(path, cache: true)
    #expect(cold.commitsFromCache == 0 && cold.readingsFromCache == 0, "\(label): --no-cache reads the cache")
    #expect(warm.head == cold.head, "\(label)")
    #expect(warm.firstParentLength == cold.firstParentLength, "\(label)")
    #expect(warm.commits == cold.commits, "\(label): commits differ")
    #expect(warm.changes == cold.changes, "\(label): changes differ")
    #expect(warm.contents == cold.contents, "\(label): readings differ")
    if fullyCached {
      #expect(
        warm.commitsFromCache == warm.firstParentLength, "\(label): not every commit came from the cache")
    }
    // The second cached run takes everything from the cache and still agrees.
    guard writable else { return }
    let again = try load(path, cache: true)
    // Every commit from the cache, but for a few commits past a saved history (fewer than the 8
    // that make it worth saving again), which are walked again.
    #expect(
      again.firstParentLength - again.commitsFromCache < 8, "\(label): the cache did not keep the walk")
    #expect(again.changes == cold.changes && again.contents == cold.contents, "\(label)")
  }

  func segments(_ repo: TestRepository) -> [String] {
    let dir = repo.path + "/.git/rectrack/history"
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
  }

  @Test(arguments: seeds)
  func cachedAnswersEqualColdOnesThroughRewrites(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 30)
    let git = repo.git
    try expectSame(repo.path, "seed \(seed) first run")
    #expect(!segments(repo).isEmpty, "no cache written")
    try expectSame(repo.path, "seed \(seed) unchanged", fullyCached: true)

    // Amend HEAD: a new HEAD id whose parent the cache knows.
    try git.run(
      [
        "commit", "-q", "--amend", "--allow-empty", "-m",
        "Amended\n\nRecommendation: X\nEffective: 2020-01-02",
      ],
      environment: ["GIT_COMMITTER_DATE": "2031-01-01T00:00:00Z"])
    try expectSame(repo.path, "seed \(seed) amended")

    // Reset to an older commit: the chain is a suffix of what the cache knows.
    try git.run(["reset", "-q", "--hard", "HEAD~4"])
    try expectSame(repo.path, "seed \(seed) reset", fullyCached: true)

    // Rebase dropping one commit: every later commit is new, the dropped one is never reached.
    var random = SeededRandom(seed: seed)
    var rebased = false
    for _ in 0..<12 where !rebased {
      let k = Int.random(in: 1...8, using: &random)
      let onto = "HEAD~\(k + 1)"
      let drop = "HEAD~\(k)"
      do {
        try git.run(
          ["rebase", "-q", "-X", "theirs", "--onto", onto, drop],
          environment: ["GIT_COMMITTER_DATE": "2031-02-02T00:00:00Z"])
        rebased = true
      } catch {
        _ = try? git.run(["rebase", "--abort"])
      }
    }
    #expect(rebased, "seed \(seed): no rebase went through")
    try expectSame(repo.path, "seed \(seed) rebased")

    // New commits on top (a lightly moved branch), including a delete.
    let ids = try load(repo.path, cache: false).headSnapshot()
    if let first = ids.min(by: { $0.key < $1.key }) {
      let id = first.key
      try repo.remove(first.value.path)
      try repo.commit("\(id): removed\n\nRecommendation: \(id)", date: "2031-03-01T10:00:00+01:00")
    }
    try repo.write(
      "Recommendations/new-folder/ZZ-NEW-01.yml",
      TestRepository.recommendation(id: "ZZ-NEW-01", status: "open"))
    try repo.commit("ZZ-NEW-01: new", date: "2031-03-02T10:00:00+01:00")
    try expectSame(repo.path, "seed \(seed) moved on")
  }

  /// More than eight runs that each learn something merge their segments into one, and the
  /// merged segment still holds every commit and reading (each run's own and the earlier ones).
  @Test func manySegmentsAreMergedWithoutLosingEntries() throws {
    let repo = try HistoryGenerator.generate(seed: 5, steps: 12)
    func kind(_ prefix: String) -> [String] {
      segments(repo).filter { ($0 as NSString).lastPathComponent.hasPrefix(prefix) }
    }
    // Without the saved whole history, a run rebuilds from the per-commit cache and adds one
    // segment of what it learnt.
    func forgetAssembled() throws {
      for file in kind("assembled-") { try FileManager.default.removeItem(atPath: file) }
    }
    var counts: [Int] = []
    for n in 0..<12 {
      try repo.write(
        "Recommendations/merge/MG-\(n).yml", TestRepository.recommendation(id: "MG-\(n)", status: "open"))
      try repo.commit("MG-\(n): new", date: "2031-04-\(10 + n)T10:00:00+00:00")
      try forgetAssembled()
      _ = try load(repo.path, cache: true)
      counts.append(kind("commits-").count)
      if counts.count > 1 && counts[counts.count - 1] < counts[counts.count - 2] { break }
    }
    #expect(counts.max() == 8 && counts.last == 1, "commits segments after each run: \(counts)")
    #expect(kind("readings-").count == 1, "readings segments: \(kind("readings-"))")
    // The run right after the merge finds everything there.
    try forgetAssembled()
    let warm = try load(repo.path, cache: true)
    let cold = try load(repo.path, cache: false)
    #expect(warm.changes == cold.changes && warm.contents == cold.contents)
    #expect(warm.commitsFromCache == warm.firstParentLength, "the merged segment lost commits")
    // Only readings from the bytes alone are kept (an unusable one names its path).
    let usable = warm.contents.values.filter { $0.summary != nil }.count
    #expect(usable > 12 && warm.readingsFromCache == usable, "the merged segment lost readings")
  }

  /// Each way a segment file can be wrong: the answer stays the cold one, and the cache is
  /// rebuilt (damaged files of its own) or left alone (another program's, a later version's).
  @Test func damagedForeignAndFutureCachesAreNeverBelieved() throws {
    let repo = try HistoryGenerator.generate(seed: 5, steps: 25)
    let cold = try load(repo.path, cache: false)
    _ = try load(repo.path, cache: true)
    let files = segments(repo)
    #expect(files.contains { $0.contains("/commits-") } && files.contains { $0.contains("/readings-") })
    let originals = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }

    func damage(_ label: String, removed: Bool, _ change: (inout Data) -> Void) throws {
      var damaged: [Data] = []
      // Another program's or version's file keeps its own name, one rectrack would not write.
      let targets = files.map { removed ? $0 : $0.replacingOccurrences(of: ".cache", with: "-other.cache") }
      for (file, (target, bytes)) in zip(files, zip(targets, originals)) {
        var d = bytes
        change(&d)
        if target != file { try FileManager.default.removeItem(atPath: file) }
        try d.write(to: URL(fileURLWithPath: target))
        damaged.append(d)
      }
      let h = try load(repo.path, cache: true)
      #expect(h.commitsFromCache == 0 && h.readingsFromCache == 0, "\(label): a bad cache was believed")
      #expect(
        h.changes == cold.changes && h.contents == cold.contents && h.commits == cold.commits, "\(label)")
      // Its own damaged files are gone (or rewritten whole); others' files are left as they were.
      for (file, d) in zip(targets, damaged) {
        let now = FileManager.default.contents(atPath: file)
        #expect(removed ? now != d : now == d, "\(label): \(file)")
      }
      // Rebuilt: the next run takes everything from the cache again.
      let next = try load(repo.path, cache: true)
      #expect(next.commitsFromCache == next.firstParentLength, "\(label): not rebuilt")
      #expect(next.changes == cold.changes && next.contents == cold.contents, "\(label)")
      for file in segments(repo) where !files.contains(file) {
        try FileManager.default.removeItem(atPath: file)
      }
      for (file, bytes) in zip(files, originals) { try bytes.write(to: URL(fileURLWithPath: file)) }
    }

    for c in CacheDamage.all { try damage(c.label, removed: c.ours, c.change) }
  }

  @Test func aBareRepositoryIsReadWithoutWritingACache() throws {
    let repo = try HistoryGenerator.generate(seed: 8, steps: 15)
    let bare = try TemporaryDirectory(prefix: "rectrack-bare")
    try repo.git.run(["clone", "-q", "--bare", repo.path, bare.path + "/server.git"])
    let path = bare.path + "/server.git"
    let cold = try load(path, cache: false)
    let warm = try load(path, cache: true)
    #expect(warm.changes == cold.changes && warm.contents == cold.contents)
    #expect(!FileManager.default.fileExists(atPath: path + "/rectrack"), "a bare repository got a cache")
  }

  /// A repository whose cache cannot be written (here `.git/rectrack` is a file, which stops
  /// even root) reads as well, with no error.
  @Test func anUnwritableCacheIsNoError() throws {
    let repo = try HistoryGenerator.generate(seed: 9, steps: 15)
    try Data("in the way\n".utf8).write(to: URL(fileURLWithPath: repo.path + "/.git/rectrack"))
    try expectSame(repo.path, "blocked", writable: false)
    #expect((try? String(contentsOfFile: repo.path + "/.git/rectrack", encoding: .utf8)) == "in the way\n")
  }

  @Test(.enabled(if: getuid() != 0, "root writes into read-only folders; the blocked-path test covers it"))
  func aReadOnlyRepositoryIsReadWithoutWriting() throws {
    let repo = try HistoryGenerator.generate(seed: 10, steps: 15)
    let gitDir = repo.path + "/.git"
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: gitDir)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: gitDir) }
    let cold = try load(repo.path, cache: false)
    let warm = try load(repo.path, cache: true)
    #expect(warm.changes == cold.changes && warm.contents == cold.contents)
    #expect(!FileManager.default.fileExists(atPath: gitDir + "/rectrack"))
  }
}
