import Foundation

/// A real OpenSSH server on 127.0.0.1 for one test: its own host keys, a client key pair (RSA,
/// which libssh2 could not use with a current sshd) allowed only to run `git-shell`, and an
/// `ssh_config` with a host alias. Started by the test and stopped by its PID when released.
public final class SSHServer {
  public let directory: TemporaryDirectory
  public let port: Int
  public let pid: Int32
  /// The host alias defined in `configFile` (its own port, user, key and known_hosts).
  public let alias = "office-server"
  public var path: String { directory.path }
  public var configFile: String { path + "/ssh_config" }
  public var knownHosts: String { path + "/known_hosts" }
  public var hostPublicKey: String
  public let user: String

  /// Why a server cannot be started here, or nil when it can.
  public static var unavailableReason: String? {
    for tool in ["/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      return "\(tool) is missing (apt-get install openssh-server openssh-client)"
    }
    if which("git-shell") == nil { return "git-shell is missing (it comes with git)" }
    return nil
  }

  public init() throws {
    directory = try TemporaryDirectory(prefix: "rectrack-sshd")
    let d = directory.path
    user = try runProcess("/usr/bin/id", ["-un"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    for (type, name) in [("ed25519", "host_ed25519"), ("rsa", "id_rsa")] {
      let r = try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-f", "\(d)/\(name)"])
      guard r.status == 0 else { throw TestSupportError("ssh-keygen failed: \(r.stderr)") }
    }
    hostPublicKey = try String(contentsOfFile: "\(d)/host_ed25519.pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    let clientKey = try String(contentsOfFile: "\(d)/id_rsa.pub", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try "restrict,command=\"git-shell -c \\\"$SSH_ORIGINAL_COMMAND\\\"\" \(clientKey)\n"
      .write(toFile: "\(d)/authorized_keys", atomically: true, encoding: .utf8)
    if getuid() == 0 {
      try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
    }

    var started: (Int, Int32)?
    var lastLog = ""
    for _ in 0..<8 {
      let port = Int.random(in: 20_000...60_000)
      try """
      Port \(port)
      ListenAddress 127.0.0.1
      HostKey \(d)/host_ed25519
      AuthorizedKeysFile \(d)/authorized_keys
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PermitRootLogin prohibit-password
      StrictModes no
      UsePAM no
      PidFile \(d)/sshd.pid
      """.write(toFile: "\(d)/sshd_config", atomically: true, encoding: .utf8)
      try? FileManager.default.removeItem(atPath: "\(d)/sshd.pid")
      let r = try runProcess("/usr/sbin/sshd", ["-f", "\(d)/sshd_config", "-E", "\(d)/sshd.log"])
      for _ in 0..<50 where r.status == 0 {
        if let text = try? String(contentsOfFile: "\(d)/sshd.pid", encoding: .utf8),
          let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
          started = (port, pid)
          break
        }
        usleep(100_000)
      }
      if started != nil { break }
      lastLog = ((try? String(contentsOfFile: "\(d)/sshd.log", encoding: .utf8)) ?? "") + r.stderr
    }
    guard let (port, pid) = started else { throw TestSupportError("sshd did not start: \(lastLog)") }
    self.port = port
    self.pid = pid
    try "[127.0.0.1]:\(port) \(hostPublicKey)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
    try """
    Host \(alias)
      HostName 127.0.0.1
      Port \(port)
      User \(user)
      IdentityFile \(d)/id_rsa
      IdentitiesOnly yes
      UserKnownHostsFile \(knownHosts)
      HostKeyAlias [127.0.0.1]:\(port)
      BatchMode yes

    """.write(toFile: configFile, atomically: true, encoding: .utf8)
  }

  /// The command git and rectrack use to reach this server (`core.sshCommand`), with extra options.
  public func sshCommand(_ extra: String = "") -> String {
    "ssh -F \(configFile)" + (extra.isEmpty ? "" : " " + extra)
  }

  /// A bare repository on the server, with `main` as its default branch.
  public func bareRepository(_ name: String) throws -> String {
    let p = path + "/" + name
    try GitCLI(directory: path).run(["init", "-q", "--bare", "--initial-branch=main", p])
    return p
  }

  deinit {
    kill(pid, SIGTERM)
  }
}
