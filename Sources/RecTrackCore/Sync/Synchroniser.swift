import Foundation

/// What `rectrack sync` is asked to do.
public struct SyncOptions: Sendable {
  /// The configured remote (`git remote -v`), usually `origin`.
  public var remote: String
  /// The branch on both sides; nil: the branch HEAD is on.
  public var branch: String?
  /// How to settle fields changed differently on both sides; nil: stop and explain.
  public var prefer: SyncPreference?

  public init(remote: String = "origin", branch: String? = nil, prefer: SyncPreference? = nil) {
    self.remote = remote
    self.branch = branch
    self.prefer = prefer
  }
}

/// What a sync did.
public struct SyncResult: Sendable {
  public var remote: String
  public var branch: String
  /// Commits that came from the server and were not here before.
  public var received: Int
  /// Local commits that reached the server (replayed on top of the server's, when both moved).
  public var sent: Int
  /// Recommendation files whose changes from both sides were combined field by field.
  public var combined: [String]
  /// The branch's commit on both sides afterwards (nil: the branch is empty everywhere).
  public var tip: ObjectID?
  /// Meeting and audit-seal tags shared both ways.
  public var tags = TagSyncResult()
  /// Why the tags could not be shared, when the branch synced but the tags did not.
  public var tagProblem: String?
  public var upToDate: Bool { received == 0 && sent == 0 && tags.received.isEmpty && tags.sent.isEmpty }
}

/// A file or field both sides changed in ways that cannot be combined.
public struct SyncConflict: Sendable {
  public var path: String
  /// The field, or nil when the whole file clashes (deleted on one side, unparseable, ...).
  public var key: String?
  public var base: String
  public var local: String
  public var remote: String
  /// `abc1234 "summary", Name, 2021-03-02` for the local commit and the server's latest change.
  public var localCommit: String
  public var remoteCommit: String
  /// Why a whole file could not be combined.
  public var reason: String?
}

/// Brings a clone and the shared server repository together: fetch, replay, push.
///
/// Local commits made since the last sync are replayed one by one on top of the server's
/// branch, keeping each commit's author, author date and message (trailers included), so
/// history stays linear and every change keeps its date (docs/format.md §4). Nothing moves until
/// the whole replay has succeeded: on a clash the local branch, the working files and the server
/// are left exactly as they were. The local branch moves before the push, so a crash or a
/// refused push between the two leaves a clone that the next sync simply pushes (or replays
/// again); commits are never pushed twice and the server's branch is never forced.
public final class Synchroniser {
  public let repo: TrackingRepository
  public var credentials: CredentialSource
  /// How many times to start again when someone pushes between our fetch and our push.
  public var maxRounds = 4
  /// Called after the local branch has moved and before the push; tests use it to make another
  /// clone push first. Never set in production code.
  package var beforePush: (() -> Void)?

  public init(repo: TrackingRepository) {
    self.repo = repo
    credentials = CredentialSource(directory: repo.workdir ?? repo.git.gitDir)
  }

  private var git: Repository { repo.git }

  /// Tags every clone must see: review meetings, audit seals, update requests and replies.
  public static let sharedTagPrefixes = ["meeting/", "audit/", UpdateLog.tagPrefix]

  public func sync(_ options: SyncOptions) throws(TrackingError) -> SyncResult {
    let remote = options.remote
    do {
      guard try git.remoteURL(remote) != nil else {
        throw TrackingError.usage(
          "there is no remote named '\(remote)'. Add the shared repository once with: git remote add \(remote) URL"
        )
      }
    } catch {
      throw TrackingError.from(error)
    }
    let (branch, checkedOut) = try branchToSync(options.branch)
    return try TrackingRepository.withWriteLock(gitDir: git.gitDir) {
      () throws(TrackingError) -> SyncResult in
      var combined: [String] = []
      for _ in 1...maxRounds {
        let round = try attempt(
          remote: remote, branch: branch, checkedOut: checkedOut, prefer: options.prefer, combined: &combined)
        switch round {
        case .done(var result):
          result.combined = combined
          // The branch is in step; now the calendar of meetings and the audit seals.
          do throws(GitError) {
            result.tags = try git.syncTags(
              remote: remote, prefixes: Self.sharedTagPrefixes, credentials: credentials)
          } catch {
            result.tagProblem = error.message
          }
          return result
        case .pushRejected:
          // The local branch already holds the replayed commits; the next round puts them on
          // the server's newer tip.
          continue
        }
      }
      throw .sync(
        "other clones kept pushing to \(remote) while this one synced (\(maxRounds) attempts). Your changes are safe in this clone; run 'rectrack sync' again."
      )
    }
  }

