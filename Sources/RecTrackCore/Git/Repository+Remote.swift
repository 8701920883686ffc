internal import Clibgit2
import Foundation

/// What a push did to one reference on the server.
public enum PushOutcome: Sendable, Equatable {
  case accepted
  /// The server refused the update (usually: it is not a fast-forward because someone pushed first).
  case rejected(String)
  /// The server refused the update for a reason of its own (a pre-receive hook, a protected
  /// branch): pushing again will not help. `remote` holds what the server said (its `remote:` lines).
  case refused(String, remote: [String])

  /// True when a rejection reason is a race (someone pushed first), which a new round can fix.
  static func isRace(_ reason: String) -> Bool {
    let lower = reason.lowercased()
    return [
      "fast-forward", "fast forward", "fetch first", "stale", "not present locally", "cannot lock",
      "failed to lock", "failed to update ref",
    ].contains { lower.contains($0) }
  }
}

/// One file that differs between two trees: its path and the entry on each side (nil: absent).
public struct TreeChange: Sendable, Equatable {
  public var path: String
  public var old: TreeEntry?
  public var new: TreeEntry?
}

extension Repository {
  // MARK: Remotes

  /// git's TLS settings for this repository: `GIT_SSL_CAINFO`/`GIT_SSL_CAPATH`, else
  /// `http.sslCAInfo`/`http.sslCAPath`, name the certificate authorities to trust instead of the
  /// system's (libgit2 keeps them process-wide: `Libgit2.trustCertificateAuthorities` gives them
  /// to it before a connection, once per process unless they change).
  func applyTLSSettings() throws(GitError) {
    let env = ProcessInfo.processInfo.environment
    func setting(_ variable: String, _ key: String) throws(GitError) -> String? {
      if let v = env[variable], !v.isEmpty { return v }
      return try configPath(key)
    }
    let file = try setting("GIT_SSL_CAINFO", "http.sslCAInfo")
    let folder = try setting("GIT_SSL_CAPATH", "http.sslCAPath")
    guard file != nil || folder != nil else { return }
    for p in [file, folder].compactMap({ $0 }) where !FileManager.default.fileExists(atPath: p) {
      throw GitError(
        message:
          "the certificate authorities named by http.sslCAInfo/http.sslCAPath are not at \(p): fix the setting (git config http.sslCAInfo)",
        function: "git_libgit2_opts")
    }
    try Libgit2.trustCertificateAuthorities(file: file, folder: folder)
  }

  /// The URL configured for remote `name`, or nil when there is no such remote.
  public func remoteURL(_ name: String) throws(GitError) -> String? {
    var remote: OpaquePointer?
    let rc = git_remote_lookup(&remote, pointer, name)
    if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EINVALIDSPEC.rawValue { return nil }
    try check(rc, "git_remote_lookup")
    defer { git_remote_free(remote) }
    return git_remote_url(remote).map { String(decodingCString: $0) }
  }

