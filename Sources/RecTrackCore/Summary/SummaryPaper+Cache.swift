/// A paper as `Summary.rememberedOutput` gives it: the rendered text and what the command shows
/// beside it.
public struct RememberedPaper {
  public var text: String
  /// The commit the paper was built from (the summary's `recordedAt`).
  public var recordedAt: String?
  /// The summary's warnings (files left out), for standard error.
  public var warnings: [String]
  /// The repository read at that commit (its `Templates/`).
  public var repo: TrackingRepository
}

extension Summary {
  /// The paper of `request` rendered by `render` (JSON, Markdown or HTML), remembered
  /// (`ReportCache`) under everything it is made from: the commit its history starts at (the
  /// meeting's tag, `--recorded-at`'s commit, else HEAD; that commit also fixes `rectrack.yml` and
  /// `Templates/`), every meeting on record as the paper reads it (`PaperPlan.meetings`) and every
  /// update request and reply (their tags' names, commits, messages and taggers), every field of
  /// the request, today, the format and the template's text. So regenerating a paper gives the
  /// same bytes whether or not it is remembered; a day given to `--recorded-at` and `--no-cache`
  /// always compute. A paper remembered a few commits below is carried on when those commits
  /// cannot change it (`carried`).
  public static func rememberedOutput(
    _ request: PaperRequest, in base: TrackingRepository, format: String, template: String?,
    render: (Paper) throws(TrackingError) -> String
  ) throws(TrackingError) -> RememberedPaper {
    try rememberedTracing(request, in: base, format: format, template: template, render: render).paper
  }

  /// Where a paper of `rememberedTracing` came from.
  enum PaperOrigin: Equatable {
    case computed, remembered
    /// Carried on from the paper of the commit this many first-parent commits below.
    case carried(Int)
  }

  /// `rememberedOutput`, saying where the paper came from (for the tests).
  static func rememberedTracing(
    _ request: PaperRequest, in base: TrackingRepository, format: String, template: String?,
    render: (Paper) throws(TrackingError) -> String
  ) throws(TrackingError) -> (paper: RememberedPaper, origin: PaperOrigin) {
    let plan = try PaperPlan(request, in: base)
    func computed() throws(TrackingError) -> (paper: RememberedPaper, origin: PaperOrigin) {
      (try PaperText.made(request, in: base, plan: plan, render: render).paper, .computed)
    }
    var given: ObjectID?
    switch plan.rev {
    case .commit(let id, _)?: given = id
    case .day?: return try computed()
    case nil: given = nil
    }
    let opened: (store: ReportCache, key: ReportKey, start: ObjectID)?
    do { opened = try ReportCache.open(base.git, for: "summary", at: given) } catch { throw .git(error) }
    guard request.usingCache, let (store, _, start) = opened else { return try computed() }
    let repo = try TrackingRepository(repository: base.git, pinnedAt: start)
    let tags = try UpdateLog.tags(in: base).sorted(by: { $0.name < $1.name })
    let templateSource = try template.map { (name) throws(TrackingError) in
      try TemplateStore(repo: repo).source(named: SummaryRenderer.templateFile(name))
    }
    // Everything but the start commit, the same for the commits below (`carried`).
    func key(_ commit: ObjectID) -> [UInt8] {
      var key = ReportKey("summary")
      key.oid(commit)
      for day in [request.meeting, request.asOf, request.since, request.nextMeeting] {
        key.text(day?.description)
      }
      key.text(request.sinceMeeting ? "since-meeting" : nil)
      key.text(request.today.description)
      let o = request.paperOverrides
      for v in [o.agendaItem, o.author, o.title, o.purpose, o.recommendation] { key.text(v) }
      // The meetings as the paper reads them, and the update requests and replies as tags.
      for m in plan.meetings {
        for part in [m.tag, m.commit, m.title, m.notes, m.recordedBy] { key.text(part) }
      }
      for t in tags {
        key.text(t.name)
        key.oid(t.commit)
        key.text(t.message)
        key.text(t.tagger.map { "\($0.formatted) \($0.time) \($0.offsetMinutes)" })
      }
      key.text(format)
      if let (text, origin) = templateSource {
        key.text(origin)
        key.text(text)
      }
      return key.bytes
    }
    func read(_ commit: ObjectID) -> PaperText? {
      store.read(key(commit)) { (r) throws(ByteReader.Truncated) -> PaperText in try PaperText(&r, repo: repo)
      }
    }
    if let saved = read(start) { return (saved.paper, .remembered) }
    // The commits whose place on the chain the paper reads: a meeting's and an update tag's.
    let marked = Set(plan.meetings.compactMap { ObjectID(hex: $0.commit) } + tags.map(\.commit))
    let carried: (text: PaperText, depth: Int)?
    do {
      carried = try PaperText.carried(to: start, day: plan.day, marking: marked, in: base.git, read)
    } catch {
      throw .git(error)
    }
    let made: PaperText
    if let carried {
      made = carried.text
    } else {
      made = try PaperText.made(request, in: base, plan: plan, render: render)
    }
    store.save(key(start)) { w, strings in made.write(&w, &strings) }
    return (made.paper, carried.map { .carried($0.depth) } ?? .computed)
  }
}