  private enum Round {
    case done(SyncResult)
    case pushRejected
  }

  /// A failed fetch or push, explained (`RemoteFailure`): network and credential failures exit 3,
  /// anything else is a sync error.
  static func connectionFailure(
    _ error: GitError, remote: String, url: String?, after: String, pushing: Bool = false
  ) -> TrackingError {
    let failure = RemoteFailure(error, url: url ?? "")
    let text =
      "could not \(pushing ? "push to" : "fetch from") \(remote): \(failure.message). \(after)"
      + (failure.hint.map { "\nhint: \($0)" } ?? "")
    return failure.kind == .other ? .sync(text) : .network(text)
  }

  /// One fetch-replay-push round.
  private func attempt(
    remote: String, branch: String, checkedOut: Bool, prefer: SyncPreference?, combined: inout [String]
  ) throws(TrackingError) -> Round {
    let localRef = "refs/heads/\(branch)"
    do {
      let local = try git.resolve(localRef)
      let server: ObjectID?
      do {
        server = try git.fetch(remote: remote, branch: branch, credentials: credentials)
      } catch {
        throw Self.connectionFailure(
          error, remote: remote, url: (try? git.remoteURL(remote)) ?? nil,
          after: "Nothing was changed; your changes are safe in this clone.")
      }
      func result(received: Int, sent: Int, tip: ObjectID?) -> SyncResult {
        SyncResult(remote: remote, branch: branch, received: received, sent: sent, combined: [], tip: tip)
      }
      guard let server else {
        guard let local else { return .done(result(received: 0, sent: 0, tip: nil)) }
        // A new, empty server: this clone's history starts it.
        let sent = try firstParentCount(from: local, stopAt: nil)
        return try push(remote: remote, branch: branch, sent: sent, tip: local, result: result)
      }
      guard let local else {
        try moveLocal(localRef, from: nil, to: server, checkedOut: checkedOut)
        return .done(result(received: try firstParentCount(from: server, stopAt: nil), sent: 0, tip: server))
      }
      if local == server { return .done(result(received: 0, sent: 0, tip: local)) }
      if try git.contains(server, ancestor: local) {
        try moveLocal(localRef, from: local, to: server, checkedOut: checkedOut)
        return .done(
          result(received: try firstParentCount(from: server, stopAt: local), sent: 0, tip: server))
      }
      if try git.contains(local, ancestor: server) {
        let sent = try firstParentCount(from: local, stopAt: server)
        return try push(remote: remote, branch: branch, sent: sent, tip: local, result: result)
      }
      guard try git.mergeBase(local, server) != nil else {
        throw TrackingError.sync(
          "this clone and \(remote)/\(branch) share no history, so there is nothing to replay onto. Clone \(remote) afresh and copy your recommendation files into it."
        )
      }
      let chain = try localChain(from: local, server: server)
      let (tip, replayedPaths) = try replay(
        chain, onto: server, prefer: prefer, remote: remote, branch: branch)
      combined += replayedPaths.filter { !combined.contains($0) }
      try moveLocal(localRef, from: local, to: tip, checkedOut: checkedOut)
      let received = try firstParentCount(from: server, stopAt: try git.mergeBase(local, server))
      return try push(remote: remote, branch: branch, sent: chain.count, tip: tip) { _, s, t in
        result(received: received, sent: s, tip: t)
      }
    } catch {
      throw TrackingError.from(error)
    }
  }

