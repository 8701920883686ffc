import Foundation

extension TrackingRepository {
  /// What an interrupted git or rectrack command (killed, power cut) can leave behind, each
  /// with the command that clears it (`hint: run: ...`).
  ///
  /// rectrack's own writes are ordered so that a crash never loses a commit or corrupts the
  /// repository (objects first, then the branch by compare-and-swap, then the working file by
  /// rename, then the index), but a process killed in between can leave a lock file, a
  /// temporary file, or a working file one change behind the branch. These are not errors in
  /// a recommendation file; they are reported here so that nobody has to guess.
  public func interruptedWork() -> [FormatError] {
    var out: [FormatError] = []
    let gitDir = git.gitDir
    let fm = FileManager.default
    var locks = ["index.lock", "HEAD.lock", "packed-refs.lock", "config.lock"].filter { fm.fileExists(atPath: gitDir + $0) }
    if let e = fm.enumerator(atPath: gitDir + "refs") {
      while let rel = e.nextObject() as? String {
        if rel.hasSuffix(".lock") { locks.append("refs/" + rel) }
      }
    }
    for lock in locks {
      let what = lock == "index.lock" ? "git's index" : lock == "config.lock" ? "git's settings" : lock.dropLast(5).description
      out.append(
        FormatError(
          path: displayPath(gitDir + lock), line: 1, column: 1,
          message: "a lock file was left behind by an interrupted git or rectrack command; until it is removed, \(what) cannot be updated",
          hint: "if no git or rectrack command is running, run: rm -f \(shellQuoted(gitDir + lock))"))
    }
    guard let workdir else { return out }
    for rel in Self.workingFiles(under: workdir + Self.folder) {
      let name = (rel as NSString).lastPathComponent
      guard name.hasPrefix("."), name.contains(AtomicFile.marker) else { continue }
      let path = Self.folder + "/" + rel
      out.append(
        FormatError(
          path: path, line: 1, column: 1,
          message: "a temporary file was left behind by an interrupted rectrack command; the recommendation file itself is intact",
          hint: "run: rm -f \(shellQuoted(workdir + path))"))
    }
    out += laggingFiles(workdir: workdir)
    return out
  }

  /// Working files (and their index entries) that still hold an older committed version than
  /// HEAD's: rectrack was stopped after recording the change and before updating the file.
  private func laggingFiles(workdir: String) -> [FormatError] {
    var out: [FormatError] = []
    for path in uncommittedRecommendationPaths() {
      guard let lag = lag(at: path) else { continue }
      out.append(
        FormatError(
          path: path, line: 1, column: 1,
          message: lag == .workingFile
            ? "the working file is not up to date with the last commit: a rectrack command was interrupted after recording a change and before updating the file (nothing was lost; the commit has it)"
            : "git's index is not up to date with the last commit for this file: a rectrack command was interrupted after updating the file and before updating the index (nothing was lost)",
          hint: "run: git checkout HEAD -- \(shellQuoted(path))"))
    }
    return out
  }

  enum Lag { case workingFile, indexEntry }

  /// Whether `path` is behind HEAD only because a rectrack change was interrupted: the working
  /// file or its index entry holds a version that history had just before HEAD's, and nothing
  /// else differs. Such a copy can be overwritten without losing anything (the commits have it).
  func lag(at path: String) -> Lag? {
    guard let workdir, let head = try? git.head().commit, let headInfo = try? git.commit(head),
      let data = FileManager.default.contents(atPath: workdir + path),
      let working = try? git.blobID(of: Array(data)),
      let indexed = try? git.indexEntry(at: path),
      let committed = try? git.entry(at: path, inTree: headInfo.tree)
    else { return nil }
    // Stopped before the file was written: file and index hold the old version. Stopped
    // before the index was refreshed: the file is HEAD's, the index the old version. Either
    // way the stale copy must be one that history had just before, or it is someone's edit.
    let stale: ObjectID
    let kind: Lag
    if indexed == working && working != committed.id {
      (stale, kind) = (working, .workingFile)
    } else if working == committed.id && indexed != working {
      (stale, kind) = (indexed, .indexEntry)
    } else {
      return nil
    }
    var cursor = headInfo.parents.first
    var steps = 0
    while let c = cursor, steps < 50 {
      guard let info = try? git.commit(c) else { break }
      if (try? git.entry(at: path, inTree: info.tree))??.id == stale { return kind }
      cursor = info.parents.first
      steps += 1
    }
    return nil
  }

  private func displayPath(_ full: String) -> String {
    if let workdir, full.hasPrefix(workdir) { return String(full.dropFirst(workdir.count)) }
    return full
  }

  private func shellQuoted(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
