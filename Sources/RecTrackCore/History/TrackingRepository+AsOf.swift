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
  /// HEAD reads the files it lists without reading the history.
  public func rememberedCatalog(asOf day: CalendarDate, only: String? = nil) throws(TrackingError) -> Catalog
  {
    let opened: (store: ReportCache, key: ReportKey, start: ObjectID)?
    do { opened = try ReportCache.open(git, for: "snapshot", at: nil) } catch { throw .git(error) }
    guard var (store, key, head) = opened else { return try catalog(asOf: day, only: only) }
    key.text(day.description)
    let versions: [FileVersion]
    if let saved = store.read(
      key.bytes,
      { (r) throws(ByteReader.Truncated) -> [FileVersion] in
        let n = try r.count()
        var out: [FileVersion] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
          out.append(FileVersion(id: try r.string(), path: try r.string(), blob: try r.oid()))
        }
        return out
      })
    {
      versions = saved
    } else {
      let history: RecommendationHistory
      do { history = try RecommendationHistory.load(from: git, at: head) } catch { throw .git(error) }
      versions = history.snapshot(asOf: day).sorted { $0.key < $1.key }
        .map { FileVersion(id: $0.key, path: $0.value.path, blob: $0.value.blob) }
      store.save(key.bytes) { w, strings in
        w.u32(UInt32(versions.count))
        for v in versions {
          w.u32(strings.index(v.id))
          w.u32(strings.index(v.path))
          w.oid(v.blob)
        }
      }
    }
    return try catalog(only.map { id in versions.filter { $0.id == id } } ?? versions)
  }
}
