import Foundation

/// The copies of the built-in templates that earlier versions of rectrack wrote into a
/// repository's `Templates/` (`rectrack init` writes the built-in ones there), by git blob id.
///
/// A repository's own copy wins over the built-in template, so a repository made by an older
/// rectrack keeps the older paper until the copy is replaced; `rectrack templates refresh` does
/// that for the copies listed here (nobody edited them), and leaves any other copy alone.
///
/// The ids are every version of each file in this project's history (`Templates/NAME` before the
/// files moved, `Sources/RecTrackCore/Templates/Defaults/NAME` since) and of the string literals
/// that `BuiltinTemplates.swift` held before that. When a file of `Defaults/` changes, its
/// previous id (`git rev-parse HEAD:Sources/RecTrackCore/Templates/Defaults/NAME`) is added
/// here; a test compares this list with the project's git history and names any id missing.
enum OlderBuiltinTemplates {
  /// Template name -> blob ids of its older built-in versions (with the day each first appeared).
  static let blobs: [String: Set<String>] = [
    "new-recommendation.yml.mustache": [
      "c3cba6eba8db157f388ca6143112af2745b42e6a",  // 2026-11-22, first version
      "833102727b7cfe624a7fd89e7c221806b9c5db8a",  // 2026-11-22
    ],
    "summary.md.mustache": [
      "255d11c46bfb4d7ca957625c588e26e5a6ab7e93",  // 2026-11-22, first summary
      "f4cf9057fc75ac29ed5d8028d3b6411b5bc344fb",  // 2026-11-22
      "7eecddf3a0c268421231736d8889414fc2a3511b",  // 2026-12-01, panel paper
      "5a67d16b57e93b0ae1c3fd05d6f75975061be10a",  // 2026-12-01
      "8eda53e4e0e97c9dbc64956afd432ada0535b4ca",  // 2026-12-01, a commit hash in the front matter
      "acf60f73b0cc2b9455942b4ddeaca7479a104bdc",  // 2026-12-02, before "Updates asked of owners"
      "15232055c818c0e90f338ccb601c3375a0bcb37c",  // 2026-12-02, updates section (branch s16)
      "129d97cd087ba33445af46f5e536e94ccefbdd90",  // 2026-12-02, updates section (branch s16)
      "0549f36431e94734c1573fe6f7015bcc54dcf056",  // 2026-12-02, short commit ids in the body
      "b50a1101c5872f8bea1250b11e40d5c6d20f95cd",  // 2026-12-02, an ISO date in the figures heading
    ],
    "summary.html.mustache": [
      "a511d00ca422e2c9c9889b48c9174bc98dc7ccb4",  // 2026-11-22, first summary
      "1cc8a363c0f0a836fc7a4381d99db5d7d17fe581",  // 2026-11-22
      "b47c7c2b896276d8143c243851869c459758848e",  // 2026-12-01, panel paper
      "3a5ae5e1d516db8dde373265772995fd0a3960ad",  // 2026-12-01
      "1c64fc98928cf83bc9155ba71c75b06446c2c13c",  // 2026-12-01, a commit hash in the front matter
      "178529802410727de90b131c446ad98102920345",  // 2026-12-02, figures without a space
      "57bcb95c3695db20008bebf0b86953588b672b09",  // 2026-12-02, before "Updates asked of owners"
      "add5adc56fbbc6a73fff46759d94588407d047ff",  // 2026-12-02, updates section (branch s16)
      "423422d2ac870d5c530c7d3f9d40f5a2d6fffc71",  // 2026-12-02, short commit ids in the body
      "ed860f54ed0a4ce0d271728dd509838a50b07282",  // 2026-12-02, an ISO date in the figures heading
    ],
  ]
}

/// What a repository's copy of a template is, compared with rectrack's built-in templates.
public enum TemplateCopyState: String, Sendable, Codable {
  /// The same bytes as this rectrack's built-in template.
  case current
  /// A built-in template of an older rectrack, not edited since: safe to refresh.
  case older
  /// A copy of a built-in template that the office changed: kept as it is.
  case edited
  /// A template of the office's own; rectrack has none of this name.
  case own
  /// No copy in `Templates/`: the built-in template is used.
  case builtIn
}

/// One template as `rectrack templates status` lists it.
public struct TemplateCopy: Sendable {
  public var name: String
  /// `Templates/NAME`.
  public var path: String
  public var state: TemplateCopyState
  /// The copy's blob at HEAD (nil for `builtIn`).
  public var blob: ObjectID?
}

/// What `rectrack templates refresh` did (or, with `dryRun`, would do).
public struct TemplateRefresh: Sendable {
  /// The older built-in copies replaced by the current built-in templates.
  public var replaced: [String] = []
  /// The edited copies left as they were.
  public var kept: [String] = []
  /// For each kept copy, the file written next to it with the current built-in template
  /// (`Templates/NAME.new`), or nil when one with other content was already there (left alone).
  public var newCopies: [String: String?] = [:]
  /// The commit that replaced them (nil when nothing was replaced, or a dry run).
  public var commit: ObjectID?
}

extension TemplateStore {
  /// The suffix of the file `refresh` writes next to an edited copy.
  public static let newCopySuffix = ".new"

  /// Each template the repository has at HEAD (and each built-in one it has no copy of), by name.
  public func copies() throws(TrackingError) -> [TemplateCopy] {
    guard let head = try repo.headCommit() else {
      return BuiltinTemplates.all.keys.sorted().map {
        TemplateCopy(name: $0, path: Self.path($0), state: .builtIn, blob: nil)
      }
    }
    return try copies(at: head)
  }

