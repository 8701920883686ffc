import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// A commit libgit2 cannot parse (an author line without `<>`, one with no date at all) in the
/// middle of the history: every read goes on, counts what the git CLI counts, and the audit
/// names the commit (`unreadable-commit`).
@Suite struct UnreadableCommitTests {
  /// Writes a commit object exactly as given on top of HEAD, with everything staged as its tree.
  @discardableResult
  static func appendRaw(_ repo: TestRepository, author: String, committer: String, message: String) throws
    -> String
  {
    try repo.git.run(["add", "-A"])
    let tree = try repo.git.run(["write-tree"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let text =
      "tree \(tree)\nparent \(try repo.head())\nauthor \(author)\ncommitter \(committer)\n\n\(message)\n"
    let id = try repo.git.run(["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], input: text)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try repo.git.run(["update-ref", "HEAD", id])
    return id
  }

  /// Sets the status line of the first recommendation file in the working tree.
  static func changeStatus(_ repo: TestRepository) throws -> String {
    let files = try repo.git.run(["ls-files", "Recommendations"]).split(separator: "\n").map(String.init)
    let path = try #require(files.first { $0.hasSuffix(".yml") })
    let text = try repo.read(path)
    let next = text.contains("status: closed") ? "in-progress" : "closed"
    let changed = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasPrefix("status:") ? "status: \(next)" : String($0)
    }
    try repo.write(path, changed.joined(separator: "\n"))
    return path
  }

  @Test(arguments: [21, 22] as [UInt64])
  func readsGoOnAndCountWhatGitCounts(seed: UInt64) throws {
    let repo = try HistoryGenerator.generate(seed: seed, steps: 25)
    let last = try #require(
      Int64(try repo.git.run(["log", "-1", "--format=%at"]).trimmingCharacters(in: .whitespacesAndNewlines)))
    _ = try Self.changeStatus(repo)
    let noEmail = try Self.appendRaw(
      repo, author: "Jo Bloggs \(last + 86_400 * 20) +0100",
      committer: "Jo Bloggs <jo@x> \(last + 86_400 * 20) +0100",
      message: "closed by hand")
    try repo.write("README.md", "after the broken commit\n")
    try repo.commit("Docs", date: "2030-01-05T10:00:00+00:00")
    try repo.write("README.md", "no date either\n")
    let noDate = try Self.appendRaw(repo, author: "garbage", committer: "junk", message: "docs by hand")
    _ = try Self.changeStatus(repo)
    try repo.commit("Later change", date: "2030-02-10T10:00:00+00:00")
    // libgit2 itself refuses the commit: the case this suite is about.
    #expect(try repo.git.run(["cat-file", "-p", noEmail]).contains("author Jo Bloggs \(last + 86_400 * 20)"))

    let reference = try BruteForceHistory(repositoryPath: repo.path)
    let days = reference.commits.map(\.date)
    let first = try #require(days.min())
    for day in [first, first.adding(days: 40), first.adding(days: 120), CalendarDate("2030-01-31")!] + days {
      let r = try CLI.run(["list", "--as-of", day.description, "--format", "json"], in: repo.path)
      #expect(r.status == 0, "\(day): \(r.stderr)")
      let array = try #require(
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
      let expected = reference.snapshot(asOf: day)
      let got = Dictionary(
        uniqueKeysWithValues: array.compactMap { o -> (String, String)? in
          guard let id = o["id"] as? String, let status = o["status"] as? String else { return nil }
          return (id, status)
        })
      for (id, status) in got {
        #expect(
          status == expected[id].flatMap { reference.fields[$0.blob]?.status }, "seed \(seed) \(day) \(id)")
      }
      // A file whose status is not a known one is left out with a warning naming it.
      for (id, v) in expected where got[id] == nil {
        #expect(r.stderr.contains(v.path), "seed \(seed) \(day): \(id) missing without a warning")
      }
    }

    let progress = try CLI.run(
      ["progress", "--from", first.yearMonth.description, "--to", "2030-02", "--format", "json"],
      in: repo.path)
    #expect(progress.status == 0, "\(progress.stderr)")
    let doc = try #require(
      try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [String: Any])
    let months = try #require(doc["months"] as? [[String: Any]])
    #expect(months.count > 12)
    for m in months {
      let text = try #require(m["asOf"] as? String)
      let asOf = try #require(CalendarDate(text))
      let statuses = try #require(m["counts"] as? [String: Int])
      var expected: [String: Int] = [:]
      for v in reference.snapshot(asOf: asOf).values {
        guard let s = reference.fields[v.blob]?.status, statuses[s] != nil else { continue }
        expected[s, default: 0] += 1
      }
      #expect(statuses.filter { $0.value > 0 } == expected, "seed \(seed) \(asOf)")
    }

    for args in [
      ["summary", "--format", "json"], ["log", try #require(reference.commits.last?.changed.keys.first)],
    ] {
      let r = try CLI.run(args, in: repo.path)
      #expect(r.status == 0, "\(args): \(r.stderr)")
    }

    let audit = try CLI.run(["audit", "--format", "json"], in: repo.path)
    #expect(audit.status == 1, "\(audit.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
    let findings = try #require(report["findings"] as? [[String: Any]])
    let unreadable = findings.filter { $0["rule"] as? String == "unreadable-commit" }
    #expect(Set(unreadable.compactMap { $0["commit"] as? String }) == [noEmail, noDate])
    #expect(unreadable.allSatisfy { $0["severity"] as? String == "error" })
    let message = try #require(unreadable.first { $0["commit"] as? String == noEmail }?["message"] as? String)
    #expect(message.contains("commit \(noEmail.prefix(10)) is malformed"), "\(message)")
    #expect(message.contains("'git show \(noEmail.prefix(10))'"), "\(message)")
    // The audit walked every commit, the malformed ones included.
    let walked = try repo.git.run(["rev-list", "--count", "HEAD"]).trimmingCharacters(
      in: .whitespacesAndNewlines)
    #expect(report["commitsWalked"] as? Int == Int(walked), "\(report.keys)")
  }
}
