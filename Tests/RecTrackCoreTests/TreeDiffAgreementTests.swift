import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// The three callers of the one tree differ (Git/TreeDiff.swift) against `git diff-tree`, on the
/// same generated histories: the history walk (`RecommendationHistory`), the audit
/// (`AuditReport.changes`) and the whole-tree comparison sync and `Landing` use
/// (`Repository.changes`). If any of them compared trees its own way again, the answers would
/// part on one of the entries added on top of the random history: a link, an executable file, a
/// `draft.yml`, a decoy outside `Recommendations/`, a file nested deeper than rectrack reads, a
/// mode-only change and a file replaced by a folder.
@Suite struct TreeDiffAgreementTests {
  static let seeds: [UInt64] = Array(1...UInt64(SlowTests.size(3, slow: 8, full: 20)))

  @Test(arguments: seeds)
  func walkAuditAndSyncSeeTheChangesGitSees(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: SlowTests.enabled ? 120 : 30)
    try addEdgeEntries(repo)
    let git = try Repository(discoveringFrom: repo.path)
    let chain = try repo.git.run(["rev-list", "--first-parent", "HEAD"]).split(separator: "\n").map(
      String.init)
    let reference = try chain.map { try gitChanges(repo, commit: $0) }

    // Sync and Landing: every entry that is not a folder, modes exact, whole tree.
    for (commit, lines) in zip(chain, reference) {
      let info = try git.commit(ObjectID(hex: commit)!)
      let parentTree = try info.parents.first.map { try git.commit($0).tree }
      let ours = try git.changes(from: parentTree, to: info.tree).map {
        RawLine(
          path: $0.path, oldMode: $0.old?.mode ?? 0, newMode: $0.new?.mode ?? 0, old: $0.old?.id.hex,
          new: $0.new?.id.hex)
      }
      #expect(Set(ours) == Set(lines), "seed \(seed), commit \(commit): Repository.changes")
      #expect(ours.map(\.path) == ours.map(\.path).sorted(), "sorted by path")
    }

    // The history walk: recommendation files (RecommendationPath), modes as git reads them.
    let history = try RecommendationHistory.load(from: git, usingCache: false)
    var walked: [String: Set<FileState>] = [:]
    for c in history.changes {
      var states = walked[c.commit.id.hex, default: []]
      if let v = c.version { states.insert(FileState(path: v.path, blob: v.blob.hex)) }
      if let p = c.previous, p.path != c.version?.path { states.insert(FileState(path: p.path, blob: nil)) }
      walked[c.commit.id.hex] = states
    }
    for (commit, lines) in zip(chain, reference) {
      let expected = Set(lines.compactMap { $0.recommendationChange(comparingModes: true) })
      #expect(walked[commit, default: []] == expected, "seed \(seed), commit \(commit): history walk")
    }

