import Foundation
import Yams

/// What to audit and when to fail.
public struct AuditOptions: Sendable {
  /// Keep changes recorded (author date) on or after this day.
  public var since: CalendarDate?
  /// Keep changes recorded on or before this day.
  public var until: CalendarDate?
  /// Keep only this recommendation's changes and findings.
  public var id: String?
  /// `OLD..NEW`: audit the commits reachable from NEW and not from OLD (a push, in a hook).
  /// An all-zeros OLD (a new branch) means everything reachable from NEW.
  public var range: String?
  public var failOn: AuditSeverity
  /// Where to look for `gpg` and `ssh-keygen` (`PATH`).
  public var environment: [String: String]

  public init(
    since: CalendarDate? = nil, until: CalendarDate? = nil, id: String? = nil, range: String? = nil,
    failOn: AuditSeverity = .error, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.since = since
    self.until = until
    self.id = id
    self.range = range
    self.failOn = failOn
    self.environment = environment
  }
}

/// Walks every commit reachable from HEAD (all parents) that touches `Recommendations/` and
/// builds the `AuditReport`: one row per change, then the findings of every rule.
///
/// The walk skips a commit in one lookup when its `Recommendations` subtree id equals its
/// parent's, diffs changed subtrees by entry ids only, and parses each distinct blob once, so
/// the cost grows with the changes rather than with the size of the repository.
public final class Auditor {
  public let repo: TrackingRepository
  var git: Repository { repo.git }

  private var headers: [ObjectID: CommitHeader] = [:]
  private var parsed: [BlobKey: ParsedVersion] = [:]
  private var workflow = Workflow.standard
  private var rules = AuditSettings()
  /// The one tree differ (Git/TreeDiff.swift), kept for the whole audit: each folder version is read once.
  private var differ: TreeDiffer?
  /// The same differ over every entry (unsafe paths), sharing the folder versions `differ` read.
  private var everything: TreeDiffer?

  public init(repo: TrackingRepository) { self.repo = repo }

  private struct BlobKey: Hashable {
    var blob: ObjectID
    var id: String
  }

  private typealias ParsedVersion = RuleFileVersion

  private struct FileChange {
    var path: String
    var oldPath: String?
    var old: ObjectID?
    var new: ObjectID?
  }

  // MARK: Running

  /// Runs the audit. `progress` is told (commits done, commits in all) every so often.
  ///
  /// `changes`: when given, each change row is handed to it as the walk finds it, in the order of
  /// `AuditReport.changes`, and the report's `changes` stay empty (`audit --format json` writes
  /// them at once instead of holding ~60,000 rows; `AuditOutput.JSONStream`).
  public func run(
    _ options: AuditOptions, progress: ((Int, Int) -> Void)? = nil, changes: ((AuditChange) -> Void)? = nil
  ) throws(TrackingError)
    -> AuditReport
  {
    do {
      // The walk reads every commit to order them and the audit looks each up again (Libgit2).
      return try Libgit2.keepingCommits { () throws -> AuditReport in
        try runGit(options, progress: progress, sink: changes)
      }
    } catch let e as TrackingError {
      throw e
    } catch let e as GitError {
      throw .git(e)
    } catch {
      throw .io("\(error)")
    }
  }

