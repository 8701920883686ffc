internal import CGitShims
internal import Clibgit2
import Foundation

/// Where credentials for a server come from: the places git itself uses, so that a clone that
/// `git push` works in also works for `rectrack sync`.
///
/// - SSH: not here. SSH connections run the system's OpenSSH client (`CGitShims/ssh_exec.c`),
///   which uses the user's own ~/.ssh/config, agent, keys, passphrase prompt and known_hosts.
/// - HTTPS: `git credential fill`, i.e. the configured credential helpers (`credential.helper`:
///   store, cache, libsecret, a token manager), with git's own prompt as the last resort.
///   Credentials that worked are passed to `git credential approve`, refused ones to `reject`.
public struct CredentialSource: Sendable {
  /// The folder `git credential` runs in, so that the repository's own configuration applies.
  public var directory: String?

  public init(directory: String?) {
    self.directory = directory
  }
}

/// The state of one connection's callbacks: which credentials were tried, what went wrong.
///
/// libgit2 calls the credential callback again after every refusal, so each source is tried
/// once; without that, a wrong password would loop for ever.
final class RemoteSession {
  let source: CredentialSource
  let url: String
  private var triedHelper = false
  private var helperAnswer: [String: String]?
  /// A clearer error than libgit2's, set by a callback that refused to go on.
  var failure: GitError?
  /// The server's reason for refusing a pushed reference (the first one refused).
  var rejection: String?
  /// Every reference the server refused, with its reason.
  var rejections: [String: String] = [:]
  /// What the server said on the side band (its hooks' output: git shows it as `remote:` lines).
  var remoteLines: [String] = []
  private var remotePartial = ""

  /// Collects side-band text into whole lines (progress lines ending in a carriage return are dropped).
  func sideband(_ text: String) {
    remotePartial += text
    while let i = remotePartial.firstIndex(where: { $0 == "\n" || $0 == "\r" }) {
      let line = String(remotePartial[..<i])
      let isProgress = remotePartial[i] == "\r"
      remotePartial = String(remotePartial[remotePartial.index(after: i)...])
      if !isProgress, !line.trimmingCharacters(in: .whitespaces).isEmpty { remoteLines.append(line) }
    }
  }

  /// The side band's lines, with a last line that had no newline.
  var allRemoteLines: [String] {
    remotePartial.trimmingCharacters(in: .whitespaces).isEmpty ? remoteLines : remoteLines + [remotePartial]
  }

  init(credentials: CredentialSource, url: String) {
    source = credentials
    self.url = url
  }

  func install(on callbacks: inout git_remote_callbacks) {
    callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
    // SSH goes through the system's OpenSSH client, as git's does: the user's ~/.ssh/config,
    // agent, keys, passphrase prompt and known_hosts (revoked keys included) all apply.
    if rectrack_is_ssh_url(url) != 0 {
      callbacks.transport = { out, owner, payload in
        rectrack_ssh_exec_transport(UnsafeMutableRawPointer(out), UnsafeMutableRawPointer(owner), payload)
      }
    }
    callbacks.credentials = { out, url, user, allowed, payload in
      guard let out, let payload else { return -1 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      return session.credential(
        out, user: user.map { String(decodingCString: $0) }, allowed: allowed)
    }
    callbacks.push_update_reference = { refname, status, payload in
      guard let status, let payload else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      let reason = String(decodingCString: status)
      if session.rejection == nil { session.rejection = reason }
      if let refname { session.rejections[String(decodingCString: refname)] = reason }
      return 0
    }
    callbacks.sideband_progress = { str, len, payload in
      guard let str, let payload, len > 0 else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      let bytes = UnsafeRawBufferPointer(start: str, count: Int(len))
      session.sideband(String(decoding: bytes, as: UTF8.self))
      return 0
    }
    callbacks.certificate_check = { cert, valid, host, payload in
      guard let cert, let payload else { return -1 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      return session.checkCertificate(
        cert, valid: valid != 0, host: host.map { String(decodingCString: $0) } ?? "")
    }
  }

  /// The connection worked: tell the credential helper to keep what it gave.
  func succeeded() {
    if let answer = helperAnswer { runCredential("approve", answer) }
  }

  private func credential(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, user: String?, allowed: UInt32
  ) -> Int32 {
    let username = user ?? URLParts(url).user ?? "git"
    if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
      return git_credential_username_new(out, username)
    }
    if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
      if let answer = helperAnswer {
        // The helper's credentials were refused: make it forget them, and stop.
        runCredential("reject", answer)
        helperAnswer = nil
        failure = GitError(
          message: "the server refused the user name and password given for \(URLParts(url).redacted)",
          function: "credentials")
        return -1
      }
      guard !triedHelper else { return -1 }
      triedHelper = true
      var request = URLParts(url).credentialFields
      if let user { request["username"] = user }
      guard let answer = fill(request), let name = answer["username"], let password = answer["password"]
      else {
        failure = GitError(
          message:
            "no user name and password for \(URLParts(url).redacted): set up a git credential helper (git config --global credential.helper store, or your platform's helper) and run 'git fetch' once to enter them",
          function: "credentials")
        return -1
      }
      helperAnswer = answer
      return git_credential_userpass_plaintext_new(out, name, password)
    }
    return -1
  }

