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
    let landed = try landing.land(logMessage: "rectrack: " + (commits.first?.message.summary ?? "import")) {
      (tip, attempt) throws(TrackingError) -> Landing.Built<[ObjectID]> in
      if attempt == 1 {
        for p in replaces.keys.sorted() where try dirty(p) { throw .uncommittedEdits(path: p) }
      }
      do throws(GitError) { try repo.git.refuseDirectoryFileConflict(at: Array(paths), inCommit: tip) } catch
      {
        throw .git(error)
      }
      if attempt == 1, let workdir = repo.workdir {
        for p in paths where replaces[p] == nil && FileManager.default.fileExists(atPath: workdir + p) {
          throw .io(
            "\(p) already exists in the working folder but is not committed. Move it away or commit it, then run again."
          )
        }
      }
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
          throw .io(
            "\(p) was moved or removed while the import was being prepared. Run the import again (nothing was written)."
          )
        }
      }
      let messages = try checkRules(
        parent: tip, chain: commits.map { ($0.files, $0.message) }, author: author, only: [.personNotAllowed])
      // The chain's objects are kept in memory and written as one packfile before the branch
      // moves: thousands of commits make one file, not tens of thousands of loose objects.
      let writer: Repository
      let pack: UnsafeMutableRawPointer
      do throws(GitError) { (writer, pack) = try repo.git.memoryPackHandle() } catch { throw .git(error) }
      // One committer for the chain (it lands at once), and each commit's tree built from the
      // previous one in memory: only the folders a commit changes are written again.
      let committer = try committer(for: author)
      var parent = tip
      var made: [ObjectID] = []
      do throws(GitError) {
        let trees = try ChainTrees(
          writer, base: try tip.map { (t) throws(GitError) in try repo.git.commit(t).tree })
        for (c, message) in zip(commits, messages) {
          var files: [(path: String, blob: ObjectID)] = []
          for f in c.files { files.append((f.path, try trees.blob(Array(f.text.utf8), path: f.path))) }
          let commit = try trees.commit(
            tree: try trees.tree(putting: files), parents: parent.map { [$0] } ?? [], author: author,
            committer: committer, message: message.text)
          made.append(commit)
          parent = commit
        }
        try writer.writeMemoryPack(pack, objects: trees.written)
      } catch {
        throw .git(error)
      }
      return Landing.Built(commit: made[made.count - 1], value: made)
    }
    return ImportResult(commits: landed.value, paths: paths, attempts: landed.attempts)
  }
}
