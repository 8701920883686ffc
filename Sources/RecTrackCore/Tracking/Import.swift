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
    // Files a later snapshot changes, with the version it was planned from.
    var replaces: [String: ObjectID] = [:]
    for c in commits { replaces.merge(c.replaces, uniquingKeysWith: { a, _ in a }) }
    return try withLock { () throws(TrackingError) -> ImportResult in
      for p in replaces.keys.sorted() where try dirty(p) { throw .uncommittedEdits(path: p) }
      if let workdir = repo.workdir {
        for p in paths where replaces[p] == nil && FileManager.default.fileExists(atPath: workdir + p) {
          throw .io(
            "\(p) already exists in the working folder but is not committed. Move it away or commit it, then run again."
          )
        }
      }
      for attempt in 1...maxAttempts {
        let (branch, tip) = try branchAndTip()
        if let tip {
          let atTip = try repo.versions(at: tip).versions
          for v in atTip where ids[v.id] != nil {
            guard let planned = replaces[v.path] else { throw .duplicateID(v.id, path: v.path) }
            if planned != v.blob {
              throw .io(
                "\(v.path) was changed by someone else while the import was being prepared. Run the import again (nothing was written)."
              )
            }
          }
          for p in replaces.keys where !atTip.contains(where: { $0.path == p }) {
            throw .io("\(p) was moved or removed while the import was being prepared. Run the import again (nothing was written).")
          }
        }
        var parent = tip
        var made: [ObjectID] = []
        do throws(GitError) {
          // The chain's objects are kept in memory and written as one packfile before the branch
          // moves: thousands of commits make one file, not tens of thousands of loose objects.
          let (writer, pack) = try repo.git.memoryPackHandle()
          var tree = try tip.map { (p) throws(GitError) -> ObjectID in try writer.commit(p).tree }
          let committer =
            repo.git.defaultSignature().map {
              Signature(
                name: $0.name, email: $0.email, time: author.time, offsetMinutes: author.offsetMinutes)
            } ?? author
          for c in commits {
            var updates: [TreeUpdate] = []
            for f in c.files {
              updates.append(TreeUpdate(path: f.path, blob: try writer.createBlob(Array(f.text.utf8))))
            }
            let newTree = try writer.updatedTree(base: tree, updates: updates)
            let commit = try writer.createCommit(
              tree: newTree, parents: parent.map { [$0] } ?? [], author: author, committer: committer,
              message: c.message.text)
            made.append(commit)
            parent = commit
            tree = newTree
          }
          try writer.writeMemoryPack(pack)
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
