internal import CGitShims
internal import Clibgit2
import Synchronization

/// Process-wide libgit2 set-up: made once, by the entry point (`main`) first, and by anything
/// else that opens a repository (tests, library users) only if `main` has not.
///
/// The settings, and why they hold for every command:
/// - strict hash verification off: git itself does not re-hash objects on read, and with it
///   a history walk takes about twice as long (measured with Benchmarks/run.sh);
/// - the object cache off (limit 0): rectrack keeps what it reuses itself (raw trees in the
///   history walk, parsed blobs by id, the audit's commit headers), so libgit2's cache only cost
///   time in its hash map and ~30 MB per handle on 50,000 commits (Benchmarks/README.md);
///   the audit turns it on for commits alone while it runs (`keepingCommits`).
public enum Libgit2 {
  private static let setup: GitError? = {
    let count = git_libgit2_init()
    if count < 0 { return GitError(code: count, function: "git_libgit2_init") }
    let hash = rectrack_git_disable_strict_hash_verification()
    if hash < 0 { return GitError(code: hash, function: "git_libgit2_opts(ENABLE_STRICT_HASH_VERIFICATION)") }
    let cache = rectrack_git_set_cache_max_size(0)
    if cache < 0 { return GitError(code: cache, function: "git_libgit2_opts(SET_CACHE_MAX_SIZE)") }
    return nil
  }()

  /// Initialises libgit2 and makes the settings above, once; safe to call many times.
  public static func initialise() { _ = setup }

  /// What went wrong in the set-up, nil when it all succeeded (`main` reports it and stops).
  public static var setupError: GitError? { setup }

  /// How many `keepingCommits` calls are running (the setting is process-wide).
  private static let commitKeepers = Mutex(0)

  /// Runs `body` with libgit2 keeping commits (not trees, tags or blobs) in its object cache, up
  /// to 256 MiB. For the audit: libgit2's revision walk reads every commit to order them, and the
  /// audit then looks each one up; kept, the second read parses the walk's copy instead of
  /// inflating it from the pack again. The cache goes back to off when the last such call ends.
  /// libgit2 refusing the setting would only cost the time it saves, so its code is not checked.
  package static func keepingCommits<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    initialise()
    commitKeepers.withLock { count in
      count += 1
      if count == 1 { _ = rectrack_git_cache_commits(256 << 20) }
    }
    defer {
      commitKeepers.withLock { count in
        count -= 1
        if count == 0 { _ = rectrack_git_cache_commits(0) }
      }
    }
    return try body()
  }

  /// The certificate authorities a connection trusts instead of the system's (a file, a folder
  /// or both), as last given to libgit2.
  private struct CertificateAuthorities: Equatable {
    var file: String?
    var folder: String?
  }

  /// What libgit2 holds now (nil: its own default), changed only under this lock.
  private static let certificateAuthorities = Mutex<CertificateAuthorities?>(nil)

  /// Makes libgit2 trust the certificate authorities in `file` and/or `folder`, for the whole
  /// process, when they are not the ones it already trusts. libgit2 frees the set it held each
  /// time it is given one, so two threads setting it at once freed the same set twice (the test
  /// process aborted with "double free or corruption" when two syncs fetched together), and a
  /// new set would pull the old one from under a connection that is using it. Set under a lock,
  /// and only when the value differs from the one libgit2 holds, neither can happen while every
  /// connection asks for the same (a command makes one sync; `GIT_SSL_CAINFO` is one value per
  /// process). A bundle changed in
  /// place under the same name is read again by the next command, not by this process.
  package static func trustCertificateAuthorities(file: String?, folder: String?) throws(GitError) {
    initialise()
    let wanted = CertificateAuthorities(file: file, folder: folder)
    try certificateAuthorities.withLock { (current) throws(GitError) in
      guard current != wanted else { return }
      let rc = rectrack_git_set_ssl_cert_locations(file, folder)
      if rc < 0 { throw GitError(code: rc, function: "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)") }
      current = wanted
    }
  }

  /// Where libgit2 looks for configuration files outside the repository.
  package enum ConfigLevel: Int32, Sendable {
    case global = 0
    case xdg = 1
    case system = 2
  }

  /// Points libgit2's global, XDG and system configuration search at the given folders, for
  /// the whole process (libgit2 keeps them process-wide; git's `HOME` and `GIT_CONFIG_GLOBAL`
  /// mean nothing to it). Tests call it so no in-process read sees the developer's `~/.gitconfig`.
  package static func setConfigSearchPaths(global: String, xdg: String, system: String) throws(GitError) {
    initialise()
    let rc = rectrack_git_set_config_search_paths(global, xdg, system)
    if rc < 0 { throw GitError(code: rc, function: "git_libgit2_opts(SET_SEARCH_PATH)") }
  }

  /// The folder libgit2 searches for one configuration level.
  package static func configSearchPath(_ level: ConfigLevel) throws(GitError) -> String {
    initialise()
    var buffer = [CChar](repeating: 0, count: 4096)
    let rc = rectrack_git_get_config_search_path(level.rawValue, &buffer, UInt(buffer.count))
    if rc < 0 { throw GitError(code: rc, function: "git_libgit2_opts(GET_SEARCH_PATH)") }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }
}
