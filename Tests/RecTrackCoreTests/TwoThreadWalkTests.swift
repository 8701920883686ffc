import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// `log ID`'s cold walk on two threads (`FirstParentWalker.walkOnTwoThreads`) against the same
/// walk on one thread: with runs of 1, 3 and 256 commits, so that the threads take turns often
/// or hardly at all, on loose and packed histories and a shallow clone, every ID's changes and
/// the chain must be the same; and a repository with an object missing must fail with the same
/// error either way. No timings.
@Suite struct TwoThreadWalkTests {
  static let seeds: [UInt64] = Array(1...UInt64(SlowTests.size(4, slow: 10, full: 30)))

  func load(_ path: String, id: String, twoThreads: Bool, chunk: Int = 256) throws -> RecommendationHistory {
    try FirstParentWalker.$twoThreads.withValue(twoThreads) {
      try FirstParentWalker.$comparisonChunk.withValue(chunk) {
        try RecommendationHistory.load(from: Repository(discoveringFrom: path), usingCache: false, onlyID: id)
      }
    }
  }

  func expectSameWalks(_ path: String, _ label: String) throws {
    let whole = try RecommendationHistory.load(from: Repository(discoveringFrom: path), usingCache: false)
    #expect(!whole.ids.isEmpty, "\(label): no recommendation")
    for id in whole.ids + ["GEN-99"] {
      let one = try load(path, id: id, twoThreads: false)
      #expect(one.changes(of: id) == whole.changes(of: id), "\(label) id \(id): one thread")
      for chunk in [1, 3, 256] {
        let two = try load(path, id: id, twoThreads: true, chunk: chunk)
        #expect(two.changes(of: id) == one.changes(of: id), "\(label) id \(id) runs of \(chunk)")
        #expect(two.chain == one.chain, "\(label) id \(id) runs of \(chunk): chain")
        #expect(two.ids == one.ids, "\(label) id \(id) runs of \(chunk): ids")
      }
    }
  }

  @Test(arguments: seeds)
  func twoThreadsWalkAsOne(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 60)
    try expectSameWalks(repo.path, "seed \(seed) loose")
    try repo.git("repack", "-a", "-d", "-f", "--depth=50", "--window=50")
    try repo.git("prune-packed")
    try expectSameWalks(repo.path, "seed \(seed) packed")
  }

  /// A shallow clone ends the chain where a parent is missing: both walks end there alike.
  @Test func aShallowCloneEndsBothWalksAtTheSameCommit() throws {
    let repo = try HistoryGenerator.generate(seed: 7, steps: 60)
    let folder = try TemporaryDirectory()
    let clone = folder.path + "/clone"
    _ = try repo.git.run(["clone", "-q", "--depth", "20", "file://" + repo.path, clone])
    let whole = try RecommendationHistory.load(from: Repository(discoveringFrom: clone), usingCache: false)
    #expect(whole.firstParentLength == 20)
    try expectSameWalks(clone, "shallow")
  }

  /// A tree missing from the object database, in the middle of the history: a subfolder (met
  /// when two commits are compared) or a commit's root tree (met when the chain is read). Both
  /// walks fail, with the same error.
  @Test(arguments: ["subfolder", "root"])
  func aMissingTreeFailsBothWalksAlike(which: String) throws {
    let repo = try HistoryGenerator.generate(seed: 5, steps: 60)
    // The generator writes one pack (git fast-import): made loose objects, one can be removed.
    let packs = repo.path + "/.git/objects/pack"
    for name in try FileManager.default.contentsOfDirectory(atPath: packs) where name.hasSuffix(".pack") {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: packs + "/" + name))
      for suffix in [".pack", ".idx", ".rev"] {
        try? FileManager.default.removeItem(atPath: packs + "/" + name.dropLast(5) + suffix)
      }
      _ = try repo.git.runData(["unpack-objects", "-q"], input: Array(bytes))
    }
    let commits = try repo.git("rev-list", "--first-parent", "HEAD").split(separator: "\n").map(String.init)
    let middle = commits[commits.count / 2]
    let spec: String
    if which == "root" {
      spec = "\(middle)^{tree}"
    } else {
      let folders = try repo.git("ls-tree", "-d", "--name-only", "\(middle):Recommendations")
        .split(separator: "\n")
      spec = "\(middle):Recommendations/\(try #require(folders.first))"
    }
    let id =
      try RecommendationHistory.load(from: Repository(discoveringFrom: repo.path), usingCache: false)
      .ids.first ?? "GEN-01"
    let tree = try repo.git("rev-parse", spec).trimmingCharacters(in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(
      atPath: repo.path + "/.git/objects/\(tree.prefix(2))/\(tree.dropFirst(2))")
    func failure(twoThreads: Bool, chunk: Int = 256) -> String? {
      do {
        _ = try load(repo.path, id: id, twoThreads: twoThreads, chunk: chunk)
        return nil
      } catch {
        return "\(error)"
      }
    }
    let one = try #require(failure(twoThreads: false), "the walk on one thread did not fail")
    #expect(one.contains(tree.prefix(7)), "the error names the missing tree: \(one)")
    for chunk in [1, 3, 256] {
      #expect(failure(twoThreads: true, chunk: chunk) == one, "runs of \(chunk)")
    }
  }
}
