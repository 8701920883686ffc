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
  /// The server's reason for refusing a pushed reference.
  var rejection: String?

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
      session.rejection = String(decodingCString: status)
      return 0
    }
    callbacks.certificate_check = { cert, valid, host, payload in
      guard let cert, let payload else { return -1 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      return session.checkCertificate(cert, valid: valid != 0, host: host.map { String(decodingCString: $0) } ?? "")
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
      guard let answer = fill(request), let name = answer["username"], let password = answer["password"] else {
        failure = GitError(
          message: "no user name and password for \(URLParts(url).redacted): set up a git credential helper (git config --global credential.helper store, or your platform's helper) and run 'git fetch' once to enter them",
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

  private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
    if valid { return 0 }
    failure = GitError(message: "the TLS certificate of \(host) is not valid", function: "certificate_check")
    return -1
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
  // posix_spawn, not Foundation's Process: Process starts the child in a process group of its
  // own, outside the terminal's foreground group, so git's prompt ("Username for ...") could not
  // read the terminal (EIO). Spawned here, the child stays in rectrack's group as git's own do.
  var toChild: [Int32] = [-1, -1]
  var fromChild: [Int32] = [-1, -1]
  guard pipe(&toChild) == 0 else { return nil }
  guard pipe(&fromChild) == 0 else {
    close(toChild[0])
    close(toChild[1])
    return nil
  }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  if input != nil {
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  }
  posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
  for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
  // `cd DIR && exec TOOL...` by the shell, so the tool runs in the repository's folder.
  let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory ?? ".", ] + arguments
  var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
  defer { for a in cArgs { free(a) } }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgs, environ)
  close(toChild[0])
  close(fromChild[1])
  guard rc == 0 else {
    close(toChild[1])
    close(fromChild[0])
    return nil
  }
  if let input {
    // A tool that exits without reading must not kill rectrack with SIGPIPE.
    var pipeSignal = sigset_t()
    var previous = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    let bytes = Array(input.utf8)
    let count = bytes.count
    var done = 0
    while done < count {
      let n = bytes.withUnsafeBytes { write(toChild[1], $0.baseAddress! + done, count - done) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 {
        if n < 0 && errno == EPIPE {
          var zero = timespec()
          sigtimedwait(&pipeSignal, nil, &zero)
        }
        break
      }
      done += n
    }
    pthread_sigmask(SIG_SETMASK, &previous, nil)
  }
  close(toChild[1])
  var output: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 4096)
  while true {
    let n = buffer.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress!, 4096) }
    if n < 0 && errno == EINTR { continue }
    if n <= 0 { break }
    output += buffer[0..<n]
  }
  close(fromChild[0])
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  // Exited normally with 0 (WIFEXITED and WEXITSTATUS, which Swift does not import).
  guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { return nil }
  return String(decoding: output, as: UTF8.self)
}
