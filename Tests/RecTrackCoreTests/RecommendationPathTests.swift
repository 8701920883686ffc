import RecTrackCore
import Testing

/// The one rule for which tree entry is a recommendation file, and the workflow's status that
/// awaits verification (read from `rectrack.yml`).
@Suite struct RecommendationPathTests {
  @Test func whichEntriesAreRecommendationFiles() {
    #expect(
      RecommendationPath.classify(path: "Recommendations/DP-01.yml", mode: 0o100644)
        == .recommendation(id: "DP-01"))
    #expect(
      RecommendationPath.classify(path: "Recommendations/a/b/DP-01.yml", mode: 0o100644)
        == .recommendation(id: "DP-01"))
    #expect(
      RecommendationPath.classify(path: "Recommendations/DP-01.yml", mode: 0o100755)
        == .recommendation(id: "DP-01"))
    #expect(
      RecommendationPath.classify(path: "Recommendations/DP-01.yml", mode: 0o100664)
        == .recommendation(id: "DP-01"))
    #expect(
      RecommendationPath.classify(path: "Recommendations/DP-01.yml", mode: 0o120000) == .notARegularFile)
    #expect(
      RecommendationPath.classify(path: "Recommendations/DP-01.yml", mode: 0o160000) == .notARegularFile)
    #expect(RecommendationPath.classify(path: "Recommendations/draft.yml", mode: 0o100644) == .notAnID)
    #expect(RecommendationPath.classify(path: "Recommendations/DP--01.yml", mode: 0o100644) == .notAnID)
    #expect(RecommendationPath.classify(path: "Recommendations/DP-01.yaml", mode: 0o100644) == .other)
    #expect(RecommendationPath.classify(path: "Notes/DP-01.yml", mode: 0o100644) == .other)
    #expect(RecommendationPath.classify(path: "DP-01.yml", mode: 0o100644) == .other)
    #expect(RecommendationPath.classify(path: "RecommendationsX/DP-01.yml", mode: 0o100644) == .other)
  }

  /// ASCII paths are read as bytes (`id(ofPath:)`, the audit's fast path): the same answers as
  /// splitting the path into characters, including the awkward paths.
  @Test func pathsReadAsBytesGiveWhatCharactersGive() {
    func byCharacters(_ path: String) -> String? {
      guard path.hasPrefix("Recommendations/") else { return nil }
      let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
      guard name.hasSuffix(".yml") else { return nil }
      let id = String(name.dropLast(4))
      return RecommendationPath.isValidID(id) ? id : nil
    }
    func trackingByCharacters(_ path: String) -> String {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      return name.hasSuffix(".yml") ? String(name.dropLast(4)) : name
    }
    let paths = [
      "", "/", "///", "Recommendations", "Recommendations/", "Recommendations//", "Recommendations/.yml",
      "Recommendations/DP-01.yml", "Recommendations/a/b/DP-01.yml", "Recommendations//DP-01.yml",
      "Recommendations/DP-01.yml/", "Recommendations/dp-01.yml", "Recommendations/DP-01.yaml",
      "RecommendationsX/DP-01.yml", "recommendations/DP-01.yml", "DP-01.yml", "a/DP-01.yml", "a/b/",
      "Recommendations/a\r\n/DP-01.yml", "Recommendations/DP-01.yml\r\n", ".yml", "x.yml/",
      "Recommendations/-A.yml",
      "Recommendations/r\u{301}/DP-01.yml", "Recommendations/\u{301}DP-01.yml",
    ]
    for p in paths {
      #expect(RecommendationPath.id(ofPath: p) == byCharacters(p), "\(p)")
      #expect(TrackingRepository.id(ofPath: p) == trackingByCharacters(p), "\(p)")
    }
  }

  @Test func modesAsGitReadsThem() {
    #expect(RecommendationPath.canonicalMode(0o100664) == 0o100644)
    #expect(RecommendationPath.canonicalMode(0o100644) == 0o100644)
    #expect(RecommendationPath.canonicalMode(0o100755) == 0o100755)
    #expect(RecommendationPath.canonicalMode(0o120000) == 0o120000)
  }

  @Test func theIDRuleIsTheValidatorsToo() {
    for id in ["DP-01", "A", "A1-B2-C3", "DP-", "-DP", "dp-01", "DP--01", "", "DP_01", "É-01"] {
      #expect(Recommendation.isValidID(id) == RecommendationPath.isValidID(id), "\(id)")
      #expect(
        (RecommendationPath.id(fromFileName: id + ".yml") != nil) == RecommendationPath.isValidID(id), "\(id)"
      )
    }
  }

  @Test func awaitingVerificationComesFromTheSettings() throws {
    #expect(Workflow.standard.awaitingVerification == "complete")
    let custom = try Settings(
      yaml: "statuses: [open, implemented, closed]\nterminal: [closed]\nawaiting-verification: implemented\n")
    #expect(custom.workflow.awaitingVerification == "implemented")
    #expect(
      custom.workflow.isOverdue(
        status: "open", due: CalendarDate("2020-01-01"), on: CalendarDate("2020-01-02")!))
    #expect(
      !custom.workflow.isOverdue(
        status: "implemented", due: CalendarDate("2020-01-01"), on: CalendarDate("2020-01-02")!))
    #expect(
      !custom.workflow.isOverdue(
        status: "open", due: CalendarDate("2020-01-02"), on: CalendarDate("2020-01-02")!))
    // Without the key, a custom list has `complete` only if it names it.
    let none = try Settings(yaml: "statuses: [open, closed]\nterminal: [closed]\n")
    #expect(none.workflow.awaitingVerification == nil)
    let named = try Settings(yaml: "statuses: [open, complete, closed]\nterminal: [closed]\n")
    #expect(named.workflow.awaitingVerification == "complete")
    #expect(throws: TrackingError.self) {
      try Settings(yaml: "statuses: [open, closed]\nterminal: [closed]\nawaiting-verification: closed\n")
    }
    #expect(throws: TrackingError.self) { try Settings(yaml: "awaiting-verification: done\n") }
    #expect(SummarySettings(workflow: custom.workflow).green == ["implemented", "closed"])
    #expect(SummarySettings().green == ["complete", "closed"])
    #expect(SummarySettings().grey == ["not-accepted", "superseded"])
  }
}
