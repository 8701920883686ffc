import Foundation

/// A history of many commits written by one `git fast-import` process, instead of several git
/// processes per commit: the commits are collected as a stream, then imported at once.
///
/// Each commit lists its whole tree (`deleteall`, then every file), so a generator keeps the
/// files of each branch in memory and never touches a working folder until `run(in:)` checks
/// HEAD out.
public struct FastImport: Sendable {
  private var stream: [UInt8] = []
  private var marks = 0

  public init() {}

  /// How many commits the stream holds.
  public var count: Int { marks }

  /// Adds a commit to `branch` whose tree is exactly `files` (path -> text, written as given,
  /// mode 100644), after `parent` (a mark this returned; nil: the branch's last commit, or none)
  /// and, for a merge, `merged`, by `author` and `committer` (as `TestRepository.commit`) at
  /// `date` (ISO 8601 with offset, e.g. `2021-03-31T23:30:00-02:00`). Returns the commit's mark.
  @discardableResult
  public mutating func commit(
    branch: String, message: String, date: String, files: [String: String], parent: Int? = nil,
    merged: Int? = nil, author: String = TestRepository.author, committer: String = TestRepository.committer
  ) -> Int {
    marks += 1
    let when = Self.rawDate(date)
    append("commit refs/heads/\(branch)\nmark :\(marks)\n")
    append("author \(author) \(when)\ncommitter \(committer) \(when)\n")
    data(message)
    if let parent { append("from :\(parent)\n") }
    if let merged { append("merge :\(merged)\n") }
    append("deleteall\n")
    for path in files.keys.sorted() {
      append("M 100644 inline \(path)\n")
      data(files[path]!)
    }
    append("\n")
    return marks
  }

  /// Imports the stream into `repository` (one `git fast-import`), then checks HEAD out so the
  /// working folder and the index hold its files.
  public func run(in repository: TestRepository) throws {
    var input = stream
    input.append(contentsOf: Array("done\n".utf8))
    let r = try runProcessBytes(
      Hermetic.git, ["fast-import", "--quiet", "--done"], in: repository.path,
      environment: Hermetic.environment,
      stdin: input)
    guard r.status == 0 else { throw TestSupportError("git fast-import failed (\(r.status)): \(r.stderr)") }
    try repository.git.run(["reset", "-q", "--hard"])
  }

  private mutating func append(_ text: String) { stream.append(contentsOf: Array(text.utf8)) }

  private mutating func data(_ text: String) {
    let bytes = Array(text.utf8)
    append("data \(bytes.count)\n")
    stream.append(contentsOf: bytes)
    append("\n")
  }

  /// `2021-03-31T23:30:00-02:00` as fast-import's raw date: `1617240600 -0200`.
  static func rawDate(_ iso: String) -> String {
    let c = Array(iso.utf8)
    func number(_ range: Range<Int>) -> Int { Int(String(decoding: c[range], as: UTF8.self))! }
    precondition(c.count == 25, "a date with seconds and offset, such as 2021-03-31T23:30:00-02:00: \(iso)")
    var parts = DateComponents()
    (parts.year, parts.month, parts.day) = (number(0..<4), number(5..<7), number(8..<10))
    (parts.hour, parts.minute, parts.second) = (number(11..<13), number(14..<16), number(17..<19))
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0)!
    let sign = c[19] == UInt8(ascii: "-") ? -1 : 1
    let offset = sign * (number(20..<22) * 60 + number(23..<25))
    let local = Int(calendar.date(from: parts)!.timeIntervalSince1970)
    let hhmm = String(decoding: c[20..<22] + c[23..<25], as: UTF8.self)
    return "\(local - offset * 60) \(sign < 0 ? "-" : "+")\(hhmm)"
  }
}