  private func push(
    remote: String, branch: String, sent: Int, tip: ObjectID,
    result: (Int, Int, ObjectID?) -> SyncResult
  ) throws(TrackingError) -> Round {
    beforePush?()
    let outcome: PushOutcome
    do {
      outcome = try git.push(remote: remote, branch: branch, credentials: credentials)
    } catch {
      throw Self.connectionFailure(
        error, remote: remote, url: (try? git.remoteURL(remote)) ?? nil,
        after:
          "Your changes are committed in this clone (\(tip.short)); run 'rectrack sync' again when the server can be reached.",
        pushing: true)
    }
    switch outcome {
    case .accepted: return .done(result(0, sent, tip))
    case .rejected: return .pushRejected
    case .refused(let reason, let lines):
      throw .syncRefused(
        remote: remote, branch: branch, reason: reason, serverLines: lines, tip: tip, unsent: sent)
    }
  }

  /// The branch to sync and whether it is the one checked out in this working tree.
  private func branchToSync(_ requested: String?) throws(TrackingError) -> (String, Bool) {
    let head: Head
    do { head = try git.head() } catch { throw .git(error) }
    let current: String?
    switch head {
    case .branch(let name, _), .unborn(let name):
      current = name.hasPrefix("refs/heads/") ? String(name.dropFirst(11)) : name
    case .detached:
      current = nil
    }
    let branch: String
    if let requested {
      guard !requested.isEmpty, !requested.hasPrefix("-"), !requested.contains(".."),
        !requested.contains(":"),
        !requested.contains(" "), !requested.hasPrefix("refs/")
      else {
        throw .usage("--branch '\(requested)' is not a branch name such as main.")
      }
      branch = requested
    } else {
      guard let current else { throw .detachedHead }
      branch = current
    }
    return (branch, !git.isBare && current == branch)
  }

  /// The local commits the server lacks, oldest first, following first parents (a merge made
  /// by hand is replayed as one change against its first parent, as docs/format.md §4 counts it).
  private func localChain(from local: ObjectID, server: ObjectID) throws(GitError) -> [CommitInfo] {
    var chain: [CommitInfo] = []
    var cursor: ObjectID? = local
    while let c = cursor, !(try git.contains(server, ancestor: c)) {
      let info = try git.commit(c)
      chain.append(info)
      cursor = info.parents.first
    }
    return chain.reversed()
  }

  private func firstParentCount(from tip: ObjectID, stopAt stop: ObjectID?) throws(GitError) -> Int {
    var n = 0
    var cursor: ObjectID? = tip
    while let c = cursor, c != stop {
      if let stop, try git.contains(stop, ancestor: c) { break }
      n += 1
      cursor = try git.commit(c).parents.first
    }
    return n
  }

  // MARK: Replay

