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
    var locks = ["index.lock", "HEAD.lock", "packed-refs.lock", "config.lock"].filter {
      fm.fileExists(atPath: gitDir + $0)
    }
    if let e = fm.enumerator(atPath: gitDir + "refs") {
      while let rel = e.nextObject() as? String {
        if rel.hasSuffix(".lock") { locks.append("refs/" + rel) }
      }
    }
    for lock in locks {
      let what =
        lock == "index.lock"
        ? "git's index" : lock == "config.lock" ? "git's settings" : lock.dropLast(5).description
      out.append(
        FormatError(
          path: displayPath(gitDir + lock), line: 1, column: 1,
          message:
            "a lock file was left behind by an interrupted git or rectrack command; until it is removed, \(what) cannot be updated",
          hint: "if no git or rectrack command is running, run: rm -f \(shellQuoted(gitDir + lock))"))
    }
    guard let workdir else { return out }
    let changed = (try? git.changedPaths(under: "")) ?? []
    var temporary = Set<String>()
    for rel in Self.workingFiles(under: workdir + Self.folder) { temporary.insert(Self.folder + "/" + rel) }
    temporary.formUnion(changed)
    for path in temporary.sorted() {
      let name = (path as NSString).lastPathComponent
      guard name.hasPrefix("."), name.contains(AtomicFile.marker) else { continue }
      out.append(
        FormatError(
          path: path, line: 1, column: 1,
          message:
            "a temporary file was left behind by an interrupted rectrack command; the file it was for is intact",
          hint: "run: rm -f \(shellQuoted(workdir + path))"))
    }
    out += laggingFiles(changed.filter { !($0 as NSString).lastPathComponent.contains(AtomicFile.marker) })
    return out
  }

  /// Working files and index entries that still hold what an earlier commit had where HEAD has
  /// something else: a rectrack command was stopped after moving the branch and before (or
  /// while) updating them. Each is named with the one command that brings it to HEAD's version,
  /// which loses nothing: the old version is in history, and nothing else is at that path.
  private func laggingFiles(_ paths: [String]) -> [FormatError] {
    var out: [FormatError] = []
    let candidates = recentTrees()
    for path in paths {
      guard let lag = lag(at: path, candidates: candidates) else { continue }
      let (what, repair): (String, String)
      switch lag {
      case .workingFile:
        what =
          "the working file is not up to date with the last commit: a rectrack command was interrupted after recording a change and before updating the file (nothing was lost; the commit has it)"
      case .indexEntry:
        what =
          "git's index is not up to date with the last commit for this file (a commit made now would undo it): a rectrack command was interrupted after updating the file and before updating the index (nothing was lost)"
      }
      let inHead = try? git.head().commit.flatMap { try git.entry(at: path, inTree: try git.commit($0).tree) }
      if inHead == nil {
        // HEAD has no such file: the change removed it (a colleague's deletion, brought by sync).
        repair =
          "git rm -q --cached --ignore-unmatch -- \(shellQuoted(path)) && rm -f -- \(shellQuoted(path))"
      } else {
        repair = "git checkout HEAD -- \(shellQuoted(path))"
      }
      out.append(FormatError(path: path, line: 1, column: 1, message: what, hint: "run: " + repair))
    }
    return out
  }

  enum Lag { case workingFile, indexEntry }

  /// Trees `path` may lag behind: HEAD's first-parent ancestors (50) and the branch's earlier
  /// tips from its reflog (a sync that brought many commits at once moved from one of those).
  func recentTrees() -> [ObjectID] {
    guard case .branch(let branch, let head)? = try? git.head() else { return [] }
    var trees: [ObjectID] = []
    var cursor = (try? git.commit(head))?.parents.first
    var steps = 0
    while let c = cursor, steps < 50, let info = try? git.commit(c) {
      trees.append(info.tree)
      cursor = info.parents.first
      steps += 1
    }
    for old in git.previousTips(of: branch, count: 20) {
      if let t = try? git.commit(old).tree, !trees.contains(t) { trees.append(t) }
    }
    return trees
  }

  /// Whether `path` is behind HEAD only because a rectrack landing was interrupted: the working
  /// file and the index entry each hold either HEAD's version or the one version (or absence)
  /// the path had in a recent tree, and not both are HEAD's. Such a copy can be replaced by
  /// HEAD's without losing anything (the commits have it).
  func lag(at path: String) -> Lag? { lag(at: path, candidates: recentTrees()) }

  /// Whether `path`'s uncommitted state is only a copy an interrupted rectrack command left
  /// behind (see `interruptedWork`), not someone's edit.
  public func isLeftover(_ path: String) -> Bool { lag(at: path) != nil }

  private func lag(at path: String, candidates: [ObjectID]) -> Lag? {
    guard let workdir, let head = try? git.head().commit, let headInfo = try? git.commit(head) else {
      return nil
    }
    // (`try?` would flatten "absent" and "unreadable" into one nil: both are needed apart.)
    let committed: ObjectID?
    let indexed: ObjectID?
    do {
      committed = try git.entry(at: path, inTree: headInfo.tree)?.id
      indexed = try git.indexEntry(at: path)
    } catch {
      return nil
    }
    // What is in the working folder, as a blob id (a link: its target), nil when absent.
    let working: ObjectID?
    var st = stat()
    if lstat(workdir + path, &st) != 0 {
      working = nil
    } else if st.st_mode & S_IFMT == S_IFLNK {
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: workdir + path),
        let id = try? git.blobID(of: Array(target.utf8))
      else { return nil }
      working = id
    } else if st.st_mode & S_IFMT == S_IFREG {
      guard let data = FileManager.default.contents(atPath: workdir + path),
        let id = try? git.blobID(of: Array(data))
      else { return nil }
      working = id
    } else {
      return nil
    }
    if working == committed && indexed == committed { return nil }
    // The one stale state: whichever of the two is not HEAD's.
    let stale = working != committed ? working : indexed
    if working != committed && indexed != committed && working != indexed { return nil }
    for tree in candidates {
      let entry: TreeEntry?
      do { entry = try git.entry(at: path, inTree: tree) } catch { continue }
      if entry?.id == stale { return working == stale ? .workingFile : .indexEntry }
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
