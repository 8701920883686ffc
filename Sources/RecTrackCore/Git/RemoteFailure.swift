import Foundation

/// Why talking to a server failed, in words an office user can act on, with a command that works
/// as printed. SSH connections run the system's `ssh` (`CGitShims/ssh_exec.c`), so what OpenSSH
/// said is what is explained here; HTTPS failures come from libgit2.
public struct RemoteFailure: Sendable, Equatable {
  public enum Kind: String, Sendable {
    /// The server's host key is not known, or differs from the known one.
    case hostKeyUnknown
    /// The server's host key is marked `@revoked` in known_hosts.
    case hostKeyRevoked
    /// The server accepted none of the keys or passwords offered.
    case authentication
    /// The server could not be reached (name, port, network).
    case unreachable
    /// The server's TLS certificate is not trusted or does not name it.
    case certificate
    /// Anything else.
    case other
  }

  public var kind: Kind
  /// One line: what happened.
  public var message: String
  /// What to do next, with a command that works as printed (nil when there is nothing to run).
  public var hint: String?

  /// Explains `error` from a connection to `url`.
  public init(_ error: GitError, url: String) {
    let said = Self.clean(error.message)
    let lower = said.lowercased()
    let target = SSHTarget(url)
    let test = target.map { "ssh -T " + $0.command } ?? "git ls-remote \(URLParts(url).redacted)"
    if error.function == "git_libgit2_opts" {
      // rectrack's own reading of git's settings (http.sslCAInfo), before any connection.
      kind = .other
      message = said
      hint = nil
    } else if lower.contains("failed to lock file") {
      // A lock left by a run that was killed (rectrack holds its own lock while it syncs).
      kind = .other
      message = said
      hint =
        "An earlier run was interrupted and left a lock behind: run 'rectrack validate', which names it and the command that clears it."
    } else if error.function == "credentials" {
      // RemoteSession's own words: the user name and password were refused, or there were none.
      kind = .authentication
      message = said
      hint =
        "Check your user name and password or token with the server's administrator; git's "
        + "credential helper can keep them (git config --global credential.helper store)."
    } else if lower.contains("revoked host key") || lower.contains("was revoked") {
      kind = .hostKeyRevoked
      message =
        "the server's SSH host key is marked as revoked on this machine: the connection was refused, "
        + "because someone may be pretending to be the server"
      hint =
        "Do not go on: ask the server's administrator for its current host key, and check it before you trust it."
    } else if lower.contains("host key verification failed")
      || lower.contains("remote host identification has changed")
    {
      kind = .hostKeyUnknown
      message = "the server's SSH host key is not the one this machine knows (or it is not known yet)"
      hint =
        "Check the key's fingerprint with the server's administrator, then connect once and accept it: \(test)"
    } else if lower.contains("certificate") || lower.contains("x509") || lower.contains("ssl")
      || lower.contains("tls")
    {
      kind = .certificate
      (message, hint) = Self.certificate(said, host: URLParts(url).host ?? "the server")
    } else if lower.contains("permission denied") || lower.contains("authentication failed")
      || lower.contains("too many authentication failures") || lower.contains("401")
    {
      kind = .authentication
      message = "the server did not accept your credentials" + (said.isEmpty ? "" : " (\(said))")
      hint =
        target != nil
        ? "Check that this works: \(test); if it does not, add your key to ssh-agent (ssh-add) or give your public key (~/.ssh/id_ed25519.pub) to the server's administrator."
        : "Check your user name and password or token with the server's administrator; git's credential helper keeps them (git config --global credential.helper store)."
    } else if lower.contains("could not resolve") || lower.contains("name or service not known")
      || lower.contains("connection refused") || lower.contains("timed out")
      || lower.contains("no route to host")
      || lower.contains("network is unreachable") || lower.contains("failed to connect")
      || lower.contains("connection reset")
      || lower.contains("closed by remote host") || lower.contains("failed to resolve")
    {
      kind = .unreachable
      message = "the server could not be reached" + (said.isEmpty ? "" : " (\(said))")
      hint = "Check the network and the server's address (git remote -v), then try: \(test)"
    } else {
      kind = .other
      message = said.isEmpty ? "the connection failed" : said
      hint = nil
    }
  }

