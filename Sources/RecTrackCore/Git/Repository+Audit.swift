internal import Clibgit2
import Foundation

/// The little the audit needs to know about a commit before deciding whether to look closer:
/// its parents, its author time and the ids of the two things it audits.
struct CommitHeader: Sendable {
  var parents: [ObjectID]
  var tree: ObjectID
  var authorTime: Int64
  var authorOffset: Int
  var committerTime: Int64
  var committerOffset: Int
  /// The `Recommendations` subtree, nil when the commit has none.
  var recommendations: ObjectID?
  /// The blob of the top-level file the audit also watches (`rectrack.yml`), nil when absent.
  var settings: ObjectID?
  /// True when the message may carry an `Acknowledges-Finding:` trailer (read in full then).
  var acknowledges = false
  /// Why libgit2 cannot parse the commit, when it was read leniently (`LenientCommit`).
  var unreadable: String? = nil
}

/// What git's own merge machinery makes of two commits, restricted to one folder: the clean
/// result of each path, and the paths it could not merge on its own.
struct AutomaticMerge: Sendable {
  var clean: [String: ObjectID]
  var conflicted: Set<String>
}

/// The parts of libgit2 the history audit uses and nothing else does: walking every parent,
/// signatures, git's automatic merge, tags and extra object folders (a pre-receive hook's
/// quarantine).
extension Repository {
  /// Commits reachable from `tips` and not from `hidden`, parents before children and otherwise
  /// oldest first (topological and time order, all parents, no first-parent simplification).
  func walkAll(from tips: [ObjectID], hiding hidden: [ObjectID]) throws(GitError) -> [ObjectID] {
    do { return try revwalk(from: tips, hiding: hidden) } catch {
      // libgit2's walk stops at a commit it cannot parse: walk again reading commits leniently.
      return try walkAllLeniently(from: tips, hiding: hidden)
    }
  }

  /// `walkAll` without libgit2's revision walker, for histories holding a commit libgit2 cannot
  /// parse (`LenientCommit`): parents before children, otherwise oldest committer date first.
  private func walkAllLeniently(from tips: [ObjectID], hiding hidden: [ObjectID]) throws(GitError)
    -> [ObjectID]
  {
    func read(_ id: ObjectID) throws(GitError) -> (parents: [ObjectID], time: Int64)? {
      do throws(GitError) {
        let c = try commit(id)
        return (c.parents, c.committer.time)
      } catch {
        if error.isNotFound { return nil }  // beyond a shallow clone's edge
        throw error
      }
    }
    func reach(_ starts: [ObjectID], stop: Set<ObjectID>) throws(GitError) -> [ObjectID: (
      parents: [ObjectID], time: Int64
    )] {
      var seen: [ObjectID: (parents: [ObjectID], time: Int64)] = [:]
      var stack = starts.filter { !stop.contains($0) }
      while let id = stack.popLast() {
        guard seen[id] == nil, let c = try read(id) else { continue }
        seen[id] = c
        stack += c.parents.filter { seen[$0] == nil && !stop.contains($0) }
      }
      return seen
    }
    let hiddenSet = Set(try reach(hidden, stop: []).keys)
    let nodes = try reach(tips, stop: hiddenSet)
    var waiting: [ObjectID: Int] = [:]
    var children: [ObjectID: [ObjectID]] = [:]
    for (id, c) in nodes {
      let inside = Set(c.parents).filter { nodes[$0] != nil }
      waiting[id] = inside.count
      for p in inside { children[p, default: []].append(id) }
    }
    func before(_ a: ObjectID, _ b: ObjectID) -> Bool {
      let (x, y) = (nodes[a]!.time, nodes[b]!.time)
      return x != y ? x < y : a.hex < b.hex
    }
    // Ready commits, latest first, so the oldest is taken from the end.
    var ready = waiting.filter { $0.value == 0 }.map(\.key).sorted { before($1, $0) }
    var out: [ObjectID] = []
    out.reserveCapacity(nodes.count)
    while let id = ready.popLast() {
      out.append(id)
      for child in children[id] ?? [] {
        waiting[child]! -= 1
        guard waiting[child] == 0 else { continue }
        let at = ready.firstIndex { !before(child, $0) } ?? ready.count
        ready.insert(child, at: at)
      }
    }
    return out
  }