    // The audit: recommendation files whose blob differs; merges report only what a person
    // resolved, so first-parent commits with one parent are compared.
    let report = try Auditor(repo: try TrackingRepository(at: repo.path)).run(AuditOptions())
    var audited: [String: Set<FileState>] = [:]
    for c in report.changes {
      var states = audited[c.commit, default: []]
      states.insert(FileState(path: c.file, blob: c.kind == .deleted ? nil : "present"))
      if let p = c.previousFile { states.insert(FileState(path: p, blob: nil)) }
      audited[c.commit] = states
    }
    for (commit, lines) in zip(chain, reference) where try parents(repo, commit) <= 1 {
      let expected = Set(
        lines.compactMap { $0.recommendationChange(comparingModes: false) }.map {
          FileState(path: $0.path, blob: $0.blob == nil ? nil : "present")
        })
      #expect(audited[commit, default: []] == expected, "seed \(seed), commit \(commit): audit")
    }
  }

  /// A line of `git diff-tree -r --raw`: both sides' mode (0: absent) and blob.
  struct RawLine: Hashable, CustomStringConvertible {
    var path: String
    var oldMode: UInt32
    var newMode: UInt32
    var old: String?
    var new: String?
    var description: String { "\(path) \(String(oldMode, radix: 8))->\(String(newMode, radix: 8))" }

    /// The change as a reader of recommendations sees it (docs/format.md, "Files"): nil when
    /// neither side is a recommendation file or both are the same one.
    func recommendationChange(comparingModes: Bool) -> FileState? {
      let folders = path.split(separator: "/").count - 2
      guard folders <= RecommendationPath.maxFolderDepth else { return nil }
      let was = oldMode != 0 && RecommendationPath.isRecommendation(path: path, mode: oldMode) ? old : nil
      let now = newMode != 0 && RecommendationPath.isRecommendation(path: path, mode: newMode) ? new : nil
      if was == nil && now == nil { return nil }
      let modeChanged =
        RecommendationPath.canonicalMode(oldMode) != RecommendationPath.canonicalMode(newMode)
      if was == now && !(comparingModes && modeChanged) { return nil }
      return FileState(path: path, blob: now)
    }
  }

  struct FileState: Hashable, CustomStringConvertible {
    var path: String
    /// nil: the commit removed it.
    var blob: String?
    var description: String { "\(path)@\(blob?.prefix(8) ?? "deleted")" }
  }

  /// `git diff-tree -r` of one commit against its first parent (against the empty tree for
  /// the root). The parent is named explicitly: with `-m`, diff-tree of a merge would list the
  /// changes against every parent (git 2.39 has no `--diff-merges` for diff-tree).
  func gitChanges(_ repo: TestRepository, commit: String) throws -> [RawLine] {
    let parents = try repo.git.run(["rev-list", "--parents", "-n", "1", commit]).split(
      whereSeparator: { $0 == " " || $0 == "\n" })
    let sides = parents.count > 1 ? [String(parents[1]), commit] : ["--root", commit]
    let out = try repo.git.run(["diff-tree", "-r", "--no-renames", "--no-commit-id", "-z"] + sides)
    var fields = out.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    var lines: [RawLine] = []
    while fields.count >= 2 {
      let meta = fields.removeFirst().dropFirst().split(separator: " ")
      let path = fields.removeFirst()
      let zero = String(repeating: "0", count: 40)
      lines.append(
        RawLine(
          path: path, oldMode: UInt32(meta[0], radix: 8)!, newMode: UInt32(meta[1], radix: 8)!,
          old: meta[2] == zero ? nil : String(meta[2]), new: meta[3] == zero ? nil : String(meta[3])))
    }
    return lines
  }

  func parents(_ repo: TestRepository, _ commit: String) throws -> Int {
    try repo.git.run(["rev-list", "--parents", "-n", "1", commit]).split(separator: " ").count - 1
  }

  /// Entries the random history never makes, in three commits on top of it.
  func addEdgeEntries(_ repo: TestRepository) throws {
    let deep =
      "Recommendations/"
      + (1...(RecommendationPath.maxFolderDepth + 1)).map { "d\($0)" }
      .joined(separator: "/")
    let text = TestRepository.recommendation(id: "EDGE-1", status: "open")
    try repo.write("Recommendations/EXEC-1.yml", TestRepository.recommendation(id: "EXEC-1", status: "open"))
    try repo.write("Recommendations/draft.yml", text)
    try repo.write("Decoys/DECOY-1.yml", TestRepository.recommendation(id: "DECOY-1", status: "open"))
    try repo.write(deep + "/DEEP-1.yml", TestRepository.recommendation(id: "DEEP-1", status: "open"))
    try repo.write(
      "Recommendations/edge/FOLD-1.yml", TestRepository.recommendation(id: "FOLD-1", status: "open"))
    try FileManager.default.createSymbolicLink(
      atPath: repo.path + "/Recommendations/LINK-1.yml", withDestinationPath: "EXEC-1.yml")
    try repo.commit("Edge entries", date: "2024-01-10T10:00:00+00:00")
    try repo.git.run(["update-index", "--chmod=+x", "Recommendations/EXEC-1.yml"])
    try repo.git.run(
      ["commit", "-q", "-m", "Mode only"], environment: fixedDate("2024-01-11T10:00:00+00:00"))
    try repo.remove("Recommendations/LINK-1.yml")
    try FileManager.default.createSymbolicLink(
      atPath: repo.path + "/Recommendations/LINK-1.yml", withDestinationPath: "draft.yml")
    try repo.remove("Recommendations/edge")
    try repo.write("Recommendations/edge", "a file where a folder was\n")
    try repo.write(deep + "/DEEP-1.yml", TestRepository.recommendation(id: "DEEP-1", status: "closed"))
    try repo.write("Recommendations/draft.yml", text + "# edited\n")
    try repo.commit("Edge entries changed", date: "2024-01-12T10:00:00+00:00")
  }

  func fixedDate(_ date: String) -> [String: String] {
    ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
  }
}
