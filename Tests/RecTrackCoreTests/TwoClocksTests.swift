import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// docs/format.md §6 (issue 13): the history as recorded at a day, a tag, a branch or a commit, and
/// meeting papers as circulated and as restated. Generated histories with late records,
/// back-dated imports, commits rebased (author before committer), merges, moves across folders
/// and meetings tagged before later commits; every figure of both clocks is checked against the
/// git CLI brute force (a clone checked out at REV, sections 4 and 5 applied).
@Suite struct TwoClocksTests {
  static let statuses = Workflow.standard.statuses
  static let terminal = Workflow.standard.terminal
  static let tagger = Signature(
    name: "Clerk", email: "clerk@example.org", time: 1_600_000_000, offsetMinutes: 0)

  struct Scenario {
    let test: TestRepository
    /// Meeting days in order.
    var meetings: [CalendarDate] = []
    /// Days to try as --recorded-at.
    var days: [CalendarDate] = []
    var last = CalendarDate("2021-01-01")!
  }

  static func iso(_ d: CalendarDate, hour: Int = 10, offset: String = "+00:00") -> String {
    "\(d)T\(hour < 10 ? "0" : "")\(hour):00:00\(offset)"
  }

  /// Commits everything with separate author and committer dates.
  static func commit(_ test: TestRepository, _ message: String, author: String, committer: String) throws {
    try test.git.run(["add", "-A"])
    try test.git.run(
      ["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", "-"],
      environment: ["GIT_AUTHOR_DATE": author, "GIT_COMMITTER_DATE": committer], input: message)
  }

  static func file(_ id: String, _ status: String, due: CalendarDate) -> String {
    TestRepository.recommendation(id: id, status: status, due: due.description)
  }

