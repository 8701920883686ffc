/// How serious a finding is. `--fail-on` picks the lowest one that makes the audit fail.
public enum AuditSeverity: String, Codable, Sendable, Comparable, CaseIterable {
  /// Worth knowing, never a failure (e.g. an edit made outside rectrack).
  case info
  /// Probably a mistake or a weak record (no note, a late `Effective:` date).
  case warning
  /// Something that should not have happened (a forbidden transition, a person not allowed).
  case error

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (a: AuditSeverity, b: AuditSeverity) -> Bool { a.rank < b.rank }
}

/// Every rule the audit checks. The raw value is the rule id printed in reports and used in
/// `rectrack.yml` (`audit: severity:`); ids never change once released.
public enum AuditRule: String, Codable, Sendable, CaseIterable {
  case transitionNotAllowed = "transition-not-allowed"
  case personNotAllowed = "person-not-allowed"
  case statusWithoutNote = "status-without-note"
  case effectiveBackdated = "effective-backdated"
  case effectiveInFuture = "effective-in-future"
  case dueWithoutReason = "due-without-reason"
  case dueChangedTooOften = "due-changed-too-often"
  case outsideRectrack = "outside-rectrack"
  case trailerMismatch = "trailer-mismatch"
  case invalidFile = "invalid-file"
  case authorDateBackwards = "author-date-backwards"
  case mergeConflictResolved = "merge-conflict-resolved"
  case historyRewritten = "history-rewritten"
  case unsignedCommit = "unsigned-commit"
  case badSignature = "bad-signature"
  case settingsChanged = "settings-changed"
  case unsafePath = "unsafe-path"
  case signerNotAuthor = "signer-not-author"
  case authorDateFarFromCommitter = "author-date-far-from-committer"
  case recommendationDeleted = "recommendation-deleted"
  case sealNotTrusted = "seal-not-trusted"
  case restatesMeeting = "restates-meeting"
  case overrideUsed = "override-used"
  case unreadableCommit = "unreadable-commit"

  /// The severity used unless `rectrack.yml` says otherwise.
  public var defaultSeverity: AuditSeverity {
    switch self {
    case .transitionNotAllowed, .personNotAllowed, .effectiveInFuture, .invalidFile, .historyRewritten,
      .unsignedCommit, .badSignature, .unsafePath, .signerNotAuthor, .unreadableCommit:
      return .error
    case .statusWithoutNote, .effectiveBackdated, .dueWithoutReason, .dueChangedTooOften, .trailerMismatch,
      .authorDateBackwards, .mergeConflictResolved, .settingsChanged, .authorDateFarFromCommitter,
      .recommendationDeleted, .sealNotTrusted, .overrideUsed:
      return .warning
    case .outsideRectrack, .restatesMeeting:
      return .info
    }
  }
}

/// A person and instant as git recorded them.
public struct AuditPerson: Codable, Sendable, Hashable {
  public var name: String
  public var email: String
  /// ISO 8601 in the person's own UTC offset, e.g. `2021-03-31T23:30:00-02:00`.
  public var date: String

  init(_ s: Signature) {
    name = s.name
    email = s.email
    date = s.iso8601
  }

  /// `init(s)` reusing `date`, the text of `other`'s date, when `s` has the same time and offset
  /// (a commit's committer is usually its author, at the same instant).
  init(_ s: Signature, sameTimeAs other: Signature, written date: String) {
    name = s.name
    email = s.email
    self.date = s.time == other.time && s.offsetMinutes == other.offsetMinutes ? date : s.iso8601
  }
}

/// A value before and after a change; nil on one side means "absent" (a new file, a removed due date).
public struct AuditValueChange: Codable, Sendable, Hashable {
  public var from: String?
  public var to: String?

  public init(from: String?, to: String?) {
    self.from = from
    self.to = to
  }

  /// Both keys are always written (`null` for absent), so a reader never has to guess.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(from, forKey: .from)
    try c.encode(to, forKey: .to)
  }
}

/// How a change touched the recommendation's file.
public enum AuditChangeKind: String, Codable, Sendable {
  case added, modified, deleted, moved
}

/// What was found out about a commit's signature (only when `rectrack.yml` requires signatures).
public enum AuditSignatureState: String, Codable, Sendable {
  /// No `gpgsig` header.
  case unsigned
  /// Checked with gpg or ssh-keygen against a trusted key.
  case verified
  /// A signature is there, but gpg or ssh-keygen says it does not match, or the key is not trusted.
  case bad
  /// A signature is there but could not be checked (no tool, no key, no allowed-signers file).
  case unverified
}

