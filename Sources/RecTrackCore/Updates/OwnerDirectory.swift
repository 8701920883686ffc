import Yams

/// The `owners:` section of `rectrack.yml`: for each owner, named as the files write it, where
/// update requests go and who their returned updates are recorded as.
///
/// ```yaml
/// owners:
///   Head of Partnerships:
///     email: partnerships@police.example.org
///     identity: "Supt. Ann Jones <ann.jones@police.example.org>"
/// ```
/// This is the one reading of that section; `updates request` and `updates record` both use it.
public struct OwnerDirectory: Sendable {
  /// One owner's entry.
  public struct Entry: Sendable, Hashable {
    /// The owner as written in the recommendation files' `owner:` field.
    public var name: String
    /// Where the request is addressed (nil: not given; the request is written without a recipient).
    public var email: String?
    /// Who returned updates are recorded as, as "Name <email>" (nil: not given).
    public var identity: String?
  }

  public var entries: [Entry]

  public init(entries: [Entry] = []) { self.entries = entries }

  /// The entry for an owner, matched exactly first, then ignoring case and surrounding spaces.
  public func entry(for owner: String) -> Entry? {
    if let e = entries.first(where: { $0.name == owner }) { return e }
    let key = owner.trimmingWhitespace.lowercased()
    return entries.first { $0.name.trimmingWhitespace.lowercased() == key }
  }

  /// Reads the `owners:` section of the settings text; no section gives an empty directory.
  public init(settings: Settings, path: String = Settings.fileName) throws(TrackingError) {
    let node: Node?
    do { node = try SettingsYAML.compose(settings.text) } catch { node = nil }
    guard let root = node?.mapping, let section = root["owners"] else {
      self.init()
      return
    }
    func line(_ n: Node) -> String { n.mark.map { ":\($0.line)" } ?? "" }
    guard let map = section.mapping else {
      throw .settings(
        path: path + line(section),
        message: "'owners' must map each owner to their email and identity, e.g.\n  owners:\n"
          + "    Head of Partnerships:\n      email: partnerships@police.example.org\n"
          + "      identity: \"Ann Jones <ann.jones@police.example.org>\"")
    }
    var out: [Entry] = []
    for (k, v) in map {
      guard let name = k.string?.trimmingWhitespace, !name.isEmpty else {
        throw .settings(path: path + line(k), message: "each owner must be named as the files write it")
      }
      guard let fields = v.mapping else {
        throw .settings(
          path: path + line(v),
          message: "owner '\(name)' needs 'email:' and 'identity:' lines indented under it")
      }
      var entry = Entry(name: name)
      for (fk, fv) in fields {
        guard let key = fk.string else { continue }
        guard let value = fv.string?.trimmingWhitespace, !value.isEmpty else {
          throw .settings(
            path: path + line(fv), message: "owner '\(name)': '\(key)' must be one line of text")
        }
        switch key {
        case "email":
          guard value.contains("@"), !value.contains(" "), !value.contains("<") else {
            throw .settings(
              path: path + line(fv),
              message:
                "owner '\(name)': email '\(value)' is not an address like partnerships@police.example.org")
          }
          entry.email = value
        case "identity":
          guard Signature.parse(value) != nil else {
            throw .settings(
              path: path + line(fv),
              message:
                "owner '\(name)': identity '\(value)' must be \"Name <email>\", e.g. \"Ann Jones <ann.jones@police.example.org>\""
            )
          }
          entry.identity = value
        default:
          continue  // kept for later versions
        }
      }
      if out.contains(where: { $0.name == name }) {
        throw .settings(path: path + line(k), message: "owner '\(name)' is listed twice")
      }
      out.append(entry)
    }
    self.init(entries: out)
  }
}
