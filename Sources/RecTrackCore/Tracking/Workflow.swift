/// The statuses a recommendation can have, the moves allowed between them, which ones end a
/// recommendation's life and which one means "done, awaiting verification"; and the rules
/// that follow from them (overdue, done). Every command asks the workflow, never a status name.
///
/// The default is docs/format.md "Statuses"; a repository may define its own in `rectrack.yml`.
public struct Workflow: Sendable, Hashable {
  /// Every status, in the order reports show them.
  public var statuses: [String]
  /// Statuses that count as finished in the figures ("closed or otherwise final").
  public var terminal: Set<String>
  /// The status a new recommendation starts in.
  public var initial: String
  /// Allowed moves; a status with no outgoing moves is *final* and is left only with `--reopen`.
  public var transitions: [String: [String]]
  /// The status meaning "the force reports the work done; awaiting the commissioner's
  /// verification" (`awaiting-verification:` in `rectrack.yml`): never overdue, counted as
  /// completed. nil when the workflow has no such status.
  public var awaitingVerification: String?

  public init(
    statuses: [String], terminal: Set<String>, initial: String, transitions: [String: [String]],
    awaitingVerification: String?
  ) {
    self.statuses = statuses
    self.terminal = terminal
    self.initial = initial
    self.transitions = transitions
    self.awaitingVerification = awaitingVerification
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
    ],
    awaitingVerification: defaultAwaitingVerification)

  /// The default "done, awaiting verification" status, when a workflow has it and names no other.
  public static let defaultAwaitingVerification = "complete"

  /// True for a status that ends a recommendation's life (closed or otherwise final).
  public func isTerminal(_ status: String) -> Bool { terminal.contains(status) }

  /// True for the "done, awaiting verification" status.
  public func isAwaitingVerification(_ status: String) -> Bool { status == awaitingVerification }

  /// True when the force's work is done: awaiting verification, or terminal.
  public func isDone(_ status: String) -> Bool { isAwaitingVerification(status) || isTerminal(status) }

  /// The one overdue rule (docs/format.md "Overdue"): on `day`, a recommendation is overdue when
  /// it has a due date before `day` and its status is neither terminal nor awaiting verification.
  /// `list --overdue`, `show`, `progress` and `summary` all count with it.
  public func isOverdue(status: String, due: CalendarDate?, on day: CalendarDate) -> Bool {
    guard let due, canBeOverdue(status) else { return false }
    return due < day
  }

  /// The status half of `isOverdue`: true when a recommendation in `status` is overdue once its
  /// due date has passed (the progress sweep sorts due dates and counts those before each month end).
  public func canBeOverdue(_ status: String) -> Bool { !isDone(status) }

  /// True when the status has no allowed moves out (leaving it needs `--reopen`).
  public func isFinal(_ status: String) -> Bool { (transitions[status] ?? []).isEmpty }

  /// The moves allowed out of `status`, in workflow order.
  public func allowed(from status: String) -> [String] {
    let set = Set(transitions[status] ?? [])
    return statuses.filter { set.contains($0) }
  }

  /// Checks a status change; `reopen` lets a final status go back to a non-terminal one.
  public func checkTransition(id: String, from: String, to: String, reopen: Bool, hasNote: Bool)
    throws(TrackingError)
  {
    guard statuses.contains(to) else {
      throw .unknownStatus(to, allowed: statuses)
    }
    if from == to { throw .nothingToChange("\(id) is already \(to).") }
    if allowed(from: from).contains(to) { return }
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