  /// A seeded history; see the suite's description.
  static func generate(seed: UInt64, steps: Int) throws -> Scenario {
    var rng = SeededRandom(seed: seed)
    var s = Scenario(test: try TestRepository())
    let test = s.test
    var live: [String: (folder: String, status: String, due: CalendarDate)] = [:]
    var next = 1
    var day = CalendarDate("2021-01-04")!
    func path(_ id: String) -> String { "Recommendations/\(live[id]!.folder)/\(id).yml" }
    func write(_ id: String) throws {
      let r = live[id]!
      try test.write(path(id), file(id, r.status, due: r.due))
    }
    func newID() -> String {
      defer { next += 1 }
      return "R-\(next)"
    }
    func anyID() -> String? { live.keys.sorted().randomElement(using: &rng) }
    for step in 0..<steps {
      day = day.adding(days: Int.random(in: 2...25, using: &rng))
      let stamp = iso(day)
      let roll = live.count < 3 ? 0 : Int.random(in: 0..<100, using: &rng)
      switch roll {
      case 0..<20:
        let id = newID()
        live[id] = (
          ["a", "b"].randomElement(using: &rng)!, "open",
          day.adding(days: Int.random(in: -30...200, using: &rng))
        )
        try write(id)
        try commit(test, "Add \(id)\n", author: stamp, committer: stamp)
      case 20..<45:
        guard let id = anyID() else { continue }
        live[id]!.status = statuses.randomElement(using: &rng)!
        try write(id)
        try commit(test, "\(id): status\n", author: stamp, committer: stamp)
      case 45..<57:
        // A late record: done weeks ago, recorded today.
        guard let id = anyID() else { continue }
        live[id]!.status = ["complete", "closed", "in-progress"].randomElement(using: &rng)!
        try write(id)
        let effective = day.adding(days: -Int.random(in: 5...120, using: &rng))
        try commit(
          test, "\(id): late\n\nRecorded late.\n\nEffective: \(effective)\n", author: stamp, committer: stamp)
      case 57..<65:
        // A back-dated import: new recommendations whose history starts long ago.
        let effective = day.adding(days: -Int.random(in: 200...700, using: &rng))
        for _ in 0..<Int.random(in: 2...3, using: &rng) {
          let id = newID()
          live[id] = (
            "imported", ["open", "in-progress", "closed"].randomElement(using: &rng)!,
            effective.adding(days: 90)
          )
          try write(id)
        }
        try commit(test, "Import tracker\n\nEffective: \(effective)\n", author: stamp, committer: stamp)
      case 65..<72:
        // Rebased: authored a month ago, committed (recorded) today.
        guard let id = anyID() else { continue }
        live[id]!.due = live[id]!.due.adding(days: 30)
        try write(id)
        try commit(
          test, "\(id): due\n", author: iso(day.adding(days: -31), offset: "-05:00"), committer: stamp)
      case 72..<80:
        guard let id = anyID() else { continue }
        let old = path(id)
        live[id]!.folder = live[id]!.folder == "a" ? "b" : "a"
        try test.move(String(old), path(id))
        try commit(test, "Move \(id)\n", author: stamp, committer: stamp)
      case 80..<83:
        guard let id = anyID() else { continue }
        try test.remove(path(id))
        live[id] = nil
        try commit(test, "Delete \(id)\n", author: stamp, committer: stamp)
      default:
        // A side branch merged with --no-ff; main changes another recommendation meanwhile.
        let ids = live.keys.sorted().shuffled(using: &rng)
        guard ids.count >= 2 else { continue }
        try test.checkout("side-\(step)", create: true)
        live[ids[0]]!.status = statuses.randomElement(using: &rng)!
        try write(ids[0])
        try commit(test, "\(ids[0]) on a branch\n", author: stamp, committer: stamp)
        try test.checkout("main")
        live[ids[1]]!.status = statuses.randomElement(using: &rng)!
        try write(ids[1])
        try commit(test, "\(ids[1]) on main\n", author: stamp, committer: iso(day, hour: 11))
        try test.merge("side-\(step)", message: "Merge side-\(step)", date: iso(day, hour: 12))
        if step % 2 == 0 { try test.git.run(["branch", "-D", "side-\(step)"]) }
      }
      if step % 7 == 6 {
        // A meeting: the paper is built from HEAD now; later commits follow.
        try test.git.run(
          ["tag", "-a", "meeting/\(day)", "-m", "Panel \(day)"],
          environment: ["GIT_COMMITTER_DATE": iso(day, hour: 18)])
        s.meetings.append(day)
      }
      if step % 5 == 2 { s.days.append(day.adding(days: Int.random(in: 0...3, using: &rng))) }
    }
    s.last = day
    s.days.insert(CalendarDate("2020-06-01")!, at: 0)
    return s
  }

  /// The brute force's counts for every status, as a status -> count map.
  static func counts(_ b: BruteForceHistory?, asOf day: CalendarDate) -> (map: [String: Int], overdue: Int) {
    guard let b else { return (Dictionary(uniqueKeysWithValues: statuses.map { ($0, 0) }), 0) }
    let (c, overdue) = b.counts(asOf: day, statuses: statuses, terminal: terminal)
    return (Dictionary(uniqueKeysWithValues: zip(statuses, c)), overdue)
  }