  private func runGit(
    _ options: AuditOptions, progress: ((Int, Int) -> Void)?, sink: ((AuditChange) -> Void)?
  ) throws -> AuditReport {
    let (base, tip) = try resolveRange(options.range)
    let settingsCommit = base ?? tip
    let settingsText = try settingsText(at: settingsCommit)
    let ruleSettings = try RuleSettings(settingsText: settingsText)
    workflow = ruleSettings.workflow
    rules = ruleSettings.audit

    // Filters, applied as rows and findings are made (on 50,000 commits the unfiltered lists
    // are tens of megabytes).
    func inWindow(_ d: CalendarDate?) -> Bool {
      guard let d else { return true }
      if let s = options.since, d < s { return false }
      if let u = options.until, d > u { return false }
      return true
    }
    var pending: [AuditFinding] = []
    /// Keeps a finding that passes the filters; `touches(id)`: whether its commit changed that ID.
    func add(_ f: AuditFinding, recorded: CalendarDate?, touches: (String) -> Bool) {
      guard inWindow(recorded) else { return }
      if let id = options.id {
        if let r = f.recommendation {
          guard r == id else { return }
        } else if !(touches(id) || f.rule == .historyRewritten) {
          return
        }
      }
      pending.append(f)
    }
    var changes: [AuditChange] = []
    var notChecked: [String] = []
    var walked = 0
    var withChanges = 0
    var history = RuleHistory()
    var acknowledgements: [String: AuditAcknowledgement] = [:]

    let (verifier, cleanup) = try makeVerifier(
      settingsCommit: settingsCommit, environment: options.environment)
    defer { cleanup() }
    var sigCounts = (checked: 0, unsigned: 0, verified: 0, bad: 0, unverified: 0)
    var unverifiedReasons: [String: Int] = [:]

    if let tip {
      let order = try git.walkAll(from: [tip], hiding: base.map { [$0] } ?? [])
      walked = order.count
      if differ == nil { differ = try TreeDiffer(git, scope: .recommendations, walking: true) }
      if everything == nil { everything = try TreeDiffer(git, scope: .everything, sharing: differ) }
      for (n, id) in order.enumerated() {
        if n % 200 == 0 { progress?(n, order.count) }
        let (h, commit) = try git.auditedCommit(
          id, folder: TrackingRepository.folder, file: Settings.fileName, differ: everything!)
        headers[id] = h
        let parentHeaders = try h.parents.map { (p) throws -> CommitHeader in try header(p) }
        var fileChanges: [FileChange] = []
        var isMerge = false
        if parentHeaders.isEmpty {
          if h.recommendations != nil {
            try diffTrees(nil, h.recommendations, TrackingRepository.folder, into: &fileChanges)
          }
        } else if parentHeaders.count == 1 {
          if parentHeaders[0].recommendations != h.recommendations {
            try diffTrees(
              parentHeaders[0].recommendations, h.recommendations, TrackingRepository.folder,
              into: &fileChanges)
          }
        } else if !parentHeaders.contains(where: { $0.recommendations == h.recommendations }) {
          isMerge = true
          fileChanges = try mergeResolutions(id, h, parentHeaders)
        }
        if h.acknowledges { try readAcknowledgement(id, into: &acknowledgements) }
        var settingsChanged: [String] = []
        if parentHeaders.count == 1, parentHeaders[0].settings != h.settings {
          settingsChanged = try changedSettings(parentHeaders[0].settings, h.settings)
        }
        var unsafe: [(path: String, problem: String)] = []
        if parentHeaders.first?.tree != h.tree {
          unsafe = try git.unsafePaths(from: parentHeaders.first?.tree, to: h.tree, differ: everything!).map {
            ($0.path, $0.problem)
          }
        }
        guard
          rules.requireSignatures || !settingsChanged.isEmpty || !fileChanges.isEmpty || !unsafe.isEmpty
            || h.unreadable != nil
        else { continue }

        var signature: RuleSignature?
        if rules.requireSignatures,
          rules.requireSignaturesSince.map({ commit.author.calendarDate >= $0 }) ?? true
        {
          sigCounts.checked += 1
          if let (sig, data) = try git.extractSignature(of: id) {
            let outcome = verifier.verify(signature: sig, signedData: data)
            signature = RuleSignature(
              missing: false, state: outcome.state, detail: outcome.detail,
              signerMatchesAuthor: outcome.signerMatches(email: commit.author.email),
              principal: outcome.principal)
            switch outcome.state {
            case .verified: sigCounts.verified += 1
            case .bad: sigCounts.bad += 1
            case .unverified, .unsigned:
              sigCounts.unverified += 1
              unverifiedReasons[outcome.detail, default: 0] += 1
            }
          } else {
            signature = RuleSignature(
              missing: true, state: .unsigned, detail: "", signerMatchesAuthor: false, principal: nil)
            sigCounts.unsigned += 1
          }
        }
        let paired = pairMoves(fileChanges)
        let files = try paired.map { (c) throws -> RuleFileChange in
          try fileContext(c, isMerge: isMerge, parents: parentHeaders)
        }
        forgetReplaced(paired, isMerge: isMerge)
        let context = RuleCommit(
          id: id, author: commit.author, committer: commit.committer,
          message: CommitMessage(parsing: commit.message), isMerge: isMerge, files: files,
          parents: zip(h.parents, parentHeaders).map {
            ($0.0, ($0.1.authorTime, $0.1.authorOffset), ($0.1.committerTime, $0.1.committerOffset))
          },
          signature: signature, settingsChanged: settingsChanged, unsafePaths: unsafe, settings: ruleSettings,
          unreadable: commit.unreadable)
        let shared = CommitFacts(context, commit: commit, overridable: rules.overridable)
        let commitKept = inWindow(shared.recorded)
        for f in AuditRules.check(context, history: &history) where commitKept {
          add(
            finding(f, in: context, shared), recorded: shared.recorded,
            touches: { id in files.contains { $0.recommendation == id } })
        }
        if !files.isEmpty { withChanges += 1 }
        guard commitKept else { continue }
        for file in files where options.id.map({ $0 == file.recommendation }) ?? true {
          let r = row(file, shared, commit: commit, signature: signature?.state)
          if let sink { sink(r) } else { changes.append(r) }
        }
      }
      progress?(order.count, order.count)
    }

    for f in try RestatementRule.findings(tip: tip, base: base, in: repo) {
      let rule = AuditRule.restatesMeeting
      add(
        AuditFinding(
          id: AuditFindingID.make(
            rule: rule, commit: f.commit, recommendation: f.recommendation, file: f.file, key: ""),
          rule: rule, severity: rules.severity(of: rule), commit: f.commit.hex,
          recommendation: f.recommendation, file: f.file, message: f.message, details: nil),
        recorded: f.recorded, touches: { $0 == f.recommendation })
    }

    // Seals: an audit/... tag that HEAD no longer contains means history was rewritten. With
    // --range, only a seal the old end contained counts: pushing another branch, or a new one,
    // removes nothing from the record.
    var seals: [AuditSeal] = []
    // What the server has under each seal's name, from the last `rectrack sync`.
    var serverCopies: [String: ObjectID] = [:]
    for (name, id) in try git.referenceTargets(withPrefix: "refs/rectrack/remotes/") {
      guard let r = name.range(of: "/tags/audit/") else { continue }
      serverCopies["audit/" + name[r.upperBound...]] = id
    }
    let localTargets = try git.referenceTargets(withPrefix: "refs/tags/")
    for sealTag in try git.sealTags(prefix: "audit/") {
      let tag = sealTag.tag
      guard let tip else { continue }
      func distrust(_ why: String, _ commit: ObjectID?) {
        let rule = AuditRule.sealNotTrusted
        add(
          AuditFinding(
            id: AuditFindingID.make(rule: rule, commit: commit, recommendation: nil, file: nil, key: tag),
            rule: rule, severity: rules.severity(of: rule), commit: commit?.hex, recommendation: nil,
            file: nil,
            message: "\(tag) \(why); it is not used to check for rewritten history", details: nil),
          recorded: nil, touches: { _ in false })
      }
      if let server = serverCopies[tag], let local = localTargets[tag], server != local {
        distrust("differs from the server's tag of the same name (moved with 'git tag -f'?)", nil)
        continue
      }
      let commit: ObjectID
      switch sealTag.target {
      case .notACommit(let kind):
        distrust("points at \(kind), not at a commit, so it is not a seal", nil)
        continue
      case .lightweight(let c):
        commit = c
        // A plain tag carries no date or author: it proves nothing when it is not in history.
        guard try git.isAncestor(c, of: tip) else {
          distrust(
            "is a plain tag (no tagger, no date) on \(c.short), which is not in the history of \(tip.short)",
            c)
          continue
        }
      case .annotated(let c, let tagger, let message):
        commit = c
        let sealed = try git.commit(c).committer
        if !message.hasPrefix("Audited by rectrack on ") {
          distrust("was not made by 'rectrack audit --seal' (its message is not a seal's)", c)
          continue
        }
        if let tagger {
          let named = tag.dropFirst("audit/".count).prefix(10)
          if tagger.time < sealed.time || String(named) != tagger.calendarDate.description {
            distrust(
              "is dated \(tagger.calendarDate) but marks \(c.short), committed \(sealed.calendarDate): "
                + "a seal made on another day, or moved with 'git tag -f'", c)
            continue
          }
        }
      }
      let intact = try git.isAncestor(commit, of: tip)
      seals.append(AuditSeal(tag: tag, commit: commit.hex, intact: intact))
      if intact { continue }
      if options.range != nil {
        guard let base, try git.isAncestor(commit, of: base) else { continue }
      }
      let gone = try git.walkAll(from: [commit], hiding: [tip])
      var details: [String] = []
      var ids = Set<String>()
      for g in gone {
        let c = try git.commit(g)
        let rec = CommitMessage(parsing: c.message).trailer("Recommendation")
        if let rec { ids.insert(rec) }
        details.append("\(g.short) \(c.author.calendarDate) \(c.author.name): \(c.summary)")
      }
      let rule = AuditRule.historyRewritten
      add(
        AuditFinding(
          id: AuditFindingID.make(rule: rule, commit: commit, recommendation: nil, file: nil, key: tag),
          rule: rule, severity: rules.severity(of: rule), commit: commit.hex, recommendation: nil,
          file: nil,
          message: "the seal \(tag) (\(commit.short)) is no longer in the history of \(tip.short): "
            + "\(gone.count) commit\(gone.count == 1 ? "" : "s") disappeared from the record",
          details: details),
        recorded: nil, touches: { ids.contains($0) })
    }

    if rules.roles.isEmpty {
      notChecked.append(
        "who may set which status: rectrack.yml has no 'roles' section, so nobody is known to be the commissioner's office"
      )
    }
    if !rules.requireSignatures {
      notChecked.append(
        "signatures: rectrack.yml does not require signed commits (audit: require-signed-commits)")
    }
    if seals.isEmpty {
      notChecked.append(
        "rewritten history: there is no audit/... seal yet ('rectrack audit --seal' makes one)")
    }
    if base != nil {
      notChecked.append(
        "commits before the range's old end (due-date changes are counted within the range only; "
          + "a seal counts only if the old end contained it)")
    }

    let keptChanges = changes
    changes = []
    if !acknowledgements.isEmpty {
      for i in pending.indices { pending[i].acknowledged = acknowledgements[pending[i].id] }
    }
    let keptFindings = pending
    pending = []

    var counts = AuditCounts()
    for f in keptFindings {
      if f.acknowledged != nil {
        counts.acknowledged += 1
        continue
      }
      switch f.severity {
      case .error: counts.error += 1
      case .warning: counts.warning += 1
      case .info: counts.info += 1
      }
    }
    let signatures = AuditSignatures(
      required: rules.requireSignatures, requiredSince: rules.requireSignaturesSince,
      checked: sigCounts.checked,
      unsigned: sigCounts.unsigned, verified: sigCounts.verified, bad: sigCounts.bad,
      unverified: sigCounts.unverified,
      tools: verifier.tools,
      statement: signatureStatement(sigCounts, reasons: unverifiedReasons, verifier: verifier))
    let failed = keptFindings.contains { $0.acknowledged == nil && $0.severity >= options.failOn }
    return AuditReport(
      head: tip?.hex, base: base?.hex,
      filters: AuditFilters(since: options.since, until: options.until, id: options.id, range: options.range),
      settings: AuditAppliedSettings(
        from: settingsCommit?.hex, rolesConfigured: !rules.roles.isEmpty,
        effectiveMaxDaysBefore: rules.effectiveMaxDaysBefore, maxDueChanges: rules.maxDueChanges),
      commitsWalked: walked, commitsWithChanges: withChanges, changes: keptChanges, findings: keptFindings,
      seals: seals, signatures: signatures, notChecked: notChecked, counts: counts, failOn: options.failOn,
      passed: !failed)
  }

