internal import Clibgit2

/// A tag as plain values: what it points at and, for an annotated tag, its message and tagger.
public struct TagInfo: Sendable, Hashable {
  /// The name without `refs/tags/`, e.g. `meeting/2022-01-20`.
  public var name: String
  /// The commit the tag leads to (annotated tags are peeled).
  public var commit: ObjectID
  /// The tag object's message; nil for a lightweight tag.
  public var message: String?
  /// Who made the tag and when; nil for a lightweight tag (or a tag object without a tagger).
  public var tagger: Signature?
}

extension Repository {
  // MARK: Tags

  /// Creates the annotated tag `refs/tags/<name>` on `commit`. Review meetings are tags so that
  /// every clone sees the same calendar and git itself can show, push and verify them.
  ///
  /// - Returns: nil when a tag of that name already exists (it is left alone), else the tag object's id.
  public func createAnnotatedTag(_ name: String, on commit: ObjectID, tagger: Signature, message: String)
    throws(GitError) -> ObjectID?
  {
    var target: OpaquePointer?
    var raw = commit.raw
    try check(git_object_lookup(&target, pointer, &raw, GIT_OBJECT_COMMIT), "git_object_lookup")
    defer { git_object_free(target) }
    var sig: UnsafeMutablePointer<git_signature>?
    try check(
      git_signature_new(
        &sig, tagger.name, tagger.email, git_time_t(tagger.time), Int32(tagger.offsetMinutes)),
      "git_signature_new")
    defer { git_signature_free(sig) }
    var out = git_oid()
    let rc = git_tag_create(&out, pointer, name, target, sig, message, 0)
    if rc == GIT_EEXISTS.rawValue { return nil }
    try checkWrite(rc, "git_tag_create")
    return ObjectID(out)
  }

  /// Every tag whose name matches `pattern` (fnmatch, e.g. `meeting/*`), sorted by name.
  /// A tag that does not lead to a commit is skipped: it cannot mark a point in the history.
  public func tags(matching pattern: String) throws(GitError) -> [TagInfo] {
    var names = git_strarray()
    try check(git_tag_list_match(&names, pattern, pointer), "git_tag_list_match")
    defer { git_strarray_dispose(&names) }
    var list: [String] = []
    for i in 0..<names.count {
      if let p = names.strings[i] { list.append(String(decodingCString: p)) }
    }
    var out: [TagInfo] = []
    for name in list.sorted() {
      if let info = try tag(named: name) { out.append(info) }
    }
    return out
  }

  /// One tag by name (without `refs/tags/`), or nil when there is none or it leads to no commit.
  public func tag(named name: String) throws(GitError) -> TagInfo? {
    var ref: OpaquePointer?
    let rc = git_reference_lookup(&ref, pointer, "refs/tags/" + name)
    if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EINVALIDSPEC.rawValue { return nil }
    try check(rc, "git_reference_lookup")
    defer { git_reference_free(ref) }
    // A symbolic tag reference is resolved first; then the object it names may be a tag object.
    var direct: OpaquePointer?
    try check(git_reference_resolve(&direct, ref), "git_reference_resolve")
    defer { git_reference_free(direct) }
    guard let targetID = git_reference_target(direct) else { return nil }
    var object: OpaquePointer?
    try check(git_object_lookup(&object, pointer, targetID, GIT_OBJECT_ANY), "git_object_lookup")
    defer { git_object_free(object) }
    var message: String?
    var tagger: Signature?
    if git_object_type(object) == GIT_OBJECT_TAG {
      message = git_tag_message(object).map { String(decodingCString: $0) }
      tagger = git_tag_tagger(object).map { Signature($0) }
    }
    var commit: OpaquePointer?
    let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
    if peeled == GIT_ENOTFOUND.rawValue || peeled == GIT_EINVALIDSPEC.rawValue || peeled == GIT_EPEEL.rawValue
    {
      return nil
    }
    try check(peeled, "git_object_peel")
    defer { git_object_free(commit) }
    return TagInfo(name: name, commit: ObjectID(git_object_id(commit)), message: message, tagger: tagger)
  }
}
