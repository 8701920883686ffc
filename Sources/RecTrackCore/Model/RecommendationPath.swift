/// The one rule for which entry of a git tree is a recommendation file (docs/format.md,
/// "Files"). Every reader of a tree calls it: the history walk, HEAD reads, the audit, sync,
/// `validate` of working files; so `list`, `list --as-of`, `progress`, `export`, `summary` and
/// `audit` always agree on what counts.
///
/// An entry is a recommendation file when all three hold:
/// - its path is `Recommendations/<name>`, in any depth of sub-folders;
/// - `<name>` is `<ID>.yml`, the ID matching `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`;
/// - it is a regular file: mode 100644 or 100755. The executable bit says nothing about the
///   content (files copied from some network shares get it), so both count. The old mode
///   100664, which early git wrote, is read as 100644, as git itself reads it.
///
/// Symbolic links (120000) never count, whatever they point to: a link's blob is a path, not
/// a recommendation, and following it would let a file outside `Recommendations/` count.
/// Submodules and folders never count either.
public enum RecommendationPath {
  /// The folder holding the recommendation files.
  public static let folder = "Recommendations"
  static let folderSlash = folder + "/"

  /// How many folders deep below `Recommendations/` rectrack looks for files. Deeper entries
  /// are not recommendations, in every reader (HEAD, the history walk, the audit), so a tree
  /// nested 20,000 folders deep is read without running out of stack and every report agrees.
  public static let maxFolderDepth = 64

  /// What a tree entry is, as far as rectrack is concerned.
  public enum Kind: Sendable, Hashable {
    /// A recommendation file, with the ID its name stands for.
    case recommendation(id: String)
    /// Under `Recommendations/` and named `<ID>.yml`, but a symbolic link or special file.
    case notARegularFile
    /// Under `Recommendations/`, named `*.yml`, but the name is not an ID (`draft.yml`).
    case notAnID
    /// Anything else: outside the folder, another extension, a folder.
    case other
  }

  /// Classifies the entry at `path` (from the repository's root) with git file mode `mode`.
  public static func classify(path: String, mode: UInt32) -> Kind {
    guard path.hasPrefix(folderSlash), path.hasSuffix(".yml") else { return .other }
    guard let id = id(ofPath: path) else { return .notAnID }
    return isRecommendationMode(mode) ? .recommendation(id: id) : .notARegularFile
  }

  /// True when the entry at `path` with mode `mode` is a recommendation file.
  public static func isRecommendation(path: String, mode: UInt32) -> Bool {
    if case .recommendation = classify(path: path, mode: mode) { return true }
    return false
  }

  /// The ID of a recommendation file at `path`, or nil when the path is not one (mode aside).
  public static func id(ofPath path: String) -> String? {
    // An ASCII path (every real one) reads the same as bytes and as characters: the name is
    // what follows the last "/", checked without splitting the path.
    var bytes = path
    if let ascii = bytes.withUTF8({ u -> String?? in
      guard u.allSatisfy({ $0 < 0x80 }) else { return .none }
      let prefix = folderSlash.utf8
      guard u.count >= prefix.count, u.prefix(prefix.count).elementsEqual(prefix) else { return .some(nil) }
      let start = (u.lastIndex(of: 0x2F) ?? -1) + 1
      return .some(
        id(fromFileName: UnsafeBufferPointer(rebasing: u[start...])).map {
          String(decoding: $0, as: UTF8.self)
        })
    }) {
      return ascii
    }
    guard path.hasPrefix(folderSlash) else { return nil }
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    return id(fromFileName: name)
  }

  /// The ID a file name (no folder) stands for, or nil when it is not `<ID>.yml`.
  public static func id(fromFileName name: String) -> String? {
    var bytes = Array(name.utf8)
    return bytes.withUnsafeMutableBufferPointer { buf in
      id(fromFileName: UnsafeBufferPointer(buf)).map { String(decoding: $0, as: UTF8.self) }
    }
  }

  /// The ID bytes of a file name, checked without building a String (the walk sees many names).
  static func id(fromFileName name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
    let n = name.count
    guard n > 4, name[n - 4] == 0x2E, name[n - 3] == 0x79, name[n - 2] == 0x6D, name[n - 1] == 0x6C else {
      return nil
    }
    let stem = UnsafeBufferPointer(rebasing: name[0..<(n - 4)])
    return isValidID(stem) ? stem : nil
  }

  /// True for IDs matching `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`.
  public static func isValidID(_ id: String) -> Bool {
    var bytes = Array(id.utf8)
    return bytes.withUnsafeMutableBufferPointer { isValidID(UnsafeBufferPointer($0)) }
  }

  static func isValidID(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = s.first, first >= 0x41 && first <= 0x5A else { return false }
    var previousDash = false
    for c in s.dropFirst() {
      if c == 0x2D {
        if previousDash { return false }
        previousDash = true
      } else if (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) {
        previousDash = false
      } else {
        return false
      }
    }
    return !previousDash
  }

  /// True when a git file mode is a regular file (see the type's rule).
  public static func isRecommendationMode(_ mode: UInt32) -> Bool { mode & 0o170000 == 0o100000 }

  /// The mode as git reads it: every regular file is 100644 or 100755 (by the owner's
  /// executable bit); other modes are kept. Two entries differ when their canonical modes do.
  public static func canonicalMode(_ mode: UInt32) -> UInt32 {
    guard isRecommendationMode(mode) else { return mode }
    return mode & 0o100 != 0 ? 0o100755 : 0o100644
  }
}
