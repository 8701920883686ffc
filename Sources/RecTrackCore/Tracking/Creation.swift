import Foundation

/// What staff give when they add a recommendation.
public struct NewRecommendation: Sendable {
  public var id: String
  public var title: String
  public var source: String
  public var owner: String
  public var raised: CalendarDate
  public var status: String?
  public var lead: String?
  public var due: CalendarDate?
  public var priority: String?
  public var tags: [String]
  public var description: String?
  /// Sub-folder of `Recommendations/` to put the file in (e.g. one per review), if any.
  public var folder: String?

  public init(
    id: String, title: String, source: String, owner: String, raised: CalendarDate, status: String? = nil,
    lead: String? = nil, due: CalendarDate? = nil, priority: String? = nil, tags: [String] = [],
    description: String? = nil, folder: String? = nil
  ) {
    self.id = id
    self.title = title
    self.source = source
    self.owner = owner
    self.raised = raised
    self.status = status
    self.lead = lead
    self.due = due
    self.priority = priority
    self.tags = tags
    self.description = description
    self.folder = folder
  }
}

extension Recorder {
  public static let newTemplateName = "new-recommendation.yml.mustache"

  /// Writes the new file from the `new-recommendation` template and commits it.
  public func create(_ new: NewRecommendation, note: String?, author: Signature) throws(TrackingError)
    -> RecordedChange
  {
    guard TrackingRepository.isValidID(new.id) else { throw .invalidID(new.id) }
    if let tooLong = Recommendation.newIDProblem(new.id) { throw .usage(tooLong + "; nothing was written.") }
    let status = new.status ?? repo.workflow.initial
    guard repo.workflow.statuses.contains(status) else {
      throw .unknownStatus(status, allowed: repo.workflow.statuses)
    }
    for (name, value) in [("--title", new.title), ("--source", new.source), ("--owner", new.owner)] {
      if value.trimmingWhitespace.isEmpty { throw .usage("\(name) must not be empty.") }
      if value.contains("\n") { throw .usage("\(name) must be a single line.") }
    }
    if let p = new.priority, !["high", "medium", "low"].contains(p) {
      throw .usage("--priority '\(p)' is not one of: high, medium, low.")
    }
    var folder = TrackingRepository.folder
    if let sub = new.folder?.trimmingCharacters(in: CharacterSet(charactersIn: "/")), !sub.isEmpty {
      let parts = sub.split(separator: "/")
      guard parts.allSatisfy({ $0 != ".." && $0 != "." && !$0.hasPrefix(".") }) else {
        throw .usage("--folder '\(sub)' must be a plain sub-folder name such as 2019-deep-dive.")
      }
      folder += "/" + sub
    }
    let path = folder + "/" + new.id + ".yml"

    func yaml(_ key: String, _ value: FieldValue) -> String {
      let line = RecommendationDocument.render([(key: key, value: value)])
      var body = String(line.dropFirst(key.count + 1))
      if body.hasPrefix(" ") { body.removeFirst() }
      if body.hasSuffix("\n") { body.removeLast() }
      return body
    }
    var context: [String: Any] = [
      "heading": new.source,
      "id": yaml("id", .text(new.id)),
      "title": yaml("title", .text(new.title)),
      "source": yaml("source", .text(new.source)),
      "raised": new.raised.description,
      "owner": yaml("owner", .text(new.owner)),
      "status": yaml("status", .text(status)),
    ]
    if let v = new.lead { context["lead"] = yaml("lead", .text(v)) }
    if let v = new.due { context["due"] = v.description }
    if let v = new.priority { context["priority"] = v }
    if !new.tags.isEmpty { context["tags"] = yaml("tags", .list(new.tags)) }
    if let v = new.description, !v.trimmingWhitespace.isEmpty {
      let text = v.hasSuffix("\n") ? v : v + "\n"
      context["description"] = yaml("description", .text(text))
    }
    // A YAML file, not HTML: no value may come out as `&amp;` (the values are already YAML).
    let text = try TemplateStore(repo: repo).render(
      named: Self.newTemplateName, context: context, asText: true)
    var trailers: [(key: String, value: String)] = [
      ("Recommendation", new.id), ("Status", "none -> \(status)"),
    ]
    if let due = new.due { trailers.append(("Due", "none -> \(due)")) }
    let message = CommitMessage(
      summary: "\(new.id): new recommendation (\(status))", body: note, trailers: trailers)
    return try create(id: new.id, path: path, text: text, author: author, message: message)
  }
}

