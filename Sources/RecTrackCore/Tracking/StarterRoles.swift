/// The `roles` section `init` writes: the commissioner's office may set every status, the
/// force may report (open, in-progress, complete, not-accepted) but not close, everyone else
/// reads. Domains are `opcc.example.org`-style names; `*@` is put in front.
public struct StarterRoles: Sendable {
  public var officeDomain: String?
  public var forceDomain: String?

  public init(officeDomain: String? = nil, forceDomain: String? = nil) {
    self.officeDomain = officeDomain.map(Self.clean)
    self.forceDomain = forceDomain.map(Self.clean)
  }

  /// `@opcc.example.org`, `*@opcc.example.org` and `opcc.example.org` all mean the domain.
  static func clean(_ d: String) -> String {
    var s = d.trimmingWhitespace
    if s.hasPrefix("*") { s.removeFirst() }
    if s.hasPrefix("@") { s.removeFirst() }
    return s.lowercased()
  }

  /// The domain of an email address, or nil.
  public static func domain(ofEmail email: String) -> String? {
    guard let at = email.lastIndex(of: "@") else { return nil }
    let d = email[email.index(after: at)...]
    return d.isEmpty ? nil : clean(String(d))
  }

  /// Checks a domain given on the command line.
  public static func check(_ domain: String, option: String) throws(TrackingError) {
    let d = clean(domain)
    guard !d.isEmpty, d.contains("."),
      !d.contains(where: { $0 == " " || $0 == "\"" || $0 == "@" || $0 == "*" })
    else {
      throw .usage(
        "\(option) '\(domain)' is not an email domain; write it as e.g. \(option) opcc.example.org")
    }
  }

  /// The lines of `rectrack.yml`, commented. `officeFallback` is used when no office domain was given.
  func yaml(officeFallback: String?) -> String {
    let office = officeDomain ?? officeFallback
    let officePeople = office.map { "[\"*@\($0)\"]" } ?? "[]"
    let forcePeople = forceDomain.map { "[\"*@\($0)\"]" } ?? "[]"
    let forceNote =
      forceDomain == nil
      ? "   # fill in the force's addresses, e.g. [\"*@police.example.org\"]" : ""
    let officeNote = office == nil ? "   # fill in the office's addresses, e.g. [\"*@opcc.example.org\"]" : ""
    return """

      # Who may set which status. rectrack refuses a change by someone whose role may not make it,
      # and 'rectrack audit' reports any that got in another way. People are email addresses or
      # patterns (* is any run of characters), matched against the author's email, ignoring case.
      roles:
        commissioner:                   # the commissioner's office: may set every status, closed included
          people: \(officePeople)\(officeNote)
        force:                          # the force reports progress and completion; only the office closes
          people: \(forcePeople)\(forceNote)
          may-set: [open, in-progress, complete, not-accepted]
        anyone:                         # everyone else reads and audits, and sets no status
          people: ["*"]
          may-set: []

      # audit:
      #   effective-max-days-before: 31   # how far --effective may reach back
      #   overrides: [person-not-allowed] # let --override --note record a refused change (audit warns)

      """
  }
}
