import Foundation

extension Auditor {
  /// Records that the commissioner's office has dealt with finding `findingID`: an empty commit
  /// (no file changes) whose `Acknowledges-Finding:` trailer names it, so the acknowledgement
  /// travels with a plain `git clone`/`push` as well as `rectrack sync`. Later audits still list
  /// the finding, with who acknowledged it, when and why, and do not fail on it.
  ///
  /// Refused (nothing committed) when the author is not in the role `commissioner`, when no
  /// finding of the audit of HEAD has that id, or when it is already acknowledged.
  public func acknowledge(findingID: String, note: String, author: Signature) throws(TrackingError)
    -> (commit: ObjectID, finding: AuditFinding)
  {
    let id = findingID.trimmingWhitespace.lowercased()
    guard !note.trimmingWhitespace.isEmpty else {
      throw .usage("an acknowledgement needs --note saying how the finding was dealt with.")
    }
    let report = try run(AuditOptions(environment: [:]))
    let settings: AuditSettings
    do {
      settings = try AuditSettings(settingsText: repo.settings.text, workflow: repo.workflow)
    }
    guard settings.isCommissioner(author.email) else {
      let office = settings.roles.first { $0.name == AuditSettings.commissionerRole }?.people ?? []
      let mine = settings.roles(of: author.email).map(\.name)
      throw .usage(
        "only the commissioner's office may acknowledge an audit finding"
          + (office.isEmpty
            ? " (rectrack.yml names no one in the role 'commissioner')"
            : " (role 'commissioner': \(office.joined(separator: ", ")))")
          + "; \(author.formatted)"
          + (mine.isEmpty ? " has no role" : " (role \(mine.joined(separator: ", ")))")
          + " may not. Nothing was recorded.")
    }
    guard let finding = report.findings.first(where: { $0.id == id }) else {
      throw .usage(
        "there is no finding \(findingID) in the audit of this repository. Run 'rectrack audit' to see "
          + "the ids (the column after the rule), then run again with one of them. Nothing was recorded.")
    }
    if let a = finding.acknowledged {
      throw .nothingToChange("finding \(id) was already acknowledged by \(a.by) at \(a.at).")
    }
    let message = CommitMessage(
      summary: "Acknowledge audit finding \(id) (\(finding.rule.rawValue))", body: note,
      trailers: [(AuditFindingID.trailer, id), ("Finding-Rule", finding.rule.rawValue)]
        + (finding.commit.map { [("Finding-Commit", $0)] } ?? []))
    let commit = try Recorder(repo: repo).commitFiles([], author: author, message: message)
    return (commit, finding)
  }
}
