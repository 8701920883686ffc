/// A review meeting (a Police and Crime Panel sitting): an annotated tag `meeting/YYYY-MM-DD`.
///
/// Meetings live in git rather than a settings file so that every clone, push and fetch carries
/// the same calendar, and git can show who recorded each one (`git show meeting/2022-01-20`).
public struct Meeting: Codable, Sendable, Hashable {
  /// The meeting day: the day summaries are computed as of (docs/format.md §5).
  public var date: CalendarDate
  /// The tag message's first line, e.g. "Police, Fire and Crime Panel".
  public var title: String
  /// The rest of the tag message, when there is any.
  public var notes: String?
  /// The tag's name, e.g. `meeting/2022-01-20`.
  public var tag: String
  /// The commit the tag marks: what the repository held on the day (hex id).
  public var commit: String
  /// Who recorded the meeting, as "Name <email>" (nil for a lightweight tag).
  public var recordedBy: String?

  public init(
    date: CalendarDate, title: String, notes: String? = nil, tag: String, commit: String,
    recordedBy: String? = nil
  ) {
    self.date = date
    self.title = title
    self.notes = notes
    self.tag = tag
    self.commit = commit
    self.recordedBy = recordedBy
  }
}

/// Records and lists meetings. The library never prints: callers show the results.
public enum MeetingCalendar {
  /// Every meeting tag starts with this.
  public static let tagPrefix = "meeting/"

  /// `meeting/YYYY-MM-DD`.
  public static func tagName(for date: CalendarDate) -> String { tagPrefix + date.description }

  /// Every meeting recorded in the repository, oldest first. Tags under `meeting/` whose name is
  /// not a date are ignored: they are not meetings rectrack made.
  public static func list(in repo: TrackingRepository) throws(TrackingError) -> [Meeting] {
    let tags: [TagInfo]
    do {
      tags = try repo.git.tags(matching: tagPrefix + "*")
    } catch {
      throw .git(error)
    }
    var out: [Meeting] = []
    for t in tags {
      guard let date = CalendarDate(t.name.dropFirst(tagPrefix.count)), t.name.count == tagPrefix.count + 10
      else {
        continue
      }
      let (title, notes) = split(t.message ?? "")
      out.append(
        Meeting(
          date: date, title: title, notes: notes, tag: t.name, commit: t.commit.hex,
          recordedBy: t.tagger?.formatted))
    }
    return out.sorted { $0.date < $1.date }
  }

  /// The meeting on `date`, or nil.
  public static func meeting(on date: CalendarDate, in repo: TrackingRepository) throws(TrackingError)
    -> Meeting?
  {
    try list(in: repo).first { $0.date == date }
  }

  /// The latest meeting strictly before `date`: the one a summary compares with.
  public static func meeting(before date: CalendarDate, in repo: TrackingRepository) throws(TrackingError)
    -> Meeting?
  {
    try list(in: repo).last { $0.date < date }
  }

  /// Records a meeting as an annotated tag on the commit its paper is built from: `at` when
  /// given (a day means the last commit recorded on or before it, docs/format.md §6), else HEAD.
  /// Without `at`, a day before HEAD was recorded is refused: commits recorded since then were
  /// not in the paper, so the tag must name the commit it was built from.
  public static func add(
    date: CalendarDate, title: String, notes: String?, tagger: Signature, at: RecordedAt? = nil,
    in repo: TrackingRepository
  ) throws(TrackingError) -> Meeting {
    let cleanTitle = title.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingWhitespace
    guard !cleanTitle.isEmpty else {
      throw .usage("--title must not be empty, e.g. --title \"Police and Crime Panel\".")
    }
    let name = tagName(for: date)
    let commit = try commitForPaper(of: date, at: at, in: repo)
    var message = cleanTitle + "\n"
    if let notes, !notes.trimmingWhitespace.isEmpty { message += "\n" + notes.trimmingWhitespace + "\n" }
    let created: ObjectID?
    do {
      created = try repo.git.createAnnotatedTag(name, on: commit, tagger: tagger, message: message)
    } catch {
      throw .git(error)
    }
    guard created != nil else {
      throw .usage(
        "a meeting on \(date) is already recorded (tag \(name)). To change it: git tag -d \(name), then add it again."
      )
    }
    let (t, n) = split(message)
    return Meeting(
      date: date, title: t, notes: n, tag: name, commit: commit.hex, recordedBy: tagger.formatted)
  }

  /// The commit a meeting's tag marks (see `add`).
  static func commitForPaper(of date: CalendarDate, at: RecordedAt?, in repo: TrackingRepository)
    throws(TrackingError) -> ObjectID
  {
    switch at {
    case .commit(let id, _)?:
      return id
    case .day(let day)?:
      let history: RecommendationHistory
      do {
        history = try RecommendationHistory.load(from: repo.git, recordedAt: .day(day))
      } catch {
        throw .git(error)
      }
      guard let id = history.head else {
        throw .usage("no commit was recorded on or before \(day); name another day or a commit with --at.")
      }
      return id
    case nil:
      let found: ObjectID?
      do { found = try repo.git.head().commit } catch { throw .git(error) }
      guard let head = found else {
        throw .usage(
          "there is no commit to mark the meeting on. Record the recommendations first, then add the meeting."
        )
      }
      let info: CommitInfo
      do { info = try repo.git.commit(head) } catch { throw .git(error) }
      let recorded = info.committer.calendarDate
      if recorded <= date { return head }
      let history: RecommendationHistory
      do { history = try RecommendationHistory.load(from: repo.git, at: head) } catch { throw .git(error) }
      let position = history.position(recordedOnOrBefore: date)
      guard position >= 0 else {
        throw .usage(
          "there is no commit on or before \(date) to mark the meeting on. Record the recommendations first, "
            + "or check the date.")
      }
      throw .usage(
        "commits were recorded after \(date) (the latest on \(recorded)), so HEAD is not what the paper for "
          + "\(date) was built from. Name that commit with --at: --at \(date) for the last commit "
          + "recorded on or before that day (\(history.chain[position].id.short)), or --at COMMIT.")
    }
  }

  static func split(_ message: String) -> (title: String, notes: String?) {
    let text = message.replacingCRLF.trimmingWhitespace
    guard let newline = text.firstIndex(of: "\n") else { return (text, nil) }
    let notes = String(text[newline...]).trimmingWhitespace
    return (String(text[..<newline]).trimmingWhitespace, notes.isEmpty ? nil : notes)
  }
}
