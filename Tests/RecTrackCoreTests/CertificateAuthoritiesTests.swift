import Foundation
import RecTrackCore
import Synchronization
import Testing

/// libgit2 keeps one set of trusted certificate authorities for the whole process and frees the
/// set it holds whenever it is given one. Connections made on several threads at once (the sync
/// tests make them) asked it for the same set each time, and two at once freed it twice: the test
/// process aborted with "double free or corruption" in 2 of 64 starts. No timings.
@Suite struct CertificateAuthoritiesTests {
  /// The bundle this machine trusts: the one `GIT_SSL_CAINFO` names when set (so connections made
  /// by other tests meanwhile are given no other), else Debian's.
  static let bundle: String? = {
    let named = ProcessInfo.processInfo.environment["GIT_SSL_CAINFO"] ?? ""
    let path = named.isEmpty ? "/etc/ssl/certs/ca-certificates.crt" : named
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }()

  /// Four threads asking for the same bundle 25 times each. Handed to libgit2 on every call
  /// without the lock, this aborted the test process with "double free or corruption (out)" in
  /// 5 runs of 5.
  @Test(.enabled(if: bundle != nil, "no certificate bundle on this machine (ca-certificates)"))
  func manyThreadsAskingAtOnceForTheSameAuthorities() throws {
    let bundle = try #require(Self.bundle)
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<25 {
        do throws(GitError) {
          try Libgit2.trustCertificateAuthorities(file: bundle, folder: nil)
        } catch {
          failures.withLock { $0.append(error.message) }
        }
      }
    }
    #expect(failures.withLock { $0 }.isEmpty)
  }

  /// A file that holds no certificate is refused with libgit2's own reason, named as the
  /// setting it failed.
  @Test(.enabled(if: bundle != nil, "no certificate bundle on this machine (ca-certificates)"))
  func aFileWithNoCertificateIsRefused() throws {
    let bundle = try #require(Self.bundle)
    try Libgit2.trustCertificateAuthorities(file: bundle, folder: nil)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rectrack-ca-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let notACertificate = folder.appendingPathComponent("ca.pem").path
    try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: notACertificate))
    do throws(GitError) {
      try Libgit2.trustCertificateAuthorities(file: notACertificate, folder: nil)
      Issue.record("a file with no certificate was accepted")
    } catch {
      #expect(error.function == "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)")
      #expect(!error.message.isEmpty && error.message != "unknown error", "\(error.message)")
    }
  }
}
