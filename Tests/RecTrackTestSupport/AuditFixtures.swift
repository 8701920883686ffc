/// The people and roles audit tests use: the commissioner's office may set any status, the force
/// every status but `closed` (the two-party closure the audit checks).
public enum AuditFixtures {
  public static let commissioner = "Jane Smith <jane.smith@opcc.example.org>"
  public static let force = "Bob Jones <bob.jones@police.example.org>"

  /// A `rectrack.yml` with those roles, and `extra` lines appended (e.g. an `audit:` section).
  public static func settings(extra: String = "") -> String {
    """
    organisation: "Test office"
    roles:
      commissioner:
        people: ["*@opcc.example.org"]
      force:
        people: ["*@police.example.org"]
        may-set: [open, in-progress, complete, not-accepted]

    """ + extra
  }
}