/// A rendered paper as the report cache keeps it: the text, and where in it the commit it was
/// built from is written (`commitSpans`), so that the same paper built from a later commit is
/// this text with that commit's id written in those places.
struct PaperText {
  var paper: RememberedPaper
  /// Each place the text writes the start commit's id (`Summary.recordedAt`) or its first digits:
  /// UTF-8 offset and length. nil when they could not be told apart (the paper is not carried).
  var commitSpans: [(offset: Int, length: Int)]?

  /// Builds and renders the paper; the spans are found by rendering it a second time with
  /// another id of the same length that differs from it in every digit: the texts differ exactly
  /// where the id is written.
  static func made(
    _ request: PaperRequest, in base: TrackingRepository, plan: PaperPlan,
    render: (Paper) throws(TrackingError) -> String
  ) throws(TrackingError) -> PaperText {
    var paper = try Summary.paper(request, in: base, plan: plan)
    let text = try render(paper)
    let made = RememberedPaper(
      text: text, recordedAt: paper.summary.recordedAt, warnings: paper.summary.warnings, repo: paper.repo)
    guard let hex = paper.summary.recordedAt, request.usingCache else {
      return PaperText(paper: made, commitSpans: nil)
    }
    let other = String(decoding: hex.utf8.map(otherDigit), as: UTF8.self)
    paper.summary.recordedAt = other
    let second = try render(paper)
    return PaperText(paper: made, commitSpans: spans(of: hex, in: text, other: other, in: second))
  }

  private static func otherDigit(_ c: UInt8) -> UInt8 {
    switch c {
    case UInt8(ascii: "9"): UInt8(ascii: "a")
    case UInt8(ascii: "0")..<UInt8(ascii: "9"), UInt8(ascii: "a")..<UInt8(ascii: "f"): c + 1
    default: UInt8(ascii: "0")
    }
  }

  /// The runs where `text` and `second` differ, each of which must be a prefix of `hex` in
  /// `text` and the same prefix of `other` in `second`; nil otherwise.
  static func spans(of hex: String, in text: String, other: String, in second: String)
    -> [(offset: Int, length: Int)]?
  {
    let a = Array(text.utf8)
    let b = Array(second.utf8)
    let h = Array(hex.utf8)
    let o = Array(other.utf8)
    guard a.count == b.count else { return nil }
    var out: [(offset: Int, length: Int)] = []
    var i = 0
    while i < a.count {
      guard a[i] != b[i] else {
        i += 1
        continue
      }
      var end = i
      while end < a.count, a[end] != b[end] { end += 1 }
      let n = end - i
      guard n <= h.count, a[i..<end].elementsEqual(h[0..<n]), b[i..<end].elementsEqual(o[0..<n]) else {
        return nil
      }
      out.append((i, n))
      i = end
    }
    return out
  }

