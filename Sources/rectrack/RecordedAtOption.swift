import ArgumentParser
import RecTrackCore

/// `--recorded-at REV` (docs/format.md §6), shared by every read command: read the history as it
/// was recorded at a day, a tag, a branch or a commit instead of HEAD's.
struct RecordedAtOption: ParsableArguments {
  @Option(
    name: .customLong("recorded-at"),
    help: ArgumentHelp(
      "Read the history as it was recorded at REV: a day (the last commit made on or before it), "
        + "a tag such as meeting/2022-01-20, a branch or a commit. Default: HEAD.",
      valueName: "REV"))
  var recordedAt: String?

  var isGiven: Bool { recordedAt != nil }

  /// What --recorded-at names, or nil without it; a name that resolves to nothing is exit 2.
  func revision(_ repo: TrackingRepository) throws(TrackingError) -> RecordedAt? {
    guard let recordedAt else { return nil }
    return try RecordedAt.parse(recordedAt, in: repo.git)
  }

  /// The one history walk of the command: HEAD's, or as recorded at REV.
  /// With `onlyID`, the history may hold that recommendation's changes alone (`log ID`).
  func history(
    _ repo: TrackingRepository, readingContents: Bool = false, usingCache: Bool = true, onlyID: String? = nil
  )
    throws(TrackingError) -> RecommendationHistory
  {
    let rev = try revision(repo)
    do {
      return try RecommendationHistory.load(
        from: repo.git, recordedAt: rev, readingContents: readingContents, usingCache: usingCache,
        onlyID: onlyID)
    } catch {
      throw .git(error)
    }
  }

  /// The repository as the command reads it: HEAD's (with the warning about uncommitted working
  /// files), or pinned at REV's commit with the matching history. `needsHistory` walks even for
  /// a commit REV (for --as-of); a day always walks HEAD's chain to find its commit.
  func open(
    _ repo: TrackingRepository, needsHistory: Bool, readingContents: Bool = false, warn: Bool = true,
    usingCache: Bool = true
  ) throws(TrackingError) -> (repo: TrackingRepository, history: RecommendationHistory?) {
    guard let rev = try revision(repo) else {
      if warn { warnAboutUncommitted(repo) }
      guard needsHistory else { return (repo, nil) }
      do {
        return (
          repo,
          try RecommendationHistory.load(
            from: repo.git, readingContents: readingContents, usingCache: usingCache)
        )
      } catch {
        throw .git(error)
      }
    }
    if case .commit(let id, _) = rev, !needsHistory {
      return (try TrackingRepository(repository: repo.git, pinnedAt: id), nil)
    }
    let history: RecommendationHistory
    do {
      history = try RecommendationHistory.load(
        from: repo.git, recordedAt: rev, readingContents: readingContents, usingCache: usingCache)
    } catch {
      throw .git(error)
    }
    return (try repo.reading(recordedAt: history), history)
  }
}

/// The state list, show and export read: the catalog as of a day or of the recorded tip.
struct ReadState {
  var repo: TrackingRepository
  var catalog: Catalog
  /// The history walked for --as-of (nil when none was needed).
  var history: RecommendationHistory?
  /// The full commit id the reads came from (nil: nothing recorded yet).
  var recordedAt: String?

  static func read(
    _ base: TrackingRepository, asOf: AsOfOption, recordedAt: RecordedAtOption, only id: String? = nil
  ) throws(TrackingError) -> ReadState {
    // One recommendation of HEAD: the warning about uncommitted edits looks at its files only.
    let one = id != nil && asOf.asOf == nil && !recordedAt.isGiven
    // A past day of HEAD's history: its snapshot is remembered (the history is read on a miss).
    let remembered = asOf.asOf != nil && !recordedAt.isGiven && !asOf.cache.noCache
    // All of HEAD: the folder's check for uncommitted edits runs while the files are read.
    let check = asOf.asOf == nil && id == nil && !recordedAt.isGiven ? UncommittedCheck(base) : nil
    defer { check?.finish() }  // said before anything about the files read, as before
    let (repo, history) = try recordedAt.open(
      base, needsHistory: asOf.asOf != nil && !remembered, warn: asOf.asOf == nil && !one && check == nil,
      usingCache: !asOf.cache.noCache)
    let catalog: Catalog
    if remembered {
      catalog = try repo.rememberedCatalog(asOf: try asOf.day(), only: id)
    } else if asOf.asOf != nil {
      catalog = try repo.catalog(asOf: try asOf.day(), only: id, history: history)
    } else if let id {
      // HEAD: just this file, found by name (the caller reads them all when it is not there).
      catalog = try repo.headCatalog(only: id)
      if one {
        let files = Set(catalog.recommendations.map(\.file) + catalog.problems.map(\.path))
        warnAboutUncommitted(repo, among: files.sorted())
      }
    } else {
      catalog = try repo.headCatalog()
    }
    return ReadState(repo: repo, catalog: catalog, history: history, recordedAt: try repo.recordedAt?.hex)
  }
}
