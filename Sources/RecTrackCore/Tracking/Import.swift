import Foundation

/// What an import recorded.
public struct ImportResult: Sendable {
  /// The commits made, oldest first.
  public var commits: [ObjectID]
  public var paths: [String]
  /// How many times the chain was rebuilt because another writer moved the branch first.
  public var attempts: Int
}

extension Recorder {
  /// Records an import as a chain of commits that lands all at once.
  ///
  /// The commits are built one on another from HEAD's tree, then the branch is moved from the
  /// old tip to the last of them by one compare-and-swap, under the same `flock` as every other
  /// change: a reader never sees half an import, and if another writer moved the branch first
  /// the whole chain is rebuilt on top of theirs (and the IDs checked again). Only then are the
  /// working files written and their index entries refreshed, as for a single change.
  public func record(_ commits: [PlannedCommit], author: Signature) throws(TrackingError) -> ImportResult {
    guard !commits.isEmpty else { throw .nothingToChange("the sheet has no rows to import.") }
    // Every version written must be a valid file, and every Effective date possible.
    var latest: [String: String] = [:]
    for c in commits {
      if let e = c.message.trailer("Effective").flatMap({ CalendarDate($0) }) {
        try Self.checkEffective(e, author: author)
      }
      for f in c.files {
        let doc: RecommendationDocument
        do { doc = try RecommendationDocument(text: f.text, path: f.path) } catch {
          throw .invalidFile(error)
        }
        try checkValid(doc, id: TrackingRepository.id(ofPath: f.path))
        latest[f.path] = f.text
      }
    }
    let paths = latest.keys.sorted()
    let ids = Dictionary(
      paths.map { (TrackingRepository.id(ofPath: $0), $0) }, uniquingKeysWith: { a, _ in a })
    return try withLock { () throws(TrackingError) -> ImportResult in
      if let workdir = repo.workdir {
        for p in paths where FileManager.default.fileExists(atPath: workdir + p) {
          throw .io(
            "\(p) already exists in the working folder but is not committed. Move it away or commit it, then run again."
          )
        }
      }
      for attempt in 1...maxAttempts {
        let (branch, tip) = try branchAndTip()
        if let tip {
          for v in try repo.versions(at: tip).versions {
            if ids[v.id] != nil { throw .duplicateID(v.id, path: v.path) }
          }
        }
        let messages = try checkRules(
          parent: tip, chain: commits.map { ($0.files, $0.message) }, author: author)
        var parent = tip
        var made: [ObjectID] = []
        do throws(GitError) {
          var tree = try tip.map { (p) throws(GitError) -> ObjectID in try repo.git.commit(p).tree }
          let committer =
            repo.git.defaultSignature().map {
              Signature(
                name: $0.name, email: $0.email, time: author.time, offsetMinutes: author.offsetMinutes)
            } ?? author
          for (c, message) in zip(commits, messages) {
            var updates: [TreeUpdate] = []
            for f in c.files {
              updates.append(TreeUpdate(path: f.path, blob: try repo.git.createBlob(Array(f.text.utf8))))
            }
            let newTree = try repo.git.updatedTree(base: tree, updates: updates)
            let commit = try repo.git.createCommit(
              tree: newTree, parents: parent.map { [$0] } ?? [], author: author, committer: committer,
              message: message.text)
            made.append(commit)
            parent = commit
            tree = newTree
          }
          beforeBranchUpdate?()
          let moved = try repo.git.compareAndSwapBranch(
            branch, to: made[made.count - 1], expected: tip,
            logMessage: "rectrack: " + (commits.first?.message.summary ?? "import"))
          if !moved { continue }
        } catch {
          throw .git(error)
        }
        for p in paths { try writeWorkingFile(p, text: latest[p]!) }
        if repo.workdir != nil { try refreshIndex(paths) }
        return ImportResult(commits: made, paths: paths, attempts: attempt)
      }
      throw gaveUp()
    }
  }
}