  /// Writes each local commit again on top of `server`; returns the new tip and the files that
  /// were combined field by field. Throws `syncConflict` (writing nothing a ref points at) when
  /// a change cannot be combined.
  private func replay(
    _ chain: [CommitInfo], onto server: ObjectID, prefer: SyncPreference?, remote: String, branch: String
  ) throws(TrackingError) -> (ObjectID, [String]) {
    var tip = server
    var combined: [String] = []
    let statuses = repo.workflow.statuses
    do {
      let committerBase = try git.defaultSignature()
      let (now, offset) = try Signature.recordedNow()
      for commit in chain {
        let parentTree = try commit.parents.first.map { (p) throws(GitError) in try git.commit(p).tree }
        let tipTree = try git.commit(tip).tree
        var updates: [(path: String, entry: TreeEntry?)] = []
        var conflicts: [SyncConflict] = []
        for change in try git.changes(from: parentTree, to: commit.tree) {
          let current = try git.entry(at: change.path, inTree: tipTree)
          if same(current, change.new) { continue }
          if same(current, change.old) {
            updates.append((change.path, change.new))
            continue
          }
          func isRecommendation(_ e: TreeEntry) -> Bool {
            RecommendationPath.isRecommendation(path: change.path, mode: e.mode)
          }
          guard let old = change.old, let new = change.new, let cur = current,
            isRecommendation(old), isRecommendation(new), isRecommendation(cur)
          else {
            conflicts.append(
              try fileConflict(
                change.path, local: change.new, remote: current, commit: commit, server: server,
                reason: current == nil || change.new == nil
                  ? "one side deleted or moved the file, the other changed it"
                  : "both sides changed the file and it is not a recommendation file"))
            continue
          }
          let outcome = FieldMerge.merge(
            base: try git.blob(old.id), local: try git.blob(new.id), remote: try git.blob(cur.id),
            path: change.path,
            prefer: prefer)
          switch outcome {
          case .merged(let bytes):
            let doc = try? RecommendationDocument(bytes: bytes, path: change.path)
            let errors =
              doc?.validate(expectedID: TrackingRepository.id(ofPath: change.path), statuses: statuses)
              .filter { $0.severity == .error } ?? []
            if doc == nil || !errors.isEmpty {
              conflicts.append(
                try fileConflict(
                  change.path, local: change.new, remote: current, commit: commit, server: server,
                  reason: "combined, the file would not be valid: "
                    + (errors.first?.message ?? "it does not parse")))
              continue
            }
            let blob = try git.createBlob(bytes)
            updates.append((change.path, TreeEntry(name: cur.name, id: blob, mode: cur.mode)))
            if !combined.contains(change.path) { combined.append(change.path) }
          case .clashes(let clashes):
            let remoteCommit = describe(try lastChange(of: change.path, from: server, notIn: commit))
            for clash in clashes {
              conflicts.append(
                SyncConflict(
                  path: change.path, key: clash.key, base: render(clash.base), local: render(clash.local),
                  remote: render(clash.remote), localCommit: describe(commit), remoteCommit: remoteCommit,
                  reason: nil))
            }
          case .notCombinable(let reason):
            conflicts.append(
              try fileConflict(
                change.path, local: change.new, remote: current, commit: commit, server: server,
                reason: reason))
          }
        }
        if !conflicts.isEmpty {
          throw TrackingError.syncConflict(
            SyncConflictReport(remote: remote, branch: branch, conflicts: conflicts))
        }
        let tree =
          updates.isEmpty
          ? tipTree
          : try git.updatedTree(base: tipTree, updates: updates.map { TreeUpdate(path: $0, entry: $1) })
        let committer =
          committerBase.map { Signature(name: $0.name, email: $0.email, time: now, offsetMinutes: offset) }
          ?? commit.committer
        tip = try git.createCommit(
          tree: tree, parents: [tip], author: commit.author, committer: committer, message: commit.message)
      }
    } catch {
      throw TrackingError.from(error)
    }
    return (tip, combined)
  }

  private func same(_ a: TreeEntry?, _ b: TreeEntry?) -> Bool {
    a?.id == b?.id && a?.mode == b?.mode
  }

  private func render(_ v: FieldValue?) -> String {
    guard let v else { return "(not set)" }
    return RecommendationDocument.yamlScalar(v)
  }

  private func fileConflict(
    _ path: String, local: TreeEntry?, remote: TreeEntry?, commit: CommitInfo, server: ObjectID,
    reason: String
  ) throws(GitError) -> SyncConflict {
    func state(_ e: TreeEntry?) -> String { e.map { "version \($0.id.short)" } ?? "(deleted)" }
    return SyncConflict(
      path: path, key: nil, base: "", local: state(local), remote: state(remote),
      localCommit: describe(commit),
      remoteCommit: describe(try lastChange(of: path, from: server, notIn: commit)), reason: reason)
  }

  /// The newest commit on the server's first-parent line that changed `path` and that the local
  /// commit does not have.
  private func lastChange(of path: String, from server: ObjectID, notIn local: CommitInfo) throws(GitError)
    -> CommitInfo?
  {
    var cursor: ObjectID? = server
    var steps = 0
    while let c = cursor, steps < 10_000 {
      if try git.contains(local.id, ancestor: c) { return nil }
      let info = try git.commit(c)
      let mine = try git.entry(at: path, inTree: info.tree)
      let parent = try info.parents.first.map { (p) throws(GitError) in
        try git.entry(at: path, inTree: try git.commit(p).tree)
      }
      if !same(mine, parent ?? nil) { return info }
      cursor = info.parents.first
      steps += 1
    }
    return nil
  }