extension TrackingRepository {
  /// Makes `path` a tracking repository: `git init` if needed, then commits a `rectrack.yml`
  /// and the default templates unless they are already there. Returns what it did.
  public static func initialise(
    at path: String, organisation: String?, authorOption: String?, roles: StarterRoles = StarterRoles()
  ) throws(TrackingError) -> (repo: TrackingRepository, created: [String]) {
    let git: Repository
    // What this run made, removed again if it fails: a failed init leaves nothing behind.
    var madeFolders: [String] = []
    var madeGit: String?
    let fm = FileManager.default
    do {
      if let existing = try? Repository(discoveringFrom: path),
        let wd = existing.workdir,
        URL(fileURLWithPath: wd).standardizedFileURL.path
          == URL(fileURLWithPath: path).standardizedFileURL.path
      {
        git = existing
      } else {
        var missing = URL(fileURLWithPath: path).standardizedFileURL
        while !fm.fileExists(atPath: missing.path) && missing.path != "/" {
          madeFolders.append(missing.path)
          missing.deleteLastPathComponent()
        }
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        madeGit = URL(fileURLWithPath: path).appendingPathComponent(".git").path
        git = try Repository.create(at: path)
      }
    } catch let e as GitError {
      undo(git: madeGit, folders: madeFolders)
      throw .git(e)
    } catch {
      undo(git: madeGit, folders: madeFolders)
      throw .io("could not create \(path): \(error.localizedDescription)")
    }
    do {
      return try commitStarterFiles(
        git: git, organisation: organisation, authorOption: authorOption, roles: roles)
    } catch {
      undo(git: madeGit, folders: madeFolders)
      throw error
    }
  }

  /// Removes a `.git` this run created and the folders it made for it (innermost first, only
  /// while empty).
  private static func undo(git: String?, folders: [String]) {
    let fm = FileManager.default
    if let git { try? fm.removeItem(atPath: git) }
    for f in folders where ((try? fm.contentsOfDirectory(atPath: f)) ?? ["?"]).isEmpty {
      try? fm.removeItem(atPath: f)
    }
  }

  private static func commitStarterFiles(
    git: Repository, organisation: String?, authorOption: String?, roles: StarterRoles
  ) throws(TrackingError) -> (repo: TrackingRepository, created: [String]) {
    let repo = try TrackingRepository(repository: git)
    var files: [(path: String, text: String)] = []
    let head = try repo.headCommit()
    func exists(_ p: String) throws(TrackingError) -> Bool {
      guard let head else { return false }
      do { return try git.entry(at: p, inTree: try git.commit(head).tree) != nil } catch { throw .git(error) }
    }
    if try !exists(Settings.fileName) {
      let fallback = (try? Signature.author(authorOption, repository: git)).flatMap {
        StarterRoles.domain(ofEmail: $0.email)
      }
      files.append(
        (
          Settings.fileName,
          Settings.starterText(organisation: organisation) + roles.yaml(officeFallback: fallback)
        ))
    }
    for (name, text) in BuiltinTemplates.all.sorted(by: { $0.key < $1.key }) {
      let p = templatesFolder + "/" + name
      if try !exists(p) { files.append((p, text)) }
    }
    if try !exists(folder + "/README.md") {
      files.append((folder + "/README.md", starterReadme))
    }
    guard !files.isEmpty else { return (repo, []) }
    let author = try Signature.author(authorOption, repository: git)
    let message = CommitMessage(
      summary: "Start tracking recommendations with rectrack",
      body: "Adds " + files.map(\.path).joined(separator: ", ") + ".")
    _ = try Recorder(repo: repo).commitFiles(files, author: author, message: message)
    return (try TrackingRepository(repository: git), files.map(\.path))
  }

  static let starterReadme = """
    # Recommendations

    One file per recommendation, named after its ID (for example `DP-DDR-01.yml`).
    Sub-folders (one per review) are allowed. Add files with `rectrack new` and change them with
    `rectrack status` and `rectrack update`, so that every change is recorded with who, when and why.

    """
}

extension Settings {
  /// The `rectrack.yml` that `init` writes: the default workflow spelled out, ready to adapt.
  static func starterText(organisation: String?) -> String {
    let org =
      organisation.map {
        "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
          + "\""
      }
      ?? "\"Office of the Police and Crime Commissioner\""
    let wf = Workflow.standard
    var lines = [
      "# rectrack settings. See the README for every key.",
      "organisation: \(org)",
      "",
      "# Statuses in report order; terminal ones count as finished.",
      "statuses: [\(wf.statuses.joined(separator: ", "))]",
      "terminal: [\(wf.statuses.filter { wf.terminal.contains($0) }.joined(separator: ", "))]",
      "initial: \(wf.initial)",
      "# Done by the force, awaiting the commissioner's verification: never counted overdue.",
      "awaiting-verification: \(wf.awaitingVerification ?? Workflow.defaultAwaitingVerification)",
      "",
      "# Allowed status changes. A status with no moves is final: leaving it needs --reopen and a note.",
      "transitions:",
    ]
    for s in wf.statuses {
      lines.append("  \(s): [\(wf.allowed(from: s).joined(separator: ", "))]")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension Settings {
  /// The starter text, for tests that check it reads back as the default workflow.
  package static func starterTextForTests(organisation: String?) -> String {
    starterText(organisation: organisation)
  }
}
