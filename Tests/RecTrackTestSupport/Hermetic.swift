import Foundation

/// The environment every git and rectrack process of the tests runs in: its own HOME and
/// global git configuration (made once per test process, in a temporary folder), never the
/// developer's `~/.gitconfig` nor the machine's `/etc/gitconfig`. The identity in it stands for
/// staff who set git up once, so `.ci/run` need not write one. A test that needs a different
/// home (no identity at all) passes its own `HOME` and `GIT_CONFIG_GLOBAL`.
public enum Hermetic {
  /// The test home: `.gitconfig` with `Test Author <author@example.org>`, LF line endings kept,
  /// no signing, `main` as the first branch.
  public static let home: String = {
    let path =
      NSTemporaryDirectory()
      + "rectrack-home-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let config = """
      [user]
      \tname = Test Author
      \temail = author@example.org
      [core]
      \tautocrlf = false
      [commit]
      \tgpgsign = false
      [tag]
      \tgpgsign = false
      [init]
      \tdefaultBranch = main

      """
    _ = FileManager.default.createFile(atPath: path + "/.gitconfig", contents: Data(config.utf8))
    return path
  }()

  /// HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL at the test home; no system configuration.
  public static var environment: [String: String] {
    [
      "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "GIT_CONFIG_GLOBAL": home + "/.gitconfig",
      "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
    ]
  }

  /// The git executable.
  public static let git = which("git") ?? "/usr/bin/git"
}
