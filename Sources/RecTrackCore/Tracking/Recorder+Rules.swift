import Foundation

/// The audit's recording rules, applied before anything is committed: who may set a status,
/// allowed transitions, how far `Effective:` may reach back, due-date moves without a reason.
/// The rules themselves live in `Audit/Rules`; the audit calls the same ones on the history.
extension Recorder {
  /// An `Effective:` date must not be after the day the change is recorded: the audit's
  /// `effective-in-future` rule (`EffectiveInFutureRule.refusal`), checked before anything is
  /// built, whether or not the other recording rules are enforced.
  static func checkEffective(_ effective: CalendarDate?, author: Signature) throws(TrackingError) {
    guard let effective,
      let refusal = EffectiveInFutureRule.refusal(effective: effective, recorded: author.calendarDate)
    else { return }
    throw .usage(refusal + ".")
  }

  /// Checks one commit about to be made on `parent`. Returns the message to commit: unchanged,
  /// or with an `Override:` trailer when `overrideRequested` and rectrack.yml allows it.
  func checkRules(
    parent: ObjectID?, files: [(path: String, text: String)], message: CommitMessage, author: Signature
  ) throws(TrackingError) -> CommitMessage {
    try checkRules(parent: parent, chain: [(files, message)], author: author)[0]
  }

  /// Checks a chain of commits (an import), each file against its version in the commit before.
  /// - Parameter only: the rules to apply (nil: every recording rule). An import records a sheet's
  ///   history as it happened (old dates, steps today's workflow would not allow), so it applies
  ///   only who may set a status; the audit exempts such commits from the date rules in the same way.
  func checkRules(
    parent: ObjectID?, chain: [(files: [(path: String, text: String)], message: CommitMessage)],
    author: Signature, only: Set<AuditRule>? = nil
  ) throws(TrackingError) -> [CommitMessage] {
    guard enforceRules else { return chain.map(\.message) }
    let settings: RuleSettings
    var baseTree: ObjectID?
    do {
      baseTree = try parent.map { (p) throws(GitError) -> ObjectID in try repo.git.commit(p).tree }
      var text = ""
      if let baseTree, let e = try repo.git.entry(at: Settings.fileName, inTree: baseTree), e.isBlob {
        text = String(decoding: try repo.git.blob(e.id), as: UTF8.self)
      }
      settings = try RuleSettings(settingsText: text)
    } catch {
      throw TrackingError.from(error)
    }
    var latest: [String: [UInt8]] = [:]
    var out: [CommitMessage] = []
    var history = RuleHistory()
    for (files, message) in chain {
      var changes: [RuleFileChange] = []
      for f in files {
        let name = String(f.path.split(separator: "/").last ?? "")
        guard f.path.hasPrefix(TrackingRepository.folder + "/"),
          let id = RecommendationPath.id(fromFileName: name)
        else { continue }
        var oldBytes = latest[f.path]
        if oldBytes == nil, let baseTree {
          do {
            if let e = try repo.git.entry(at: f.path, inTree: baseTree), e.isBlob {
              oldBytes = try repo.git.blob(e.id)
            }
          } catch {
            throw .git(error)
          }
        }
        let statuses = settings.workflow.statuses
        let newBytes = Array(f.text.utf8)
        latest[f.path] = newBytes
        changes.append(
          RuleFileChange(
            recommendation: id, path: f.path,
            old: oldBytes.map { RuleFileVersion(bytes: $0, path: f.path, id: id, statuses: statuses) },
            new: RuleFileVersion(bytes: newBytes, path: f.path, id: id, statuses: statuses)))
      }
      let commit = RuleCommit(
        id: nil, author: author, committer: author, message: message, files: changes, settings: settings)
      let found = AuditRules.check(commit, rules: AuditRules.recording, history: &history).filter {
        settings.audit.severity(of: $0.rule) > .info && (only?.contains($0.rule) ?? true)
      }
      out.append(try decide(found, message: message, settings: settings))
    }
    return out
  }

  /// Refuses on the first finding, unless the person asked to override and every rule found
  /// may be overridden (then the message gets an `Override:` trailer and the audit warns).
  private func decide(_ found: [RuleFinding], message: CommitMessage, settings: RuleSettings)
    throws(TrackingError) -> CommitMessage
  {
    guard let first = found.first else { return message }
    let rules = found.map(\.rule).reduce(into: [AuditRule]()) { if !$0.contains($1) { $0.append($1) } }
    let allowed = settings.audit.overridable
    if overrideRequested {
      if let blocked = rules.first(where: { !allowed.contains($0) }) {
        let text = found.first { $0.rule == blocked }.map { $0.refusal ?? $0.message } ?? ""
        throw .ruleRefused(
          rule: blocked.rawValue,
          message: text + "; rectrack.yml does not allow overriding \(blocked.rawValue) "
            + "(audit: overrides), so --override cannot be used for it")
      }
      guard message.body?.trimmingWhitespace.isEmpty == false else {
        throw .usage("--override needs --note saying why the rule is overridden, e.g. who approved it.")
      }
      var amended = message
      amended.trailers.append(("Override", rules.map(\.rawValue).joined(separator: ", ")))
      return amended
    }
    var text = first.refusal ?? first.message
    if allowed.contains(first.rule) {
      text +=
        "; where it must be recorded anyway, run again with --override --note \"why\" (rectrack.yml allows it)"
    }
    throw .ruleRefused(rule: first.rule.rawValue, message: text)
  }
}
