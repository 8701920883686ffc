// Rules about one recommendation file changed by a commit.

/// `recommendation-deleted`: a recommendation's file was removed (outside a merge).
public struct RecommendationDeletedRule: CommitRule {
  public static let rule = AuditRule.recommendationDeleted

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard !commit.isMerge, file.old != nil, file.new == nil else { return }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.recommendation) was deleted (\(file.path)) by \(commit.author.formatted); reports no longer count it. "
        + "A recommendation that is no longer pursued is closed with a status, not removed")
  }
}

/// `invalid-file`: the change leaves a file that does not parse or breaks the format's rules,
/// where it was valid (or absent) before. The recorder validates every file it writes itself.
public struct InvalidFileRule: CommitRule {
  public static let rule = AuditRule.invalidFile

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard let new = file.new, !new.valid, file.old?.valid ?? true else { return }
    func line(_ e: FormatError) -> String { "\(e.path):\(e.line):\(e.column): \(e.message)" }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.path) became invalid: \(new.errors.first.map(line) ?? "it does not parse")",
      details: new.errors.count > 1 ? new.errors.map(line) : nil)
  }
}

/// `merge-conflict-resolved`: a merge's file differs from every parent and from git's automatic merge.
public struct MergeConflictResolvedRule: CommitRule {
  public static let rule = AuditRule.mergeConflictResolved

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard commit.isMerge else { return }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "the merge's \(file.path) differs from every parent and from git's automatic merge: "
        + "a conflict was resolved by hand")
  }
}

/// A status change of an existing, valid recommendation outside a merge: what the transition
/// and note rules look at.
extension RuleFileChange {
  func statusMove(in commit: RuleCommit) -> (from: String, to: String)? {
    guard !commit.isMerge, setsStatus, comparable, let from = oldStatus, let to = newStatus,
      old?.valid == true, commit.workflow.statuses.contains(from)
    else { return nil }
    return (from, to)
  }

  /// A due date that existed and was changed or removed (setting a first one is not a change).
  func dueMove(in commit: RuleCommit) -> (from: String, to: String?)? {
    guard !commit.isMerge, let from = oldDue, from != newDue, new != nil else { return nil }
    return (from, newDue)
  }
}

/// `transition-not-allowed`: a status move the workflow does not allow. Leaving a final status
/// is allowed only as `--reopen` does it: `Reopened: yes`, a note, a status that is not terminal.
public struct TransitionNotAllowedRule: CommitRule {
  public static let rule = AuditRule.transitionNotAllowed
  public static let appliesWhenRecording = true

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard let (from, to) = file.statusMove(in: commit) else { return }
    let workflow = commit.workflow
    guard !workflow.permits(from: from, to: to, reopened: commit.reopened, hasNote: commit.note != nil)
    else { return }
    let options = workflow.allowed(from: from)
    let hint =
      workflow.isFinal(from)
      ? "\(from) is final and may only be reopened (Reopened: yes, with a note) to a status that is not final"
      : "from \(from) the workflow allows: " + (options.isEmpty ? "nothing" : options.joined(separator: ", "))
    let refusal =
      workflow.isFinal(from)
      ? "\(from) is final; to reopen it, use --reopen with a --note saying why, to a status that is not final"
      : "from \(from) the workflow allows: " + (options.isEmpty ? "nothing" : options.joined(separator: ", "))
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.recommendation): \(from) -> \(to) is not allowed; \(hint)",
      refusal: "\(file.recommendation) cannot move from \(from) to \(to): \(refusal)")
  }
}

/// `status-without-note`: an existing recommendation's status changed without a note (imports excepted).
public struct StatusWithoutNoteRule: CommitRule {
  public static let rule = AuditRule.statusWithoutNote

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard let (from, to) = file.statusMove(in: commit), commit.note == nil, !commit.imported else { return }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.recommendation): \(from) -> \(to) was recorded without a note")
  }
}

/// `person-not-allowed`: the author sets a status their roles may not set (a new recommendation
/// sets its first status too; a merge, a status no parent had). Only with `roles` in rectrack.yml.
public struct PersonNotAllowedRule: CommitRule {
  public static let rule = AuditRule.personNotAllowed
  public static let appliesWhenRecording = true

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    let roles = commit.settings.audit
    guard !roles.roles.isEmpty, file.setsStatus, let status = file.newStatus else { return }
    if commit.isMerge {
      guard let parents = file.parentStatuses, !parents.contains(status) else { return }
    } else {
      guard file.comparable else { return }
    }
    let (allowed, mine) = roles.may(commit.author.email, set: status, workflow: commit.workflow)
    guard !allowed else { return }
    let who = commit.author.formatted
    let asRoles = mine.isEmpty ? "who has no role" : "(role \(mine.joined(separator: ", ")))"
    let may = roles.whoMaySet(status)
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.recommendation) was set to \(status) by \(who) \(asRoles); only \(may) may set \(status)",
      refusal: "only \(may) may set \(status); \(who) \(asRoles) may not. "
        + "Ask someone in that role to record it")
  }
}

/// `due-without-reason`: a due date changed or removed with neither a `Reason:` nor a note.
public struct DueWithoutReasonRule: CommitRule {
  public static let rule = AuditRule.dueWithoutReason
  public static let appliesWhenRecording = true

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard let (from, to) = file.dueMove(in: commit), (commit.reason ?? commit.note) == nil else { return }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.recommendation): due \(from) -> \(to ?? "none") was changed without a reason "
        + "(Reason: trailer or a note)",
      refusal: "moving the due date of \(file.recommendation) (\(from) -> \(to ?? "none")) needs a reason: "
        + "add --reason \"why the date moves\" (or --note)")
  }
}

/// `due-changed-too-often`: more due-date changes than `audit: max-due-changes`, counted over
/// the walked history (so the audit applies it; the recorder does not see the history).
public struct DueChangedTooOftenRule: CommitRule {
  public static let rule = AuditRule.dueChangedTooOften

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard file.dueMove(in: commit) != nil else { return }
    history.dueChanges[file.recommendation, default: 0] += 1
    let count = history.dueChanges[file.recommendation]!
    let limit = commit.settings.audit.maxDueChanges
    guard count > limit else { return }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "\(file.recommendation): the due date has now been changed \(count) times; at most \(limit) allowed "
        + "(audit: max-due-changes)", key: "\(count)")
  }
}
