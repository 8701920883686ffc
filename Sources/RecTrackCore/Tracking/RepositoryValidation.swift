import Foundation

/// The result of `rectrack validate`.
public struct ValidationReport: Sendable {
  public var filesChecked: Int
  public var problems: [FormatError]
  /// Whether the working files were checked (false: HEAD's committed files, e.g. a bare repository).
  public var checkedWorkingTree: Bool

  public var errorCount: Int { problems.filter { $0.severity == .error }.count }
  public var warningCount: Int { problems.filter { $0.severity == .warning }.count }
}

extension TrackingRepository {
  /// Largest recommendation file accepted; a larger one is reported, not read.
  public static let maximumFileSize = 1 << 20

  /// Checks every recommendation file and `rectrack.yml`: the working files when there is a
  /// working tree (what the user is about to commit), else HEAD's.
  public func validate() throws(TrackingError) -> ValidationReport {
    let unsafe = try unsafeCommittedPaths()
    guard let workdir else {
      let (versions, extra) = try versions()
      let extraProblems = extra.filter { p in !unsafe.contains { $0.path == p.path } }
      let catalog = try catalog(versions, extraProblems: extraProblems)
      return ValidationReport(
        filesChecked: versions.count, problems: interruptedWork() + unsafe + catalog.problems,
        checkedWorkingTree: false)
    }
    var problems = interruptedWork() + unsafe
    var count = 0
    var seen: [String: String] = [:]
    var supersededBy: [(path: String, line: Int, target: String)] = []
    let statuses: [String]
    // Check the working settings file first: its workflow is what the files must follow.
    let settingsURL = URL(fileURLWithPath: workdir + Settings.fileName)
    if let data = FileManager.default.contents(atPath: settingsURL.path) {
      do {
        statuses = try Settings(yaml: String(decoding: data, as: UTF8.self)).workflow.statuses
      } catch {
        problems.append(
          FormatError(
            path: Settings.fileName, line: 1, column: 1, severity: .error, message: error.description,
            hint: "see the README's settings section", sourceLine: nil))
        statuses = workflow.statuses
      }
    } else {
      statuses = workflow.statuses
    }
    let root = URL(fileURLWithPath: workdir + Self.folder).resolvingSymlinksInPath()
    let rootPath = root.path
    for rel in Self.workingFiles(under: workdir + Self.folder) {
      let path = Self.folder + "/" + rel
      let full = workdir + path
      let attrs = try? FileManager.default.attributesOfItem(atPath: full)
      let isLink = attrs?[.type] as? FileAttributeType == .typeSymbolicLink
      // The same rule as for committed trees (`RecommendationPath`), with the working file's type.
      switch RecommendationPath.classify(path: path, mode: isLink ? 0o120000 : 0o100644) {
      case .other: continue
      case .notAnID:
        problems += [FormatError.notCounted(path, .notAnID)].compactMap { $0 }
        continue
      case .recommendation, .notARegularFile: break
      }
      if isLink {
        let target = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
        let outside = !target.hasPrefix(rootPath + "/")
        problems.append(
          FormatError(
            path: path, line: 1, column: 1, severity: .error,
            message: outside
              ? "this is a symbolic link to \(target), outside Recommendations/; rectrack does not follow it"
              : "this is a symbolic link, not a recommendation file",
            hint: "replace the link with an ordinary file", sourceLine: nil))
        continue
      }
      count += 1
      if let size = attrs?[.size] as? Int, size > Self.maximumFileSize {
        problems.append(
          FormatError(
            path: path, line: 1, column: 1, severity: .error,
            message:
              "the file is \(size) bytes, more than the \(Self.maximumFileSize) a recommendation may have",
            hint: "move long evidence into a separate document and link to it", sourceLine: nil))
        continue
      }
      let id = Self.id(ofPath: path)
      if let other = seen[id] {
        problems.append(
          FormatError(
            path: path, line: 1, column: 1, severity: .error,
            message: "the ID \(id) is already used by \(other)",
            hint: "IDs must be unique across all sub-folders; rename one of the files and its id line",
            sourceLine: nil))
        continue
      }
      seen[id] = path
      guard let data = FileManager.default.contents(atPath: full) else {
        problems.append(
          FormatError(
            path: path, line: 1, column: 1, severity: .error, message: "the file cannot be read",
            hint: "check its permissions", sourceLine: nil))
        continue
      }
      do {
        let doc = try RecommendationDocument(bytes: data, path: path)
        problems += doc.validate(expectedID: id, statuses: statuses)
        if case .text(let target)? = doc["superseded-by"], !target.isEmpty {
          supersededBy.append((path, doc.line(of: "superseded-by") ?? 1, target))
        }
      } catch {
        problems.append(error)
      }
    }
    // A recommendation superseded by one that is not there points nowhere.
    for (path, line, target) in supersededBy where seen[target] == nil {
      problems.append(
        FormatError(
          path: path, line: line, column: 1, severity: .error,
          message: "superseded-by names \(target), but there is no recommendation \(target)",
          hint: "write the ID of the recommendation that replaces this one (rectrack list shows them)",
          sourceLine: nil))
    }
    return ValidationReport(filesChecked: count, problems: problems, checkedWorkingTree: true)
  }

  /// Entries of HEAD's tree that `TreePath` refuses (`.git`, `..`, ...): rectrack ignores them,
  /// but they are a danger to anyone who checks the commit out with other tools.
  func unsafeCommittedPaths() throws(TrackingError) -> [FormatError] {
    guard let head = try headCommit() else { return [] }
    do {
      return try git.unsafePaths(inTree: try git.commit(head).tree).map { u in
        FormatError(
          path: u.path, line: 1, column: 1, severity: .error,
          message: "the last commit's tree has this entry, and \(u.problem); rectrack ignores it",
          hint:
            "someone made that commit by hand: run 'rectrack audit' to see which, remove the entry with git (git rm -r --cached), and tell whoever administers the shared repository",
          sourceLine: nil)
      }
    } catch {
      throw .git(error)
    }
  }

  /// Paths (relative to `folder`) of every file below it, not following symbolic links, sorted.
  static func workingFiles(under folder: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
      let attrs = e.fileAttributes
      let type = attrs?[.type] as? FileAttributeType
      if type == .typeDirectory { continue }
      out.append(rel)
    }
    return out.sorted()
  }
}
