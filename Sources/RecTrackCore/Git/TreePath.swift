import Foundation

/// The one rule for paths that come out of git objects (tree entries of a commit someone else
/// made): which of them rectrack may read as a recommendation, show, or write in a working tree.
///
/// A tree entry's name is whatever its author typed into `git mktree`: `.git`, `..`, `GIT~1`...
/// git itself refuses to check such trees out (its `verify_path`, `core.protectNTFS`,
/// `core.protectHFS`); rectrack applies the same rule, always, whatever the platform, so that a
/// commit pushed from anywhere is judged the same on every clone:
///
/// - no empty component, no absolute path, no `.` or `..`;
/// - no component that a file system may read as `.git`: any case (`.GIT`), with trailing dots or
///   spaces (`.git.`, `.git `), an NTFS stream (`.git::$INDEX_ALLOCATION`), the 8.3 short name
///   (`GIT~1`), or with code points HFS+ ignores (`.g\u{200C}it`);
/// - no backslash or control character (a path separator or worse on other systems).
///
/// A path through a symbolic link is checked where it matters: in a tree (`TreePath.problems`)
/// and in the working folder before writing (`Landing`).
public enum TreePath {
  /// Why `path` may not be used, or nil when it is safe. The message is for people.
  public static func problem(_ path: String) -> String? {
    if path.isEmpty { return "the path is empty" }
    // Plain names all the way (nearly every path): nothing to split or explain.
    if isPlainPath(path.utf8) { return nil }
    if path.hasPrefix("/") { return "it is an absolute path" }
    for component in path.split(separator: "/", omittingEmptySubsequences: false) {
      if let p = problem(component: Substring(component)) { return p }
    }
    return nil
  }

  /// True when `path` passes `problem(_:)`.
  public static func isSafe(_ path: String) -> Bool { problem(path) == nil }

  /// How many folders deep a path may go before it counts as unsafe: far deeper than any real
  /// layout (recommendations are read at most `RecommendationPath.maxFolderDepth` below their
  /// folder), and shallow enough that no reader recurses into a hostile tree 20,000 folders deep.
  public static let maxTreeDepth = RecommendationPath.maxFolderDepth + 8

  /// Why one path component (a tree entry's name) may not be used, or nil.
  public static func problem(component name: Substring) -> String? {
    if name.isEmpty { return "it has an empty folder name" }
    if isPlain(name.utf8) { return nil }
    if name == "." || name == ".." { return "it has a '\(name)' component, which points outside its folder" }
    for scalar in name.unicodeScalars {
      if scalar == "\\" { return "it contains a backslash, a folder separator on Windows" }
      if scalar.value < 0x20 || scalar.value == 0x7F { return "it contains a control character" }
    }
    if isGitFolderSpelling(name) {
      return "it names git's own folder (.git), which a commit must never write into"
    }
    return nil
  }

  /// Whether a name would be read as `.git` by some file system: case-insensitively, with HFS+'s
  /// ignorable code points removed, trailing dots and spaces and an NTFS stream suffix dropped,
  /// or as the 8.3 short name `GIT~1`.
  static func isGitFolderSpelling(_ name: Substring) -> Bool {
    var s = String(String.UnicodeScalarView(name.unicodeScalars.filter { !hfsIgnorable($0) })).lowercased()
    if let colon = s.firstIndex(of: ":") { s = String(s[..<colon]) }
    while let last = s.last, last == "." || last == " " { s.removeLast() }
    return s == ".git" || s == "git~1"
  }

  /// Code points HFS+ leaves out when it compares names (git's `is_hfs_dotgit` list).
  static func hfsIgnorable(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x200C...0x200F, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF: return true
    default: return false
    }
  }

  /// Same check on raw entry-name bytes (the history walk reads trees without making strings).
  static func isSafeComponent(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !bytes.isEmpty else { return false }
    if isPlain(bytes) { return true }
    return problem(component: Substring(String(decoding: bytes, as: UTF8.self))) == nil
  }

  /// Every `/`-separated component of `path` passes `isPlain` (so none is empty).
  private static func isPlainPath(_ path: String.UTF8View) -> Bool {
    var start = path.startIndex
    var i = start
    while true {
      if i == path.endIndex || path[i] == 0x2F {
        if !isPlain(path[start..<i]) { return false }
        if i == path.endIndex { return true }
        start = path.index(after: i)
      }
      i = path.index(after: i)
    }
  }

  /// The fast path of both checks: a non-empty plain ASCII name that does not start with '.',
  /// 'g' or 'G' and holds no control character or backslash cannot be a problem (nor any
  /// spelling of `.git`, which needs a '.' or a 'g' first once ignorable code points are gone).
  private static func isPlain<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
    guard let first = bytes.first, first != 0x2E && first != 0x67 && first != 0x47 else { return false }
    for b in bytes where b < 0x20 || b == 0x5C || b >= 0x7F { return false }
    return true
  }
}

