internal import Clibgit2
import Foundation

/// A libgit2 call that failed: which function, its return code and libgit2's own message.
///
/// Every call into libgit2 goes through `check(_:_:)`, so a failure deep in a history walk
/// still says which operation failed and why (a missing object names its id).
public struct GitError: Error, Sendable, CustomStringConvertible {
  /// libgit2's return code (`GIT_ENOTFOUND` is -3, `GIT_EMODIFIED` -15, `GIT_ELOCKED` -14, ...).
  public let code: Int32
  /// libgit2's error class (`GIT_ERROR_ODB`, `GIT_ERROR_REFERENCE`, ...), 0 when unknown.
  public let errorClass: Int32
  /// libgit2's message; for a failed object lookup, with the object's id added when libgit2 left it out.
  public internal(set) var message: String
  /// The C function that failed, e.g. `git_commit_lookup`.
  public let function: String
  /// `errno` just after the call failed (0 when unknown): libgit2 drops the reason from some
  /// messages ("failed to create tag annotation") but the system call's error is still there.
  public internal(set) var osError: Int32 = 0
  /// For a D/F conflict (`git_tree_create_updated`): the path, and true when a folder is needed
  /// where the tree has a file (false: a file where it has a folder). See `plainMessage`.
  public internal(set) var conflict: (path: String, folderNeeded: Bool)?

  public var description: String { "git: \(message) (\(function), code \(code))" }

  public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
  public var isModified: Bool { code == GIT_EMODIFIED.rawValue }
  public var isLocked: Bool { code == GIT_ELOCKED.rawValue }

  init(code: Int32, function: String) {
    osError = errno
    self.code = code
    self.function = function
    if let err = git_error_last() {
      errorClass = err.pointee.klass
      message = err.pointee.message.map { String(decodingCString: $0) } ?? "unknown error"
    } else {
      errorClass = 0
      message = "unknown error"
    }
  }

  init(code: Int32, errorClass: Int32, message: String, function: String) {
    self.code = code
    self.errorClass = errorClass
    self.message = message
    self.function = function
  }

  init(message: String, function: String) {
    self.code = -1
    self.errorClass = 0
    self.message = message
    self.function = function
  }
}

/// Throws a `GitError` naming `function` when `rc` is negative; returns `rc` otherwise.
@discardableResult
func check(_ rc: Int32, _ function: String) throws(GitError) -> Int32 {
  if rc < 0 { throw GitError(code: rc, function: function) }
  return rc
}

extension String {
  /// Decodes a C string that may not be UTF-8 (old commits, foreign author names) without failing:
  /// invalid bytes become U+FFFD.
  init(decodingCString p: UnsafePointer<CChar>) {
    self = String(
      decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)).bindMemory(to: UInt8.self), as: UTF8.self)
  }
}
