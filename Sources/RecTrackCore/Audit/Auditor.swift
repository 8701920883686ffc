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
  /// Recommendations added by an import, with the sheet its `Imported-From:` trailer named.
  private var importedFrom: [String: String] = [:]

  public init(repo: TrackingRepository) { self.repo = repo }

  private struct BlobKey: Hashable {
    var blob: ObjectID
    var id: String
  }

  /// One file version read for the audit: its fields when it parses, and its errors.
  private struct ParsedVersion {
    var readable: Bool
    var fields: [(key: String, value: FieldValue)]
    var errors: [FormatError]
    var valid: Bool { readable && errors.isEmpty }
    func text(_ key: String) -> String? {
      guard let v = fields.first(where: { $0.key == key })?.value else { return nil }
      switch v {
      case .text(let s): return s
      case .list(let items): return "[" + items.joined(separator: ", ") + "]"
      }
    }
  }

  private struct FileChange {
    var path: String
    var oldPath: String?
    var old: ObjectID?
    var new: ObjectID?
  }

  /// A finding plus what the filters need to know about it.
  private struct Pending {
    var finding: AuditFinding
    var recorded: CalendarDate?
    var touched: Set<String>
  }

  // MARK: Running

  /// Runs the audit. `progress` is told (commits done, commits in all) every so often.
  public func run(_ options: AuditOptions, progress: ((Int, Int) -> Void)? = nil) throws(TrackingError)
    -> AuditReport
  {
    do {
      return try runGit(options, progress: progress)
    } catch let e as TrackingError {
      throw e
    } catch let e as GitError {
      throw .git(e)
    } catch {
      throw .io("\(error)")
    }
  }

  private func runGit(_ options: AuditOptions, progress: ((Int, Int) -> Void)?) throws -> AuditReport {
    let (base, tip) = try resolveRange(options.range)
    let settingsCommit = base ?? tip
    let settingsText = try settingsText(at: settingsCommit)
    workflow = try Settings(yaml: settingsText).workflow
    rules = try AuditSettings(settingsText: settingsText, workflow: workflow)
    importedFrom = [:]

    var pending: [Pending] = []
    var changes: [AuditChange] = []
    var notChecked: [String] = []
    var walked = 0
    var withChanges = 0
    var dueCounts: [String: Int] = [:]

    let (verifier, cleanup) = try makeVerifier(
      settingsCommit: settingsCommit, environment: options.environment)
    defer { cleanup() }
    var sigCounts = (checked: 0, unsigned: 0, verified: 0, bad: 0, unverified: 0)
    var unverifiedReasons: [String: Int] = [:]

    func add(
      _ rule: AuditRule, _ commit: ObjectID?, _ rec: String?, _ file: String?, _ message: String,
      recorded: CalendarDate?, touched: Set<String>, details: [String]? = nil
    ) {
      pending.append(
        Pending(
          finding: AuditFinding(
            rule: rule, severity: rules.severity(of: rule), commit: commit?.hex, recommendation: rec,
            file: file,
            message: message, details: details),
          recorded: recorded, touched: touched))
    }

    if let tip {
      let order = try git.walkAll(from: [tip], hiding: base.map { [$0] } ?? [])
      walked = order.count
      for (n, id) in order.enumerated() {
        if n % 200 == 0 { progress?(n, order.count) }
        let h = try header(id)
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
        var info: CommitInfo?
        var recorded: CalendarDate?
        if rules.requireSignatures {
          let c = try git.commit(id)
          info = c
          recorded = c.author.calendarDate
        }

        var sigState: AuditSignatureState?
        if rules.requireSignatures, let c = info,
          rules.requireSignaturesSince.map({ c.author.calendarDate >= $0 }) ?? true
        {
          sigCounts.checked += 1
          let touchedIDs = Set(fileChanges.map { TrackingRepository.id(ofPath: $0.path) })
          if let (sig, data) = try git.extractSignature(of: id) {
            let outcome = verifier.verify(signature: sig, signedData: data)
            sigState = outcome.state
            switch outcome.state {
            case .verified:
              sigCounts.verified += 1
              // A key speaks for its principal only: a force officer's key on a commit
              // authored as the commissioner's office is not the commissioner's signature.
              if !outcome.signerMatches(email: c.author.email) {
                add(
                  .signerNotAuthor, id, nil, nil,
                  "\(id.short) is authored as \(c.author.formatted) but signed by "
                    + "\(outcome.principal ?? "someone else"); the signer must be the author",
                  recorded: recorded, touched: touchedIDs)
              }
            case .bad:
              sigCounts.bad += 1
              add(
                .badSignature, id, nil, nil, "\(id.short) \(outcome.detail)", recorded: recorded,
                touched: touchedIDs)
            case .unverified, .unsigned:
              sigCounts.unverified += 1
              unverifiedReasons[outcome.detail, default: 0] += 1
            }
          } else {
            sigState = .unsigned
            sigCounts.unsigned += 1
            add(
              .unsignedCommit, id, nil, nil,
              "\(id.short) by \(c.author.formatted) is not signed, and rectrack.yml requires signed commits",
              recorded: recorded, touched: touchedIDs)
          }
        }
        if parentHeaders.first?.tree != h.tree {
          let unsafe = try git.unsafePaths(from: parentHeaders.first?.tree, to: h.tree)
          if !unsafe.isEmpty {
            let c = try info ?? git.commit(id)
            info = c
            for u in unsafe {
              add(
                .unsafePath, id, nil, u.path,
                "\(u.path): \(u.problem); rectrack never reads or writes it (added by \(c.author.formatted))",
                recorded: c.author.calendarDate, touched: [])
            }
          }
        }
        if parentHeaders.count == 1, parentHeaders[0].settings != h.settings {
          let changed = try changedSettings(parentHeaders[0].settings, h.settings)
          if !changed.isEmpty {
            let c = try info ?? git.commit(id)
            info = c
            add(
              .settingsChanged, id, nil, Settings.fileName,
              "rectrack.yml: \(changed.joined(separator: ", ")) changed by \(c.author.formatted)",
              recorded: c.author.calendarDate, touched: [])
          }
        }
        guard !fileChanges.isEmpty else { continue }
        let commit = try info ?? git.commit(id)
        let rows = try audit(
          commit: commit, header: h, parents: parentHeaders, changes: pairMoves(fileChanges),
          isMerge: isMerge,
          signature: sigState, dueCounts: &dueCounts, add: add)
        if !rows.isEmpty { withChanges += 1 }
        changes += rows
      }
      progress?(order.count, order.count)
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
        add(
          .sealNotTrusted, commit, nil, nil, "\(tag) \(why); it is not used to check for rewritten history",
          recorded: nil, touched: [])
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
          distrust("is a plain tag (no tagger, no date) on \(c.short), which is not in the history of \(tip.short)", c)
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
      add(
        .historyRewritten, commit, nil, nil,
        "the seal \(tag) (\(commit.short)) is no longer in the history of \(tip.short): "
          + "\(gone.count) commit\(gone.count == 1 ? "" : "s") disappeared from the record",
        recorded: nil, touched: ids, details: details)
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

    // Filters.
    func inWindow(_ d: CalendarDate?) -> Bool {
      guard let d else { return true }
      if let s = options.since, d < s { return false }
      if let u = options.until, d > u { return false }
      return true
    }
    let keptChanges = changes.filter { c in
      inWindow(c.recorded) && (options.id.map { $0 == c.recommendation } ?? true)
    }
    let keptFindings = pending.filter { p in
      guard inWindow(p.recorded) else { return false }
      guard let id = options.id else { return true }
      if let r = p.finding.recommendation { return r == id }
      return p.touched.contains(id) || p.finding.rule == .historyRewritten
    }.map(\.finding)

    var counts = AuditCounts()
    for f in keptFindings {
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
    let failed = keptFindings.contains { $0.severity >= options.failOn }
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

  private func audit(
    commit: CommitInfo, header h: CommitHeader, parents: [CommitHeader], changes: [FileChange], isMerge: Bool,
    signature: AuditSignatureState?, dueCounts: inout [String: Int],
    add: (AuditRule, ObjectID?, String?, String?, String, CalendarDate?, Set<String>, [String]?) -> Void
  ) throws -> [AuditChange] {
    let id = commit.id
    let message = CommitMessage(parsing: commit.message)
    let note = message.body?.trimmingWhitespace.isEmpty == false ? message.body : nil
    // rectrack names each recommendation a commit changes (an import names several).
    let named = message.trailers.filter { $0.key.lowercased() == "recommendation" }.map(\.value)
    let trailerRec = named.count == 1 ? named.first : nil
    let byRectrack = !named.isEmpty
    let recorded = commit.author.calendarDate
    var effective = recorded
    let touched = Set(changes.map { TrackingRepository.id(ofPath: $0.path) })
    // An import records a sheet's history late on purpose, and the sheet may have no notes. Its
    // trailer is trusted only in the shape `rectrack import` writes: an import only adds
    // recommendations, then changes those same ones in later commits of its chain. A hand-typed
    // `Imported-From:` on a change to any other recommendation exempts nothing.
    let sheet = message.trailer("Imported-From")
    if let sheet, !isMerge {
      for c in changes where c.old == nil && c.oldPath == nil {
        importedFrom[TrackingRepository.id(ofPath: c.path)] = sheet
      }
    }
    let imported = sheet.map { s in !isMerge && touched.allSatisfy { importedFrom[$0] == s } } ?? false
    func finding(
      _ rule: AuditRule, _ rec: String?, _ file: String?, _ text: String, _ details: [String]? = nil
    ) {
      add(rule, id, rec, file, text, recorded, touched, details)
    }
    let who = commit.author.email

    // Commit-level rules.
    if !isMerge {
      if let eff = message.trailer("Effective") {
        if let d = CalendarDate(eff) {
          effective = d
          if d > recorded {
            finding(
              .effectiveInFuture, trailerRec, nil,
              "Effective: \(d) is after the day the change was recorded (\(recorded))")
          } else if !imported, recorded.daysSinceEpoch - d.daysSinceEpoch > rules.effectiveMaxDaysBefore {
            let days = recorded.daysSinceEpoch - d.daysSinceEpoch
            finding(
              .effectiveBackdated, trailerRec, nil,
              "Effective: \(d) is \(days) days before the change was recorded (\(recorded)); "
                + "the limit is \(rules.effectiveMaxDaysBefore) (audit: effective-max-days-before)")
          }
        } else {
          finding(
            .trailerMismatch, trailerRec, nil, "the Effective: trailer '\(eff)' is not a date (YYYY-MM-DD)")
        }
      }
      if !byRectrack {
        finding(
          .outsideRectrack, touched.count == 1 ? touched.first : nil, nil,
          "\(touched.sorted().joined(separator: ", ")) changed outside rectrack (no Recommendation: trailer) by \(commit.author.formatted)"
        )
      } else if let stray = named.first(where: { !touched.contains($0) }) {
        finding(
          .trailerMismatch, nil, nil,
          "the Recommendation: trailer names \(stray), but the commit changes \(touched.sorted().joined(separator: ", "))"
        )
      }
    }
    // Backdating through the author date: the committer date is when git recorded the commit
    // (docs/format.md §6); an author date far from it, either way, is a date typed in. A commit
    // replayed by `rectrack sync` or a rebase after days offline also shows here, as it should:
    // the reader sees when it was made and when it reached the record.
    let gap = commit.committer.time - commit.author.time
    let limit = Int64(rules.authorDateMaxDays) * 86_400
    if abs(gap) > limit {
      let days = abs(gap) / 86_400
      finding(
        .authorDateFarFromCommitter, touched.count == 1 ? touched.first : nil, nil,
        "authored \(commit.author.iso8601) but committed \(commit.committer.iso8601): the author date is "
          + "\(days) days \(gap > 0 ? "earlier" : "later"); the limit is \(rules.authorDateMaxDays) "
          + "(audit: author-date-max-days)")
    }
    // Dates going backwards. A commit replayed later (rebase, cherry-pick, `rectrack sync`) keeps
    // its author date but gets a new committer date; for those the committer dates are compared.
    let replayed = commit.committer.time != commit.author.time
    let mine = replayed ? commit.committer : commit.author
    func theirs(_ p: CommitHeader) -> (time: Int64, offset: Int) {
      replayed ? (p.committerTime, p.committerOffset) : (p.authorTime, p.authorOffset)
    }
    if let (parentID, latest) = zip(h.parents, parents).max(by: { theirs($0.1).time < theirs($1.1).time }),
      mine.time < theirs(latest).time
    {
      let parentDate = Signature(
        name: "", email: "", time: theirs(latest).time, offsetMinutes: theirs(latest).offset
      )
      .iso8601
      let verb = replayed ? "committed" : "authored"
      finding(
        .authorDateBackwards, touched.count == 1 ? touched.first : nil, nil,
        "\(verb) \(mine.iso8601), before its parent \(parentID.short) (\(parentDate))")
    }

    var rows: [AuditChange] = []
    for change in changes {
      let rec = TrackingRepository.id(ofPath: change.path)
      let old = try change.old.map { (b) throws -> ParsedVersion in
        try parse(b, id: rec, path: change.oldPath ?? change.path)
      }
      let new = try change.new.map { (b) throws -> ParsedVersion in try parse(b, id: rec, path: change.path) }
      let kind: AuditChangeKind =
        change.old == nil ? .added : change.new == nil ? .deleted : change.oldPath != nil ? .moved : .modified
      // A side that does not parse has no fields to compare: the row then says only that the
      // file changed (and `valid` says which side is broken).
      let comparable = (old?.readable ?? true) && (new?.readable ?? true)
      let oldStatus = comparable ? old?.text("status") : nil
      let newStatus = comparable ? new?.text("status") : nil
      let oldDue = comparable ? old?.text("due") : nil
      let newDue = comparable ? new?.text("due") : nil
      var fields: [String] = []
      let oldFields = comparable ? old?.fields ?? [] : []
      let newFields = comparable ? new?.fields ?? [] : []
      for (key, value) in newFields where key != "status" && key != "due" {
        if oldFields.first(where: { $0.key == key })?.value != value { fields.append(key) }
      }
      for (key, _) in oldFields
      where key != "status" && key != "due" && !newFields.contains(where: { $0.key == key }) {
        fields.append(key)
      }
      let reason = message.trailer("Reason").flatMap { $0.isEmpty ? nil : $0 }
      rows.append(
        AuditChange(
          commit: id.hex, parents: commit.parents.map(\.hex), merge: isMerge,
          author: AuditPerson(commit.author),
          committer: AuditPerson(commit.committer), recorded: recorded, effective: effective,
          recommendation: rec,
          file: change.path, previousFile: change.oldPath, kind: kind,
          status: oldStatus == newStatus ? nil : AuditValueChange(from: oldStatus, to: newStatus),
          due: oldDue == newDue ? nil : AuditValueChange(from: oldDue, to: newDue), fields: fields,
          note: note,
          reason: reason, byRectrack: byRectrack, valid: new?.valid ?? true,
          previousValid: old?.valid ?? true, summary: commit.summary,
          signature: signature))

      if kind == .deleted && !isMerge {
        finding(
          .recommendationDeleted, rec, change.path,
          "\(rec) was deleted (\(change.path)) by \(commit.author.formatted); reports no longer count it. "
            + "A recommendation that is no longer pursued is closed with a status, not removed")
      }

      // The file itself.
      if let new, !new.valid, old?.valid ?? true {
        let first =
          new.errors.first.map { "\($0.path):\($0.line):\($0.column): \($0.message)" } ?? "it does not parse"
        finding(
          .invalidFile, rec, change.path, "\(change.path) became invalid: \(first)",
          new.errors.count > 1 ? new.errors.map { "\($0.path):\($0.line):\($0.column): \($0.message)" } : nil)
      }

      if isMerge {
        // Resolutions: say so, and check who set a status no parent had.
        finding(
          .mergeConflictResolved, rec, change.path,
          "the merge's \(change.path) differs from every parent and from git's automatic merge: a conflict was resolved by hand"
        )
        if let newStatus, newStatus != oldStatus, new?.valid == true {
          var parentStatuses = Set<String?>()
          for p in parents {
            let e = try git.entry(at: change.path, inTree: p.tree)
            let s =
              try e.map { (e) throws -> String? in try parse(e.id, id: rec, path: change.path).text("status")
              } ?? nil
            parentStatuses.insert(s)
          }
          if !parentStatuses.contains(newStatus) {
            try checkPerson(who, commit, rec, change.path, newStatus, finding)
          }
        }
        continue
      }

      // Status: transition, person, note.
      if let newStatus, newStatus != oldStatus, new?.valid == true, comparable {
        if let oldStatus, old?.valid == true, workflow.statuses.contains(oldStatus) {
          let reopened = (message.trailer("Reopened") ?? "").lowercased() == "yes"
          let allowed =
            workflow.allowed(from: oldStatus).contains(newStatus)
            || (workflow.isFinal(oldStatus) && reopened && note != nil
              && !workflow.terminal.contains(newStatus))
          if !allowed {
            let options = workflow.allowed(from: oldStatus)
            let hint =
              workflow.isFinal(oldStatus)
              ? "\(oldStatus) is final and may only be reopened (Reopened: yes, with a note) to a status that is not final"
              : "from \(oldStatus) the workflow allows: "
                + (options.isEmpty ? "nothing" : options.joined(separator: ", "))
            finding(
              .transitionNotAllowed, rec, change.path,
              "\(rec): \(oldStatus) -> \(newStatus) is not allowed; \(hint)")
          }
          if note == nil && !imported {
            finding(
              .statusWithoutNote, rec, change.path,
              "\(rec): \(oldStatus) -> \(newStatus) was recorded without a note")
          }
        }
        try checkPerson(who, commit, rec, change.path, newStatus, finding)
      }
      if byRectrack, trailerRec == rec, let t = message.trailer("Status"), new?.valid == true {
        let said = t.components(separatedBy: "->").map(\.trimmingWhitespace)
        let actual = [oldStatus ?? "none", newStatus ?? "none"]
        if said != actual {
          finding(
            .trailerMismatch, rec, change.path,
            "the Status: trailer says \(t), but the file went \(actual[0]) -> \(actual[1])")
        }
      }

      // Due date: reason and how often.
      if let oldDue, oldDue != newDue, change.new != nil {
        let why = reason ?? note
        if why == nil {
          finding(
            .dueWithoutReason, rec, change.path,
            "\(rec): due \(oldDue) -> \(newDue ?? "none") was changed without a reason (Reason: trailer or a note)"
          )
        }
        dueCounts[rec, default: 0] += 1
        let count = dueCounts[rec]!
        if count > rules.maxDueChanges {
          finding(
            .dueChangedTooOften, rec, change.path,
            "\(rec): the due date has now been changed \(count) times; at most \(rules.maxDueChanges) allowed (audit: max-due-changes)"
          )
        }
      }
    }
    return rows
  }

  private func checkPerson(
    _ email: String, _ commit: CommitInfo, _ rec: String, _ file: String, _ status: String,
    _ finding: (AuditRule, String?, String?, String, [String]?) -> Void
  ) throws {
    guard !rules.roles.isEmpty else { return }
    let (allowed, roles) = rules.may(email, set: status, workflow: workflow)
    guard !allowed else { return }
    let mayRoles = rules.rolesAllowed(toSet: status)
    let asRoles = roles.isEmpty ? "who has no role" : "(role \(roles.joined(separator: ", ")))"
    finding(
      .personNotAllowed, rec, file,
      "\(rec) was set to \(status) by \(commit.author.formatted) \(asRoles); only "
        + (mayRoles.isEmpty ? "nobody" : mayRoles.joined(separator: ", ")) + " may set \(status)", nil)
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
        if e?.id == c.new && (e.map { RecommendationPath.isRecommendation(path: c.path, mode: $0.mode) } ?? true) {
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
      guard let map = (try? Yams.compose(yaml: text))??.mapping else { return ["(unreadable)": Node(text)] }
      var out: [String: Node] = [:]
      for (k, v) in map { if let key = k.string { out[key] = v } }
      return out
    }
    let a = try sections(old)
    let b = try sections(new)
    let watched = [
      "roles", "audit", "statuses", "terminal", "initial", "transitions", "awaiting-verification", "(unreadable)",
    ]
    return watched.filter { a[$0] != b[$0] }
  }

  // MARK: Trees and blobs

  private func header(_ id: ObjectID) throws -> CommitHeader {
    if let h = headers[id] { return h }
    let h = try git.header(of: id, folder: TrackingRepository.folder, file: Settings.fileName)
    headers[id] = h
    return h
  }

  /// The recommendation files (`RecommendationPath`) that differ between two trees, found by
  /// comparing entry ids only. Folders deeper than `RecommendationPath.maxFolderDepth` are not read.
  private func diffTrees(
    _ old: ObjectID?, _ new: ObjectID?, _ prefix: String, level: Int = 0, into out: inout [FileChange]
  ) throws {
    if old == new { return }
    for (name, a, b) in try git.changedEntries(old, new) {
      // A name such as `..` or `.git` is reported once by the unsafe-path rule, never read.
      if TreePath.problem(component: Substring(name)) != nil { continue }
      let path = prefix + "/" + name
      let aTree = a?.isTree == true ? a?.id : nil
      let bTree = b?.isTree == true ? b?.id : nil
      if aTree != nil || bTree != nil, level < RecommendationPath.maxFolderDepth {
        try diffTrees(aTree, bTree, path, level: level + 1, into: &out)
      }
      let aFile = a.flatMap { RecommendationPath.isRecommendation(path: path, mode: $0.mode) ? $0.id : nil }
      let bFile = b.flatMap { RecommendationPath.isRecommendation(path: path, mode: $0.mode) ? $0.id : nil }
      if aFile != bFile { out.append(FileChange(path: path, oldPath: nil, old: aFile, new: bFile)) }
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
  public func seal(_ report: AuditReport, tagger: Signature?, on date: CalendarDate) throws(TrackingError)
    -> (tag: String, created: Bool)
  {
    guard let hex = report.head, let head = ObjectID(hex: hex) else {
      throw .usage("there is nothing to seal: the repository has no commits.")
    }
    if let existing = report.seals.first(where: { $0.commit == hex }) { return (existing.tag, false) }
    // Every name under audit/ is taken, seals or not (a tag on a blob still holds its name).
    var taken = Set(report.seals.map(\.tag))
    do {
      taken.formUnion(try git.referenceTargets(withPrefix: "refs/tags/").keys.filter { $0.hasPrefix("audit/") })
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
      Audited by rectrack on \(date): \(report.commitsWalked) commits, \(report.changes.count) changes, \
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
