import Foundation
import Synchronization

/// Writes working files and the files under `.git/rectrack/` by way of a temporary file in the
/// same folder and a rename, so a file is never seen half-written, even by a process killed
/// mid-write. The temporary file's name (`.NAME.rectrack-tmp-PID-N`, N counting this process's
/// writes, so two threads never share one) lets `rectrack validate` recognise one left by a
/// killed process.
enum AtomicFile {
  static let marker = ".rectrack-tmp-"
  private static let writes = Atomic<Int>(0)

  private static func temporaryName(for url: URL) -> String {
    let n = writes.add(1, ordering: .relaxed).newValue
    return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + marker + "\(getpid())-\(n)"
  }

  static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(TrackingError) {
    // `Array.withUnsafeBytes` rethrows untyped errors: the typed one is carried out as a value.
    let failure: TrackingError? = bytes.withUnsafeBytes { raw in
      do throws(TrackingError) {
        try write(raw, to: path, mode: mode)
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
  }

  /// The same from a buffer, which is not copied (a saved history is ~9 MB). Nothing is flushed
  /// to disk first (`fsync`, which Foundation's `.atomic` write does, cost 2-13 ms a write): git's
  /// own files are not flushed either, and a cache file torn by a crash fails its checksum and is
  /// rebuilt.
  static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644)
    throws(TrackingError)
  {
    let temp = temporaryName(for: URL(fileURLWithPath: path))
    let fd = open(temp, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw .io("cannot create \(temp): \(String(cString: strerror(errno)))") }
    var written = 0
    while written < bytes.count {
      let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(temp)
        throw .io("cannot write \(temp): \(reason)")
      }
      written += n
    }
    fchmod(fd, mode)
    close(fd)
    guard rename(temp, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temp)
      throw .io("cannot replace \(path): \(reason)")
    }
  }

  /// Makes `path` a symbolic link to `target` the same way: a link under a temporary name, then a rename.
  static func link(to target: String, at path: String) throws(TrackingError) {
    let temp = temporaryName(for: URL(fileURLWithPath: path))
    unlink(temp)
    guard symlink(target, temp) == 0 else {
      throw .io("cannot create \(temp): \(String(cString: strerror(errno)))")
    }
    guard rename(temp, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temp)
      throw .io("cannot replace \(path): \(reason)")
    }
  }
}