  /// A certificate libgit2's TLS library (mbedTLS here: "the SSL certificate is invalid: 0x08 -
  /// The certificate is not correctly signed by the trusted CA") refused, by its reason.
  static func certificate(_ said: String, host: String) -> (message: String, hint: String) {
    let lower = said.lowercased()
    let askAdministrator = "ask the server's administrator"
    if lower.contains("not correctly signed") || lower.contains("not trusted")
      || lower.contains("unable to get local issuer") || lower.contains("self-signed")
      || lower.contains("self signed")
    {
      return (
        "the server's TLS certificate is not trusted by this machine: no certificate authority it "
          + "trusts signed it (someone may be in between, or the server uses its own authority)",
        "If your organisation runs its own certificate authority, save its certificate and name it "
          + "for this clone: git config http.sslCAInfo /path/to/ca.pem (git fetch then trusts it too); "
          + "otherwise \(askAdministrator)."
      )
    }
    if lower.contains("does not match") || lower.contains("cn mismatch") {
      let numeric = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
      return (
        "the server's TLS certificate is not made out to \(host), the address this clone uses "
          + "(a wrong address, or someone in between)",
        "Check the address with: git remote -v; it must use the server's name as its certificate "
          + "gives it"
          + (numeric ? " (rectrack matches names, not numbers such as \(host))" : "")
          + ", then: git remote set-url origin https://NAME/PATH; if unsure, \(askAdministrator)."
      )
    }
    if lower.contains("expired") || lower.contains("in the future") {
      return (
        "the server's TLS certificate is out of date (\(said)): check this machine's clock (date)",
        "If the clock is right, \(askAdministrator) to renew the certificate."
      )
    }
    return (
      "the server's TLS certificate was refused" + (said.isEmpty ? "" : " (\(said))"),
      "If your organisation runs its own certificate authority, name its certificate: "
        + "git config http.sslCAInfo /path/to/ca.pem; otherwise \(askAdministrator)."
    )
  }

  /// What ssh or libgit2 said, on one line: OpenSSH's banner of @ signs dropped, the `ssh:`
  /// prefix of the transport removed, no final full stop (the caller's sentence goes on).
  static func clean(_ text: String) -> String {
    var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    lines.removeAll { $0.isEmpty || $0.allSatisfy { $0 == "@" } || $0.hasPrefix("@ ") }
    var s = lines.joined(separator: " ")
    if s.hasPrefix("ssh: ") { s.removeFirst(5) }
    while s.hasSuffix(".") { s.removeLast() }
    return s
  }
}

/// An SSH address split as OpenSSH takes it, to print a test command that reaches the same server.
struct SSHTarget: Equatable {
  var host: String
  var user: String?
  var port: String?

  init?(_ url: String) {
    let lower = url.lowercased()
    var rest: Substring
    if let scheme = ["ssh://", "ssh+git://", "git+ssh://"].first(where: { lower.hasPrefix($0) }) {
      rest = url.dropFirst(scheme.count)
      let authority = rest.prefix { $0 != "/" }
      rest = authority
      if let at = rest.lastIndex(of: "@") {
        user = String(rest[..<at])
        rest = rest[rest.index(after: at)...]
      }
      if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
        host = String(rest[rest.index(after: rest.startIndex)..<close])
        let after = rest[rest.index(after: close)...]
        if after.hasPrefix(":") { port = String(after.dropFirst()) }
      } else if let colon = rest.firstIndex(of: ":") {
        host = String(rest[..<colon])
        port = String(rest[rest.index(after: colon)...])
      } else {
        host = String(rest)
      }
    } else if !url.contains("://"), let colon = url.firstIndex(of: ":"),
      url.firstIndex(of: "/").map({ colon < $0 }) ?? true, colon != url.startIndex
    {
      rest = url[..<colon]
      if let at = rest.lastIndex(of: "@") {
        user = String(rest[..<at])
        rest = rest[rest.index(after: at)...]
      }
      host = String(rest.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
    } else {
      return nil
    }
    if host.isEmpty { return nil }
  }

  /// The arguments of `ssh` that reach this server: `[-p PORT] [user@]host`.
  var command: String {
    (port.map { "-p \($0) " } ?? "") + (user.map { "\($0)@" } ?? "") + host
  }
}