  // MARK: One commit

  /// A changed file as the rules see it: both versions parsed (once per blob), and for a merge
  /// that sets a new status, the status each parent had.
  private func fileContext(_ change: FileChange, isMerge: Bool, parents: [CommitHeader]) throws
    -> RuleFileChange
  {
    let rec = TrackingRepository.id(ofPath: change.path)
    let old = try change.old.map { (b) throws -> ParsedVersion in
      try parse(b, id: rec, path: change.oldPath ?? change.path)
    }
    let new = try change.new.map { (b) throws -> ParsedVersion in try parse(b, id: rec, path: change.path) }
    var file = RuleFileChange(
      recommendation: rec, path: change.path, oldPath: change.oldPath, old: old, new: new)
    if isMerge, file.setsStatus {
      var statuses = Set<String?>()
      for p in parents {
        let e = try git.entry(at: change.path, inTree: p.tree)
        statuses.insert(
          try e.map { (e) throws -> String? in try parse(e.id, id: rec, path: change.path).text("status") }
            ?? nil)
      }
      file.parentStatuses = statuses
    }
    return file
  }

  /// What every row and finding of one commit share, worked out once per commit.
  private struct CommitFacts {
    var id: ObjectID?
    var hex: String?
    var parents: [String]
    var isMerge: Bool
    var author: AuditPerson
    var committer: AuditPerson
    var recorded: CalendarDate
    var effective: CalendarDate
    var note: String?
    var reason: String?
    var byRectrack: Bool
    var summary: String
    /// The rules an `Override:` trailer names that `rectrack.yml` lets it override.
    var overridden: Set<AuditRule>

