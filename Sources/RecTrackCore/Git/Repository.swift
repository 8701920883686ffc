internal import CGitShims
internal import Clibgit2
import Foundation

/// Who made a commit and when, copied out of libgit2 into a plain value.
public struct Signature: Sendable, Hashable {
  public var name: String
  public var email: String
  /// Seconds since 1970-01-01T00:00:00Z.
  public var time: Int64
  /// The person's own UTC offset in minutes (git stores it with every date).
  public var offsetMinutes: Int

  public init(name: String, email: String, time: Int64, offsetMinutes: Int) {
    self.name = name
    self.email = email
    self.time = time
    self.offsetMinutes = offsetMinutes
  }

  init(_ sig: UnsafePointer<git_signature>) {
    name = sig.pointee.name.map { String(decodingCString: $0) } ?? ""
    email = sig.pointee.email.map { String(decodingCString: $0) } ?? ""
    time = Int64(sig.pointee.when.time)
    offsetMinutes = Int(sig.pointee.when.offset)
  }

  /// The calendar day of this instant in the person's own time zone (docs/format.md §4).
  public var calendarDate: CalendarDate {
    CalendarDate(secondsSinceEpoch: time, offsetMinutes: offsetMinutes)
  }

  /// `Name <email>`.
  public var formatted: String { "\(name) <\(email)>" }

  /// ISO 8601 with the person's own offset, e.g. `2021-03-31T23:30:00-02:00`.
  public var iso8601: String {
    let bound: Int64 = 1 << 40
    let local = min(max(time, -bound), bound) + Int64(min(max(offsetMinutes, -100_000), 100_000)) * 60
    let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    let secs = Int(local - days * 86_400)
    let date = CalendarDate(daysSinceEpoch: Int(days))
    func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let sign = offsetMinutes < 0 ? "-" : "+"
    let off = abs(offsetMinutes)
    return
      "\(date)T\(p2(secs / 3600)):\(p2(secs / 60 % 60)):\(p2(secs % 60))\(sign)\(p2(off / 60)):\(p2(off % 60))"
  }
}

/// A commit copied out of libgit2.
public struct CommitInfo: Sendable {
  public var id: ObjectID
  public var tree: ObjectID
  public var parents: [ObjectID]
  public var author: Signature
  public var committer: Signature
  /// The full message, decoded leniently (invalid UTF-8 becomes U+FFFD).
  public var message: String
  /// Why libgit2 could not parse the commit, when it was read leniently instead (`LenientCommit`:
  /// the author is what could be read of it, the audit reports `unreadable-commit`); nil otherwise.
  public var unreadable: String? = nil
  /// The first line of the message.
  public var summary: String {
    String(message.firstLine)
  }
}

/// Where HEAD points.
public enum Head: Sendable, Equatable {
  /// A branch with no commit yet (a fresh `git init`).
  case unborn(branch: String)
  case branch(name: String, commit: ObjectID)
  case detached(ObjectID)

  public var commit: ObjectID? {
    switch self {
    case .unborn: return nil
    case .branch(_, let c), .detached(let c): return c
    }
  }
}

/// One entry of a tree.
public struct TreeEntry: Sendable, Hashable {
  public var name: String
  public var id: ObjectID
  public var mode: UInt32
  public var isTree: Bool { mode == 0o040000 }
  public var isBlob: Bool { mode == 0o100644 || mode == 0o100755 }
  public var isSymlink: Bool { mode == 0o120000 }
}

/// The one owner of a `git_repository` handle. Not `Sendable`: use one per task.
public final class Repository {
  let pointer: OpaquePointer

  private init(pointer: OpaquePointer) { self.pointer = pointer }

  deinit { git_repository_free(pointer) }

  /// Opens the repository containing `path` (searching parent folders, like git does).
  public convenience init(discoveringFrom path: String) throws(GitError) {
    Libgit2.initialise()
    var p: OpaquePointer?
    try check(git_repository_open_ext(&p, path, 0, nil), "git_repository_open_ext")
    guard let p else {
      throw GitError(message: "no repository at \(path)", function: "git_repository_open_ext")
    }
    self.init(pointer: p)
  }

