/// The statuses a recommendation can have and the moves allowed between them.
///
/// The default is spec section 3; a repository may define its own in `rectrack.yml`.
public struct Workflow: Sendable, Hashable {
  /// Every status, in the order reports show them.
  public var statuses: [String]
  /// Statuses that count as finished in the figures ("closed or otherwise final").
  public var terminal: Set<String>
  /// The status a new recommendation starts in.
  public var initial: String
  /// Allowed moves; a status with no outgoing moves is *final* and is left only with `--reopen`.
  public var transitions: [String: [String]]

  public init(statuses: [String], terminal: Set<String>, initial: String, transitions: [String: [String]]) {
    self.statuses = statuses
    self.terminal = terminal
    self.initial = initial
    self.transitions = transitions
  }

  public static let standard = Workflow(
    statuses: ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"],
    terminal: ["closed", "not-accepted", "superseded"],
    initial: "open",
    transitions: [
      "open": ["in-progress", "complete", "not-accepted", "superseded"],
      "in-progress": ["open", "complete", "not-accepted", "superseded"],
      "complete": ["in-progress", "closed"],
      "not-accepted": ["open"],
      "closed": [],
      "superseded": [],
    ])

  /// True when the status has no allowed moves out (leaving it needs `--reopen`).
  public func isFinal(_ status: String) -> Bool { (transitions[status] ?? []).isEmpty }

  /// The moves allowed out of `status`, in workflow order.
  public func allowed(from status: String) -> [String] {
    let set = Set(transitions[status] ?? [])
    return statuses.filter { set.contains($0) }
  }

  /// Whether the workflow allows `from -> to`: an allowed move, or leaving a final status the way
  /// `--reopen` does it (reopened, with a note, to a status that is not terminal). The recorder
  /// and the audit's `transition-not-allowed` rule both decide with this.
  public func permits(from: String, to: String, reopened: Bool, hasNote: Bool) -> Bool {
    allowed(from: from).contains(to) || (isFinal(from) && reopened && hasNote && !terminal.contains(to))
  }

  /// Checks a status change; `reopen` lets a final status go back to a non-terminal one.
  public func checkTransition(id: String, from: String, to: String, reopen: Bool, hasNote: Bool)
    throws(TrackingError)
  {
    guard statuses.contains(to) else {
      throw .unknownStatus(to, allowed: statuses)
    }
    if from == to { throw .nothingToChange("\(id) is already \(to).") }
    if permits(from: from, to: to, reopened: reopen, hasNote: hasNote) { return }
    if isFinal(from) {
      if reopen {
        guard !terminal.contains(to) else {
          throw .transitionNotAllowed(
            id: id, from: from, to: to,
            hint: "--reopen moves a recommendation back to work; choose one of: "
              + statuses.filter { !terminal.contains($0) }.joined(separator: ", "))
        }
        guard hasNote else {
          throw .transitionNotAllowed(
            id: id, from: from, to: to, hint: "reopening needs a reason: add --note \"why it is reopened\"")
        }
        return
      }
      throw .transitionNotAllowed(
        id: id, from: from, to: to,
        hint: "\(from) is final; to reopen it, run again with --reopen and a --note saying why")
    }
    let options = allowed(from: from)
    throw .transitionNotAllowed(
      id: id, from: from, to: to,
      hint: options.isEmpty
        ? "\(from) allows no changes"
        : "from \(from) you can go to: " + options.joined(separator: ", "))
  }
}