    init(_ context: RuleCommit, commit: CommitInfo, overridable: Set<AuditRule>) {
      id = context.id
      hex = context.id?.hex
      parents = commit.parents.map(\.hex)
      isMerge = context.isMerge
      author = AuditPerson(commit.author)
      committer = AuditPerson(commit.committer, sameTimeAs: commit.author, written: author.date)
      recorded = context.recorded
      effective = context.effective
      note = context.note
      reason = context.reason
      byRectrack = context.byRectrack
      summary = commit.summary
      let overrides = context.overrides
      overridden = overrides.isEmpty ? [] : overrides.intersection(overridable)
    }
  }

  /// The audit's row for one changed file.
  private func row(
    _ file: RuleFileChange, _ shared: CommitFacts, commit: CommitInfo, signature: AuditSignatureState?
  )
    -> AuditChange
  {
    let kind: AuditChangeKind =
      file.old == nil ? .added : file.new == nil ? .deleted : file.oldPath != nil ? .moved : .modified
    // A side that does not parse has no fields to compare: the row then says only that the
    // file changed (and `valid` says which side is broken).
    var fields: [String] = []
    let oldFields = file.comparable ? file.old?.fields ?? [] : []
    let newFields = file.comparable ? file.new?.fields ?? [] : []
    for (key, value) in newFields where key != "status" && key != "due" {
      if oldFields.first(where: { $0.key == key })?.value != value { fields.append(key) }
    }
    for (key, _) in oldFields
    where key != "status" && key != "due" && !newFields.contains(where: { $0.key == key }) {
      fields.append(key)
    }
    let (oldStatus, newStatus, oldDue, newDue) = (file.oldStatus, file.newStatus, file.oldDue, file.newDue)
    return AuditChange(
      commit: shared.hex ?? commit.id.hex, parents: shared.parents, merge: shared.isMerge,
      author: shared.author, committer: shared.committer,
      recorded: shared.recorded,
      effective: shared.effective, recommendation: file.recommendation, file: file.path,
      previousFile: file.oldPath, kind: kind,
      status: oldStatus == newStatus ? nil : AuditValueChange(from: oldStatus, to: newStatus),
      due: oldDue == newDue ? nil : AuditValueChange(from: oldDue, to: newDue), fields: fields,
      note: shared.note, reason: shared.reason, byRectrack: shared.byRectrack,
      valid: file.new?.valid ?? true,
      previousValid: file.old?.valid ?? true, summary: shared.summary, signature: signature)
  }

