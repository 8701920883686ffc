/// What the rules see of one version of a recommendation file: its fields when it parses, and
/// its errors. The audit and the recorder read a file into this value the same way.
public struct RuleFileVersion: Sendable {
  public var readable: Bool
  public var fields: [(key: String, value: FieldValue)]
  public var errors: [FormatError]
  public var valid: Bool { readable && errors.isEmpty }

  public func text(_ key: String) -> String? {
    guard let v = fields.first(where: { $0.key == key })?.value else { return nil }
    switch v {
    case .text(let s): return s
    case .list(let items): return "[" + items.joined(separator: ", ") + "]"
    }
  }

  /// Parses and validates the bytes of `path` (recommendation `id`) against the workflow's statuses.
  public init(bytes: [UInt8], path: String, id: String, statuses: [String]) {
    do {
      let doc = try RecommendationDocument(bytes: bytes, path: path)
      let errors = doc.validate(expectedID: id, statuses: statuses).filter { $0.severity == .error }
      self.init(readable: true, fields: doc.fields, errors: errors)
    } catch {
      self.init(readable: false, fields: [], errors: [error])
    }
  }

  init(readable: Bool, fields: [(key: String, value: FieldValue)], errors: [FormatError]) {
    self.readable = readable
    self.fields = fields
    self.errors = errors
  }
}

/// One recommendation file changed by a commit (or by a change about to be committed).
public struct RuleFileChange: Sendable {
  public var recommendation: String
  public var path: String
  /// The path before a move.
  public var oldPath: String?
  public var old: RuleFileVersion?
  public var new: RuleFileVersion?
  /// For a merge: the status the file had in each parent (nil: absent or no status).
  public var parentStatuses: Set<String?>?

  /// False when a side does not parse: then there are no fields to compare.
  public var comparable: Bool { (old?.readable ?? true) && (new?.readable ?? true) }
  public var oldStatus: String? { comparable ? old?.text("status") : nil }
  public var newStatus: String? { comparable ? new?.text("status") : nil }
  public var oldDue: String? { comparable ? old?.text("due") : nil }
  public var newDue: String? { comparable ? new?.text("due") : nil }
  /// True when the change sets a status the file did not have before, on a valid file.
  public var setsStatus: Bool { newStatus != nil && newStatus != oldStatus && new?.valid == true }

  public init(
    recommendation: String, path: String, oldPath: String? = nil, old: RuleFileVersion?,
    new: RuleFileVersion?,
    parentStatuses: Set<String?>? = nil
  ) {
    self.recommendation = recommendation
    self.path = path
    self.oldPath = oldPath
    self.old = old
    self.new = new
    self.parentStatuses = parentStatuses
  }
}

/// The settings every rule reads: the workflow and the `roles`/`audit` sections of `rectrack.yml`.
public struct RuleSettings: Sendable {
  public var workflow: Workflow
  public var audit: AuditSettings

  public init(workflow: Workflow, audit: AuditSettings) {
    self.workflow = workflow
    self.audit = audit
  }

  /// Reads both from the text of `rectrack.yml` ("" for the defaults).
  public init(settingsText: String) throws(TrackingError) {
    let workflow = try Settings(yaml: settingsText).workflow
    self.init(workflow: workflow, audit: try AuditSettings(settingsText: settingsText, workflow: workflow))
  }
}

/// What git says about a commit's signature, when signatures are required.
public struct RuleSignature: Sendable {
  /// True when the commit carries no signature at all.
  public var missing: Bool
  public var state: AuditSignatureState
  public var detail: String
  /// For a verified signature: whether the key's principal is the author's email.
  public var signerMatchesAuthor: Bool
  public var principal: String?
}

/// The shared commit context every rule is checked against: who, when, the message and its
/// trailers, the files changed, and the settings in force. The audit builds it from a commit in
/// the history; the recorder builds it from the change it is about to commit (no id yet).
public struct RuleCommit: Sendable {
  public var id: ObjectID?
  public var author: Signature
  public var committer: Signature
  public var message: CommitMessage
  public var isMerge: Bool
  public var files: [RuleFileChange]
  /// The parents' ids and dates (author-date-backwards).
  public var parents:
    [(id: ObjectID, author: (time: Int64, offset: Int), committer: (time: Int64, offset: Int))]
  /// Set when signatures are required and this commit falls under the requirement.
  public var signature: RuleSignature?
  /// The watched sections of `rectrack.yml` this commit changed (settings-changed).
  public var settingsChanged: [String]
  /// Paths this commit added that rectrack must never read or write (unsafe-path).
  public var unsafePaths: [(path: String, problem: String)]
  public var settings: RuleSettings
  /// Why git cannot parse the commit, when the audit read it leniently (unreadable-commit).
  public var unreadable: String?
  /// An import records a sheet's history late on purpose, and the sheet may have no notes. The
  /// `Imported-From:` trailer counts only in the shape `rectrack import` writes (set by
  /// `AuditRules.check` from the history: see `RuleHistory.importedFrom`).
  public internal(set) var imported = false