extension Repository {
  /// Every path in `tree` that `TreePath` refuses, with why, plus entries reached through a
  /// symbolic link (a name that is a link in one entry and a folder in another). Whole tree.
  public func unsafePaths(inTree tree: ObjectID) throws(GitError) -> [(path: String, problem: String)] {
    try unsafePaths(from: nil, to: tree)
  }

  /// The unsafe paths `new` has that `old` does not have in the same place: only changed
  /// sub-folders are read, so checking one commit against its parent costs what it changed.
  public func unsafePaths(from old: ObjectID?, to new: ObjectID) throws(GitError)
    -> [(path: String, problem: String)]
  {
    try unsafePaths(from: old, to: new, differ: try TreeDiffer(self, scope: .everything))
  }

  /// `unsafePaths(from:to:)` with a differ (`.everything`) kept from one commit to the next: a
  /// walk then reads each version of a folder once (the audit).
  func unsafePaths(from old: ObjectID?, to new: ObjectID, differ: TreeDiffer) throws(GitError)
    -> [(path: String, problem: String)]
  {
    var out: [(path: String, problem: String)] = []
    try collectUnsafe(old, new, prefix: "", depth: 0, differ: differ, into: &out)
    return out
  }

  /// `TreePath.maxTreeDepth`, where the readers of a `Repository` look for it.
  public static var maxTreeDepth: Int { TreePath.maxTreeDepth }

  /// Why a path deeper than `maxTreeDepth` is unsafe (`unsafePaths`, `GitError.tooDeep`).
  public static var tooDeepProblem: String {
    "folders are nested more than \(maxTreeDepth) deep here, which no tracking repository needs"
  }

  private func collectUnsafe(
    _ old: ObjectID?, _ new: ObjectID, prefix: String, depth: Int, differ: TreeDiffer,
    into out: inout [(path: String, problem: String)]
  ) throws(GitError) {
    if old == new { return }
    if depth > Self.maxTreeDepth {
      out.append((prefix, Self.tooDeepProblem))
      return
    }
    // Only entries that differ are looked at (the one tree differ, a folder at a time): what
    // did not change was judged in the commit that brought it.
    var siblings: [TreeEntry]?
    for (name, was, now) in try differ.entries(from: old, to: new, at: String(prefix.dropLast())) {
      guard let now else { continue }
      let path = prefix + name
      if let p = TreePath.problem(component: Substring(name)) {
        out.append((path, p))
        continue
      }
      // A link next to a folder of the same name (in any case) would send the folder's files
      // through the link: checked when either of the two comes in.
      if now.isSymlink || (now.isTree && was == nil) {
        if siblings == nil { siblings = try treeEntries(new) }
        let folded = name.lowercased()
        if siblings!.contains(where: {
          $0.name != name && $0.name.lowercased() == folded
            && ($0.isSymlink ? now.isTree : $0.isTree && now.isSymlink)
        }) || siblings!.filter({ $0.name == name }).count > 1 {
          out.append(
            (
              path,
              "a symbolic link and a folder have the same name here, so a file would be written through it"
            ))
        }
      }
      if now.isTree {
        try collectUnsafe(
          was?.isTree == true ? was?.id : nil, now.id, prefix: path + "/", depth: depth + 1, differ: differ,
          into: &out)
      }
    }
  }
}

extension GitError {
  static let tooDeepFunction = "Repository.maxTreeDepth"

  /// A tree comparison refused at `path`, more than `Repository.maxTreeDepth` folders deep.
  static func tooDeep(at path: String) -> GitError {
    GitError(message: path, function: tooDeepFunction)
  }

  /// The path of a `tooDeep` error (`TrackingError.from` makes it an `unsafeTree` refusal).
  public var tooDeepPath: String? { function == Self.tooDeepFunction ? message : nil }
}