  /// A rule's finding with its severity and stable id. A finding of a rule the commit overrode
  /// (an `Override:` trailer naming it), where `rectrack.yml` allows that override, is reported
  /// as `override-used` instead.
  private func finding(_ f: RuleFinding, in context: RuleCommit, _ shared: CommitFacts) -> AuditFinding {
    var rule = f.rule
    var message = f.message
    if shared.overridden.contains(f.rule) {
      rule = .overrideUsed
      message =
        "overridden \(f.rule.rawValue): \(f.message); note: "
        + (context.note?.trimmingWhitespace.replacingOccurrences(of: "\n", with: " ") ?? "none")
    }
    let id = AuditFindingID.make(
      rule: rule, commit: context.id, recommendation: f.recommendation, file: f.file, key: f.key)
    return AuditFinding(
      id: id, rule: rule, severity: rules.severity(of: rule), commit: shared.hex,
      recommendation: f.recommendation, file: f.file, message: message, details: f.details)
  }

  /// Reads an acknowledgement commit; it counts only when its author has the commissioner role.
  private func readAcknowledgement(_ id: ObjectID, into acks: inout [String: AuditAcknowledgement]) throws {
    let commit = try git.commit(id)
    let message = CommitMessage(parsing: commit.message)
    guard rules.isCommissioner(commit.author.email) else { return }
    for t in message.trailers where t.key.lowercased() == AuditFindingID.trailer.lowercased() {
      let findingID = t.value.trimmingWhitespace
      guard acks[findingID] == nil else { continue }
      acks[findingID] = AuditAcknowledgement(
        by: commit.author.formatted, at: commit.author.iso8601, note: message.body?.trimmingWhitespace ?? "",
        commit: id.hex)
    }
  }