  /// Fetches `refs/heads/<branch>` of remote `name` into `refs/remotes/<name>/<branch>` and
  /// returns the fetched commit, or nil when the server has no such branch.
  ///
  /// The tracking ref is updated with `+` (it only mirrors the server), never the local branch.
  public func fetch(remote name: String, branch: String, credentials: CredentialSource) throws(GitError)
    -> ObjectID?
  {
    var remote: OpaquePointer?
    try check(git_remote_lookup(&remote, pointer, name), "git_remote_lookup")
    defer { git_remote_free(remote) }
    var opts = git_fetch_options()
    try check(git_fetch_options_init(&opts, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
    opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
    let session = RemoteSession(
      credentials: credentials, url: git_remote_url(remote).map { String(decodingCString: $0) } ?? "")
    session.install(on: &opts.callbacks)
    try applyTLSSettings()
    let tracking = "refs/remotes/\(name)/\(branch)"
    let rc = withStrArray(["+refs/heads/\(branch):\(tracking)"]) { specs in
      withExtendedLifetime(session) { git_remote_fetch(remote, specs, &opts, "rectrack sync: fetch") }
    }
    if rc < 0 { throw session.failure ?? GitError(code: rc, function: "git_remote_fetch") }
    session.succeeded()
    // A branch missing on the server leaves no tracking ref (or a stale one a prune would remove).
    guard try remoteHasBranch(remote, branch: branch) else { return nil }
    return try resolve(tracking)
  }

  /// Whether the server advertised `refs/heads/<branch>` in the last connection.
  private func remoteHasBranch(_ remote: OpaquePointer?, branch: String) throws(GitError) -> Bool {
    var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
    var count = 0
    let rc = git_remote_ls(&heads, &count, remote)
    if rc < 0 {
      // Expected: a remote that kept no advertisement ("never connected", class GIT_ERROR_NET);
      // then the tracking ref is trusted. Any other failure is reported.
      if let e = git_error_last(), e.pointee.klass == Int32(GIT_ERROR_NET.rawValue) { return true }
      try check(rc, "git_remote_ls")
    }
    let wanted = "refs/heads/\(branch)"
    for i in 0..<count {
      if let h = heads?[i], String(decodingCString: h.pointee.name) == wanted { return true }
    }
    return false
  }

  /// Pushes local `refs/heads/<branch>` to the same branch on the server, never forcing.
  public func push(remote name: String, branch: String, credentials: CredentialSource) throws(GitError)
    -> PushOutcome
  {
    var remote: OpaquePointer?
    try check(git_remote_lookup(&remote, pointer, name), "git_remote_lookup")
    defer { git_remote_free(remote) }
    var opts = git_push_options()
    try check(git_push_options_init(&opts, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
    let session = RemoteSession(
      credentials: credentials, url: git_remote_url(remote).map { String(decodingCString: $0) } ?? "")
    session.install(on: &opts.callbacks)
    try applyTLSSettings()
    let rc = withStrArray(["refs/heads/\(branch):refs/heads/\(branch)"]) { specs in
      withExtendedLifetime(session) { git_remote_push(remote, specs, &opts) }
    }
    if let rejection = session.rejection {
      return PushOutcome.isRace(rejection)
        ? .rejected(rejection) : .refused(rejection, remote: session.allRemoteLines)
    }
    if rc < 0 {
      let error = session.failure ?? GitError(code: rc, function: "git_remote_push")
      // Some transports report a non-fast-forward as an error rather than through the callback.
      let lower = error.message.lowercased()
      if rc == GIT_ENONFASTFORWARD.rawValue || lower.contains("non-fast-forward")
        || lower.contains("fast forward")
        || lower.contains("fetch first") || lower.contains("not present locally")
      {
        return .rejected(error.message)
      }
      if !session.allRemoteLines.isEmpty { return .refused(error.message, remote: session.allRemoteLines) }
      throw error
    }
    session.succeeded()
    return .accepted
  }

  // MARK: Graph

  /// The best common ancestor of two commits, or nil when they share no history.
  public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
    var out = git_oid()
    var ra = a.raw
    var rb = b.raw
    let rc = git_merge_base(&out, pointer, &ra, &rb)
    if rc == GIT_ENOTFOUND.rawValue { return nil }
    try check(rc, "git_merge_base")
    return ObjectID(out)
  }

  /// True when `commit` is `ancestor` or has it in its history.
  public func contains(_ commit: ObjectID, ancestor: ObjectID) throws(GitError) -> Bool {
    if commit == ancestor { return true }
    var c = commit.raw
    var a = ancestor.raw
    let rc = git_graph_descendant_of(pointer, &c, &a)
    if rc < 0, rc != GIT_ENOTFOUND.rawValue { return try reachesLeniently(ancestor, from: commit) }
    return try check(rc, "git_graph_descendant_of") == 1
  }
}

/// Calls `body` with a `git_strarray` holding copies of `strings`, freed afterwards.
func withStrArray<R>(_ strings: [String], _ body: (UnsafePointer<git_strarray>) -> R) -> R {
  var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
  defer { for c in copies { free(c) } }
  return copies.withUnsafeMutableBufferPointer { buf in
    var array = git_strarray(strings: buf.baseAddress, count: buf.count)
    return body(&array)
  }
}
