import Yams

/// The `roles` and `audit` sections of `rectrack.yml`: who may set which status, and the
/// audit's limits.
///
/// ```yaml
/// roles:
///   commissioner:                  # the commissioner's office: may set every status
///     people: ["*@opcc.example.org", chief.executive@example.org]
///   force:
///     people: ["*@police.example.org"]
///     may-set: [open, in-progress, complete, not-accepted]
/// audit:
///   effective-max-days-before: 31
///   max-due-changes: 2
///   require-signed-commits: 2021-06-01   # true, false, or the first day it applies
///   allowed-signers: .rectrack/allowed_signers
///   severity:
///     outside-rectrack: warning
///   overrides: [person-not-allowed]     # rules `--override --note` may pass (true: all)
/// ```
/// A role without `may-set` may set every status except `closed`, unless it is named
/// `commissioner`; a person matching no role is treated like the role `anyone` if there is one,
/// otherwise likewise everything except `closed`. This is the two-party closure: the force
/// reports `complete`, only the commissioner's office sets `closed`.
public struct AuditSettings: Sendable {
  /// One role: the people in it (email addresses or `*` patterns) and the statuses they may set.
  public struct Role: Sendable, Hashable {
    public var name: String
    public var people: [String]
    /// nil: the default for this role (see the type's documentation).
    public var maySet: Set<String>?
  }

  public static let commissionerRole = "commissioner"
  public static let anyoneRole = "anyone"
  /// The statuses only the commissioner's office may set when a role does not say.
  public static let restrictedByDefault: Set<String> = ["closed"]

  /// Empty when `rectrack.yml` has no `roles` (then who-may-set is not checked).
  public var roles: [Role] = []
  public var effectiveMaxDaysBefore = 31
  public var maxDueChanges = 2
  /// How many days an author date may lie before (or after) its committer date, the day git
  /// recorded the commit, before `author-date-far-from-committer` is reported.
  public var authorDateMaxDays = 14
  public var requireSignatures = false
  public var requireSignaturesSince: CalendarDate?
  /// An ssh allowed-signers file, as a path in the repository.
  public var allowedSigners: String?
  public var severities: [AuditRule: AuditSeverity] = [:]
  /// The recording rules a person may override with `--override --note` (`audit: overrides`).
  public var overridable: Set<AuditRule> = []

  public init() {}

  /// The roles that may set `status` with their people, for messages: "the commissioner's
  /// office (role 'commissioner': *@opcc.example.org)", several joined with "or".
  public func whoMaySet(_ status: String) -> String {
    let names = rolesAllowed(toSet: status).filter { name in
      roles.first { $0.name == name }?.people.isEmpty == false
    }
    guard !names.isEmpty else { return "nobody" }
    return names.map { name in
      let people = roles.first { $0.name == name }?.people.joined(separator: ", ") ?? ""
      let label = name == Self.commissionerRole ? "the commissioner's office " : ""
      return "\(label)(role '\(name)': \(people))"
    }.joined(separator: " or ")
  }

  public func severity(of rule: AuditRule) -> AuditSeverity { severities[rule] ?? rule.defaultSeverity }

  /// The names of the roles `email` belongs to (case-insensitive patterns, `*` and `?`).
  public func roles(of email: String) -> [Role] {
    roles.filter { role in role.people.contains { Self.matches(pattern: $0, email) } }
  }

  /// Whether `email` may set `status`, and the names of the roles that decided it.
  public func may(_ email: String, set status: String, workflow: Workflow) -> (allowed: Bool, roles: [String])
  {
    var mine = roles(of: email).filter { $0.name != Self.anyoneRole }
    if mine.isEmpty, let anyone = roles.first(where: { $0.name == Self.anyoneRole }) { mine = [anyone] }
    if mine.isEmpty {
      return (!Self.restrictedByDefault.contains(status), [])
    }
    let allowed = mine.contains { role in
      if let set = role.maySet { return set.contains(status) }
      return role.name == Self.commissionerRole || !Self.restrictedByDefault.contains(status)
    }
    return (allowed, mine.map(\.name))
  }

  /// True when `email` is in the role `commissioner` (who may acknowledge findings).
  public func isCommissioner(_ email: String) -> Bool {
    roles(of: email).contains { $0.name == Self.commissionerRole }
  }

  /// The roles that may set `status`, for messages.
  public func rolesAllowed(toSet status: String) -> [String] {
    roles.filter { role in
      if let set = role.maySet { return set.contains(status) }
      return role.name == Self.commissionerRole || !Self.restrictedByDefault.contains(status)
    }.map(\.name)
  }

