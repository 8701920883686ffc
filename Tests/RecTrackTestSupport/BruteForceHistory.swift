import Foundation
import RecTrackCore

/// The second implementation of docs/format.md §4 and §5, using only the git CLI and no shortcut:
/// list the first-parent commits, take each commit's date from git's own trailer parser and
/// author date, list every file of every commit with `git ls-tree -r`, and to answer "as of D"
/// replay every commit in first-parent order keeping the last one dated on or before D.
public struct BruteForceHistory {
  public struct Version: Hashable, CustomStringConvertible {
    public var path: String
    public var blob: String
    public var mode: String
    public var description: String { "\(path)@\(blob.prefix(8))" }

    public init(path: String, blob: String, mode: String) {
      self.path = path
      self.blob = blob
      self.mode = mode
    }
  }

  public struct Commit {
    public var id: String
    public var date: CalendarDate
    /// The committer's calendar day in the committer's own offset (docs/format.md §6).
    public var recorded: CalendarDate
    /// ID -> new version (nil: deleted) for every ID whose file differs from the first parent's.
    public var changed: [String: Version?]
  }

  public struct Fields: Equatable {
    public var status: String?
    public var owner: String?
    public var source: String?
    public var tags: [String]
    public var due: CalendarDate?
  }

  /// Oldest first.
  public let commits: [Commit]
  /// Blob id -> the fields read from its text with line matching only.
  public let fields: [String: Fields]

