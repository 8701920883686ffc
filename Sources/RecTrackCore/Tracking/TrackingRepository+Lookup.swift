/// Reading one recommendation of HEAD without reading the others (`show`, `status`, `update`).
extension TrackingRepository {
  /// The files of recommendation `id` in a commit's tree (HEAD when nil): `<ID>.yml` looked up by
  /// name in `Recommendations/` and each sub-folder, so no other file is listed, read or parsed
  /// (and, with the folders remembered in `FolderNames`, no folder that does not hold the name).
  /// Sorted by path; more than one means the ID is not unique. The same files `versions(at:)`
  /// lists under that ID.
  public func versions(of id: String, at commit: ObjectID? = nil) throws(TrackingError) -> [FileVersion] {
    let fileName = id + ".yml"
    guard RecommendationPath.id(fromFileName: fileName) == id else { return [] }
    let start: ObjectID? = if let commit { commit } else { try headCommit() }
    guard let c = start else { return [] }
    do throws(GitError) {
      let tree = try git.commit(c).tree
      return try git.entries(named: fileName, under: Self.folder, inTree: tree, remembering: folderNames)
        .filter { e in
          TreePath.problem(e.path) == nil
            && RecommendationPath.isRecommendation(path: e.path, mode: e.entry.mode)
        }
        .map { FileVersion(id: id, path: $0.path, blob: $0.entry.id) }
    } catch {
      throw .git(error)
    }
  }

  /// HEAD's catalog of just recommendation `id` (as written, else in capitals, as `find` accepts
  /// it): its file or files parsed, nothing else. Empty when there is no such file; call
  /// `headCatalog()` then, for suggestions.
  public func headCatalog(only id: String) throws(TrackingError) -> Catalog {
    try Self.refusePathLike(id)
    var found = try versions(of: id)
    if found.isEmpty, id.uppercased() != id { found = try versions(of: id.uppercased()) }
    rememberFolders()
    return try catalog(found)
  }

  /// Writes the folders the lookups read for the next command (`FolderNames`). Reading commands
  /// call it after the lookup; the recorder only once a change has landed, so a refused command
  /// writes nothing at all.
  public func rememberFolders() { folderNames.save() }
}
