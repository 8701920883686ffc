/// Requests and replies as part of the record: each request `updates request` writes is an
/// annotated tag `updates/YYYY-MM-DD/<owner>` on the commit it was made from, its message saying
/// what was asked, of whom and by when; recording the returned sheet adds a tag
/// `updates/YYYY-MM-DD/<owner>.reply` (the same request day) on the commit after the reply, saying
/// when it came back and what it changed. Tags, like meetings, are what every clone shares
/// (`rectrack sync` pushes them) and git can show; they never change a recommendation's history.
/// This is the one reading and writing of those tags: `updates status` and the meeting paper use it.
public enum UpdateLog {
  public static let tagPrefix = "updates/"
  static let replySuffix = ".reply"

  /// One request as recorded.
  public struct Request: Sendable, Hashable, Codable {
    /// The tag, e.g. `updates/2024-01-10/head-of-partnerships`.
    public var tag: String
    public var owner: String
    /// Where it was addressed, when the owners directory had an email.
    public var email: String?
    public var askedOn: CalendarDate
    /// The day the reply is due: the `--before` day (the next meeting by default).
    public var replyBy: CalendarDate
    /// The recommendations asked about.
    public var items: [String]
    /// The commit the request (and its return sheet) was made from.
    public var madeFrom: String
    /// Who wrote the request, "Name <email>".
    public var askedBy: String?
    /// When the tag was made (seconds since 1970), to order requests of one day.
    public var time: Int64
  }

  /// One reply as recorded.
  public struct Reply: Sendable, Hashable, Codable {
    public var tag: String
    /// The request it answers (its tag).
    public var request: String
    public var returnedOn: CalendarDate
    public var recorded: Int
    public var unchanged: Int
    public var notRecorded: Int
    /// The commit the tag marks: the tip after the reply's changes were recorded.
    public var commit: String
    public var time: Int64
  }

  /// The tag of a request (without the `-2`, `-3` a second request of the day gets).
  public static func tagName(day: CalendarDate, owner: String) -> String {
    tagPrefix + day.description + "/" + UpdateRequests.fileStem(for: owner)
  }

  /// Records one tag per owner request on the commit the requests were made from. A request
  /// already recorded today for the same owner, commit and items is not recorded again (running
  /// the same command twice asks once); a different one gets the next free name (`-2`).
  /// - Returns: the tag of each owner's request, by owner.
  public static func record(_ requests: UpdateRequests, tagger: Signature, in repo: TrackingRepository)
    throws(TrackingError) -> [String: String]
  {
    guard let commit = ObjectID(hex: requests.madeFrom) else { return [:] }
    let existing = try self.requests(in: repo)
    var out: [String: String] = [:]
    for r in requests.requests {
      let items = r.items.map(\.id)
      if let same = existing.last(where: {
        $0.askedOn == requests.today && $0.owner == r.owner && $0.madeFrom == requests.madeFrom
          && $0.items == items && $0.replyBy == requests.before
      }) {
        out[r.owner] = same.tag
        continue
      }
      var lines = [
        "Update request to \(r.owner)", "", "Owner: \(r.owner)",
      ]
      if let email = r.email { lines.append("To: \(email)") }
      lines += [
        "Asked-on: \(requests.today)", "Reply-by: \(requests.before)",
        "Items: \(items.joined(separator: ", "))",
      ]
      let message = lines.joined(separator: "\n") + "\n"
      let base = tagName(day: requests.today, owner: r.owner)
      var n = 1
      while true {
        let name = n == 1 ? base : "\(base)-\(n)"
        let created: ObjectID?
        do {
          created = try repo.git.createAnnotatedTag(name, on: commit, tagger: tagger, message: message)
        } catch {
          throw .git(error)
        }
        if created != nil {
          out[r.owner] = name
          break
        }
        n += 1
      }
    }
    return out
  }