/// One change to one recommendation in one commit: a row of the audit.
public struct AuditChange: Codable, Sendable {
  public var commit: String
  public var parents: [String]
  /// True for a merge whose result at this file differs from every parent (a resolved conflict).
  public var merge: Bool
  public var author: AuditPerson
  public var committer: AuditPerson
  /// The calendar date of the author date, in the author's own offset: when it was recorded.
  public var recorded: CalendarDate
  /// The date the change counts from (docs/format.md §4): `Effective:` when given, else `recorded`.
  public var effective: CalendarDate
  public var recommendation: String
  public var file: String
  /// The path before a move.
  public var previousFile: String?
  public var kind: AuditChangeKind
  public var status: AuditValueChange?
  public var due: AuditValueChange?
  /// Other fields whose value changed, added or removed, by name, in file order.
  public var fields: [String]
  /// The commit message's body (rectrack's `--note`).
  public var note: String?
  /// The `Reason:` trailer (due-date changes).
  public var reason: String?
  /// True when the commit carries rectrack's `Recommendation:` trailer.
  public var byRectrack: Bool
  /// False when the file after this change does not parse or breaks a rule of the format
  /// (then `status`, `due` and `fields` are left empty if it does not parse at all).
  public var valid: Bool
  /// False when the file before this change was invalid (the change may be its repair).
  public var previousValid: Bool
  /// The commit's first line.
  public var summary: String
  public var signature: AuditSignatureState?
}

/// Something that should not have happened, or is worth knowing.
public struct AuditFinding: Codable, Sendable {
  /// Stable: the same in every run and every clone (a hash of rule, commit, recommendation, file
  /// and what the rule tells apart); `rectrack audit acknowledge ID` names a finding by it.
  public var id: String
  public var rule: AuditRule
  public var severity: AuditSeverity
  /// The commit it is about (for `history-rewritten`: the seal's commit).
  public var commit: String?
  public var recommendation: String?
  public var file: String?
  /// One line, for people.
  public var message: String
  /// Supporting lines, e.g. the commits that disappeared from the record.
  public var details: [String]?
  /// Set when the commissioner's office acknowledged the finding; it is listed but never fails.
  public var acknowledged: AuditAcknowledgement? = nil
}

/// Who acknowledged a finding, when and why (`rectrack audit acknowledge`).
public struct AuditAcknowledgement: Codable, Sendable {
  /// `Name <email>` of the acknowledgement commit's author.
  public var by: String
  /// ISO 8601 in the author's own offset.
  public var at: String
  public var note: String
  /// The acknowledgement's commit.
  public var commit: String
}

/// A previous seal (`audit/...` tag) and whether HEAD still contains it.
public struct AuditSeal: Codable, Sendable {
  public var tag: String
  public var commit: String
  public var intact: Bool
}

/// What was and was not verified about signatures, in numbers and in words.
public struct AuditSignatures: Codable, Sendable {
  public var required: Bool
  /// Commits from this day on must be signed (nil: all, when required).
  public var requiredSince: CalendarDate?
  public var checked: Int
  public var unsigned: Int
  public var verified: Int
  public var bad: Int
  public var unverified: Int
  /// The tools found on this machine (`gpg`, `ssh-keygen`).
  public var tools: [String]
  /// Plain sentences: what was verified, with what, and what was not.
  public var statement: String
}

/// The settings the audit applied, so a reader knows which rules were in force.
public struct AuditAppliedSettings: Codable, Sendable {
  /// The commit whose `rectrack.yml` was read (for `--range`, the old end).
  public var from: String?
  public var rolesConfigured: Bool
  public var effectiveMaxDaysBefore: Int
  public var maxDueChanges: Int
}

/// The filters the audit was run with.
public struct AuditFilters: Codable, Sendable {
  public var since: CalendarDate?
  public var until: CalendarDate?
  public var id: String?
  public var range: String?
}

/// Findings counted by severity.
public struct AuditCounts: Codable, Sendable {
  public var error = 0
  public var warning = 0
  public var info = 0
  /// Acknowledged findings (not counted in the three above).
  public var acknowledged = 0
}

/// The whole audit, computed once and rendered as a table, CSV or JSON (`--format json` prints
/// exactly this value). `version` changes only if a key is renamed or removed.
public struct AuditReport: Codable, Sendable {
  public var version = 1
  /// The commit audited (HEAD, or the new end of `--range`); nil for an empty repository.
  public var head: String?
  /// The old end of `--range`, when given and not all zeros.
  public var base: String?
  public var filters: AuditFilters
  public var settings: AuditAppliedSettings
  /// Commits walked (all parents) and, of those, commits that changed a recommendation.
  public var commitsWalked: Int
  public var commitsWithChanges: Int
  public var changes: [AuditChange]
  public var findings: [AuditFinding]
  public var seals: [AuditSeal]
  public var signatures: AuditSignatures
  /// Checks that were not made, and why (e.g. no `roles` in `rectrack.yml`).
  public var notChecked: [String]
  public var counts: AuditCounts
  public var failOn: AuditSeverity
  /// False when a finding reaches `failOn` (the exit code is then 1).
  public var passed: Bool
}
