import Foundation
import RecTrackCore
import Testing

/// The environment every git and rectrack process of the tests runs in: its own HOME and
/// global git configuration, never the developer's `~/.gitconfig` nor the machine's
/// `/etc/gitconfig`. Each test (Swift Testing's `Test.current`) gets its own home, made the first
/// time the test asks, so a test that writes to its global configuration cannot change what
/// another test running beside it reads; code outside a test shares one home per process.
/// The identity in it stands for staff who set git up once, so `.ci/run` need not write one. A
/// test that needs a different home (no identity at all) passes its own `HOME` and
/// `GIT_CONFIG_GLOBAL`.
///
/// libgit2 inside the test process keeps its configuration search paths process-wide and reads
/// neither HOME nor GIT_CONFIG_GLOBAL the way git does: `isolateLibgit2()` (called before any
/// fixture is made) points its global, XDG and system levels at the process home.
public enum Hermetic {
  /// The current test's home: `.gitconfig` with `Test Author <author@example.org>`, LF line
  /// endings kept, no signing, `main` as the first branch.
  public static var home: String {
    isolateLibgit2()
    guard let test = Test.current else { return processHome }
    return homes.home(for: test.id)
  }

  /// HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL at the test home; no system configuration.
  public static var environment: [String: String] {
    let home = home
    return [
      "HOME": home, "XDG_CONFIG_HOME": home + "/.config", "GIT_CONFIG_GLOBAL": home + "/.gitconfig",
      "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
    ]
  }

  /// The git executable.
  public static let git = which("git") ?? "/usr/bin/git"

  /// The home of code outside any test, and the one libgit2 in this process reads.
  public static let processHome: String = makeHome(named: "process")

  /// Points libgit2's global, XDG and system configuration at the process home (once).
  public static func isolateLibgit2() { _ = libgit2Isolation }

  private static let libgit2Isolation: Void = {
    let home = processHome
    do {
      try Libgit2.setConfigSearchPaths(global: home, xdg: home + "/.config/git", system: home + "/system")
    } catch {
      fatalError("the tests could not keep libgit2 away from ~/.gitconfig: \(error)")
    }
  }()

  private static let homes = Homes()

  /// One home per test, made on first use.
  private final class Homes: @unchecked Sendable {
    private let lock = NSLock()
    private var byTest: [Test.ID: String] = [:]

    func home(for test: Test.ID) -> String {
      lock.lock()
      defer { lock.unlock() }
      if let known = byTest[test] { return known }
      let made = Hermetic.makeHome(named: "test-\(byTest.count + 1)")
      byTest[test] = made
      return made
    }
  }

  /// All homes of this process, in one temporary folder.
  private static let root: String = {
    let path =
      NSTemporaryDirectory()
      + "rectrack-home-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  fileprivate static func makeHome(named name: String) -> String {
    let path = root + "/" + name
    try? FileManager.default.createDirectory(atPath: path + "/.config", withIntermediateDirectories: true)
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
  }
}