  /// Runs `git credential fill` and reads its `key=value` answer.
  private func fill(_ request: [String: String]) -> [String: String]? {
    guard let output = runCredential("fill", request) else { return nil }
    var answer: [String: String] = [:]
    for line in output.split(separator: "\n") {
      guard let eq = line.firstIndex(of: "=") else { continue }
      answer[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    return answer
  }

  @discardableResult
  private func runCredential(_ action: String, _ fields: [String: String]) -> String? {
    let input = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined() + "\n"
    return runTool(["git", "credential", action], input: input, directory: source.directory)
  }

  /// A certificate the TLS library refused stays refused; passing it through keeps the library's
  /// own reason (not signed by a trusted authority, made for another name, expired), which
  /// `RemoteFailure` explains.
  private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
    valid ? 0 : GIT_PASSTHROUGH.rawValue
  }
}

/// The parts of a remote URL that credential helpers and host-key checks need.
struct URLParts {
  var scheme: String?
  var user: String?
  var host: String?
  var port: Int?
  var path: String?

  init(_ url: String) {
    if let u = URLComponents(string: url), u.scheme != nil, u.host != nil {
      scheme = u.scheme
      user = u.user
      host = u.host
      port = u.port
      path = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
    } else if let colon = url.firstIndex(of: ":"), !url.hasPrefix("/") {
      // scp-like: user@host:path
      let authority = url[..<colon]
      if let at = authority.lastIndex(of: "@") {
        user = String(authority[..<at])
        host = String(authority[authority.index(after: at)...])
      } else {
        host = String(authority)
      }
      scheme = "ssh"
      path = String(url[url.index(after: colon)...])
    }
  }

  var credentialFields: [String: String] {
    var out: [String: String] = [:]
    if let scheme { out["protocol"] = scheme }
    if let host { out["host"] = port.map { "\(host):\($0)" } ?? host }
    if let path, !path.isEmpty { out["path"] = path }
    if let user { out["username"] = user }
    return out
  }

  /// The URL without any password, for messages.
  var redacted: String {
    guard let host else { return "the server" }
    return "\(scheme ?? "https")://\(host)\(port.map { ":\($0)" } ?? "")/\(path ?? "")"
  }
}

/// Runs a helper program found on PATH, feeding `input`; returns its standard output, or nil
/// when it is missing or fails. Standard error passes through, so git's own prompts still work.
func runTool(_ arguments: [String], input: String?, directory: String?) -> String? {
  guard
    let r = Subprocess.run(
      ["/usr/bin/env"] + arguments, input: input.map { Array($0.utf8) }, directory: directory),
    r.status == 0
  else { return nil }
  return String(decoding: r.output, as: UTF8.self)
}
