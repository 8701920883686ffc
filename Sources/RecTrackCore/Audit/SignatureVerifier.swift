import Foundation

/// Checks commit signatures with the tools git itself uses (`gpg`, `ssh-keygen`), when they are
/// installed, and says plainly what it could not check.
///
/// libgit2 can only extract a signature; judging it needs the signer's key. PGP signatures are
/// checked against the user's gpg keyring; SSH signatures against an allowed-signers file
/// (`audit: allowed-signers` in `rectrack.yml`, or git's `gpg.ssh.allowedSignersFile`). Without
/// one, an SSH signature is only checked to be intact, and who made it is not verified.
struct SignatureVerifier {
  var gpg: String?
  var sshKeygen: String?
  /// A file on disk in ssh's allowed-signers format.
  var allowedSigners: String?
  /// The tools' environment (`GNUPGHOME` says which gpg keyring to trust).
  var environment: [String: String]

  struct Outcome {
    var state: AuditSignatureState
    var detail: String
    /// Who signed, when verified: the allowed-signers principal (SSH) or the key's user ID (PGP).
    var principal: String? = nil

    /// Whether the signer may speak for `email`: the principal is that address, or an
    /// allowed-signers pattern (`*@opcc.example.org`, comma-separated lists) that matches it,
    /// or a PGP user ID `Name <email>` with that address. Case-insensitive, as e-mail domains are.
    func signerMatches(email: String) -> Bool {
      guard let principal else { return false }
      let address = email.lowercased()
      var candidates: [String] = []
      if let lt = principal.lastIndex(of: "<"), principal.hasSuffix(">") {
        let end = principal.index(before: principal.endIndex)
        candidates = [String(principal[principal.index(after: lt)..<end])]
      } else {
        candidates = principal.split(separator: ",").map { String($0).trimmingWhitespace }
      }
      return candidates.contains { fnmatch($0.lowercased(), address, 0) == 0 }
    }
  }

  init(gpg: String?, sshKeygen: String?, allowedSigners: String?, environment: [String: String]) {
    self.gpg = gpg
    self.sshKeygen = sshKeygen
    self.allowedSigners = allowedSigners
    self.environment = environment
  }

  /// Finds the tools on `PATH`.
  static func locate(
    allowedSigners: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> SignatureVerifier
  {
    func which(_ name: String) -> String? {
      for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
      }
      return nil
    }
    return SignatureVerifier(
      gpg: which("gpg"), sshKeygen: which("ssh-keygen"), allowedSigners: allowedSigners,
      environment: environment)
  }

  var tools: [String] { [gpg.map { _ in "gpg" }, sshKeygen.map { _ in "ssh-keygen" }].compactMap { $0 } }

  func verify(signature: [UInt8], signedData: [UInt8]) -> Outcome {
    let text = String(decoding: signature.prefix(64), as: UTF8.self)
    if text.hasPrefix("-----BEGIN SSH SIGNATURE-----") { return verifySSH(signature, signedData) }
    if text.hasPrefix("-----BEGIN PGP SIGNATURE-----") { return verifyPGP(signature, signedData) }
    return Outcome(state: .unverified, detail: "a signature of a kind rectrack does not check (X.509?)")
  }

  private func verifyPGP(_ sig: [UInt8], _ data: [UInt8]) -> Outcome {
    guard let gpg else { return Outcome(state: .unverified, detail: "PGP signature; gpg is not installed") }
    return withFiles(sig, data) { sigPath, dataPath in
      guard let r = run(gpg, ["--batch", "--no-tty", "--status-fd", "1", "--verify", sigPath, dataPath])
      else {
        return Outcome(state: .unverified, detail: "PGP signature; gpg could not be run")
      }
      let lines = r.out.split(separator: "\n").map { String($0) }
      func status(_ key: String) -> String? {
        lines.first { $0.hasPrefix("[GNUPG:] \(key) ") }.map {
          String($0.dropFirst("[GNUPG:] \(key) ".count))
        }
      }
      if let bad = status("BADSIG") {
        return Outcome(state: .bad, detail: "PGP signature does not match the commit (\(bad))")
      }
      if let revoked = status("REVKEYSIG") {
        return Outcome(state: .bad, detail: "PGP signature by a revoked key (\(revoked))")
      }
      if let good = status("GOODSIG") ?? status("EXPKEYSIG") {
        let uid = String(good.split(separator: " ", maxSplits: 1).last ?? "")
        return Outcome(state: .verified, detail: "good PGP signature by \(uid)", principal: uid)
      }
      if status("NO_PUBKEY") != nil || status("ERRSIG") != nil {
        return Outcome(state: .unverified, detail: "PGP signature by a key not in the gpg keyring")
      }
      return Outcome(state: .unverified, detail: "PGP signature; gpg gave no verdict")
    }
  }

  private func verifySSH(_ sig: [UInt8], _ data: [UInt8]) -> Outcome {
    guard let sshKeygen else {
      return Outcome(state: .unverified, detail: "SSH signature; ssh-keygen is not installed")
    }
    return withFiles(sig, data) { sigPath, dataPath in
      let intact = run(sshKeygen, ["-Y", "check-novalidate", "-n", "git", "-s", sigPath], stdin: dataPath)
      guard let intact else {
        return Outcome(state: .unverified, detail: "SSH signature; ssh-keygen could not be run")
      }
      guard intact.status == 0 else {
        return Outcome(state: .bad, detail: "SSH signature does not match the commit")
      }
      guard let allowedSigners else {
        return Outcome(
          state: .unverified,
          detail: "SSH signature intact; no allowed-signers file, so who signed was not checked")
      }
      let found = run(sshKeygen, ["-Y", "find-principals", "-f", allowedSigners, "-s", sigPath])
      let principals = found?.out.split(separator: "\n").map(String.init).filter { !$0.isEmpty } ?? []
      guard let found, found.status == 0, let principal = principals.first else {
        return Outcome(state: .bad, detail: "SSH signature by a key that is not in the allowed-signers file")
      }
      let verified = run(
        sshKeygen, ["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", "git", "-s", sigPath],
        stdin: dataPath)
      if verified?.status == 0 {
        return Outcome(
          state: .verified, detail: "good SSH signature by \(principal)",
          principal: principals.joined(separator: ","))
      }
      return Outcome(state: .bad, detail: "SSH signature by \(principal) does not verify")
    }
  }

  private func withFiles(_ sig: [UInt8], _ data: [UInt8], _ body: (String, String) -> Outcome) -> Outcome {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rectrack-sig-\(UUID().uuidString)")
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try Data(sig).write(to: dir.appendingPathComponent("sig"))
      try Data(data).write(to: dir.appendingPathComponent("data"))
    } catch {
      return Outcome(state: .unverified, detail: "could not write a temporary file to check the signature")
    }
    defer { try? FileManager.default.removeItem(at: dir) }
    return body(dir.appendingPathComponent("sig").path, dir.appendingPathComponent("data").path)
  }

  /// Runs `tool` (a path) with `stdin` the file at that path, when given; nil when it cannot run.
  private func run(_ tool: String, _ args: [String], stdin: String? = nil) -> (status: Int32, out: String)? {
    let input: [UInt8]?
    if let stdin {
      guard let data = FileManager.default.contents(atPath: stdin) else { return nil }
      input = [UInt8](data)
    } else {
      input = nil
    }
    guard let r = Subprocess.run([tool] + args, input: input, environment: environment, errors: .discard)
    else {
      return nil
    }
    return (r.status, String(decoding: r.output, as: UTF8.self))
  }
}