  /// A simple glob: `*` any run of characters, `?` one character, case-insensitive.
  static func matches(pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.lowercased())
    let t = Array(text.lowercased())
    var pi = 0
    var ti = 0
    var star = -1
    var mark = 0
    while ti < t.count {
      if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
        pi += 1
        ti += 1
      } else if pi < p.count && p[pi] == "*" {
        star = pi
        mark = ti
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        ti = mark
      } else {
        return false
      }
    }
    while pi < p.count && p[pi] == "*" { pi += 1 }
    return pi == p.count
  }

  /// Reads the sections from the settings file's text; `path` names it in messages.
  public init(settingsText text: String, workflow: Workflow, path: String = Settings.fileName)
    throws(TrackingError)
  {
    self.init()
    let node: Node?
    do { node = try SettingsYAML.compose(text) } catch { throw .settings(path: path, message: "\(error)") }
    guard let map = node?.mapping else { return }
    func line(_ n: Node) -> String { n.mark.map { ":\($0.line)" } ?? "" }
    func value(_ m: Node.Mapping, _ key: String) -> Node? {
      m.first { $0.key.string == key }?.value
    }
    func strings(_ n: Node, _ what: String) throws(TrackingError) -> [String] {
      if let s = n.string, n.scalar != nil { return [s] }
      guard let seq = n.sequence else {
        throw .settings(path: path + line(n), message: "\(what) must be a list, e.g. [a, b]")
      }
      var out: [String] = []
      for item in seq {
        guard let s = item.string else {
          throw .settings(path: path + line(item), message: "\(what) must list plain text")
        }
        out.append(s)
      }
      return out
    }
    if let rolesNode = value(map, "roles") {
      guard let rmap = rolesNode.mapping else {
        throw .settings(
          path: path + line(rolesNode),
          message: "'roles' must map role names to people, e.g. commissioner: {people: [...]}")
      }
      for (k, v) in rmap {
        guard let name = k.string, let body = v.mapping else {
          throw .settings(
            path: path + line(v), message: "each role must have 'people:' (and optionally 'may-set:')")
        }
        guard let peopleNode = value(body, "people") else {
          throw .settings(path: path + line(v), message: "role '\(name)' has no 'people:' list")
        }
        let people = try strings(peopleNode, "'people' of role '\(name)'")
        // Only an address or a pattern of addresses can ever match an author; anything else
        // (`people: 42`) would silently put nobody in the role. "*" is everyone.
        for p in people where p != "*" && (!p.contains("@") || p.contains(where: \.isWhitespace)) {
          throw .settings(
            path: path + line(peopleNode),
            message: "'\(p)' in the 'people' of role '\(name)' is not an email address or a pattern such as "
              + "\"*@police.example.org\"; list the authors' email addresses")
        }
        var maySet: Set<String>?
        if let m = value(body, "may-set") {
          if m.string == "all" {
            maySet = Set(workflow.statuses)
          } else {
            let list = try strings(m, "'may-set' of role '\(name)'")
            for s in list where !workflow.statuses.contains(s) {
              throw .settings(
                path: path + line(m),
                message:
                  "role '\(name)' may set '\(s)', which is not a status (\(workflow.statuses.joined(separator: ", ")))"
              )
            }
            maySet = Set(list)
          }
        }
        roles.append(Role(name: name, people: people, maySet: maySet))
      }
    }
    guard let auditNode = value(map, "audit") else { return }
    guard let amap = auditNode.mapping else {
      throw .settings(
        path: path + line(auditNode), message: "'audit' must be a list of 'key: value' settings")
    }
    func int(_ key: String) throws(TrackingError) -> Int? {
      guard let n = value(amap, key) else { return nil }
      guard let v = n.int, v >= 0 else {
        throw .settings(path: path + line(n), message: "'audit: \(key)' must be a whole number of 0 or more")
      }
      return v
    }
    if let v = try int("effective-max-days-before") { effectiveMaxDaysBefore = v }
    if let v = try int("max-due-changes") { maxDueChanges = v }
    if let v = try int("author-date-max-days") { authorDateMaxDays = v }
    if let n = value(amap, "require-signed-commits") {
      if let b = n.bool {
        requireSignatures = b
      } else if let s = n.string, let d = CalendarDate(s) {
        requireSignatures = true
        requireSignaturesSince = d
      } else {
        throw .settings(
          path: path + line(n),
          message: "'audit: require-signed-commits' must be true, false or a date (YYYY-MM-DD)")
      }
    }
    if let n = value(amap, "allowed-signers") {
      guard let s = n.string, !s.isEmpty else {
        throw .settings(
          path: path + line(n), message: "'audit: allowed-signers' must be a path in the repository")
      }
      allowedSigners = s
    }
    if let n = value(amap, "overrides") {
      let recording = AuditRules.recordingIDs
      if let b = n.bool {
        overridable = b ? recording : []
      } else {
        for id in try strings(n, "'audit: overrides'") {
          guard let rule = AuditRule(rawValue: id), recording.contains(rule) else {
            throw .settings(
              path: path + line(n),
              message: "'\(id)' cannot be overridden; 'audit: overrides' is true, false or a list of: "
                + recording.map(\.rawValue).sorted().joined(separator: ", "))
          }
          overridable.insert(rule)
        }
      }
    }
    if let n = value(amap, "severity") {
      guard let smap = n.mapping else {
        throw .settings(
          path: path + line(n), message: "'audit: severity' must map rule ids to info, warning or error")
      }
      for (k, v) in smap {
        guard let id = k.string, let rule = AuditRule(rawValue: id) else {
          throw .settings(
            path: path + line(k),
            message:
              "'\(k.string ?? "")' is not a rule id; use one of: \(AuditRule.allCases.map(\.rawValue).joined(separator: ", "))"
          )
        }
        guard let s = v.string, let sev = AuditSeverity(rawValue: s) else {
          throw .settings(
            path: path + line(v), message: "the severity of '\(id)' must be info, warning or error")
        }
        severities[rule] = sev
      }
    }
  }
}
