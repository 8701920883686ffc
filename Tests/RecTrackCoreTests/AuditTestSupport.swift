import Foundation
import RecTrackCore
import RecTrackTestSupport

/// Builds audit test repositories with the git CLI: commits dated one day apart, messages written
/// the way rectrack writes them (or not, where a test plants an edit made outside rectrack).
final class AuditHistoryBuilder {
  let repo: TestRepository
  private var day: CalendarDate

  static let commissioner = AuditFixtures.commissioner
  static let force = AuditFixtures.force

  static let settings = AuditFixtures.settings(
    extra: """
      audit:
        effective-max-days-before: 30
        max-due-changes: 2

      """)

  init(start: String = "2021-01-04", settings: String = AuditHistoryBuilder.settings) throws {
    repo = try TestRepository()
    day = CalendarDate(start)!
    try repo.write("rectrack.yml", settings)
    try commit("Start tracking", author: Self.commissioner)
  }

  /// Tags `commit` (HEAD when nil) the way `rectrack audit --seal` does: an annotated tag
  /// `audit/DAY` with rectrack's message, tagged on that day.
  func seal(_ day: String, _ commit: String? = nil) throws {
    try repo.git(
      arguments: ["tag", "-a", "-m", "Audited by rectrack on \(day): planted seal.", "audit/\(day)"]
        + (commit.map { [$0] } ?? []),
      environment: ["GIT_COMMITTER_DATE": "\(day)T23:00:00+00:00"])
  }

  /// The date the next commit will carry.
  var nextDate: CalendarDate { day }

  /// Commits everything staged or not, dated the next day at 10:00 UTC (or `date`), returns the id.
  @discardableResult
  func commit(_ message: String, author: String, date: String? = nil) throws -> String {
    let when = date ?? "\(day)T10:00:00+00:00"
    if date == nil { day = day.adding(days: 1) }
    return try repo.commitAll(message, date: when, author: author)
  }

  /// A message as rectrack writes it: summary, note, trailers.
  static func message(
    _ id: String, _ summary: String, note: String? = nil, _ trailers: [(String, String)] = []
  ) -> String {
    CommitMessage(summary: "\(id): \(summary)", body: note, trailers: [("Recommendation", id)] + trailers)
      .text
  }

  static func file(
    _ id: String, status: String = "open", due: String = "2021-06-30",
    title: String = "Run targeted campaigns",
    progress: String? = nil
  ) -> String {
    sampleRecommendation(
      id: id, status: status, title: title, due: due, extra: progress.map { "progress: |\n  \($0)\n" } ?? "")
  }

  func write(
    _ id: String, folder: String = "", status: String = "open", due: String = "2021-06-30",
    title: String = "Run targeted campaigns", progress: String? = nil
  ) throws {
    try repo.write(
      "Recommendations/\(folder)\(id).yml",
      Self.file(id, status: status, due: due, title: title, progress: progress))
  }

  /// Writes a commit object by hand with an ISO-8859-1 author name (bytes that are not UTF-8),
  /// on top of HEAD with the staged tree, and moves the branch to it.
  @discardableResult
  func commitLatin1(authorName: [UInt8], email: String, message: String) throws -> String {
    try repo.git("add", "-A")
    let tree = try repo.git("write-tree").trimmingCharacters(in: .whitespacesAndNewlines)
    let parent = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    let seconds = Int64(day.daysSinceEpoch) * 86_400 + 36_000
    day = day.adding(days: 1)
    var bytes = Array("tree \(tree)\nparent \(parent)\nauthor ".utf8) + authorName
    bytes += Array(" <\(email)> \(seconds) +0000\ncommitter ".utf8) + authorName
    bytes += Array(" <\(email)> \(seconds) +0000\nencoding ISO-8859-1\n\n\(message)".utf8)
    let file = repo.scratch + "/latin1-commit"
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    let id = try repo.git("hash-object", "-t", "commit", "-w", "--literally", file)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try repo.git("update-ref", "HEAD", id)
    return id
  }
}

extension AuditReport {
  /// (rule, commit) pairs, for comparing findings with what a test planted.
  var findingKeys: [String] {
    findings.map { "\($0.rule.rawValue)@\($0.commit ?? "-")" }.sorted()
  }
}
