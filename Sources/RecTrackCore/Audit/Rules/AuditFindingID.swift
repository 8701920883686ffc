internal import Clibgit2

/// Stable finding ids: the first 12 hex digits of a hash of what the finding is about, so the
/// same finding has the same id in every run, on every clone.
public enum AuditFindingID {
  /// The trailer of an acknowledgement commit, one per acknowledged finding.
  public static let trailer = "Acknowledges-Finding"

  public static func make(
    rule: AuditRule, commit: ObjectID?, recommendation: String?, file: String?, key: String
  ) -> String {
    let text = ["rectrack-finding", rule.rawValue, commit?.hex ?? "", recommendation ?? "", file ?? "", key]
      .joined(separator: "\n")
    let bytes = Array(text.utf8)
    var oid = git_oid()
    let rc = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    guard rc == 0 else { return String(text.hashValue, radix: 16) }
    return String(ObjectID(oid).hex.prefix(12))
  }
}