  // MARK: Merges

  /// The files of a merge that differ from every parent, less those git merges on its own to the
  /// same result: what a person decided while merging.
  private func mergeResolutions(_ id: ObjectID, _ h: CommitHeader, _ parents: [CommitHeader]) throws
    -> [FileChange]
  {
    var vsFirst: [FileChange] = []
    try diffTrees(parents[0].recommendations, h.recommendations, TrackingRepository.folder, into: &vsFirst)
    var candidates: [FileChange] = []
    for c in vsFirst {
      var sameAsAParent = false
      for p in parents.dropFirst() {
        let e = try git.entry(at: c.path, inTree: p.tree)
        let counts = e.map { RecommendationPath.isRecommendation(path: c.path, mode: $0.mode) } ?? true
        if e?.id == c.new && counts {
          sameAsAParent = true
        }
      }
      if !sameAsAParent { candidates.append(c) }
    }
    guard !candidates.isEmpty else { return [] }
    guard h.parents.count == 2 else { return candidates }
    let auto = try git.automaticMerge(h.parents[0], h.parents[1], under: TrackingRepository.folder + "/")
    return candidates.filter { c in
      auto.conflicted.contains(c.path) || auto.clean[c.path] != c.new
    }
  }

  /// The sections of `rectrack.yml` that decide what the audit allows (`roles`, `audit` and the
  /// workflow's keys) and that differ between two versions of the file.
  private func changedSettings(_ old: ObjectID?, _ new: ObjectID?) throws -> [String] {
    func sections(_ blob: ObjectID?) throws -> [String: Node] {
      guard let blob else { return [:] }
      let text = String(decoding: try git.blob(blob), as: UTF8.self)
      // Yams' default resolver, not `SettingsYAML`: the sections are compared as typed values, so
      // `5` and `"5"` (which the readers take differently) differ.
      guard let map = (try? Yams.compose(yaml: text))??.mapping else { return ["(unreadable)": Node(text)] }
      var out: [String: Node] = [:]
      for (k, v) in map { if let key = k.string { out[key] = v } }
      return out
    }
    let a = try sections(old)
    let b = try sections(new)
    let watched = [
      "roles", "audit", "statuses", "terminal", "initial", "transitions", "awaiting-verification",
      "(unreadable)",
    ]
    return watched.filter { a[$0] != b[$0] }
  }

  // MARK: Trees and blobs

  /// A parent's header: read when the walk passed it, else now (a parent outside `--range`).
  private func header(_ id: ObjectID) throws -> CommitHeader {
    if let h = headers[id] { return h }
    if everything == nil { everything = try TreeDiffer(git, scope: .everything, sharing: differ) }
    let h = try git.auditedCommit(
      id, folder: TrackingRepository.folder, file: Settings.fileName, differ: everything!
    ).header
    headers[id] = h
    return h
  }

  /// The recommendation files (`RecommendationPath`) that differ between two `Recommendations`
  /// trees, by blob id, as the one tree differ finds them (`TreeDiffer`, `.recommendations`:
  /// names `TreePath` refuses and folders deeper than `RecommendationPath.maxFolderDepth` are not read).
  private func diffTrees(_ old: ObjectID?, _ new: ObjectID?, _ folder: String, into out: inout [FileChange])
    throws
  {
    if old == new { return }
    if differ == nil { differ = try TreeDiffer(git, scope: .recommendations, walking: true) }
    for c in try differ!.changes(from: old, to: new, at: folder) {
      let aFile = c.old.flatMap {
        RecommendationPath.isRecommendation(path: c.path, mode: $0.mode) ? $0.id : nil
      }
      let bFile = c.new.flatMap {
        RecommendationPath.isRecommendation(path: c.path, mode: $0.mode) ? $0.id : nil
      }
      if aFile != bFile { out.append(FileChange(path: c.path, oldPath: nil, old: aFile, new: bFile)) }
    }
  }