  /// Creates a repository at `path` (like `git init`), or opens it if there is one.
  public static func create(at path: String, bare: Bool = false) throws(GitError) -> Repository {
    Libgit2.initialise()
    var p: OpaquePointer?
    try check(git_repository_init(&p, path, bare ? 1 : 0), "git_repository_init")
    guard let p else {
      throw GitError(message: "could not create a repository at \(path)", function: "git_repository_init")
    }
    return Repository(pointer: p)
  }

  public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

  /// The working tree folder with a trailing slash, or nil for a bare repository.
  public var workdir: String? { git_repository_workdir(pointer).map { String(cString: $0) } }

  /// The `.git` folder (or the bare repository itself), with a trailing slash.
  public var gitDir: String { String(cString: git_repository_path(pointer)) }

  // MARK: HEAD and references

  public func head() throws(GitError) -> Head {
    var ref: OpaquePointer?
    let rc = git_repository_head(&ref, pointer)
    if rc == GIT_EUNBORNBRANCH.rawValue || rc == GIT_ENOTFOUND.rawValue {
      var headRef: OpaquePointer?
      try check(git_reference_lookup(&headRef, pointer, "HEAD"), "git_reference_lookup")
      defer { git_reference_free(headRef) }
      let target = git_reference_symbolic_target(headRef).map { String(cString: $0) } ?? "refs/heads/main"
      return .unborn(branch: target)
    }
    try check(rc, "git_repository_head")
    defer { git_reference_free(ref) }
    guard let oid = git_reference_target(ref) else {
      throw GitError(message: "HEAD does not point at a commit", function: "git_reference_target")
    }
    if git_repository_head_detached(pointer) == 1 { return .detached(ObjectID(oid)) }
    return .branch(name: String(cString: git_reference_name(ref)), commit: ObjectID(oid))
  }