  /// The paper remembered at the nearest commit below `start` (`ReportCache.nearestBelow`), as
  /// built from `start`, when nothing the commits since hold can change it: every change they
  /// make to a recommendation file is dated after the paper's `day` (so it counts in none of the
  /// paper's figures, lists or sections, which all read the history as of the day), they leave
  /// everything outside `Recommendations/` as it was (`rectrack.yml`, `Templates/`), none of
  /// them is `marked` (a meeting's or an update request's commit, whose place on the chain the
  /// paper reads), and `start` was recorded on the same day (the front matter names the day
  /// the record was made). Only the commit id written in the paper changes. nil otherwise.
  static func carried(
    to start: ObjectID, day: CalendarDate, marking marked: Set<ObjectID>, in git: Repository,
    _ read: (ObjectID) -> PaperText?
  ) throws(GitError) -> (text: PaperText, depth: Int)? {
    guard let (below, depth, saved) = ReportCache.nearestBelow(start, in: git, read),
      let spans = saved.commitSpans, saved.paper.recordedAt == below.hex
    else { return nil }
    let top = try git.commit(start)
    let bottom = try git.commit(below)
    func recordedDay(_ c: CommitInfo) -> CalendarDate {
      CalendarDate(secondsSinceEpoch: c.committer.time, offsetMinutes: c.committer.offsetMinutes)
    }
    guard recordedDay(top) == recordedDay(bottom) else { return nil }
    func outside(_ tree: ObjectID) throws(GitError) -> [TreeEntry] {
      try git.treeEntries(tree).filter { $0.name != RecommendationPath.folder }
    }
    guard try outside(top.tree) == outside(bottom.tree) else { return nil }
    var commit = top
    for _ in 0..<depth {
      guard !marked.contains(commit.id), let parent = commit.parents.first else { return nil }
      commit = try git.commit(parent)
    }
    guard commit.id == below,
      let dates = try RecommendationHistory.changeDates(git, from: start, downTo: below),
      dates.allSatisfy({ $0 > day })
    else { return nil }
    var text = Array(saved.paper.text.utf8)
    let hex = Array(start.hex.utf8)
    for s in spans { text.replaceSubrange(s.offset..<s.offset + s.length, with: hex[0..<s.length]) }
    var paper = saved.paper
    paper.text = String(decoding: text, as: UTF8.self)
    paper.recordedAt = start.hex
    return (PaperText(paper: paper, commitSpans: spans), depth)
  }

  init(paper: RememberedPaper, commitSpans: [(offset: Int, length: Int)]?) {
    self.paper = paper
    self.commitSpans = commitSpans
  }

  init(_ r: inout SegmentReader, repo: TrackingRepository) throws(ByteReader.Truncated) {
    let text = try r.string()
    let recordedAt = try r.u8() == 1 ? try r.string() : nil
    let n = try r.count()
    var warnings: [String] = []
    for _ in 0..<n { warnings.append(try r.string()) }
    paper = RememberedPaper(text: text, recordedAt: recordedAt, warnings: warnings, repo: repo)
    if try r.u8() == 1 {
      let count = try r.count()
      var spans: [(offset: Int, length: Int)] = []
      let size = text.utf8.count
      for _ in 0..<count {
        let offset = Int(try r.u32())
        let length = Int(try r.u32())
        // A span outside the text is damage: the paper is not carried.
        guard offset + length <= size, length <= 40 else { throw ByteReader.Truncated() }
        spans.append((offset, length))
      }
      commitSpans = spans
    }
  }

  func write(_ w: inout ByteWriter, _ strings: inout StringTable) {
    w.u32(strings.index(paper.text))
    w.u8(paper.recordedAt == nil ? 0 : 1)
    if let r = paper.recordedAt { w.u32(strings.index(r)) }
    w.u32(UInt32(paper.warnings.count))
    for warning in paper.warnings { w.u32(strings.index(warning)) }
    w.u8(commitSpans == nil ? 0 : 1)
    if let spans = commitSpans {
      w.u32(UInt32(spans.count))
      for s in spans {
        w.u32(UInt32(s.offset))
        w.u32(UInt32(s.length))
      }
    }
  }
}
