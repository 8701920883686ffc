import Foundation

/// `rectrack edit`: a person edits the whole committed file, the tool checks and records it.
///
/// The editor itself is the executable's business (it owns the terminal); this part reads the
/// committed text, says what is wrong with an edited text, and commits it as one change with
/// the same safety as `status` and `update`.
extension Recorder {
  /// The committed file of recommendation `id`: its path and exact text. Refuses when the working
  /// file has uncommitted edits, which the edit would otherwise silently drop.
  public func committedFile(id: String) throws(TrackingError) -> (path: String, text: String) {
    let catalog = try repo.headCatalog()
    let rec = try TrackingRepository.find(id, in: catalog)
    if try dirty(rec.file) { throw .uncommittedEdits(path: rec.file) }
    do {
      guard let head = try repo.git.head().commit,
        let entry = try repo.git.entry(at: rec.file, inTree: try repo.git.commit(head).tree)
      else { throw TrackingError.unknownID(id, suggestions: []) }
      return (rec.file, String(decoding: try repo.git.blob(entry.id), as: UTF8.self))
    } catch {
      throw TrackingError.from(error)
    }
  }

  /// What is wrong with `edited` as the new text of `path`, worded for the person editing it:
  /// format errors (file:line:col) and a status change the workflow does not allow. Empty when
  /// it can be recorded.
  public func problems(inEdited edited: String, original: String, path: String, reopen: Bool, hasNote: Bool)
    -> [String]
  {
    let id = TrackingRepository.id(ofPath: path)
    let doc: RecommendationDocument
    do { doc = try RecommendationDocument(text: edited, path: path) } catch { return [error.description] }
    let errors = doc.validate(expectedID: id, statuses: repo.workflow.statuses).filter {
      $0.severity == .error
    }
    if !errors.isEmpty { return errors.map(\.description) }
    let old = (try? RecommendationDocument(text: original, path: path))?["status"]?.text
    if let old, let new = doc["status"]?.text, old != new {
      do {
        try repo.workflow.checkTransition(id: id, from: old, to: new, reopen: reopen, hasNote: hasNote)
      } catch {
        return ["\(path): error: " + error.description]
      }
    }
    return []
  }

  /// Commits `edited` as the new text of recommendation `id`, provided the committed file is
  /// still `original` (otherwise someone changed it meanwhile and their change would be lost).
  /// Returns nil when the text is unchanged.
  public func recordEdit(
    id: String, original: String, edited: String, note: String?, effective: CalendarDate?, reopen: Bool,
    author: Signature
  ) throws(TrackingError) -> RecordedChange? {
    guard edited != original else { return nil }
    try Self.checkEffective(effective, author: author)
    return try change(id: id, author: author) { (doc, rec) throws(TrackingError) -> CommitMessage in
      guard doc.text == original else {
        throw .io(
          "\(id) was changed by someone else while you were editing it; your edit was not recorded. Run 'rectrack edit \(id)' again."
        )
      }
      let new: RecommendationDocument
      do throws(FormatError) { new = try RecommendationDocument(text: edited, path: rec.file) } catch {
        throw .invalidFile(error)
      }
      var trailers: [(key: String, value: String)] = [("Recommendation", id)]
      var parts: [String] = []
      let newStatus = new["status"]?.text ?? rec.status
      if newStatus != rec.status {
        try repo.workflow.checkTransition(
          id: id, from: rec.status, to: newStatus, reopen: reopen,
          hasNote: !(note ?? "").trimmingWhitespace.isEmpty)
        trailers.append(("Status", "\(rec.status) -> \(newStatus)"))
        parts.append("\(rec.status) -> \(newStatus)")
      }
      let oldDue = rec.due?.description ?? "none"
      let newDue = new["due"]?.text.flatMap { $0.isEmpty ? nil : $0 } ?? "none"
      if oldDue != newDue {
        trailers.append(("Due", "\(oldDue) -> \(newDue)"))
        if let note, !note.trimmingWhitespace.isEmpty { trailers.append(("Reason", note)) }
      }
      let keys = Set(doc.keys).union(new.keys)
      let changed = (new.keys + doc.keys.filter { !new.keys.contains($0) }).filter { k in
        keys.contains(k) && k != "status" && k != "due" && doc[k] != new[k]
      }
      if !changed.isEmpty { trailers.append(("Changed", changed.joined(separator: ", "))) }
      if let effective { trailers.append(("Effective", effective.description)) }
      if reopen && newStatus != rec.status { trailers.append(("Reopened", "yes")) }
      if oldDue != newDue { parts.append("due \(oldDue) -> \(newDue)") }
      if !changed.isEmpty { parts.append(changed.joined(separator: ", ") + " edited") }
      if parts.isEmpty { parts.append("comments and layout edited") }
      doc = new
      return CommitMessage(summary: "\(id): " + parts.joined(separator: "; "), body: note, trailers: trailers)
    }
  }
}
