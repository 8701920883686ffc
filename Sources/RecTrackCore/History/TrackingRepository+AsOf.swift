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
