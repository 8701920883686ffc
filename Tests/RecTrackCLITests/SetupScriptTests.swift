import Foundation
import RecTrackTestSupport
import Testing

/// `scripts/setup-libgit2.sh`, which the tour and CI run first on a fresh machine, against
/// stand-ins for pkg-config, apt-get, id and sudo (PATH holds nothing else): it installs with
/// sudo when not root, directly as root, and says what to do when it cannot.
@Suite struct SetupScriptTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scripts/setup-libgit2.sh").path

  /// A folder of stand-in programs; `log` records what apt-get and sudo were asked to do.
  final class Machine {
    let dir: TemporaryDirectory
    var bin: String { dir.path + "/bin" }
    var log: String { (try? String(contentsOfFile: dir.path + "/log", encoding: .utf8)) ?? "" }

    init(uid: Int, sudo: String?, aptGet: Bool = true) throws {
      dir = try TemporaryDirectory(prefix: "rectrack-setup")
      try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
      let state = dir.path
      try stub("pkg-config", "[ -e '\(state)/installed' ]")
      try stub("id", "echo \(uid)")
      if aptGet {
        try stub(
          "apt-get",
          """
          echo "apt-get $* (uid $(id -u))" >> '\(state)/log'
          case "$1" in install) : > '\(state)/installed' ;; esac
          """)
      }
      if let sudo {
        // `sudo -n true` succeeds when no password is needed; otherwise run the command as root.
        try stub(
          "sudo",
          """
          if [ "$1" = "-n" ]; then \(sudo == "no-password" ? "exit 0" : "exit 1"); fi
          echo "sudo $*" >> '\(state)/log'
          "$@"
          """)
      }
    }

    private func stub(_ name: String, _ body: String) throws {
      let path = bin + "/" + name
      try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func run() throws -> ProcessResult {
      try runProcess("/bin/bash", [SetupScriptTests.script], environment: ["PATH": bin])
    }
  }

  @Test func aUserWithSudoGetsItInstalled() throws {
    let m = try Machine(uid: 1000, sudo: "no-password")
    let r = try m.run()
    #expect(r.status == 0, "\(r.stderr)")
    #expect(m.log.contains("sudo apt-get update -qq"))
    #expect(m.log.contains("sudo apt-get install -y -qq libgit2-dev pkg-config"), "\(m.log)")
    // Run again: already there, nothing installed twice.
    let again = try m.run()
    #expect(again.status == 0 && again.stdout.isEmpty)
  }

  @Test func rootInstallsWithoutSudo() throws {
    let m = try Machine(uid: 0, sudo: nil)
    let r = try m.run()
    #expect(r.status == 0, "\(r.stderr)")
    #expect(m.log.contains("apt-get install -y -qq libgit2-dev pkg-config (uid 0)"), "\(m.log)")
    #expect(!m.log.contains("sudo"))
  }

  @Test func whenItCannotInstallItSaysWhatToDo() throws {
    let noSudo = try Machine(uid: 1000, sudo: nil).run()
    #expect(noSudo.status == 2)
    #expect(noSudo.stderr.contains("you are not root and sudo is missing"))
    #expect(noSudo.stderr.contains("sudo apt-get install libgit2-dev pkg-config"))
    let password = try Machine(uid: 1000, sudo: "password").run()
    #expect(password.status == 2)
    #expect(password.stderr.contains("no terminal to type it in"), "\(password.stderr)")
    let noApt = try Machine(uid: 0, sudo: nil, aptGet: false).run()
    #expect(noApt.status == 2 && noApt.stderr.contains("no apt-get"))
  }
}
