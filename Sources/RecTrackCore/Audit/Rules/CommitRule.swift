/// One audit rule: a type per rule, checked against the shared commit context (`RuleCommit`).
///
/// A rule looks at the commit as a whole (`check(commit:)`), at each file it changes
/// (`check(file:in:)`), or both. Rules marked `appliesWhenRecording` are also what the recorder
/// checks before it commits, so a change rectrack accepts is never a finding of that rule in the
/// audit, and a change the audit would flag is refused when it is recorded.
///
/// Adding a rule: a case in `AuditRule` (its id and default severity), a type here, and a line
/// in `AuditRules.all`.
public protocol CommitRule: Sendable {
  static var rule: AuditRule { get }
  /// True when the recorder refuses a change this rule finds (unless overridden).
  static var appliesWhenRecording: Bool { get }
  func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings)
  func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings)
}

extension CommitRule {
  public static var appliesWhenRecording: Bool { false }
  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {}
  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {}
}

/// Every rule, in the order findings are reported: commit-level rules first, then per file.
public enum AuditRules {
  public static let all: [any CommitRule] = [
    UnreadableCommitRule(), UnsignedCommitRule(), BadSignatureRule(), SignerNotAuthorRule(), UnsafePathRule(),
    SettingsChangedRule(),
    EffectiveInFutureRule(), EffectiveBackdatedRule(), OutsideRectrackRule(),
    AuthorDateFarFromCommitterRule(),
    AuthorDateBackwardsRule(), RecommendationDeletedRule(), InvalidFileRule(), MergeConflictResolvedRule(),
    TransitionNotAllowedRule(), StatusWithoutNoteRule(),
    PersonNotAllowedRule(), TrailerMismatchRule(), DueWithoutReasonRule(), DueChangedTooOftenRule(),
  ]

  /// The rules the recorder applies before committing.
  public static var recording: [any CommitRule] { all.filter { type(of: $0).appliesWhenRecording } }

  /// The ids of the rules the recorder applies.
  public static var recordingIDs: Set<AuditRule> { Set(recording.map { type(of: $0).rule }) }

  /// Runs `rules` over one commit: commit-level checks, then each file with every rule in turn.
  public static func check(
    _ commit: RuleCommit, rules: [any CommitRule] = all, history: inout RuleHistory
  ) -> [RuleFinding] {
    var commit = commit
    commit.imported = history.isImport(commit)
    var found = RuleFindings()
    for rule in rules { rule.check(commit: commit, history: &history, into: &found) }
    for file in commit.files {
      for rule in rules { rule.check(file: file, in: commit, history: &history, into: &found) }
    }
    return found.items
  }
}
