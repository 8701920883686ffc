import Foundation
import Mustache

/// `rectrack record`: commits edits made by hand to recommendation files, templates and
/// `rectrack.yml`, as a rectrack change (trailers, the same rules as every other change).
extension Recorder {
  /// The paths `record` may commit: files under `Recommendations/` and `Templates/`, and `rectrack.yml`.
  public static func isRecordable(_ path: String) -> Bool {
    path == Settings.fileName || path.hasPrefix(TrackingRepository.folder + "/")
      || path.hasPrefix(TrackingRepository.templatesFolder + "/")
  }

  /// Validates every file (all of them, before anything is written) and commits them as one
  /// change with `note` as its body. `paths` are relative to the top of the working tree.
  /// Refuses the whole set when one file is invalid, outside the recordable folders, missing, or
  /// when a rule refuses the change; the edits are then left in the working tree as they were.
  public func recordHandEdits(paths: [String], note: String, reopen: Bool = false, author: Signature)
    throws(TrackingError) -> RecordedChange
  {
    guard let workdir = repo.workdir else { throw .bareRepository("recording hand edits") }
    guard !note.trimmingWhitespace.isEmpty else {
      throw .usage("record needs --note saying what was edited and why.")
    }
    var seen = Set<String>()
    let unique = paths.filter { seen.insert($0).inserted }
    for p in unique where !Self.isRecordable(p) || p.split(separator: "/").contains("..") {
      throw .usage(
        "\(p) is not a file rectrack records: give files under Recommendations/ or Templates/, or rectrack.yml."
      )
    }
    var files: [(path: String, text: String)] = []
    for p in unique {
      guard let data = FileManager.default.contents(atPath: workdir + p) else {
        throw .usage("\(p) does not exist in the working folder; record only files that are there.")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw .usage("\(p) is not UTF-8 text; save it as UTF-8 and run again.")
      }
      files.append((p, text))
    }
    // The workflow the files must follow: the new rectrack.yml's when it is recorded too.
    var workflow = repo.workflow
    var problems: [FormatError] = []
    if let s = files.first(where: { $0.path == Settings.fileName }) {
      let settings = try Settings(yaml: s.text)
      _ = try AuditSettings(settingsText: s.text, workflow: settings.workflow)
      workflow = settings.workflow
    }
    for f in files
    where f.path.hasPrefix(TrackingRepository.templatesFolder + "/") && f.path.hasSuffix(".mustache") {
      do { _ = try MustacheTemplate(string: f.text) } catch {
        throw .template(name: f.path, message: "\(error)")
      }
    }
    var recommendations: [(id: String, path: String, doc: RecommendationDocument)] = []
    for f in files where f.path.hasPrefix(TrackingRepository.folder + "/") && f.path.hasSuffix(".yml") {
      let name = String(f.path.split(separator: "/").last ?? "")
      guard let id = RecommendationPath.id(fromFileName: name) else {
        throw .usage("\(f.path) is not named after a recommendation ID (e.g. DP-DDR-01.yml).")
      }
      do {
        let doc = try RecommendationDocument(text: f.text, path: f.path)
        problems += doc.validate(expectedID: id, statuses: workflow.statuses).filter { $0.severity == .error }
        recommendations.append((id, f.path, doc))
      } catch {
        problems.append(error)
      }
    }
    if !problems.isEmpty { throw .invalidFiles(problems) }
    // commitFiles takes the lock and lands the commit on the current tip by compare-and-swap.
    do {
      let parent = try repo.headCommit()
      // Only files that differ from HEAD are recorded.
      var changed: [(path: String, text: String)] = []
      var old: [String: RecommendationDocument] = [:]
      do throws(GitError) {
        let tree = try parent.map { (p) throws(GitError) -> ObjectID in try repo.git.commit(p).tree }
        for f in files {
          let e = try tree.flatMap { (t) throws(GitError) -> TreeEntry? in
            try repo.git.entry(at: f.path, inTree: t)
          }
          let before = try e.map { (e) throws(GitError) -> [UInt8] in try repo.git.blob(e.id) }
          if before != Array(f.text.utf8) { changed.append(f) }
          if let before { old[f.path] = try? RecommendationDocument(bytes: before, path: f.path) }
        }
      } catch {
        throw .git(error)
      }
      // Who may change the rules themselves: the commissioner's office, when roles are set.
      if changed.contains(where: { $0.path == Settings.fileName }) {
        let current = try AuditSettings(settingsText: repo.settings.text, workflow: repo.workflow)
        if !current.roles.isEmpty, !current.isCommissioner(author.email) {
          let office = current.roles.first { $0.name == AuditSettings.commissionerRole }?.people ?? []
          throw .ruleRefused(
            rule: AuditRule.settingsChanged.rawValue,
            message:
              "only the commissioner's office (role 'commissioner': \(office.joined(separator: ", "))) "
              + "may change rectrack.yml; \(author.formatted) may not. Ask someone in that role to record it")
        }
      }
      guard !changed.isEmpty else {
        throw .nothingToChange(
          "\(unique.joined(separator: ", ")) \(unique.count == 1 ? "is" : "are") as committed.")
      }
      let message = Self.handEditMessage(
        changed.map(\.path),
        recommendations: recommendations.filter { r in changed.contains { $0.path == r.path } },
        old: old, note: note, reopen: reopen)
      let commit = try commitFiles(changed, author: author, message: message)
      return RecordedChange(commit: commit, path: changed[0].path, message: message, attempts: 1)
    }
  }