  private func revwalk(from tips: [ObjectID], hiding hidden: [ObjectID]) throws(GitError) -> [ObjectID] {
    var walk: OpaquePointer?
    try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
    defer { git_revwalk_free(walk) }
    try check(
      git_revwalk_sorting(
        walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue | GIT_SORT_REVERSE.rawValue),
      "git_revwalk_sorting")
    for t in tips {
      var raw = t.raw
      try check(git_revwalk_push(walk, &raw), "git_revwalk_push")
    }
    for h in hidden {
      var raw = h.raw
      try check(git_revwalk_hide(walk, &raw), "git_revwalk_hide")
    }
    var out: [ObjectID] = []
    var oid = git_oid()
    while true {
      let rc = git_revwalk_next(&oid, walk)
      if rc == GIT_ITEROVER.rawValue { break }
      try check(rc, "git_revwalk_next")
      out.append(ObjectID(oid))
    }
    return out
  }

  /// A commit as `commit(_:)` reads it, with its header: parents, author time, the `folder`
  /// subtree id and the `file` blob id, in one commit lookup. The root tree's two entries come
  /// from `differ`'s folder cache (the audit compares the same root trees for unsafe paths next).
  func auditedCommit(_ id: ObjectID, folder: String, file: String, differ: TreeDiffer) throws(GitError)
    -> (header: CommitHeader, info: CommitInfo)
  {
    let (handle, lenient) = try lookupCommitLeniently(id)
    func entries(of treeID: ObjectID) throws(GitError) -> (ObjectID?, ObjectID?) {
      // As git_tree_entry_type reads modes: a folder is a tree, a submodule a commit, else a blob.
      let found = try differ.entries(named: [folder, file], inTree: treeID, at: "")
      let sub = found[0].flatMap { $0.isTree ? $0.id : nil }
      let blob = found[1].flatMap { $0.isTree || $0.mode == 0o160000 ? nil : $0.id }
      return (sub, blob)
    }
    if let l = lenient {
      let (sub, blob) = try entries(of: l.tree)
      let (a, c) = (l.bestAuthor, l.bestCommitter)
      let header = CommitHeader(
        parents: l.parents, tree: l.tree, authorTime: a.time, authorOffset: a.offsetMinutes,
        committerTime: c.time, committerOffset: c.offsetMinutes, recommendations: sub, settings: blob,
        acknowledges: l.message.contains("\nAcknowledges-Finding:"), unreadable: l.problem)
      let info = CommitInfo(
        id: id, tree: l.tree, parents: l.parents, author: a, committer: c, message: l.message,
        unreadable: l.problem)
      return (header, info)
    }
    guard let c = handle else {
      throw GitError(message: "commit \(id) not found", function: "git_commit_lookup")
    }
    defer { git_commit_free(c) }
    var parents: [ObjectID] = []
    for i in 0..<git_commit_parentcount(c) { parents.append(ObjectID(git_commit_parent_id(c, i))) }
    let tree = ObjectID(git_commit_tree_id(c))
    let (sub, blob) = try entries(of: tree)
    let author = Signature(git_commit_author(c))
    let committer = Signature(git_commit_committer(c))
    let message = git_commit_message(c).map { String(decodingCString: $0) } ?? ""
    let header = CommitHeader(
      parents: parents, tree: tree,
      authorTime: Int64(git_commit_author(c).pointee.when.time),
      authorOffset: Int(git_commit_author(c).pointee.when.offset),
      committerTime: Int64(git_commit_committer(c).pointee.when.time),
      committerOffset: Int(git_commit_committer(c).pointee.when.offset), recommendations: sub, settings: blob,
      acknowledges: git_commit_message(c).map { strstr($0, "\nAcknowledges-Finding:") != nil } ?? false)
    let info = CommitInfo(
      id: id, tree: tree, parents: parents, author: author, committer: committer, message: message)
    return (header, info)
  }