  private func describe(_ c: CommitInfo?) -> String {
    guard let c else { return "unknown commit" }
    return "\(c.id.short) \"\(c.summary)\", \(c.author.name), \(c.author.calendarDate)"
  }

  // MARK: Moving the local branch and the working files

  /// Moves the local branch by compare-and-swap and brings the working files and their index
  /// entries up to date, through the one `Landing` every writer uses. Refuses, before anything
  /// moves, a history from the server with a path rectrack must never write (`TreePath`: `.git`,
  /// `..`, ...), in any commit it brings, and a file it must rewrite that has uncommitted edits.
  private func moveLocal(_ ref: String, from old: ObjectID?, to new: ObjectID, checkedOut: Bool)
    throws(TrackingError)
  {
    do {
      for c in try git.walkAll(from: [new], hiding: old.map { [$0] } ?? []) {
        let info = try git.commit(c)
        let parentTree = try info.parents.first.map { (p) throws(GitError) in try git.commit(p).tree }
        if let bad = try git.unsafePaths(from: parentTree, to: info.tree).first {
          throw TrackingError.unsafeTree(path: bad.path, problem: bad.problem + " (commit \(c.short))")
        }
      }
      let oldTree = try old.map { (c) throws(GitError) in try git.commit(c).tree }
      let newTree = try git.commit(new).tree
      let changes = checkedOut ? try git.changes(from: oldTree, to: newTree) : []
      // A copy left behind by an interrupted landing (Leftovers) is brought up to date too.
      for change in changes
      where try git.hasUncommittedChanges(at: change.path) && repo.lag(at: change.path) == nil {
        throw TrackingError.uncommittedEdits(path: change.path)
      }
    } catch {
      throw TrackingError.from(error)
    }
    var landing = Landing(repo: repo)
    landing.maxAttempts = 1
    _ = try landing.land(ref: ref, updateWorkingTree: checkedOut, locked: true, logMessage: "rectrack sync") {
      (tip, _) throws(TrackingError) -> Landing.Built<Void> in
      guard tip == old else {
        throw TrackingError.sync(
          "\(ref.dropFirst(11)) moved while syncing (another git command?). Nothing was lost; run 'rectrack sync' again."
        )
      }
      return Landing.Built(commit: new, value: ())
    }
  }
}

/// Everything a person needs to settle a sync that stopped: both values and what to run.
public struct SyncConflictReport: Sendable, CustomStringConvertible {
  public var remote: String
  public var branch: String
  public var conflicts: [SyncConflict]

  public var description: String {
    let server = "\(remote)/\(branch)"
    var out = "sync stopped: the same thing was changed here and on \(server), differently.\n"
    var fieldClash = false
    for c in conflicts {
      if let key = c.key {
        fieldClash = true
        out += "\n\(c.path), field '\(key)':\n"
        out += "  here:      \(c.local)\n            (\(c.localCommit))\n"
        out +=
          "  \(remote): \(String(repeating: " ", count: max(0, 9 - remote.count)))\(c.remote)\n            (\(c.remoteCommit))\n"
        out += "  before both: \(c.base)\n"
      } else {
        out += "\n\(c.path): \(c.reason ?? "changed on both sides")\n"
        out += "  here:      \(c.local) (\(c.localCommit))\n"
        out +=
          "  \(remote): \(String(repeating: " ", count: max(0, 9 - remote.count)))\(c.remote) (\(c.remoteCommit))\n"
      }
    }
    out += "\nNothing was changed: this clone's branch, its working files and \(server) are as they were.\n"
    out += "To resolve it, agree which value is right, then run one of:\n"
    if fieldClash {
      out +=
        "  rectrack sync --keep local    your value is recorded on top of \(remote)'s (both stay in history)\n"
      out +=
        "  rectrack sync --keep remote   \(remote)'s value stays; your commit is kept without that field's change\n"
    }
    out +=
      "  or by hand: git fetch \(remote) && git rebase \(server), fix the file, git add it, git rebase --continue, then rectrack sync"
    return out
  }
}
