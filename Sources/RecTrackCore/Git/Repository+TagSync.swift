internal import Clibgit2

/// What sharing the meeting and seal tags did.
public struct TagSyncResult: Sendable, Equatable {
  /// Tags that came from the server (e.g. `meeting/2022-01-20`).
  public var received: [String] = []
  /// Tags this clone had and the server did not, now pushed.
  public var sent: [String] = []
  /// Tags that exist on both sides with different contents: left as they are on each side.
  public var conflicts: [String] = []
  /// Tags this clone sent that the server refused, with the server's reason (for example
  /// another clone sent a tag of the same name meanwhile; the next sync compares the two).
  public var refused: [String: String] = [:]
}

extension Repository {
  /// Shares the tags under `refs/tags/<prefix>` (meetings, audit seals) with remote `name`:
  /// the server's are fetched into a private namespace first, new ones are created locally,
  /// then this clone's missing on the server are pushed. Nothing is ever overwritten or forced:
  /// a tag that differs between the two sides is reported, not replaced.
  public func syncTags(remote name: String, prefixes: [String], credentials: CredentialSource)
    throws(GitError)
    -> TagSyncResult
  {
    var remote: OpaquePointer?
    try check(git_remote_lookup(&remote, pointer, name), "git_remote_lookup")
    defer { git_remote_free(remote) }
    let url = git_remote_url(remote).map { String(decodingCString: $0) } ?? ""
    let mirror = "refs/rectrack/remotes/\(name)/tags/"

    var fetchOptions = git_fetch_options()
    try check(
      git_fetch_options_init(&fetchOptions, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
    fetchOptions.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
    fetchOptions.prune = GIT_FETCH_PRUNE
    let fetchSession = RemoteSession(credentials: credentials, url: url)
    fetchSession.install(on: &fetchOptions.callbacks)
    let fetchSpecs = prefixes.map { "+refs/tags/\($0)*:\(mirror)\($0)*" }
    let rc = withStrArray(fetchSpecs) { specs in
      withExtendedLifetime(fetchSession) {
        git_remote_fetch(remote, specs, &fetchOptions, "rectrack sync: tags")
      }
    }
    if rc < 0 { throw fetchSession.failure ?? GitError(code: rc, function: "git_remote_fetch") }
    fetchSession.succeeded()

    var result = TagSyncResult()
    let theirs = try referenceTargets(withPrefix: mirror)
    var ours = try referenceTargets(withPrefix: "refs/tags/").filter { tag, _ in
      prefixes.contains { tag.hasPrefix($0) }
    }
    for (tag, id) in theirs.sorted(by: { $0.key < $1.key }) {
      if let mine = ours[tag] {
        if mine != id { result.conflicts.append(tag) }
        continue
      }
      var out: OpaquePointer?
      var raw = id.raw
      let created = git_reference_create(
        &out, pointer, "refs/tags/" + tag, &raw, 0, "rectrack sync: tag from \(name)")
      if out != nil { git_reference_free(out) }
      if created == GIT_EEXISTS.rawValue { continue }
      try check(created, "git_reference_create")
      result.received.append(tag)
      ours[tag] = id
    }

    let missing = ours.keys.filter { theirs[$0] == nil }.sorted()
    guard !missing.isEmpty else { return result }
    var pushOptions = git_push_options()
    try check(git_push_options_init(&pushOptions, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
    let pushSession = RemoteSession(credentials: credentials, url: url)
    pushSession.install(on: &pushOptions.callbacks)
    let pushed = withStrArray(missing.map { "refs/tags/\($0):refs/tags/\($0)" }) { specs in
      withExtendedLifetime(pushSession) { git_remote_push(remote, specs, &pushOptions) }
    }
    // A failed push (no connection, no permission) is an error with libgit2's or the
    // credential callback's reason: the caller reports it, and no tag is called a conflict.
    if pushed < 0 {
      var error = pushSession.failure ?? GitError(code: pushed, function: "git_remote_push")
      if !pushSession.rejections.isEmpty {
        error.message +=
          "; refused: "
          + pushSession.rejections.sorted { $0.key < $1.key }
          .map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
      }
      throw error
    }
    pushSession.succeeded()
    for tag in missing {
      if let reason = pushSession.rejections["refs/tags/" + tag] {
        result.refused[tag] = reason
      } else {
        result.sent.append(tag)
      }
    }
    return result
  }

  /// The direct target of every reference under `prefix`, keyed by the rest of its name
  /// (annotated tags map to the tag object, not the commit, so two tags compare exactly).
  func referenceTargets(withPrefix prefix: String) throws(GitError) -> [String: ObjectID] {
    var list = git_strarray()
    try check(git_reference_list(&list, pointer), "git_reference_list")
    defer { git_strarray_dispose(&list) }
    var out: [String: ObjectID] = [:]
    for i in 0..<list.count {
      guard let p = list.strings[i] else { continue }
      let name = String(decodingCString: p)
      guard name.hasPrefix(prefix) else { continue }
      var oid = git_oid()
      let rc = git_reference_name_to_id(&oid, pointer, name)
      if rc == GIT_ENOTFOUND.rawValue { continue }  // expected: a symbolic reference to nothing
      try check(rc, "git_reference_name_to_id")
      out[String(name.dropFirst(prefix.count))] = ObjectID(oid)
    }
    return out
  }
}
