import Foundation
import RecTrackCore

/// `--output FILE`: writes a regular file, atomically (a new file next to it, then renamed over
/// it), and refuses whatever else is at the path: a folder, a symbolic link, a FIFO, a device
/// node or a socket is never written through or replaced. A failed write leaves the old file as
/// it was.
enum OutputFile {
  static func write(_ text: String, to path: String) throws(TrackingError) {
    try write(Array(text.utf8), to: path)
  }

  static func write(_ bytes: [UInt8], to path: String) throws(TrackingError) {
    var st = stat()
    if lstat(path, &st) == 0 {
      let kind: String?
      switch st.st_mode & S_IFMT {
      case S_IFREG: kind = nil
      case S_IFDIR: kind = "a folder"
      case S_IFLNK: kind = "a symbolic link"
      case S_IFIFO: kind = "a FIFO (named pipe)"
      case S_IFCHR, S_IFBLK: kind = "a device"
      case S_IFSOCK: kind = "a socket"
      default: kind = "not a regular file"
      }
      if let kind {
        throw .usage(
          "\(path) is \(kind), not a regular file; rectrack writes --output only to ordinary files and left it "
            + "as it was. Give the name of a new or existing ordinary file (or leave out --output to print).")
      }
    }
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var template = Array((folder + "/." + url.lastPathComponent + ".rectrack-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 { throw failure(path, errno) }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var ok = true
    var code: Int32 = 0
    var done = 0
    while ok && done < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
      if n < 0 {
        if errno == EINTR { continue }
        ok = false
        code = errno
      } else {
        done += n
      }
    }
    // An existing file keeps its permissions; a new one gets the usual rw-r--r-- (less the umask).
    let mask = umask(0)
    umask(mask)
    let mode = lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o666 & ~mask
    if ok && (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
      ok = false
      code = errno
    }
    if close(fd) != 0 && ok {
      ok = false
      code = errno
    }
    if ok && rename(temporary, path) != 0 {
      ok = false
      code = errno
    }
    if !ok {
      unlink(temporary)
      throw failure(path, code)
    }
  }

  private static func failure(_ path: String, _ code: Int32) -> TrackingError {
    .io(
      "could not write \(path) (\(String(cString: strerror(code)))); it was left as it was. "
        + "Free some space or choose another place with --output.")
  }
}
