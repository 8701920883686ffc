// The `Effective:` date a change counts from: never after the day it is recorded, and not
// reaching back further than `audit: effective-max-days-before`.

/// `effective-in-future`: `Effective:` is after the day the change was recorded.
public struct EffectiveInFutureRule: CommitRule {
  public static let rule = AuditRule.effectiveInFuture
  public static let appliesWhenRecording = true

  /// The one test, for the audit here and for `Recorder.checkEffective` before anything is
  /// built: the refusal when `effective` is after `recorded` (the author's day), nil otherwise.
  public static func refusal(effective: CalendarDate, recorded: CalendarDate) -> String? {
    guard effective > recorded else { return nil }
    return
      "--effective \(effective) is in the future (today is \(recorded)); record the change on or after that day"
  }

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.isMerge, !commit.files.isEmpty, let e = commit.message.trailer("Effective"),
      let d = CalendarDate(e), let refusal = Self.refusal(effective: d, recorded: commit.recorded)
    else { return }
    found.add(
      Self.rule, commit.trailerRecommendation,
      "Effective: \(d) is after the day the change was recorded (\(commit.recorded))", refusal: refusal)
  }
}

/// `effective-backdated`: `Effective:` reaches back more than the limit. Imports record a
/// sheet's history late on purpose and are not checked.
public struct EffectiveBackdatedRule: CommitRule {
  public static let rule = AuditRule.effectiveBackdated
  public static let appliesWhenRecording = true

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.isMerge, !commit.files.isEmpty, !commit.imported,
      let e = commit.message.trailer("Effective"),
      let d = CalendarDate(e), d <= commit.recorded
    else { return }
    let days = commit.recorded.daysSinceEpoch - d.daysSinceEpoch
    let limit = commit.settings.audit.effectiveMaxDaysBefore
    guard days > limit else { return }
    found.add(
      Self.rule, commit.trailerRecommendation,
      "Effective: \(d) is \(days) days before the change was recorded (\(commit.recorded)); "
        + "the limit is \(limit) (audit: effective-max-days-before)",
      refusal: "--effective \(d) is \(days) days back; rectrack.yml allows at most \(limit) "
        + "(audit: effective-max-days-before). Give a later date, or ask the commissioner's office "
        + "to raise the limit")
  }
}
