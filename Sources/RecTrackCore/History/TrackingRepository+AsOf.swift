/// Reading the tracker as it stood on a past day (docs/format.md §5).
extension TrackingRepository {
  /// The recommendations as of `day`, from one walk of the first-parent history. A file whose
  /// content as of that day does not parse is left out and reported in `problems`.
  /// With `only`, just that recommendation's file is read (for `show`).
  public func catalog(asOf day: CalendarDate, only: String? = nil, history: RecommendationHistory? = nil)
    throws(TrackingError) -> Catalog
  {
    let h: RecommendationHistory
    if let history {
      h = history
    } else {
      do { h = try RecommendationHistory.load(from: git) } catch { throw .git(error) }
    }
    let versions = h.snapshot(asOf: day).filter { only == nil || $0.key == only }
      .map { FileVersion(id: $0.key, path: $0.value.path, blob: $0.value.blob) }
    return try catalog(versions)
  }
}

extension TrackingRepository {
  /// `catalog(asOf:only:)` on HEAD's history with the day's snapshot (which file version each
  /// recommendation had) remembered (`ReportCache`): a repeat for the same day on an unchanged
  /// HEAD reads the files it lists without reading the history, and so does a HEAD a few
  /// commits on whose changes are all dated after the day (the snapshot below it still holds).
  public func rememberedCatalog(asOf day: CalendarDate, only: String? = nil) throws(TrackingError) -> Catalog
  {
    let opened: (store: ReportCache, key: ReportKey, start: ObjectID)?
    do { opened = try ReportCache.open(git, for: "snapshot", at: nil) } catch { throw .git(error) }
    guard let (store, _, head) = opened else { return try catalog(asOf: day, only: only) }
    func key(_ commit: ObjectID) -> [UInt8] {
      var key = ReportKey("snapshot")
      key.oid(commit)
      key.text(day.description)
      return key.bytes
    }
    func read(_ commit: ObjectID) -> [FileVersion]? {
      store.read(key(commit)) { (r) throws(ByteReader.Truncated) -> [FileVersion] in
        let n = try r.count()
        var out: [FileVersion] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
          out.append(FileVersion(id: try r.string(), path: try r.string(), blob: try r.oid()))
        }
        return out
      }
    }
    func save(_ versions: [FileVersion]) {
      store.save(key(head)) { w, strings in
        w.u32(UInt32(versions.count))
        for v in versions {
          w.u32(strings.index(v.id))
          w.u32(strings.index(v.path))
          w.oid(v.blob)
        }
      }
    }
    let versions: [FileVersion]
    if let saved = read(head) {
      versions = saved
    } else {
      do {
        if let carried = try carriedSnapshot(asOf: day, below: head, read) {
          versions = carried
        } else {
          versions = try RecommendationHistory.load(from: git, at: head).snapshot(asOf: day)
            .sorted { $0.key < $1.key }.map {
              FileVersion(id: $0.key, path: $0.value.path, blob: $0.value.blob)
            }
        }
      } catch {
        throw .git(error)
      }
      save(versions)
    }
    return try catalog(only.map { id in versions.filter { $0.id == id } } ?? versions)
  }

  /// The snapshot of the nearest remembered commit below `head` (`ReportCache.nearestBelow`),
  /// when every commit since that changes a recommendation file is dated after `day`: then
  /// none of their changes counts on that day, and the snapshot is the same. nil otherwise.
  private func carriedSnapshot(
    asOf day: CalendarDate, below head: ObjectID, _ read: (ObjectID) -> [FileVersion]?
  ) throws(GitError) -> [FileVersion]? {
    guard let (below, _, saved) = ReportCache.nearestBelow(head, in: git, read),
      let dates = try RecommendationHistory.changeDates(git, from: head, downTo: below)
    else { return nil }
    return dates.allSatisfy { $0 > day } ? saved : nil
  }
}