  func copies(at commit: ObjectID) throws(TrackingError) -> [TemplateCopy] {
    let folder = TrackingRepository.templatesFolder
    var out: [TemplateCopy] = []
    do {
      let tree = try repo.git.commit(commit).tree
      var seen = Set<String>()
      for f in try repo.git.files(under: folder, inTree: tree) where f.entry.isBlob {
        let name = String(f.path.dropFirst(folder.count + 1))
        seen.insert(name)
        out.append(
          TemplateCopy(name: name, path: f.path, state: try state(name, f.entry.id), blob: f.entry.id))
      }
      for name in BuiltinTemplates.all.keys where !seen.contains(name) {
        out.append(TemplateCopy(name: name, path: Self.path(name), state: .builtIn, blob: nil))
      }
    } catch {
      throw .git(error)
    }
    return out.sorted { $0.name < $1.name }
  }

  private func state(_ name: String, _ blob: ObjectID) throws(GitError) -> TemplateCopyState {
    guard let builtIn = BuiltinTemplates.all[name] else { return .own }
    if try repo.git.blobID(of: Array(builtIn.utf8)) == blob { return .current }
    return OlderBuiltinTemplates.blobs[name, default: []].contains(blob.hex) ? .older : .edited
  }

  static func path(_ name: String) -> String { TrackingRepository.templatesFolder + "/" + name }

  /// One line for a command that renders `name` from a copy that is an older rectrack's built-in
  /// template, saying what to do; nil for any other template. `head`: the store at HEAD, when this
  /// one reads another commit (a meeting's paper as circulated keeps the templates of its commit).
  public func olderCopyNotice(forTemplate name: String, head: TemplateStore? = nil) -> String? {
    guard let copy = (try? copies())?.first(where: { $0.name == name }), copy.state == .older else {
      return nil
    }
    if let now = (try? head?.copies())?.first(where: { $0.name == name }), now.state != .older {
      return "\(copy.path) at the commit this paper is built from is an older rectrack's built-in template, "
        + "and the paper as circulated keeps it; Templates/ has changed since: --recorded-at HEAD "
        + "uses today's."
    }
    return "\(copy.path) is the built-in template of an older rectrack, so this paper lacks the sections "
      + "added since; run 'rectrack templates refresh' to replace it with the current one."
  }

  /// Replaces every copy that is an older built-in template with the current one, in one commit
  /// through the landing, and writes the current built-in next to each edited copy as
  /// `NAME.new` (never over a different file of that name). `dryRun`: changes nothing and
  /// reports what it would do. Refused, changing nothing, when a copy it would replace has edits
  /// in the working folder that are not committed.
  public func refresh(author: Signature, dryRun: Bool) throws(TrackingError) -> TemplateRefresh {
    var result = TemplateRefresh()
    let before = try copies()
    result.kept = before.filter { $0.state == .edited }.map(\.path)
    let older = before.filter { $0.state == .older }
    for c in older where (try? repo.git.hasUncommittedChanges(at: c.path)) == true {
      throw .usage(
        "\(c.path) has changes in the working folder that are not committed. Record them "
          + "(rectrack record \(c.path) --note \"why\") or undo them (git checkout -- \(c.path)), then run "
          + "again. Nothing was changed.")
    }
    if dryRun {
      result.replaced = older.map(\.path)
      for p in result.kept { result.newCopies[p] = p + Self.newCopySuffix }
      return result
    }
    if !older.isEmpty {
      let landed = try Recorder(repo: repo).landing.land(logMessage: "rectrack: templates refresh") {
        (tip, _) throws(TrackingError) -> Landing.Built<[String]> in
        // Decided again on the tip the commit is built on, in case someone changed a copy meanwhile.
        let now = try tip.map { (t) throws(TrackingError) in try copies(at: t) } ?? []
        let files = now.filter { $0.state == .older }.map { ($0.path, BuiltinTemplates.all[$0.name]!) }
        guard let tip, !files.isEmpty else { throw .usage("Another change replaced the templates first.") }
        let message = CommitMessage(
          summary:
            "Templates: the current built-in \(files.count == 1 ? "template" : "templates") of rectrack",
          body: "Replaces " + files.map(\.0).joined(separator: ", ")
            + ", unedited copies of an older rectrack's built-in templates (rectrack templates refresh).",
          trailers: [("Recorded-Files", files.map(\.0).joined(separator: ", "))])
        let recorder = Recorder(repo: repo)
        let checked = try recorder.checkRules(parent: tip, files: files, message: message, author: author)
        let commit = try recorder.buildCommit(parent: tip, files: files, author: author, message: checked)
        return Landing.Built(commit: commit, value: files.map(\.0))
      }
      result.replaced = landed.value
      result.commit = landed.commit
    }
    if let workdir = repo.workdir {
      for (p, name) in zip(result.kept, before.filter { $0.state == .edited }.map(\.name)) {
        let target = p + Self.newCopySuffix
        let text = Array(BuiltinTemplates.all[name]!.utf8)
        if let there = FileManager.default.contents(atPath: workdir + target), [UInt8](there) != text {
          result.newCopies[p] = .some(nil)
          continue
        }
        try AtomicFile.write(text, to: workdir + target)
        result.newCopies[p] = target
      }
    }
    return result
  }
}

extension BuiltinTemplatesForTests {
  /// The blob ids of a template's older built-in versions, for the test that checks them
  /// against the project's git history.
  package static func olderBlobs(_ name: String) -> Set<String> { OlderBuiltinTemplates.blobs[name] ?? [] }
}