  /// The signature in a commit's `gpgsig` header and the bytes it signs, or nil when unsigned.
  func extractSignature(of id: ObjectID) throws(GitError) -> (signature: [UInt8], signedData: [UInt8])? {
    var sig = git_buf()
    var data = git_buf()
    defer {
      git_buf_dispose(&sig)
      git_buf_dispose(&data)
    }
    var raw = id.raw
    let rc = git_commit_extract_signature(&sig, &data, pointer, &raw, nil)
    if rc == GIT_ENOTFOUND.rawValue { return nil }
    try check(rc, "git_commit_extract_signature")
    func bytes(_ b: git_buf) -> [UInt8] {
      guard let p = b.ptr, b.size > 0 else { return [] }
      return Array(UnsafeRawBufferPointer(start: p, count: b.size).bindMemory(to: UInt8.self))
    }
    return (bytes(sig), bytes(data))
  }

  /// What merging `ours` and `theirs` gives without a person's help, for paths under `prefix`.
  func automaticMerge(_ ours: ObjectID, _ theirs: ObjectID, under prefix: String) throws(GitError)
    -> AutomaticMerge
  {
    var a: OpaquePointer?
    var b: OpaquePointer?
    var ra = ours.raw
    var rb = theirs.raw
    try check(git_commit_lookup(&a, pointer, &ra), "git_commit_lookup")
    defer { git_commit_free(a) }
    try check(git_commit_lookup(&b, pointer, &rb), "git_commit_lookup")
    defer { git_commit_free(b) }
    var opts = git_merge_options()
    try check(git_merge_options_init(&opts, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
    var index: OpaquePointer?
    try check(git_merge_commits(&index, pointer, a, b, &opts), "git_merge_commits")
    defer { git_index_free(index) }
    var result = AutomaticMerge(clean: [:], conflicted: [])
    for i in 0..<git_index_entrycount(index) {
      guard let e = git_index_get_byindex(index, i), let p = e.pointee.path else { continue }
      let path = String(decodingCString: p)
      guard path.hasPrefix(prefix) else { continue }
      let stage = (Int32(e.pointee.flags) & GIT_INDEX_ENTRY_STAGEMASK) >> GIT_INDEX_ENTRY_STAGESHIFT
      if stage == 0 {
        result.clean[path] = ObjectID(e.pointee.id)
      } else {
        result.conflicted.insert(path)
      }
    }
    return result
  }

  /// Every reference whose full name starts with `prefix` (e.g. `refs/tags/audit/`), with the
  /// commit it points at.
  func references(withPrefix prefix: String) throws(GitError) -> [(name: String, commit: ObjectID)] {
    var list = git_strarray()
    try check(git_reference_list(&list, pointer), "git_reference_list")
    defer { git_strarray_dispose(&list) }
    var names: [String] = []
    for i in 0..<list.count {
      guard let p = list.strings[i] else { continue }
      let name = String(decodingCString: p)
      if name.hasPrefix(prefix) { names.append(name) }
    }
    var out: [(name: String, commit: ObjectID)] = []
    for name in names.sorted() {
      if let c = try resolve(name) { out.append((name, c)) }
    }
    return out
  }

  /// True when `ancestor` is `commit` or one of its ancestors.
  func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws(GitError) -> Bool {
    if ancestor == commit { return true }
    var a = ancestor.raw
    var c = commit.raw
    let rc = git_graph_descendant_of(pointer, &c, &a)
    if rc < 0, rc != GIT_ENOTFOUND.rawValue { return try reachesLeniently(ancestor, from: commit) }
    try check(rc, "git_graph_descendant_of")
    return rc == 1
  }

  /// Creates tag `name` (without `refs/tags/`) on `commit`: annotated with `message` when a tagger
  /// is known, lightweight otherwise. Fails if the tag exists.
  func createTag(_ name: String, on commit: ObjectID, tagger: Signature?, message: String) throws(GitError) {
    var obj: OpaquePointer?
    var raw = commit.raw
    try check(git_object_lookup(&obj, pointer, &raw, GIT_OBJECT_COMMIT), "git_object_lookup")
    defer { git_object_free(obj) }
    var out = git_oid()
    if let tagger {
      var sig: UnsafeMutablePointer<git_signature>?
      try check(
        git_signature_new(
          &sig, tagger.name, tagger.email, git_time_t(tagger.time), Int32(tagger.offsetMinutes)),
        "git_signature_new")
      defer { git_signature_free(sig) }
      try checkWrite(git_tag_create(&out, pointer, name, obj, sig, message, 0), "git_tag_create")
    } else {
      try checkWrite(git_tag_create_lightweight(&out, pointer, name, obj, 0), "git_tag_create_lightweight")
    }
  }

  /// Adds an object folder to look in (a pre-receive hook's quarantine, named by git in
  /// `GIT_OBJECT_DIRECTORY` / `GIT_QUARANTINE_PATH`), since libgit2 does not read those variables.
  func addObjectDirectory(_ path: String) throws(GitError) {
    var odb: OpaquePointer?
    try check(git_repository_odb(&odb, pointer), "git_repository_odb")
    defer { git_odb_free(odb) }
    try check(git_odb_add_disk_alternate(odb, path), "git_odb_add_disk_alternate")
  }

  /// A path-valued git configuration setting (e.g. `gpg.ssh.allowedSignersFile`), or nil when
  /// it is not set. A configuration that cannot be read is an error, not "not set".
  func configPath(_ key: String) throws(GitError) -> String? {
    var cfg: OpaquePointer?
    try check(git_repository_config_snapshot(&cfg, pointer), "git_repository_config_snapshot")
    defer { git_config_free(cfg) }
    var buf = git_buf()
    defer { git_buf_dispose(&buf) }
    let rc = git_config_get_path(&buf, cfg, key)
    if rc == GIT_ENOTFOUND.rawValue { return nil }  // expected: the key is not set
    try check(rc, "git_config_get_path")
    return buf.ptr.map { String(decodingCString: $0) }
  }
}

/// One `audit/...` tag as it is, before anything is trusted about it.
struct SealTag: Sendable {
  enum Target: Sendable {
    /// An annotated tag object on a commit: who tagged, when, and what it says.
    case annotated(commit: ObjectID, tagger: Signature?, message: String)
    /// A plain reference to a commit, with no tagger or message.
    case lightweight(commit: ObjectID)
    /// A tag on something that is not a commit (a blob, a tree): never a seal.
    case notACommit(kind: String)
  }
  var tag: String
  var target: Target
}

extension Repository {
  /// Every tag under `refs/tags/<prefix>`, described without peeling blindly: a tag on a blob is
  /// reported as such instead of failing the whole audit.
  func sealTags(prefix: String) throws(GitError) -> [SealTag] {
    var out: [SealTag] = []
    let targets = try referenceTargets(withPrefix: "refs/tags/" + prefix)
    for (name, id) in targets.sorted(by: { $0.key < $1.key }) {
      let tag = prefix + name
      var obj: OpaquePointer?
      var raw = id.raw
      guard git_object_lookup(&obj, pointer, &raw, GIT_OBJECT_ANY) == 0, let obj else {
        out.append(SealTag(tag: tag, target: .notACommit(kind: "a missing object")))
        continue
      }
      defer { git_object_free(obj) }
      func kindName(_ t: git_object_t) -> String {
        t == GIT_OBJECT_BLOB ? "a file (blob)" : t == GIT_OBJECT_TREE ? "a folder (tree)" : "a tag"
      }
      switch git_object_type(obj) {
      case GIT_OBJECT_COMMIT:
        out.append(SealTag(tag: tag, target: .lightweight(commit: id)))
      case GIT_OBJECT_TAG:
        let t = obj
        let targetType = git_tag_target_type(t)
        guard targetType == GIT_OBJECT_COMMIT else {
          out.append(SealTag(tag: tag, target: .notACommit(kind: kindName(targetType))))
          continue
        }
        let tagger = git_tag_tagger(t).map { Signature($0) }
        let message = git_tag_message(t).map { String(decodingCString: $0) } ?? ""
        let commit = ObjectID(git_tag_target_id(t))
        out.append(SealTag(tag: tag, target: .annotated(commit: commit, tagger: tagger, message: message)))
      default:
        out.append(SealTag(tag: tag, target: .notACommit(kind: kindName(git_object_type(obj)))))
      }
    }
    return out
  }
}
