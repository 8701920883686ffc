import Foundation

/// A real Apache web server on 127.0.0.1 for one test, serving `git http-backend` (receive-pack
/// on) over HTTPS with throwaway certificates made by `openssl`: a test certificate authority the
/// test may trust, and another it never trusts. Five ports, one Apache: HTTPS with a certificate
/// for `localhost`/127.0.0.1 from the test CA, the same names from the untrusted CA, the test CA's
/// certificate for another name (`tracker.example.org`), the test CA's certificate that ran out
/// in 2020, and plain HTTP. Under `/private/` the same repositories ask for a user name and
/// password (basic auth, `user`/`password`). Started by the test and stopped by the PID it
/// started (`PidFile`) when released.
public final class HTTPSServer {
  /// Which of the server's five doors a URL goes through.
  public enum Door: CaseIterable, Sendable {
    /// HTTPS, certificate for localhost and 127.0.0.1 from the test CA (`caFile`).
    case trusted
    /// HTTPS, the right names, signed by a certificate authority nobody trusts.
    case untrustedCA
    /// HTTPS, signed by the test CA but for `tracker.example.org`, not this server.
    case wrongName
    /// Plain HTTP, no TLS at all.
    case plain
    /// HTTPS, the right names from the test CA, but valid only in January 2020.
    case expired
  }

  public let directory: TemporaryDirectory
  public var path: String { directory.path }
  public let ports: [Door: Int]
  public let pid: Int32
  /// The test CA's certificate (PEM): trusting it makes `.trusted` (and only it) verify.
  public var caFile: String { path + "/ca.pem" }
  /// The basic-auth account under `/private/`.
  public let user = "alice"
  public let password = "Correct-Horse-7781"
  /// Where the served repositories are (`GIT_PROJECT_ROOT`).
  public var root: String { path + "/repos" }
  public var errorLog: String { path + "/error.log" }
  /// One line a request: method, path, status and the request's Transfer-Encoding.
  public var accessLog: String { path + "/access.log" }