  /// `Key: value` lines of a tag message after its first line.
  static func fields(_ message: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in message.split(separator: "\n").dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingWhitespace
      let value = line[line.index(after: colon)...].trimmingWhitespace
      if out[key] == nil { out[key] = value }
    }
    return out
  }

  static func tags(in repo: TrackingRepository) throws(TrackingError) -> [TagInfo] {
    do { return try repo.git.tags(matching: tagPrefix + "*") } catch { throw .git(error) }
  }

  /// Every request recorded, oldest first. Tags under `updates/` that rectrack did not make
  /// (no `Asked-on:` day) are ignored.
  public static func requests(in repo: TrackingRepository) throws(TrackingError) -> [Request] {
    try requests(from: tags(in: repo))
  }

  static func requests(from tags: [TagInfo]) -> [Request] {
    var out: [Request] = []
    for t in tags where !t.name.hasSuffix(replySuffix) {
      let f = fields(t.message ?? "")
      guard let owner = f["Owner"], let asked = f["Asked-on"].flatMap({ CalendarDate($0) }),
        let by = f["Reply-by"].flatMap({ CalendarDate($0) })
      else { continue }
      let items = (f["Items"] ?? "").split(separator: ",").map { $0.trimmingWhitespace }.filter {
        !$0.isEmpty
      }
      out.append(
        Request(
          tag: t.name, owner: owner, email: f["To"], askedOn: asked, replyBy: by, items: items,
          madeFrom: t.commit.hex, askedBy: t.tagger?.formatted, time: t.tagger?.time ?? 0))
    }
    return out.sorted { ($0.askedOn, $0.time, $0.tag) < ($1.askedOn, $1.time, $1.tag) }
  }

  /// Every request and every reply recorded (each oldest first), from one read of the `updates/` tags.
  public static func record(in repo: TrackingRepository) throws(TrackingError) -> (
    requests: [Request], replies: [Reply]
  ) {
    let tags = try tags(in: repo)
    return (requests(from: tags), replies(from: tags))
  }

  static func replies(from tags: [TagInfo]) -> [Reply] {
    var out: [Reply] = []
    for t in tags where t.name.hasSuffix(replySuffix) {
      let f = fields(t.message ?? "")
      guard let request = f["Request"], let day = f["Returned-on"].flatMap({ CalendarDate($0) }) else {
        continue
      }
      out.append(
        Reply(
          tag: t.name, request: request, returnedOn: day, recorded: f["Recorded"].flatMap { Int($0) } ?? 0,
          unchanged: f["Unchanged"].flatMap { Int($0) } ?? 0,
          notRecorded: f["Not-recorded"].flatMap { Int($0) } ?? 0, commit: t.commit.hex,
          time: t.tagger?.time ?? 0))
    }
    return out.sorted { ($0.returnedOn, $0.time) < ($1.returnedOn, $1.time) }
  }

  /// The request a returned sheet answers: the latest one to `owner` (any case) made from
  /// `madeFrom`. Nil when there is none (the sheet was written with `--dry-run`).
  public static func request(owner: String, madeFrom: String, in repo: TrackingRepository)
    throws(TrackingError) -> Request?
  {
    let key = owner.trimmingWhitespace.lowercased()
    return try requests(in: repo).last {
      $0.madeFrom == madeFrom.lowercased() && $0.owner.trimmingWhitespace.lowercased() == key
    }
  }

  /// Records the reply to `request` on the current tip. The first reply counts: when the request
  /// already has one, nothing is recorded and nil is returned.
  public static func recordReply(
    to request: Request, returned: CalendarDate, recorded: Int, unchanged: Int, notRecorded: Int,
    tagger: Signature, in repo: TrackingRepository
  ) throws(TrackingError) -> String? {
    let name = request.tag + replySuffix
    let head: ObjectID?
    do { head = try repo.git.head().commit } catch { throw .git(error) }
    guard let head else { return nil }
    let message =
      [
        "Reply from \(request.owner)", "", "Request: \(request.tag)", "Returned-on: \(returned)",
        "Recorded: \(recorded)", "Unchanged: \(unchanged)", "Not-recorded: \(notRecorded)",
      ].joined(separator: "\n") + "\n"
    do {
      return try repo.git.createAnnotatedTag(name, on: head, tagger: tagger, message: message) == nil
        ? nil : name
    } catch {
      throw .git(error)
    }
  }

  /// Where one owner stands: their latest request and its reply.
  public struct OwnerStatus: Sendable, Hashable, Codable {
    public var owner: String
    public var askedOn: CalendarDate
    public var items: Int
    public var replyBy: CalendarDate
    /// The day the reply came back (nil: no reply recorded).
    public var repliedOn: CalendarDate?
    /// No reply by the reply-by day, or a reply after it.
    public var late: Bool
    public var request: String
  }

  /// The latest request to each owner and its reply, by owner name, as of `today`.
  /// - Parameter since: only requests asked on or after this day (nil: every request).
  public static func status(
    requests: [Request], replies: [Reply], today: CalendarDate, since: CalendarDate? = nil
  ) -> [OwnerStatus] {
    var latest: [String: Request] = [:]
    for r in requests where r.askedOn <= today && since.map({ r.askedOn >= $0 }) ?? true {
      latest[r.owner] = r  // requests are oldest first
    }
    let firstReply = Dictionary(replies.map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
    return latest.values.sorted { $0.owner < $1.owner }.map { r in
      let replied = firstReply[r.tag].map(\.returnedOn).flatMap { $0 <= today ? $0 : nil }
      let late = replied.map { $0 > r.replyBy } ?? (today > r.replyBy)
      return OwnerStatus(
        owner: r.owner, askedOn: r.askedOn, items: r.items.count, replyBy: r.replyBy, repliedOn: replied,
        late: late, request: r.tag)
    }
  }
}
