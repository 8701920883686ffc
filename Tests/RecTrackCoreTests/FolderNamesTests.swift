import Foundation
import RecTrackTestSupport
import Testing

@testable import RecTrackCore

/// Finding one recommendation's file by name with the folders remembered (`FolderNames`)
/// against git's own listing (`git ls-tree -r -t`) and rectrack's whole listing
/// (`versions(at:)`), at every commit of random histories, with the remembered file built up,
/// carried from commit to commit, damaged and replaced as it happens in a clone.
@Suite struct FolderNamesTests {
  static let seeds: [UInt64] = Array(1...UInt64(SlowTests.size(4, slow: 10, full: 30)))

  var cacheFile: (TestRepository) -> String { { $0.path + "/.git/rectrack/history/folders.cache" } }

  /// Names that are not `<ID>.yml`, the same ID in two folders, a folder named like a file, and
  /// a deeper folder.
  func addAwkwardFiles(_ repo: TestRepository, id: String) throws {
    let files = [
      "review-a/\(id).yml", "review-b/deeper/\(id).yml", "review-b/\(id).yml.bak", "\(id).yaml",
      "other/\(id).yml/notes.txt", "review-c/deeper/still/X\(id).yml",
    ]
    for f in files {
      try repo.write("Recommendations/" + f, TestRepository.recommendation(id: id, status: "open"))
    }
    try repo.commit("Awkward files", date: "2030-01-02T10:00:00+00:00")
    try repo.remove("Recommendations/review-a/\(id).yml")
    try repo.commit("One copy removed", date: "2030-01-03T10:00:00+00:00")
  }

  /// git's entries under `Recommendations/` at `commit`, trees too: name, then "path id".
  func gitEntries(_ repo: TestRepository, _ commit: String) throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for line in try repo.git.run(["ls-tree", "-r", "-t", "--full-tree", commit, "--", "Recommendations/"])
      .split(separator: "\n")
    {
      let parts = line.split(separator: "\t", maxSplits: 1)
      guard parts.count == 2, let name = parts[1].split(separator: "/").last else { continue }
      out[String(name), default: []].append("\(parts[1]) \(parts[0].split(separator: " ")[2])")
    }
    return out.mapValues { $0.sorted() }
  }

  @Test func lookupsAgreeWithGitAndTheWholeListingAtEveryCommit() throws {
    var remembered = 0
    for seed in Self.seeds {
      let repo = try HistoryGenerator.generate(seed: seed, steps: 30)
      let tracking = try TrackingRepository(at: repo.path)
      let first = try #require(try tracking.versions().versions.first?.id)
      try addAwkwardFiles(repo, id: first)
      let commits = try repo.git.run(["rev-list", "--first-parent", "HEAD"]).split(separator: "\n").map(
        String.init)
      var seen: Set<String> = []
      for hex in commits {
        for v in try tracking.versions(at: ObjectID(hex: hex)).versions { seen.insert(v.id) }
      }
      let ids = seen.sorted() + [first.lowercased(), "NONE-1"]
      // Oldest first, as a clone moves on; then newest first, as a walk back would.
      for (round, order) in [commits.reversed(), commits].enumerated() {
        for hex in order {
          let commit = try #require(ObjectID(hex: hex))
          let all = try tracking.versions(at: commit).versions
          let tree = try tracking.git.commit(commit).tree
          let listed = try gitEntries(repo, hex)
          for id in ids {
            let found = try tracking.versions(of: id, at: commit)
            #expect(
              found == all.filter { $0.id == id }.sorted { $0.path < $1.path }, "seed \(seed) \(hex) \(id)")
            let raw = try tracking.git.entries(
              named: id + ".yml", under: "Recommendations", inTree: tree,
              remembering: FolderNames(tracking.git)
            ).map { "\($0.path) \($0.entry.id.hex)" }
            #expect(raw == listed[id + ".yml", default: []], "seed \(seed) \(hex) \(id) round \(round)")
          }
          tracking.rememberFolders()
        }
      }
      if FileManager.default.fileExists(atPath: cacheFile(repo)) { remembered += 1 }
    }
    // The lookups above went through the remembered folders, not around them.
    #expect(remembered == Self.seeds.count)
  }

  /// Once every folder of a commit is remembered, looking again reads nothing new (the file is
  /// not rewritten); a commit that changes one folder adds it.
  @Test func aRepeatLookupLearnsNothingAndAChangeLearnsItsFolder() throws {
    let repo = try HistoryGenerator.generate(seed: 7, steps: 30)
    let tracking = try TrackingRepository(at: repo.path)
    let id = try #require(try tracking.versions().versions.first?.id)
    _ = try tracking.versions(of: id)
    tracking.rememberFolders()
    let file = cacheFile(repo)
    let before = try #require(FileManager.default.contents(atPath: file))
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1)], ofItemAtPath: file)
    let again = try TrackingRepository(at: repo.path)
    _ = try again.versions(of: id)
    _ = try again.versions(of: "NONE-1")
    again.rememberFolders()
    #expect(FileManager.default.contents(atPath: file) == before)
    let stamp = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
    #expect(stamp == Date(timeIntervalSince1970: 1))
    try repo.write(
      "Recommendations/new-folder/NEW-1.yml", TestRepository.recommendation(id: "NEW-1", status: "open"))
    try repo.commit("A new folder", date: "2030-01-02T10:00:00+00:00")
    let moved = try TrackingRepository(at: repo.path)
    #expect(try moved.versions(of: "NEW-1").map(\.path) == ["Recommendations/new-folder/NEW-1.yml"])
    moved.rememberFolders()
    #expect(FileManager.default.contents(atPath: file) != before)
  }

  /// A damaged file is not believed (and, ours, is written anew); another program's or a later
  /// version's is read past and left alone. Every answer stays git's.
  @Test(arguments: CacheDamage.all.map(\.label))
  func aDamagedFileIsNotBelieved(_ label: String) throws {
    let damage = try #require(CacheDamage.all.first { $0.label == label })
    let repo = try HistoryGenerator.generate(seed: 11, steps: 30)
    let tracking = try TrackingRepository(at: repo.path)
    let ids = try tracking.versions().versions.map(\.id)
    let expected = try ids.map { try tracking.listedVersions(of: $0) }
    _ = try tracking.versions(of: try #require(ids.first))
    tracking.rememberFolders()
    let file = cacheFile(repo)
    var data = try #require(FileManager.default.contents(atPath: file))
    damage.change(&data)
    try data.write(to: URL(fileURLWithPath: file))
    let fresh = try TrackingRepository(at: repo.path)
    #expect(try ids.map { try fresh.versions(of: $0) } == expected, "\(label)")
    fresh.rememberFolders()
    let after = try #require(FileManager.default.contents(atPath: file))
    if damage.ours {
      #expect(after != data, "\(label): rewritten")
      let valid = after.withUnsafeBytes { bytes -> Bool in
        if case .valid = HistoryCache.check(bytes, kind: .folders) { return true }
        return false
      }
      #expect(valid, "\(label): the new file is whole")
    } else {
      #expect(after == data, "\(label): left alone")
    }
  }
}

extension TrackingRepository {
  /// HEAD's files of `id` from the whole listing (the reference for the damaged-file test).
  fileprivate func listedVersions(of id: String) throws -> [FileVersion] {
    try versions().versions.filter { $0.id == id }.sorted { $0.path < $1.path }
  }
}