  /// The history of `rev` (HEAD by default). For docs/format.md §6's "as recorded at REV", use
  /// `recorded(at:in:)`, which checks REV out in a clone first.
  public init(repositoryPath: String, rev: String = "HEAD") throws {
    let git = GitCLI(directory: repositoryPath)
    let ids = try git.run(["rev-list", "--first-parent", rev]).split(separator: "\n").map(String.init)
      .reversed()
    let log = try git.run([
      "log", "--first-parent", "--date=format:%Y-%m-%d",
      "--format=%H%x1f%ad%x1f%cd%x1f%(trailers:key=Effective,valueonly,separator=%x1d)%x1e", rev,
    ])
    var dates: [String: CalendarDate] = [:]
    var recordedDays: [String: CalendarDate] = [:]
    for record in log.split(separator: "\u{1e}") {
      let parts = record.trimmingCharacters(in: .whitespacesAndNewlines).split(
        separator: "\u{1f}", omittingEmptySubsequences: false)
      guard parts.count >= 3 else { continue }
      // git shows no date for a commit it cannot parse (an author without <>): then the day is
      // read from the raw object's author line, else its committer line (docs/security.md).
      let authorDay = try CalendarDate(parts[1]) ?? Self.rawDay(String(parts[0]), git: git)
      recordedDays[String(parts[0])] =
        try CalendarDate(parts[2]) ?? Self.rawDay(String(parts[0]), git: git, lines: ["committer", "author"])
      // git's own trailer parser; the first `Effective:` with a valid date counts.
      let values =
        parts.count > 3
        ? parts[3].split(separator: "\u{1d}").map { $0.trimmingCharacters(in: .whitespaces) } : []
      dates[String(parts[0])] = values.lazy.compactMap { CalendarDate($0) }.first ?? authorDay
    }
    let idPattern = try NSRegularExpression(pattern: "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
    func recommendations(_ commit: String) throws -> [String: Version] {
      var byID: [String: Version] = [:]
      let out = try git.run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", "Recommendations/"])
      for line in out.split(separator: "\0") {
        let tab = line.firstIndex(of: "\t")!
        let meta = line[..<tab].split(separator: " ")
        let path = String(line[line.index(after: tab)...])
        // docs/format.md §1, in git's own terms: a regular file (git shows 100644 or 100755;
        // a symbolic link is 120000) named <ID>.yml under Recommendations/.
        guard meta[1] == "blob", meta[0] == "100644" || meta[0] == "100755",
          path.hasPrefix("Recommendations/"),
          path.hasSuffix(".yml")
        else { continue }
        let name = (path as NSString).lastPathComponent
        let id = String(name.dropLast(4))
        guard idPattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil else { continue }
        let v = Version(path: path, blob: String(meta[2]), mode: String(meta[0]))
        if let existing = byID[id], existing.path < path { continue }
        byID[id] = v
      }
      return byID
    }
    var commits: [Commit] = []
    var previous: [String: Version] = [:]
    var blobs = Set<String>()
    for id in ids {
      let now = try recommendations(id)
      var changed: [String: Version?] = [:]
      for key in Set(now.keys).union(previous.keys) where now[key] != previous[key] {
        changed[key] = .some(now[key])
      }
      blobs.formUnion(now.values.map(\.blob))
      commits.append(Commit(id: id, date: dates[id]!, recorded: recordedDays[id]!, changed: changed))
      previous = now
    }
    self.commits = commits
    var fields: [String: Fields] = [:]
    let sortedBlobs = blobs.sorted()
    let batch = try git.runData(
      ["cat-file", "--batch"], input: Array((sortedBlobs.joined(separator: "\n") + "\n").utf8))
    var i = 0
    for blob in sortedBlobs {
      let headerStart = i
      while i < batch.count, batch[i] != 0x0A { i += 1 }
      let headerEnd = i
      let header = String(decoding: batch[headerStart..<headerEnd], as: UTF8.self)
      let size = Int(header.split(separator: " ").last!)!
      let text = String(decoding: batch[(headerEnd + 1)..<(headerEnd + 1 + size)], as: UTF8.self)
      i = headerEnd + 1 + size + 1
      fields[blob] = Self.readFields(text)
    }
    self.fields = fields
  }

  /// The day of the first of `lines` (`author`, `committer`) in `git cat-file commit` whose last
  /// two words are a time and an offset; 1970-01-01 when none is.
  static func rawDay(_ commit: String, git: GitCLI, lines: [String] = ["author", "committer"]) throws
    -> CalendarDate
  {
    let header = try git.run(["cat-file", "commit", commit]).components(separatedBy: "\n\n")[0]
    for key in lines {
      guard let line = header.split(separator: "\n").first(where: { $0.hasPrefix(key + " ") }) else {
        continue
      }
      let words = line.split(separator: " ")
      guard words.count >= 3, let time = Int64(words[words.count - 2]),
        let zone = Int(words.last!.dropFirst())
      else { continue }
      let minutes = (zone / 100 * 60 + zone % 100) * (words.last!.hasPrefix("-") ? -1 : 1)
      return CalendarDate(secondsSinceEpoch: time, offsetMinutes: minutes)
    }
    return CalendarDate(secondsSinceEpoch: 0, offsetMinutes: 0)
  }

  /// Reads top-level `key: value` lines by hand (the generator writes plain values only).
  static func readFields(_ text: String) -> Fields {
    var values: [String: String] = [:]
    for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":"), line.first != " ", line.first != "#" else { continue }
      values[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let tags =
      values["tags"].map {
        $0.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      } ?? []
    return Fields(
      status: values["status"].flatMap { $0.isEmpty ? nil : $0 }, owner: values["owner"],
      source: values["source"],
      tags: tags, due: values["due"].flatMap { CalendarDate($0) })
  }

  /// The state as of `date` by replaying every commit: ID -> version.
  public func snapshot(asOf date: CalendarDate) -> [String: Version] {
    var decided: [String: Version?] = [:]
    for commit in commits where commit.date <= date {
      for (id, version) in commit.changed { decided[id] = .some(version) }
    }
    return decided.compactMapValues { $0 }
  }

  /// Month-end counts for `statuses`, filtered by owner/tag/source like `progress`; plus overdue.
  public func counts(
    asOf date: CalendarDate, statuses: [String], terminal: Set<String>, owner: String? = nil,
    tag: String? = nil,
    source: String? = nil
  ) -> (counts: [Int], overdue: Int) {
    var counts = [Int](repeating: 0, count: statuses.count)
    var overdue = 0
    for version in snapshot(asOf: date).values {
      let f = fields[version.blob]!
      guard let status = f.status, let k = statuses.firstIndex(of: status) else { continue }
      if let owner, f.owner != owner { continue }
      if let source, f.source != source { continue }
      if let tag, !f.tags.contains(tag) { continue }
      counts[k] += 1
      if let due = f.due, due < date, status != "complete", !terminal.contains(status) { overdue += 1 }
    }
    return (counts, overdue)
  }
}

extension BruteForceHistory {
  /// docs/format.md §6 by brute force: clone the repository, check REV out, and read the checked-out
  /// history as sections 4 and 5 say. A day as REV is the commit nearest the tip of HEAD's
  /// first-parent chain whose committer day is on or before it; nil when there is none.
  public static func recorded(at rev: String, in repositoryPath: String) throws -> BruteForceHistory? {
    let git = GitCLI(directory: repositoryPath)
    var commit = rev
    if rev.count == 10, let day = CalendarDate(rev) {
      let out = try git.run(["log", "--first-parent", "--date=format:%Y-%m-%d", "--format=%H %cd", "HEAD"])
      let hit = out.split(separator: "\n").first { line in
        CalendarDate(String(line.split(separator: " ")[1])).map { $0 <= day } ?? false
      }
      guard let hit else { return nil }
      commit = String(hit.split(separator: " ")[0])
    }
    let sha = try git.run(["rev-parse", commit + "^{commit}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let scratch = try TemporaryDirectory(prefix: "rectrack-checkout")
    try GitCLI(directory: scratch.path).run(["clone", "-q", "--no-checkout", repositoryPath, "copy"])
    let copy = GitCLI(directory: scratch.path + "/copy")
    try copy.run(["checkout", "-q", "--detach", sha])
    return try BruteForceHistory(repositoryPath: scratch.path + "/copy")
  }

  /// The tip commit of this history (the checked-out REV).
  public var tip: String? { commits.last?.id }
}