  /// Summary, note and trailers of a hand edit, as rectrack's other changes write them.
  static func handEditMessage(
    _ paths: [String], recommendations: [(id: String, path: String, doc: RecommendationDocument)],
    old: [String: RecommendationDocument], note: String, reopen: Bool
  ) -> CommitMessage {
    var trailers: [(key: String, value: String)] = recommendations.map { ("Recommendation", $0.id) }
    var summary = paths.joined(separator: ", ") + ": edited by hand"
    if recommendations.count == 1, let r = recommendations.first {
      let before = old[r.path]
      let from = before?["status"]?.text ?? "none"
      let to = r.doc["status"]?.text ?? "none"
      var parts: [String] = []
      if from != to {
        trailers.append(("Status", "\(from) -> \(to)"))
        parts.append("\(from) -> \(to)")
        if reopen { trailers.append(("Reopened", "yes")) }
      }
      let oldDue = before?["due"]?.text ?? "none"
      let newDue = r.doc["due"]?.text ?? "none"
      if before != nil, oldDue != newDue {
        trailers.append(("Due", "\(oldDue) -> \(newDue)"))
        trailers.append(("Reason", note))
        parts.append("due \(oldDue) -> \(newDue)")
      }
      parts.append("edited by hand")
      summary = "\(r.id): " + parts.joined(separator: "; ")
      if paths.count > 1 { summary += " (with \(paths.count - 1) other file\(paths.count == 2 ? "" : "s"))" }
    }
    trailers.append(("Recorded-Files", paths.joined(separator: ", ")))
    return CommitMessage(summary: summary, body: note, trailers: trailers)
  }
}

extension TrackingRepository {
  /// `rectrack.yml` and files under `Templates/` whose working copy differs from what is committed.
  public func uncommittedSettingsPaths() -> [String] {
    var out: [String] = []
    if (try? git.hasUncommittedChanges(at: Settings.fileName)) == true { out.append(Settings.fileName) }
    // A NAME.new written by 'rectrack templates refresh' beside an edited template is not one.
    out += ((try? git.changedPaths(under: Self.templatesFolder)) ?? []).filter {
      !$0.hasSuffix(TemplateStore.newCopySuffix)
    }
    return out
  }
}