  static let modules = "/usr/lib/apache2/modules"
  static let apache = ["/usr/sbin/apache2", "/usr/sbin/httpd"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static let openssl = which("openssl")
  static let httpBackend: String? = {
    guard let r = try? runProcess(Hermetic.git, ["--exec-path"]), r.status == 0 else { return nil }
    let p = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/git-http-backend"
    return FileManager.default.isExecutableFile(atPath: p) ? p : nil
  }()
  static let neededModules = [
    "mpm_prefork", "authz_core", "authz_user", "authn_core", "authn_file", "auth_basic", "alias", "env",
    "cgi", "ssl", "socache_shmcb",
  ]

  /// Why the server cannot be started here, or nil when it can.
  public static var unavailableReason: String? {
    guard apache != nil else { return "apache2 is missing (apt-get install apache2)" }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/perl") else { return "perl is missing" }
    guard openssl != nil else { return "openssl is missing (apt-get install openssl)" }
    for m in neededModules where !FileManager.default.fileExists(atPath: "\(modules)/mod_\(m).so") {
      return "Apache's mod_\(m) is missing from \(modules) (apt-get install apache2)"
    }
    if httpBackend == nil { return "git-http-backend is missing (it comes with git)" }
    return nil
  }

  public init() throws {
    directory = try TemporaryDirectory(prefix: "rectrack-httpd")
    let d = directory.path
    // Run as root, Apache hands requests to another account: it must reach these files.
    let asRoot = getuid() == 0
    let account = asRoot ? (getpwnam("www-data") != nil ? "www-data" : "nobody") : nil
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: d)
    for sub in ["repos", "home", "run"] {
      try FileManager.default.createDirectory(atPath: "\(d)/\(sub)", withIntermediateDirectories: true)
      try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: "\(d)/\(sub)")
    }
    // git (and rectrack in a hook) run by the server's account on repositories it does not own.
    try "[safe]\n\tdirectory = *\n".write(toFile: "\(d)/home/.gitconfig", atomically: true, encoding: .utf8)
    try Self.makeCertificates(in: d)
    try Self.makeExpiredCertificate(in: d)
    let hashed = try runProcess(
      Self.openssl!, ["passwd", "-apr1", password], environment: [:]
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    try "\(user):\(hashed)\n".write(toFile: "\(d)/htpasswd", atomically: true, encoding: .utf8)
    for f in try FileManager.default.contentsOfDirectory(atPath: d)
    where f.hasSuffix(".key") || f == "htpasswd" {
      try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(d)/\(f)")
    }

    var started: ([Door: Int], Int32)?
    var lastLog = ""
    for _ in 0..<8 {
      let base = Int.random(in: 20_000...60_000)
      var ports: [Door: Int] = [:]
      for (i, door) in Door.allCases.enumerated() { ports[door] = base + i }
      try Self.configuration(directory: d, ports: ports, account: account)
        .write(toFile: "\(d)/httpd.conf", atomically: true, encoding: .utf8)
      try? FileManager.default.removeItem(atPath: "\(d)/httpd.pid")
      // Apache keeps the signal mask it is started with, and the test runner blocks SIGTERM: perl
      // clears the mask so the server can be stopped. Every inherited descriptor above 2 is closed
      // too, or the detached server would hold this process's pipes open.
      let r = try runProcess(
        "/bin/bash",
        [
          "-c",
          "for fd in $(/bin/ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; "
            + "exec /usr/bin/perl -e 'use POSIX; sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die; "
            + "exec @ARGV or die' '\(Self.apache!)' -f '\(d)/httpd.conf' -k start "
            + "</dev/null >>'\(d)/start.log' 2>&1",
        ])
      for _ in 0..<50 where r.status == 0 {
        if let text = try? String(contentsOfFile: "\(d)/httpd.pid", encoding: .utf8),
          let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, 0) == 0
        {
          started = (ports, pid)
          break
        }
        usleep(100_000)
      }
      if started != nil { break }
      lastLog =
        ((try? String(contentsOfFile: "\(d)/error.log", encoding: .utf8)) ?? "")
        + ((try? String(contentsOfFile: "\(d)/start.log", encoding: .utf8)) ?? "") + r.stderr
    }
    guard let (ports, pid) = started else { throw TestSupportError("apache2 did not start: \(lastLog)") }
    self.ports = ports
    self.pid = pid
  }

  /// The URL of repository `name` through `door`; `login` puts it under `/private/` (basic auth).
  public func url(_ name: String, door: Door = .trusted, login: Bool = false, host: String = "localhost")
    -> String
  {
    "\(door == .plain ? "http" : "https")://\(host):\(ports[door]!)/\(login ? "private" : "git")/\(name)"
  }

  /// A bare repository on the server, `main` its default branch, writable by the server's account.
  public func bareRepository(_ name: String) throws -> String {
    let p = root + "/" + name
    try GitCLI(directory: root).run(["init", "-q", "--bare", "--shared=0777", "--initial-branch=main", p])
    try GitCLI(directory: p).run(["config", "http.receivepack", "true"])
    _ = try runProcess("/bin/chmod", ["-R", "a+rwX", p])
    return p
  }

  /// The test CA, an untrusted CA, and three server certificates, made with `openssl`.
  static func makeCertificates(in d: String) throws {
    func openssl(_ args: [String]) throws {
      let r = try runProcess(Self.openssl!, args, in: d)
      guard r.status == 0 else {
        throw TestSupportError("openssl \(args.joined(separator: " ")) failed: \(r.stderr)")
      }
    }
    for (ca, name) in [("ca", "rectrack test CA"), ("rogue-ca", "Somebody Else's CA")] {
      try openssl([
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(ca).key", "-out", "\(ca).pem",
        "-days", "2", "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      ])
    }
    for (cert, ca, names) in [
      ("trusted", "ca", "DNS:localhost,IP:127.0.0.1"),
      ("untrusted", "rogue-ca", "DNS:localhost,IP:127.0.0.1"),
      ("wrongname", "ca", "DNS:tracker.example.org"),
    ] {
      let cn = names.split(separator: ",")[0].dropFirst(4)
      try "subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        .write(toFile: "\(d)/\(cert).ext", atomically: true, encoding: .utf8)
      try openssl([
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(cert).key", "-out", "\(cert).csr", "-subj",
        "/CN=\(cn)",
      ])
      try openssl([
        "x509", "-req", "-in", "\(cert).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key", "-CAcreateserial",
        "-out", "\(cert).pem", "-days", "2", "-extfile", "\(cert).ext",
      ])
    }
  }

  /// The test CA's certificate for localhost that ran out in 2020 (`openssl ca` sets past dates).
  static func makeExpiredCertificate(in d: String) throws {
    try """
    [ca]
    default_ca = test
    [test]
    database = \(d)/index.txt
    new_certs_dir = \(d)
    serial = \(d)/serial
    default_md = sha256
    policy = names
    [names]
    commonName = supplied
    [server]
    subjectAltName = DNS:localhost,IP:127.0.0.1
    extendedKeyUsage = serverAuth

    """.write(toFile: "\(d)/ca.cnf", atomically: true, encoding: .utf8)
    try "".write(toFile: "\(d)/index.txt", atomically: true, encoding: .utf8)
    try "01\n".write(toFile: "\(d)/serial", atomically: true, encoding: .utf8)
    for args in [
      [
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "expired.key", "-out", "expired.csr", "-subj",
        "/CN=localhost",
      ],
      [
        "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "expired.csr",
        "-out", "expired.pem", "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-extensions",
        "server",
      ],
    ] {
      let r = try runProcess(Self.openssl!, args, in: d)
      guard r.status == 0 else {
        throw TestSupportError("openssl \(args.joined(separator: " ")) failed: \(r.stderr)")
      }
    }
  }

  static func configuration(directory d: String, ports: [Door: Int], account: String?) -> String {
    let modules = neededModules.map { "LoadModule \($0)_module \(Self.modules)/mod_\($0).so" }
    var lines = [
      "ServerRoot \(d)", "ServerName localhost", "PidFile \(d)/httpd.pid", "DefaultRuntimeDir \(d)/run",
      "ErrorLog \(d)/error.log", "LogLevel warn",
      "LogFormat \"%m %U %>s te=%{Transfer-Encoding}i\" git", "CustomLog \(d)/access.log git",
      "DocumentRoot \(d)/repos", "Timeout 60",
      "StartServers 2", "MaxRequestWorkers 8",
    ]
    lines += modules
    if let account {
      lines += ["User \(account)", "Group \(getgrnam(account) != nil ? account : "nogroup")"]
    }
    lines += Door.allCases.map { "Listen 127.0.0.1:\(ports[$0]!)" }
    lines += [
      "SetEnv GIT_PROJECT_ROOT \(d)/repos", "SetEnv GIT_HTTP_EXPORT_ALL 1", "SetEnv HOME \(d)/home",
      "SetEnv GIT_CONFIG_NOSYSTEM 1",
      "ScriptAlias /git/ \(httpBackend!)/", "ScriptAlias /private/ \(httpBackend!)/",
      "<Location /private/>", "  AuthType Basic", "  AuthName \"tracker\"",
      "  AuthUserFile \(d)/htpasswd", "  Require valid-user", "</Location>",
      "SSLSessionCache none",
    ]
    for (door, cert) in [
      (Door.trusted, "trusted"), (.untrustedCA, "untrusted"), (.wrongName, "wrongname"),
      (.expired, "expired"),
    ] {
      lines += [
        "<VirtualHost 127.0.0.1:\(ports[door]!)>", "  SSLEngine on",
        "  SSLCertificateFile \(d)/\(cert).pem", "  SSLCertificateKeyFile \(d)/\(cert).key", "</VirtualHost>",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  deinit {
    // The parent Apache process stops its children and removes its PID file.
    kill(pid, SIGTERM)
    for _ in 0..<50 where kill(pid, 0) == 0 { usleep(100_000) }
  }
}