  /// A file removed and a file with the same ID added in one commit is one move.
  private func pairMoves(_ changes: [FileChange]) -> [FileChange] {
    var out: [FileChange] = []
    var deleted: [String: [Int]] = [:]
    for (i, c) in changes.enumerated() where c.new == nil {
      deleted[TrackingRepository.id(ofPath: c.path), default: []].append(i)
    }
    var used = Set<Int>()
    for (i, c) in changes.enumerated() where c.old == nil {
      let id = TrackingRepository.id(ofPath: c.path)
      if let j = deleted[id]?.first(where: { !used.contains($0) }) {
        used.insert(j)
        used.insert(i)
        out.append(FileChange(path: c.path, oldPath: changes[j].path, old: changes[j].old, new: c.new))
      }
    }
    for (i, c) in changes.enumerated() where !used.contains(i) { out.append(c) }
    return out.sorted { $0.path < $1.path }
  }

  /// Drops the readings of the versions a commit replaced: the walk goes parents first, so the
  /// old version of a file is rarely read again (a revert, or a branch beside this one, reads it
  /// once more). Only the readings of versions still in use are kept, not one per blob in all
  /// history; what is read again is read the same way, so the report does not change.
  private func forgetReplaced(_ changes: [FileChange], isMerge: Bool) {
    guard !isMerge else { return }
    for c in changes {
      guard let old = c.old, old != c.new else { continue }
      parsed[BlobKey(blob: old, id: TrackingRepository.id(ofPath: c.oldPath ?? c.path))] = nil
    }
  }

  private func parse(_ blob: ObjectID, id: String, path: String) throws -> ParsedVersion {
    let key = BlobKey(blob: blob, id: id)
    if let p = parsed[key] { return p }
    let bytes = try git.blob(blob)
    let result: ParsedVersion
    do {
      let doc = try RecommendationDocument(bytes: bytes, path: path)
      let errors = doc.validate(expectedID: id, statuses: workflow.statuses).filter { $0.severity == .error }
      result = ParsedVersion(readable: true, fields: doc.fields, errors: errors)
    } catch {
      result = ParsedVersion(readable: false, fields: [], errors: [error])
    }
    parsed[key] = result
    return result
  }

  // MARK: Settings, range, signatures

  private func resolveRange(_ range: String?) throws -> (base: ObjectID?, tip: ObjectID?) {
    guard let range else { return (nil, try git.head().commit) }
    let parts = range.components(separatedBy: "..")
    guard parts.count == 2, !parts[1].isEmpty else {
      throw TrackingError.usage(
        "--range '\(range)' must be OLD..NEW, e.g. --range main..feature or the two ids a hook receives.")
    }
    func isZeros(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0 == "0" } }
    func commit(_ s: String) throws -> ObjectID {
      guard let c = try git.resolve(s) else {
        throw TrackingError.usage("--range: '\(s)' is not a commit in this repository.")
      }
      return c
    }
    if isZeros(parts[1]) { return (nil, nil) }
    let base = parts[0].isEmpty || isZeros(parts[0]) ? nil : try commit(parts[0])
    return (base, try commit(parts[1]))
  }

  private func settingsText(at commit: ObjectID?) throws -> String {
    guard let commit else { return "" }
    let tree = try git.commit(commit).tree
    guard let e = try git.entry(at: Settings.fileName, inTree: tree), e.isBlob else { return "" }
    return String(decoding: try git.blob(e.id), as: UTF8.self)
  }

  /// The verifier, with the allowed-signers file from the repository written to a temporary file.
  private func makeVerifier(settingsCommit: ObjectID?, environment: [String: String]) throws
    -> (SignatureVerifier, () -> Void)
  {
    var allowed: String?
    var cleanup: () -> Void = {}
    if rules.requireSignatures, let path = rules.allowedSigners, let commit = settingsCommit {
      guard let e = try git.entry(at: path, inTree: try git.commit(commit).tree), e.isBlob else {
        throw TrackingError.settings(
          path: Settings.fileName,
          message: "audit: allowed-signers names \(path), which is not a file in the repository")
      }
      let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "rectrack-allowed-\(UUID().uuidString)")
      try Data(try git.blob(e.id)).write(to: url)
      allowed = url.path
      cleanup = { try? FileManager.default.removeItem(at: url) }
    } else if rules.requireSignatures {
      allowed = try git.configPath("gpg.ssh.allowedSignersFile")
    }
    return (SignatureVerifier.locate(allowedSigners: allowed, environment: environment), cleanup)
  }

  private func signatureStatement(
    _ c: (checked: Int, unsigned: Int, verified: Int, bad: Int, unverified: Int), reasons: [String: Int],
    verifier: SignatureVerifier
  ) -> String {
    guard rules.requireSignatures else {
      return "Signatures were not checked: rectrack.yml does not require signed commits."
    }
    let scope = rules.requireSignaturesSince.map { "commits from \($0) on" } ?? "all commits"
    var s =
      "Signed commits are required for \(scope). \(c.checked) commit\(c.checked == 1 ? "" : "s") checked: "
    s +=
      "\(c.unsigned) not signed, \(c.verified) signature\(c.verified == 1 ? "" : "s") verified, \(c.bad) bad, "
    s += "\(c.unverified) present but not verified."
    if c.unverified > 0 {
      s +=
        " Not verified: "
        + reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ") + "."
    }
    let tools = verifier.tools
    s +=
      tools.isEmpty
      ? " Neither gpg nor ssh-keygen is installed, so no signature could be verified."
      : " Tools used: \(tools.joined(separator: ", "))"
        + (verifier.allowedSigners == nil
          ? "; no SSH allowed-signers file, so SSH signers were not checked." : ".")
    return s
  }
}

