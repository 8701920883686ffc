import Foundation

/// Writes working files by way of a temporary file in the same folder and a rename, so a file
/// is never seen half-written, even by a process killed mid-write. The temporary file's name
/// (`.NAME.rectrack-tmp-PID`) lets `rectrack validate` recognise one left by a killed process.
enum AtomicFile {
  static let marker = ".rectrack-tmp-"

  static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(TrackingError) {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    let temp = dir + "/." + url.lastPathComponent + marker + String(getpid())
    let fd = open(temp, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw .io("cannot create \(temp): \(String(cString: strerror(errno)))") }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
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
    let url = URL(fileURLWithPath: path)
    let temp = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + marker + String(getpid())
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
