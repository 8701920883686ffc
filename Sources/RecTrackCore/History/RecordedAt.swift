/// `--recorded-at REV` (docs/format.md §6): which first-parent history a read uses.
///
/// The history *as recorded at* REV is REV's first-parent history; a day stands for the commit
/// nearest the tip of HEAD's chain whose committer day is on or before it. Both come from one
/// walk: a commit's own walk, or HEAD's walk cut after the day's commit.
public enum RecordedAt: Sendable, Hashable, CustomStringConvertible {
  /// A day: HEAD's chain up to the last commit recorded on or before it.
  case day(CalendarDate)
  /// A commit, tag or branch, resolved to a commit (`text` is what the user wrote).
  case commit(ObjectID, text: String)

  /// Reads what the user wrote: `YYYY-MM-DD` is a day; anything else is resolved as git does
  /// (`HEAD`, `main`, `meeting/2022-01-20`, a full or short commit id). Names nothing: exit 2.
  public static func parse(_ text: String, in repository: Repository, option: String = "--recorded-at")
    throws(TrackingError) -> RecordedAt
  {
    let t = text.trimmingWhitespace
    if t.utf8.count == 10,
      t.utf8.enumerated().allSatisfy({ i, c in
        (i == 4 || i == 7) ? c == 0x2D : (c >= 0x30 && c <= 0x39)
      })
    {
      guard let day = CalendarDate(t) else { throw .badDate(t, option: option) }
      return .day(day)
    }
    let id: ObjectID?
    do { id = t.isEmpty ? nil : try repository.resolve(t) } catch { id = nil }
    guard let id else {
      throw .usage(
        "\(option) '\(text)' names no commit, tag or branch here. Give a day (YYYY-MM-DD), a tag such as "
          + "meeting/2022-01-20, a branch or a commit id ('rectrack meeting list' shows the meetings' tags).")
    }
    return .commit(id, text: t)
  }

  public var description: String {
    switch self {
    case .day(let d): return d.description
    case .commit(_, let text): return text
    }
  }
}

extension RecommendationHistory {
  /// The history as recorded at `recordedAt` (HEAD's when nil), from one walk.
  public static func load(
    from repository: Repository, recordedAt: RecordedAt?, readingContents: Bool = false,
    usingCache: Bool = true, onlyID: String? = nil
  ) throws(GitError) -> RecommendationHistory {
    switch recordedAt {
    case nil:
      return try load(
        from: repository, readingContents: readingContents, usingCache: usingCache, onlyID: onlyID)
    case .commit(let id, _)?:
      return try load(
        from: repository, at: id, readingContents: readingContents, usingCache: usingCache, onlyID: onlyID)
    case .day(let day)?:
      let head = try load(
        from: repository, readingContents: readingContents, usingCache: usingCache, onlyID: onlyID)
      return head.recorded(atPosition: head.position(recordedOnOrBefore: day))
    }
  }
}

extension TrackingRepository {
  /// This repository read as recorded at `recordedAt`: its files, `rectrack.yml` and `Templates/`
  /// come from that commit (nil: HEAD). Used with the matching `RecommendationHistory`.
  public func reading(recordedAt history: RecommendationHistory) throws(TrackingError) -> TrackingRepository {
    try TrackingRepository(repository: git, pinnedAt: history.head)
  }
}
