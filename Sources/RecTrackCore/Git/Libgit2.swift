internal import CGitShims
internal import Clibgit2

/// Process-wide libgit2 set-up, done once and explicitly by the entry point (and by tests).
public enum Libgit2 {
  private static let initialised: Bool = {
    git_libgit2_init()
    // git itself does not re-hash objects on read; libgit2's default does, which makes a
    // history walk about twice as slow (measured with Benchmarks/run.sh).
    _ = rectrack_git_disable_strict_hash_verification()
    return true
  }()

  /// Initialises libgit2 once; safe to call many times.
  public static func initialise() { _ = initialised }
}
