internal import Clibgit2

/// Stable finding ids: the first 12 hex digits of a hash of what the finding is about, so the
/// same finding has the same id in every run, on every clone.
public enum AuditFindingID {
  /// The trailer of an acknowledgement commit, one per acknowledged finding.
  public static let trailer = "Acknowledges-Finding"

  public static func make(
    rule: AuditRule, commit: ObjectID?, recommendation: String?, file: String?, key: String
  ) -> String {
    let parts = ["rectrack-finding", rule.rawValue, commit?.hex ?? "", recommendation ?? "", file ?? "", key]
    // The parts joined by line breaks, as bytes.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(parts.reduce(parts.count) { $0 + $1.utf8.count })
    for (i, part) in parts.enumerated() {
      if i > 0 { bytes.append(0x0A) }
      bytes.append(contentsOf: part.utf8)
    }
    var oid = git_oid()
    let rc = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    guard rc == 0 else { return String(parts.joined(separator: "\n").hashValue, radix: 16) }
    return ObjectID(oid).hex(digits: 12)
  }
}