  /// The commit a reference or revision expression names (`HEAD`, `main`, `meeting/2022-01-20`, an id).
  public func resolve(_ spec: String) throws(GitError) -> ObjectID? {
    var obj: OpaquePointer?
    let rc = git_revparse_single(&obj, pointer, spec)
    if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EAMBIGUOUS.rawValue || rc == GIT_EINVALIDSPEC.rawValue {
      return nil
    }
    try check(rc, "git_revparse_single")
    defer { git_object_free(obj) }
    var peeled: OpaquePointer?
    try check(git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT), "git_object_peel")
    defer { git_object_free(peeled) }
    return ObjectID(git_object_id(peeled))
  }

  /// Moves branch `name` to `new` only if it still points at `expected` (nil: only if it does not
  /// exist yet). Returns false when another writer moved it first.
  public func compareAndSwapBranch(_ name: String, to new: ObjectID, expected: ObjectID?, logMessage: String)
    throws(GitError) -> Bool
  {
    var out: OpaquePointer?
    var newRaw = new.raw
    let rc: Int32
    if var exp = expected?.raw {
      rc = git_reference_create_matching(&out, pointer, name, &newRaw, 1, &exp, logMessage)
    } else {
      rc = git_reference_create(&out, pointer, name, &newRaw, 0, logMessage)
    }
    if out != nil { git_reference_free(out) }
    if rc == GIT_EMODIFIED.rawValue || rc == GIT_EEXISTS.rawValue || rc == GIT_ELOCKED.rawValue
      || (rc == GIT_ENOTFOUND.rawValue && expected != nil)
    {
      return false
    }
    try check(rc, "git_reference_create_matching")
    return true
  }

  // MARK: Objects

  public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
    let (handle, lenient) = try lookupCommitLeniently(id)
    if let l = lenient {
      return CommitInfo(
        id: id, tree: l.tree, parents: l.parents, author: l.bestAuthor, committer: l.bestCommitter,
        message: l.message, unreadable: l.problem)
    }
    let c = handle
    defer { git_commit_free(c) }
    var parents: [ObjectID] = []
    for i in 0..<git_commit_parentcount(c) {
      parents.append(ObjectID(git_commit_parent_id(c, i)))
    }
    return CommitInfo(
      id: id, tree: ObjectID(git_commit_tree_id(c)), parents: parents,
      author: Signature(git_commit_author(c)), committer: Signature(git_commit_committer(c)),
      message: git_commit_message(c).map { String(decodingCString: $0) } ?? "")
  }

  /// The bytes of a blob.
  public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
    var b: OpaquePointer?
    var raw = id.raw
    try check(git_blob_lookup(&b, pointer, &raw), "git_blob_lookup", object: id)
    defer { git_blob_free(b) }
    let size = Int(git_blob_rawsize(b))
    guard size > 0, let content = git_blob_rawcontent(b) else { return [] }
    return Array(UnsafeRawBufferPointer(start: content, count: size).bindMemory(to: UInt8.self))
  }

  /// The entries of a tree, in git's order.
  public func treeEntries(_ id: ObjectID) throws(GitError) -> [TreeEntry] {
    var t: OpaquePointer?
    var raw = id.raw
    try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup", object: id)
    defer { git_tree_free(t) }
    var out: [TreeEntry] = []
    let n = git_tree_entrycount(t)
    out.reserveCapacity(n)
    for i in 0..<n {
      guard let e = git_tree_entry_byindex(t, i) else { continue }
      out.append(
        TreeEntry(
          name: String(decodingCString: git_tree_entry_name(e)), id: ObjectID(git_tree_entry_id(e)),
          mode: UInt32(git_tree_entry_filemode(e).rawValue)))
    }
    return out
  }

  /// The entry at `path` (e.g. `Recommendations/x/DP-01.yml`) in a tree, or nil when absent.
  public func entry(at path: String, inTree tree: ObjectID) throws(GitError) -> TreeEntry? {
    var t: OpaquePointer?
    var raw = tree.raw
    try check(git_tree_lookup(&t, pointer, &raw), "git_tree_lookup", object: tree)
    defer { git_tree_free(t) }
    var e: OpaquePointer?
    let rc = git_tree_entry_bypath(&e, t, path)
    if rc == GIT_ENOTFOUND.rawValue { return nil }
    try check(rc, "git_tree_entry_bypath")
    defer { git_tree_entry_free(e) }
    return TreeEntry(
      name: String(decodingCString: git_tree_entry_name(e)), id: ObjectID(git_tree_entry_id(e)),
      mode: UInt32(git_tree_entry_filemode(e).rawValue))
  }

  /// Every blob below `folder` in a tree, as (path in the repository, entry), recursively, down
  /// to `maxDepth` folders below `folder`.
  public func files(
    under folder: String, inTree tree: ObjectID, maxDepth: Int = .max
  ) throws(GitError) -> [(path: String, entry: TreeEntry)] {
    guard let top = try entry(at: folder, inTree: tree), top.isTree else { return [] }
    var out: [(path: String, entry: TreeEntry)] = []
    var stack: [(String, ObjectID, Int)] = [(folder, top.id, 0)]
    while let (prefix, id, depth) = stack.popLast() {
      for e in try treeEntries(id) {
        // `..`, `.git` and the like are never followed: the caller sees the entry, not its contents.
        if e.isTree, TreePath.problem(component: Substring(e.name)) != nil {
          out.append((prefix + "/" + e.name, e))
          continue
        }
        let p = prefix + "/" + e.name
        if e.isTree {
          if depth < maxDepth { stack.append((p, e.id, depth + 1)) }
        } else {
          out.append((p, e))
        }
      }
    }
    return out.sorted { $0.path < $1.path }
  }

  public func createBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
    var oid = git_oid()
    let rc = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, pointer, $0.baseAddress, $0.count) }
    try checkWrite(rc, "git_blob_create_from_buffer")
    return ObjectID(oid)
  }

  /// Writes a commit object without moving any reference (see `compareAndSwapBranch`).
  public func createCommit(
    tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
  ) throws(GitError) -> ObjectID {
    func makeSig(_ s: Signature) throws(GitError) -> UnsafeMutablePointer<git_signature>? {
      var sig: UnsafeMutablePointer<git_signature>?
      try check(
        git_signature_new(&sig, s.name, s.email, git_time_t(s.time), Int32(s.offsetMinutes)),
        "git_signature_new")
      return sig
    }
    let a = try makeSig(author)
    defer { git_signature_free(a) }
    let c = try makeSig(committer)
    defer { git_signature_free(c) }
    // From ids: neither the tree nor the parents are read (libgit2 checks that they exist).
    var treeRaw = tree.raw
    let parentRaws = parents.map(\.raw)
    var out = git_oid()
    let rc = parentRaws.withUnsafeBytes { ps in
      rectrack_git_commit_from_ids(
        &out, UnsafeMutableRawPointer(pointer), a, c, message, &treeRaw, parents.count, ps.baseAddress)
    }
    try checkWrite(rc, "git_commit_create_from_ids")
    return ObjectID(out)
  }

  /// The configured `user.name` / `user.email`, or nil when git has none.
  /// git's configured identity (`user.name` and `user.email`, now), or nil when none is set.
  /// An identity git cannot use (a config file that does not parse, an empty name, an e-mail
  /// with `<` or `>`) is thrown, never taken for "none": a change would quietly carry another name.
  public func defaultSignature() throws(GitError) -> Signature? {
    var sig: UnsafeMutablePointer<git_signature>?
    let rc = git_signature_default(&sig, pointer)
    if rc == GIT_ENOTFOUND.rawValue { return nil }  // expected: user.name or user.email not set
    if rc < 0 {
      let e = GitError(code: rc, function: "git_signature_default")
      throw GitError(
        code: rc, errorClass: e.errorClass,
        message: "git's configured identity cannot be used (\(e.message)); correct it with "
          + "git config user.name \"Your Name\" and git config user.email you@example.org "
          + "(add --global to fix it for every repository), then run again",
        function: "git_signature_default")
    }
    guard let sig else {
      throw GitError(message: "libgit2 returned no signature", function: "git_signature_default")
    }
    defer { git_signature_free(sig) }
    return Signature(sig)
  }

  // MARK: Working tree and index

  /// True when `path` differs between HEAD, the index and the working tree (any uncommitted edit).
  public func hasUncommittedChanges(at path: String) throws(GitError) -> Bool {
    guard !isBare else { return false }
    var flags: UInt32 = 0
    let rc = git_status_file(&flags, pointer, path)
    if rc == GIT_ENOTFOUND.rawValue { return false }
    try check(rc, "git_status_file")
    return flags & ~GIT_STATUS_IGNORED.rawValue != 0
  }

  /// Paths under `prefix` with uncommitted changes (staged, unstaged or untracked).
  public func changedPaths(under prefix: String) throws(GitError) -> [String] {
    guard !isBare else { return [] }
    var opts = git_status_options()
    try check(git_status_options_init(&opts, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
    // An empty prefix: the whole working tree.
    let spec = strdup(prefix + "/")
    defer { free(spec) }
    var specs: [UnsafeMutablePointer<CChar>?] = [spec]
    var list: OpaquePointer?
    let rc = specs.withUnsafeMutableBufferPointer { buf in
      opts.pathspec = git_strarray(strings: buf.baseAddress, count: prefix.isEmpty ? 0 : 1)
      return git_status_list_new(&list, pointer, &opts)
    }
    try check(rc, "git_status_list_new")
    defer { git_status_list_free(list) }
    var out: [String] = []
    for i in 0..<git_status_list_entrycount(list) {
      guard let e = git_status_byindex(list, i) else { continue }
      let delta = e.pointee.index_to_workdir ?? e.pointee.head_to_index
      if let d = delta, let p = d.pointee.new_file.path ?? d.pointee.old_file.path {
        out.append(String(decodingCString: p))
      }
    }
    return out
  }
}
