import Yams

/// The repository's own settings from `rectrack.yml` (all optional).
///
/// ```yaml
/// organisation: Office of the Police and Crime Commissioner for Dyfed-Powys
/// statuses: [open, in-progress, complete, closed, not-accepted, superseded]
/// terminal: [closed, not-accepted, superseded]
/// initial: open
/// transitions:
///   open: [in-progress, complete, not-accepted, superseded]
/// awaiting-verification: complete     # done by the force, awaiting verification
/// ```
/// Keys this version does not know are kept for later versions and ignored.
public struct Settings: Sendable {
  public static let fileName = "rectrack.yml"

  public var organisation: String?
  public var workflow: Workflow
  /// The file's text, for sections other layers own (roles, RAG thresholds) to read themselves.
  public var text: String

  public init(organisation: String? = nil, workflow: Workflow = .standard, text: String = "") {
    self.organisation = organisation
    self.workflow = workflow
    self.text = text
  }

  /// Reads settings text; `path` names the file in messages.
  public init(yaml text: String, path: String = Settings.fileName) throws(TrackingError) {
    let node: Node?
    do {
      node = try SettingsYAML.compose(text)
    } catch let e as YamlError {
      throw .settings(path: path, message: Settings.describe(e))
    } catch {
      throw .settings(path: path, message: "\(error)")
    }
    guard let node else {
      self.init(text: text)
      return
    }
    guard let map = node.mapping else {
      throw .settings(path: path, message: "the file must be a list of 'key: value' settings")
    }
    var raw: [String: Node] = [:]
    for (k, v) in map { if let key = k.string { raw[key] = v } }

    func line(_ n: Node) -> String { n.mark.map { ":\($0.line)" } ?? "" }
    func strings(_ key: String) throws(TrackingError) -> [String]? {
      guard let n = raw[key] else { return nil }
      guard let seq = n.sequence else {
        throw .settings(path: path + line(n), message: "'\(key)' must be a list, e.g. \(key): [open, closed]")
      }
      var out: [String] = []
      for item in seq {
        guard let s = item.string, !s.isEmpty else {
          throw .settings(path: path + line(item), message: "'\(key)' must list plain names")
        }
        out.append(s)
      }
      return out
    }

    var wf = Workflow.standard
    if let statuses = try strings("statuses") {
      guard !statuses.isEmpty, Set(statuses).count == statuses.count else {
        throw .settings(path: path, message: "'statuses' must list each status once")
      }
      wf.statuses = statuses
      // A custom list without its own transitions: allow every move between its statuses.
      wf.transitions = Dictionary(
        uniqueKeysWithValues: statuses.map { s in (s, statuses.filter { $0 != s }) })
      wf.terminal = Workflow.standard.terminal.intersection(statuses)
      wf.initial = statuses[0]
      wf.awaitingVerification =
        statuses.contains(Workflow.defaultAwaitingVerification) ? Workflow.defaultAwaitingVerification : nil
    }
    if let terminal = try strings("terminal") { wf.terminal = Set(terminal) }
    if let n = raw["initial"] {
      guard let s = n.string else {
        throw .settings(path: path + line(n), message: "'initial' must be one status, e.g. initial: open")
      }
      wf.initial = s
    }
    if let n = raw["transitions"] {
      guard let tmap = n.mapping else {
        throw .settings(
          path: path + line(n),
          message: "'transitions' must map each status to a list, e.g. open: [in-progress]")
      }
      var transitions: [String: [String]] = [:]
      for (k, v) in tmap {
        guard let from = k.string, let seq = v.sequence else {
          throw .settings(path: path + line(v), message: "each transition must be 'status: [status, ...]'")
        }
        transitions[from] = seq.compactMap(\.string)
      }
      for s in wf.statuses where transitions[s] == nil { transitions[s] = [] }
      wf.transitions = transitions
    }
    if let n = raw["awaiting-verification"] {
      guard let s = n.string, !s.isEmpty else {
        throw .settings(
          path: path + line(n),
          message: "'awaiting-verification' must be one status, e.g. awaiting-verification: complete")
      }
      wf.awaitingVerification = s
    } else if let s = wf.awaitingVerification, !wf.statuses.contains(s) {
      wf.awaitingVerification = nil
    }
    if let s = wf.awaitingVerification, wf.terminal.contains(s) {
      throw .settings(
        path: path,
        message: "'\(s)' is terminal, so it cannot also be the status awaiting verification; "
          + "name a status that is not in 'terminal'")
    }
    let known = Set(wf.statuses)
    let named = [wf.initial] + [wf.awaitingVerification].compactMap({ $0 }) + wf.terminal.sorted()
    for s in named + wf.transitions.keys.sorted() + wf.transitions.values.flatMap({ $0 })
    where !known.contains(s) {
      throw .settings(
        path: path,
        message:
          "'\(s)' is used in the workflow but is not in 'statuses' (\(wf.statuses.joined(separator: ", ")))")
    }
    var organisation: String?
    if let n = raw["organisation"] {
      guard let s = n.string else {
        throw .settings(path: path + line(n), message: "'organisation' must be a single line of text")
      }
      organisation = s
    }
    self.init(organisation: organisation, workflow: wf, text: text)
  }

  static func describe(_ e: YamlError) -> String {
    switch e {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
      return "line \(mark.line), column \(mark.column): \(problem)"
    default:
      return "\(e)"
    }
  }
}

/// How every reader of `rectrack.yml` composes it: YAML without Yams' implicit typing, whose
/// default resolver compiles seven regular expressions (ICU's first one costs a few milliseconds
/// of every command that reads the settings, even an empty file). The readers take text, lists,
/// mappings, whole numbers (`Node.int`) and truth values (`Node.bool`, which reads a plain scalar's
/// words itself and refuses a quoted one), none of which the resolver decides: `SettingsYAMLTests`
/// compares each with Yams' default resolver.
enum SettingsYAML {
  static func compose(_ text: String) throws -> Node? { try Yams.compose(yaml: text, .basic) }
}