  public init(
    id: ObjectID?, author: Signature, committer: Signature, message: CommitMessage, isMerge: Bool = false,
    files: [RuleFileChange],
    parents: [(id: ObjectID, author: (time: Int64, offset: Int), committer: (time: Int64, offset: Int))] = [],
    signature: RuleSignature? = nil, settingsChanged: [String] = [],
    unsafePaths: [(path: String, problem: String)] = [], settings: RuleSettings, unreadable: String? = nil
  ) {
    self.unreadable = unreadable
    self.unsafePaths = unsafePaths
    self.id = id
    self.author = author
    self.committer = committer
    self.message = message
    self.isMerge = isMerge
    self.files = files
    self.parents = parents
    self.signature = signature
    self.settingsChanged = settingsChanged
    self.settings = settings
  }

  public var workflow: Workflow { settings.workflow }
  /// The day the commit was authored, in the author's own offset.
  public var recorded: CalendarDate { author.calendarDate }
  /// The message body (rectrack's `--note`), nil when empty.
  public var note: String? { message.body?.trimmingWhitespace.isEmpty == false ? message.body : nil }
  public var reason: String? { message.trailer("Reason").flatMap { $0.isEmpty ? nil : $0 } }
  /// The recommendations rectrack's `Recommendation:` trailers name (an import names several).
  public var named: [String] {
    message.trailers.filter { CommitMessage.sameKey($0.key, "recommendation") }.map(\.value)
  }
  /// The one recommendation the trailers name, when they name exactly one.
  public var trailerRecommendation: String? { named.count == 1 ? named.first : nil }
  public var byRectrack: Bool { !named.isEmpty }
  public var reopened: Bool { (message.trailer("Reopened") ?? "").lowercased() == "yes" }
  public var touched: Set<String> { Set(files.map(\.recommendation)) }
  /// The rule ids an `Override:` trailer names.
  public var overrides: Set<AuditRule> {
    Set(
      message.trailers.filter { CommitMessage.sameKey($0.key, "override") }
        .flatMap { $0.value.split(separator: ",") }
        .compactMap { AuditRule(rawValue: String($0).trimmingWhitespace) })
  }
  /// The day the change counts from: a valid `Effective:` trailer, else `recorded`.
  public var effective: CalendarDate {
    guard !isMerge, let e = message.trailer("Effective"), let d = CalendarDate(e) else { return recorded }
    return d
  }
}

/// A finding a rule makes about a commit, before the audit adds severity, id and commit.
public struct RuleFinding: Sendable {
  public var rule: AuditRule
  public var recommendation: String?
  public var file: String?
  /// One line, for people.
  public var message: String
  public var details: [String]?
  /// Tells apart two findings of one rule about the same commit and recommendation (part of the id).
  public var key: String
  /// For the recorder: the refusal in the present tense, with who may make the change or how to
  /// make it acceptable (nil: the recorder shows `message`).
  public var refusal: String?
}

/// What the rules found, in the order they found it.
public struct RuleFindings: Sendable {
  public private(set) var items: [RuleFinding] = []

  public mutating func add(
    _ rule: AuditRule, _ recommendation: String?, file: String? = nil, _ message: String,
    details: [String]? = nil, key: String = "", refusal: String? = nil
  ) {
    items.append(
      RuleFinding(
        rule: rule, recommendation: recommendation, file: file, message: message, details: details, key: key,
        refusal: refusal))
  }
}

/// What a rule remembers from earlier commits of the same walk (oldest first).
public struct RuleHistory: Sendable {
  /// Due-date changes seen so far, per recommendation.
  public var dueChanges: [String: Int] = [:]
  /// Recommendations added by an import, with the sheet its `Imported-From:` trailer named.
  public var importedFrom: [String: String] = [:]
  public init() {}

  /// Whether `commit` is an import in the shape `rectrack import` writes: an import only adds
  /// recommendations, then changes those same ones in later commits of its chain. A hand-typed
  /// `Imported-From:` on a change to any other recommendation exempts nothing.
  mutating func isImport(_ commit: RuleCommit) -> Bool {
    guard let sheet = commit.message.trailer("Imported-From"), !commit.isMerge else { return false }
    for f in commit.files where f.old == nil && f.oldPath == nil { importedFrom[f.recommendation] = sheet }
    return commit.touched.allSatisfy { importedFrom[$0] == sheet }
  }
}