  static func map(_ c: StatusCounts) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: zip(c.statuses, c.values))
  }

  static func status(_ b: BruteForceHistory, _ id: String, asOf day: CalendarDate) -> String? {
    b.snapshot(asOf: day)[id].flatMap { b.fields[$0.blob]?.status }
  }

  @Test(arguments: [11, 12, 13] as [UInt64])
  func everyFigureOfBothClocksAgreesWithTheGitCLI(seed: UInt64) throws {
    let s = try Self.generate(seed: seed, steps: 60)
    let repo = try TrackingRepository(at: s.test.path)
    let git = s.test.git
    #expect(s.meetings.count >= 3)

    // --recorded-at a day, a branch, a commit, HEAD: snapshots and month figures.
    let chain = try git.run(["rev-list", "--first-parent", "HEAD"]).split(separator: "\n").map(String.init)
    let branches = try git.run(["for-each-ref", "--format=%(refname:short)", "refs/heads/"]).split(
      separator: "\n"
    )
    .map(String.init)
    var revs: [String] = s.days.map(\.description) + ["HEAD", chain[chain.count / 2], chain[chain.count / 3]]
    revs += branches.filter { $0 != "main" }.prefix(2)
    for rev in revs {
      let parsed = try RecordedAt.parse(rev, in: repo.git)
      let h = try RecommendationHistory.load(from: repo.git, recordedAt: parsed, readingContents: true)
      let b = try BruteForceHistory.recorded(at: rev, in: s.test.path)
      #expect(h.head?.hex == b?.tip, "recorded at \(rev)")
      for asOf in s.days + [s.last] {
        let mine = h.snapshot(asOf: asOf).mapValues { "\($0.path)@\($0.blob.hex)" }
        let theirs = (b?.snapshot(asOf: asOf) ?? [:]).mapValues { "\($0.path)@\($0.blob)" }
        #expect(mine == theirs, "as of \(asOf), recorded at \(rev)")
      }
      let report = ProgressReport.build(
        history: h, from: YearMonth("2021-01")!, to: s.last.yearMonth, today: s.last)
      #expect(report.recordedAt == b?.tip)
      for m in report.months {
        let (c, overdue) = Self.counts(b, asOf: m.asOf)
        #expect(Self.map(m.counts) == c, "\(m.month) recorded at \(rev)")
        #expect(m.overdue == overdue, "overdue \(m.month) recorded at \(rev)")
      }
    }

    // Each meeting's paper as circulated, and as restated by HEAD.
    var restatementsSeen = 0
    defer { #expect(restatementsSeen > 0, "the generated history restates no meeting") }
    for (k, day) in s.meetings.enumerated() {
      let paper = try Summary.paper(PaperRequest(meeting: day, today: s.last), in: repo).summary
      let bm = try #require(try BruteForceHistory.recorded(at: "meeting/\(day)", in: s.test.path))
      #expect(paper.recordedAt == bm.tip)
      let (now, overdue) = Self.counts(bm, asOf: day)
      #expect(Dictionary(uniqueKeysWithValues: paper.headline.counts.map { ($0.status, $0.count) }) == now)
      #expect(paper.headline.total == now.values.reduce(0, +))
      #expect(paper.headline.closed == now["closed"])
      #expect(paper.headline.final == Self.terminal.map { now[$0]! }.reduce(0, +))
      #expect(paper.headline.overdue == overdue)
      let nowIDs = Set(bm.snapshot(asOf: day).keys)
      let closedNow = Set(nowIDs.filter { Self.status(bm, $0, asOf: day) == "closed" })
      guard k > 0 else {
        #expect(paper.previous == nil && paper.restatements.isEmpty)
        #expect(Set(paper.newRecommendations.map(\.id)) == nowIDs)
        #expect(Set(paper.closedSince.map(\.id)) == closedNow)
        continue
      }
      let pDay = s.meetings[k - 1]
      let bp = try #require(try BruteForceHistory.recorded(at: "meeting/\(pDay)", in: s.test.path))
      let previous = try #require(paper.previous)
      #expect(previous.asOf == pDay && previous.recordedAt == bp.tip)
      #expect(Self.map(previous.counts) == Self.counts(bp, asOf: pDay).map, "circulated \(pDay)")
      #expect(Self.map(previous.restatedCounts) == Self.counts(bm, asOf: pDay).map, "restated \(pDay)")
      #expect(
        previous.isRestated == (Self.map(previous.counts) != Self.map(previous.restatedCounts))
          || Self.counts(bp, asOf: pDay).overdue != Self.counts(bm, asOf: pDay).overdue)
      let inP = Set(bp.commits.map(\.id))
      var expected = Set<String>()
      for c in bm.commits where !inP.contains(c.id) && c.date <= pDay {
        for id in c.changed.keys { expected.insert("\(id)@\(c.id)") }
      }
      #expect(Set(paper.restatements.map { "\($0.id)@\($0.commit)" }) == expected, "restatements of \(pDay)")
      restatementsSeen += paper.restatements.count
      for r in paper.restatements {
        let c = try #require(bm.commits.first { $0.id == r.commit })
        #expect(r.date == c.date && r.recorded == c.recorded)
        #expect(r.explanation.hasPrefix("\(r.id) was recorded on \(TextTable.humanDate(c.recorded))"))
      }
      let thenIDs = Set(bp.snapshot(asOf: pDay).keys)
      #expect(Set(paper.newRecommendations.map(\.id)) == nowIDs.subtracting(thenIDs), "new since \(pDay)")
      #expect(
        Set(paper.closedSince.map(\.id))
          == closedNow.filter { Self.status(bp, $0, asOf: pDay) != "closed" }, "closed since \(pDay)")
      // The appendix: every commit dated in the period or recorded since the previous paper
      // (dated up to the meeting).
      #expect(
        Set(paper.commits.map(\.id))
          == Set(
            bm.commits.filter {
              (!inP.contains($0.id) || $0.date > pDay) && $0.date <= day && !$0.changed.isEmpty
            }
            .map(\.id)))

      // The same paper restated by everything recorded since.
      let head = try #require(try repo.git.resolve("HEAD"))
      let restated = try Summary.paper(
        PaperRequest(meeting: day, recordedAt: .commit(head, text: "HEAD"), today: s.last), in: repo
      ).summary
      let bh = try #require(try BruteForceHistory.recorded(at: "HEAD", in: s.test.path))
      #expect(restated.recordedAt == bh.tip)
      #expect(
        Dictionary(uniqueKeysWithValues: restated.headline.counts.map { ($0.status, $0.count) })
          == Self.counts(bh, asOf: day).map)
      #expect(restated.headline.overdue == Self.counts(bh, asOf: day).overdue)
      #expect(
        Self.map(try #require(restated.previous).counts) == Self.map(previous.counts), "still as circulated")
    }
  }

  /// The history as recorded at any commit of the chain, cut from HEAD's one walk, is exactly
  /// the walk of that commit (so a day, a tag and a commit give the same answer).
  @Test(arguments: [5, 6] as [UInt64])
  func aPrefixOfTheWalkIsTheWalkOfThatCommit(seed: UInt64) throws {
    let test = try HistoryGenerator.generate(seed: seed, steps: 40)
    let repo = try TrackingRepository(at: test.path)
    let head = try RecommendationHistory.load(from: repo.git)
    #expect(head.chain.count == head.firstParentLength && head.chain.last?.id == head.head)
    func key(_ h: RecommendationHistory) -> [String] {
      h.changes.map {
        "\($0.id) \($0.commit.id) \($0.commit.position) \($0.commit.recorded) \($0.version?.blob.hex ?? "-")"
      }
    }
    for p in stride(from: 0, to: head.chain.count, by: max(1, head.chain.count / 12)) {
      let cut = head.recorded(atPosition: p)
      let walked = try RecommendationHistory.load(from: repo.git, at: head.chain[p].id)
      #expect(cut.head == walked.head && cut.chain == walked.chain)
      #expect(key(cut) == key(walked), "position \(p)")
      #expect(cut.commits.map(\.id) == walked.commits.map(\.id))
    }
    #expect(head.recorded(atPosition: -1).head == nil && head.recorded(atPosition: -1).changes.isEmpty)
    let committed = try test.git.run([
      "log", "--first-parent", "--date=format:%Y-%m-%d", "--format=%cd", "HEAD",
    ])
    .split(separator: "\n").reversed().map { CalendarDate(String($0))! }
    #expect(head.chain.map(\.recorded) == committed)
  }

  /// A past paper regenerated after later commits (late records restating it, a back-dated
  /// import) is the same, byte for byte, in every format; restated, it changes.
  @Test func aPastPaperRegeneratesByteForByte() throws {
    let s = try Self.generate(seed: 21, steps: 30)
    let repo = try TrackingRepository(at: s.test.path)
    let day = try #require(s.meetings.first)
    func render() throws -> [String] {
      let paper = try Summary.paper(PaperRequest(meeting: day, today: s.last), in: repo)
      let store = TemplateStore(repo: paper.repo)
      return [
        SummaryRenderer.json(paper.summary),
        try SummaryRenderer.render(paper.summary, template: "summary.md", store: store),
        try SummaryRenderer.render(paper.summary, template: "summary.html", store: store),
      ]
    }
    let before = try render()
    let tip = try #require(try repo.git.head().commit)
    #expect(!before[1].contains("Generated") && !before[2].contains("Generated"))
    // Later: a completion recorded late for the meeting's period, an import dated before it,
    // and a repository template that would change the paper if read from HEAD.
    let ids = try #require(try BruteForceHistory.recorded(at: "meeting/\(day)", in: s.test.path))
      .snapshot(asOf: day).keys.sorted()
    let id = try #require(ids.first)
    let folder = try #require(repo.headCatalog().recommendation(id)).file
    let later = s.last.adding(days: 10)
    try s.test.write(folder, Self.file(id, "complete", due: day))
    try Self.commit(
      s.test, "\(id): complete\n\nEffective: \(day.adding(days: -1))\n", author: Self.iso(later),
      committer: Self.iso(later))
    try s.test.write(
      "Recommendations/imported/LATE-1.yml", Self.file("LATE-1", "open", due: day.adding(days: -60)))
    try s.test.write("Templates/summary.md.mustache", "Changed {{title}}\n")
    try Self.commit(
      s.test, "Import\n\nEffective: \(day.adding(days: -100))\n", author: Self.iso(later),
      committer: Self.iso(later))
    let reopened = try TrackingRepository(at: s.test.path)
    let after = try {
      let paper = try Summary.paper(PaperRequest(meeting: day, today: later), in: reopened)
      let store = TemplateStore(repo: paper.repo)
      return [
        SummaryRenderer.json(paper.summary),
        try SummaryRenderer.render(paper.summary, template: "summary.md", store: store),
        try SummaryRenderer.render(paper.summary, template: "summary.html", store: store),
      ]
    }()
    #expect(after == before)
    #expect(try reopened.git.head().commit != tip)
    let restated = try Summary.paper(
      PaperRequest(
        meeting: day, recordedAt: .commit(try #require(try reopened.git.head().commit), text: "HEAD"),
        today: later),
      in: reopened)
    let bh = try #require(try BruteForceHistory.recorded(at: "HEAD", in: s.test.path))
    #expect(restated.summary.headline.total == bh.snapshot(asOf: day).count)
    #expect(restated.summary.restatements.isEmpty || restated.summary.previous != nil)
    #expect(restated.summary.register.contains { $0.item.id == "LATE-1" })
    #expect(
      !(try Summary.paper(PaperRequest(meeting: day, today: later), in: reopened)).summary.register.contains {
        $0.item.id == "LATE-1"
      })
  }

  /// Stale counts from the day a change was recorded: a back-dated import is fresh.
  @Test func staleIsMeasuredFromTheDayAChangeWasRecorded() throws {
    let test = try TestRepository()
    try test.write("Recommendations/OLD-1.yml", Self.file("OLD-1", "open", due: CalendarDate("2030-01-01")!))
    try Self.commit(
      test, "Add\n", author: "2022-01-10T10:00:00+00:00", committer: "2022-01-10T10:00:00+00:00")
    try test.write("Recommendations/IMP-1.yml", Self.file("IMP-1", "open", due: CalendarDate("2030-01-01")!))
    try Self.commit(
      test, "Import\n\nEffective: 2022-01-05\n", author: "2023-11-10T10:00:00+00:00",
      committer: "2023-11-10T10:00:00+00:00")
    let repo = try TrackingRepository(at: test.path)
    let history = try RecommendationHistory.load(from: repo.git, readingContents: true)
    let s = try Summary.build(
      repo: repo, history: history, request: SummaryRequest(asOf: CalendarDate("2024-02-06")!, since: nil),
      settings: SummarySettings())
    #expect(s.stale.map(\.item.id) == ["OLD-1"])
    #expect(s.stale.first?.lastUpdate == CalendarDate("2022-01-10"))
  }
}
