// Rules about a commit as a whole: who made it with what, and what its message says.

/// `outside-rectrack`: recommendation files changed without rectrack's trailers.
public struct OutsideRectrackRule: CommitRule {
  public static let rule = AuditRule.outsideRectrack

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.isMerge, !commit.files.isEmpty, !commit.byRectrack else { return }
    let touched = commit.touched
    found.add(
      Self.rule, touched.count == 1 ? touched.first : nil,
      "\(touched.sorted().joined(separator: ", ")) changed outside rectrack (no Recommendation: trailer) by "
        + commit.author.formatted)
  }
}

/// `trailer-mismatch`: rectrack's trailers disagree with the change.
public struct TrailerMismatchRule: CommitRule {
  public static let rule = AuditRule.trailerMismatch

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.isMerge, !commit.files.isEmpty else { return }
    if let e = commit.message.trailer("Effective"), CalendarDate(e) == nil {
      found.add(
        Self.rule, commit.trailerRecommendation, "the Effective: trailer '\(e)' is not a date (YYYY-MM-DD)",
        key: "effective")
    }
    let touched = commit.touched
    if commit.byRectrack, let stray = commit.named.first(where: { !touched.contains($0) }) {
      found.add(
        Self.rule, nil,
        "the Recommendation: trailer names \(stray), but the commit changes "
          + touched.sorted().joined(separator: ", "), key: "recommendation")
    }
  }

  public func check(
    file: RuleFileChange, in commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings
  ) {
    guard !commit.isMerge, commit.byRectrack, commit.trailerRecommendation == file.recommendation,
      let t = commit.message.trailer("Status"), file.new?.valid == true
    else { return }
    let said = t.components(separatedBy: "->").map(\.trimmingWhitespace)
    let actual = [file.oldStatus ?? "none", file.newStatus ?? "none"]
    guard said != actual else { return }
    found.add(
      Self.rule, file.recommendation, file: file.path,
      "the Status: trailer says \(t), but the file went \(actual[0]) -> \(actual[1])", key: "status")
  }
}

/// `author-date-backwards`: authored before a parent. A commit replayed later (rebase,
/// cherry-pick, `rectrack sync`) keeps its author date but gets a new committer date; for those
/// the committer dates are compared.
public struct AuthorDateBackwardsRule: CommitRule {
  public static let rule = AuditRule.authorDateBackwards

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.files.isEmpty else { return }
    let replayed = commit.committer.time != commit.author.time
    let mine = replayed ? commit.committer : commit.author
    func theirs(
      _ p: (id: ObjectID, author: (time: Int64, offset: Int), committer: (time: Int64, offset: Int))
    )
      -> (time: Int64, offset: Int)
    {
      replayed ? p.committer : p.author
    }
    guard let latest = commit.parents.max(by: { theirs($0).time < theirs($1).time }),
      mine.time < theirs(latest).time
    else { return }
    let parentDate = Signature(
      name: "", email: "", time: theirs(latest).time, offsetMinutes: theirs(latest).offset
    )
    .iso8601
    let touched = commit.touched
    found.add(
      Self.rule, touched.count == 1 ? touched.first : nil,
      "\(replayed ? "committed" : "authored") \(mine.iso8601), before its parent \(latest.id.short) (\(parentDate))"
    )
  }
}

/// `settings-changed`: the parts of `rectrack.yml` that decide what is allowed changed.
public struct SettingsChangedRule: CommitRule {
  public static let rule = AuditRule.settingsChanged

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.settingsChanged.isEmpty else { return }
    found.add(
      Self.rule, nil, file: Settings.fileName,
      "rectrack.yml: \(commit.settingsChanged.joined(separator: ", ")) changed by \(commit.author.formatted)")
  }
}

/// `unsigned-commit`: signatures are required and the commit has none.
public struct UnsignedCommitRule: CommitRule {
  public static let rule = AuditRule.unsignedCommit

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard let s = commit.signature, s.missing, let id = commit.id else { return }
    found.add(
      Self.rule, nil,
      "\(id.short) by \(commit.author.formatted) is not signed, and rectrack.yml requires signed commits")
  }
}

/// `bad-signature`: the signature does not match, or its key is not trusted.
public struct BadSignatureRule: CommitRule {
  public static let rule = AuditRule.badSignature

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard let s = commit.signature, s.state == .bad, let id = commit.id else { return }
    found.add(Self.rule, nil, "\(id.short) \(s.detail)")
  }
}

/// `signer-not-author`: a verified signature by a key whose principal is not the author (a force
/// officer's key on a commit authored as the commissioner's office).
public struct SignerNotAuthorRule: CommitRule {
  public static let rule = AuditRule.signerNotAuthor

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard let s = commit.signature, s.state == .verified, !s.signerMatchesAuthor, let id = commit.id else {
      return
    }
    found.add(
      Self.rule, nil,
      "\(id.short) is authored as \(commit.author.formatted) but signed by "
        + "\(s.principal ?? "someone else"); the signer must be the author")
  }
}

/// `unsafe-path`: the commit adds a path rectrack never reads or writes (`..`, `.git`...).
public struct UnsafePathRule: CommitRule {
  public static let rule = AuditRule.unsafePath

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    for u in commit.unsafePaths {
      found.add(
        Self.rule, nil, file: u.path,
        "\(u.path): \(u.problem); rectrack never reads or writes it (added by \(commit.author.formatted))",
        key: u.path)
    }
  }
}

/// `author-date-far-from-committer`: backdating through the author date. The committer date is
/// when git recorded the commit; an author date far from it, either way, is a date typed in. A
/// commit replayed by `rectrack sync` or a rebase after days offline also shows here, as it
/// should: the reader sees when it was made and when it reached the record.
public struct AuthorDateFarFromCommitterRule: CommitRule {
  public static let rule = AuditRule.authorDateFarFromCommitter

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard !commit.files.isEmpty else { return }
    let gap = commit.committer.time - commit.author.time
    let limit = commit.settings.audit.authorDateMaxDays
    guard abs(gap) > Int64(limit) * 86_400 else { return }
    let touched = commit.touched
    found.add(
      Self.rule, touched.count == 1 ? touched.first : nil,
      "authored \(commit.author.iso8601) but committed \(commit.committer.iso8601): the author date is "
        + "\(abs(gap) / 86_400) days \(gap > 0 ? "earlier" : "later"); the limit is \(limit) "
        + "(audit: author-date-max-days)")
  }
}

/// `unreadable-commit`: a commit git cannot parse (an author line without `<>`, a date that is
/// not a number). rectrack reads its tree and parents all the same (`LenientCommit`), so its
/// changes count, but who made it and when are not what git would show.
public struct UnreadableCommitRule: CommitRule {
  public static let rule = AuditRule.unreadableCommit

  public func check(commit: RuleCommit, history: inout RuleHistory, into found: inout RuleFindings) {
    guard let problem = commit.unreadable, let id = commit.id else { return }
    let who = commit.author.name.isEmpty ? "an unknown author" : "'\(commit.author.name)'"
    let touched = commit.touched
    found.add(
      Self.rule, touched.count == 1 ? touched.first : nil,
      "commit \(id.short) is malformed (git: \(problem)); its changes are counted as by \(who) on "
        + "\(commit.author.calendarDate), but git itself cannot show who made it or when. Check its "
        + "changes with 'git show \(id.short)', record any correction with rectrack, then acknowledge "
        + "this finding")
  }
}