extension Auditor {
  /// Records the audited head as tag `audit/YYYY-MM-DD` (`-2`, `-3`... when that name is taken by
  /// another commit), so that a later audit can tell whether that history was rewritten.
  /// Returns the tag and whether it was created (false: a seal already marks this commit).
  /// `changes`: how many change rows the audit had, when they were handed out as it walked
  /// (`run`'s `changes`) rather than kept in the report.
  public func seal(_ report: AuditReport, tagger: Signature?, on date: CalendarDate, changes: Int? = nil)
    throws(TrackingError) -> (tag: String, created: Bool)
  {
    guard let hex = report.head, let head = ObjectID(hex: hex) else {
      throw .usage("there is nothing to seal: the repository has no commits.")
    }
    if let existing = report.seals.first(where: { $0.commit == hex }) { return (existing.tag, false) }
    // Every name under audit/ is taken, seals or not (a tag on a blob still holds its name).
    var taken = Set(report.seals.map(\.tag))
    do {
      taken.formUnion(
        try git.referenceTargets(withPrefix: "refs/tags/").keys.filter { $0.hasPrefix("audit/") })
    } catch {
      throw .git(error)
    }
    var name = "audit/\(date)"
    var n = 2
    while taken.contains(name) {
      name = "audit/\(date)-\(n)"
      n += 1
    }
    let message = """
      Audited by rectrack on \(date): \(report.commitsWalked) commits, \(changes ?? report.changes.count) changes, \
      \(report.counts.error) errors, \(report.counts.warning) warnings, \(report.counts.info) notes.

      """
    do { try git.createTag(name, on: head, tagger: tagger, message: message) } catch { throw .git(error) }
    return (name, true)
  }
}

extension Auditor {
  /// Makes objects that git keeps outside the repository's object folder visible: in a
  /// pre-receive hook, the pushed commits wait in a quarantine folder named by
  /// `GIT_QUARANTINE_PATH` / `GIT_OBJECT_DIRECTORY`, which libgit2 does not read by itself.
  public func addObjectDirectories(from environment: [String: String]) throws(TrackingError) {
    var dirs: [String] = []
    for key in ["GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY"] {
      if let d = environment[key], !d.isEmpty, !dirs.contains(d) { dirs.append(d) }
    }
    for d in (environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] ?? "").split(separator: ":").map(String.init)
    where !d.isEmpty && !dirs.contains(d) {
      dirs.append(d)
    }
    for d in dirs where FileManager.default.fileExists(atPath: d) {
      do { try git.addObjectDirectory(d) } catch { throw .git(error) }
    }
  }
}
