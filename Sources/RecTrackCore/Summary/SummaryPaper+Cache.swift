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
  /// the request, the day and meeting today makes it for, the format and the template's text. So
  /// regenerating a paper gives the same bytes whether or not it is remembered; a day given to
  /// `--recorded-at` and `--no-cache` always compute. A paper remembered a few commits below is
  /// carried on when those commits cannot change it (`PaperText.carried`).
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
      (
        try PaperText.made(request, in: base, plan: plan, findingSpans: false, render: render).paper,
        .computed
      )
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
      // Today decides only the paper's day and meeting (`PaperPlan`): a paper asked again on
      // another day is the same paper when they are.
      key.text(plan.day.description)
      key.text(plan.meeting?.tag)
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
      made = try PaperText.made(request, in: base, plan: plan, findingSpans: true, render: render)
    }
    store.save(key(start)) { w, strings in made.write(&w, &strings) }
    return (made.paper, carried.map { .carried($0.depth) } ?? .computed)
  }
}

/// A rendered paper as the report cache keeps it: the text, and where in it the commit it was
/// built from is named (`spans`), so that the same paper built from a later commit is this text
/// with that commit written in those places.
struct PaperText {
  var paper: RememberedPaper
  /// Where the text names the commit it was built from, in UTF-8 offsets, in order; nil when
  /// those places could not be told apart (the paper is then not carried).
  var spans: [Span]?

  /// A place where the text writes the start commit.
  struct Span {
    enum Kind: UInt8 {
      /// Its id (`Summary.recordedAt`), or the first `length` digits of it.
      case commit = 0
      /// The day it was recorded, in words (`PaperFrontMatter.recordedText`).
      case recordedDay = 1
    }
    var kind: Kind
    var offset: Int
    var length: Int
  }

  /// Builds and renders the paper; with `findingSpans` (a paper to remember), the spans are
  /// found by rendering it a second time with another commit id and recorded day of the same
  /// lengths that differ from them in every character: the two texts differ exactly where they
  /// are written.
  static func made(
    _ request: PaperRequest, in base: TrackingRepository, plan: PaperPlan, findingSpans: Bool,
    render: (Paper) throws(TrackingError) -> String
  ) throws(TrackingError) -> PaperText {
    var paper = try Summary.paper(request, in: base, plan: plan)
    let text = try render(paper)
    let made = RememberedPaper(
      text: text, recordedAt: paper.summary.recordedAt, warnings: paper.summary.warnings, repo: paper.repo)
    let dayText = paper.summary.paper?.recordedText ?? ""
    guard findingSpans, let hex = paper.summary.recordedAt, let otherHex = otherText(hex),
      let otherDay = otherText(dayText)
    else {
      return PaperText(paper: made, spans: nil)
    }
    paper.summary.recordedAt = otherHex
    if !dayText.isEmpty { paper.summary.paper?.recordedText = otherDay }
    let second = try render(paper)
    return PaperText(
      paper: made,
      spans: spans(in: text, second, commit: (hex, otherHex), recordedDay: (dayText, otherDay)))
  }

  /// The text with every digit and letter changed to another (the next one, but 9 to a, f to 0,
  /// z to a, Z to A) and each space written x: the same length, and different in every character.
  /// nil for any other character (it might be escaped, and the lengths would differ).
  static func otherText(_ s: String) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    for c in s.utf8 {
      switch c {
      case UInt8(ascii: "f"): out.append(UInt8(ascii: "0"))
      case UInt8(ascii: "9"): out.append(UInt8(ascii: "a"))
      case UInt8(ascii: "z"): out.append(UInt8(ascii: "a"))
      case UInt8(ascii: "Z"): out.append(UInt8(ascii: "A"))
      case UInt8(ascii: "0")..<UInt8(ascii: "9"), UInt8(ascii: "a")..<UInt8(ascii: "z"),
        UInt8(ascii: "A")..<UInt8(ascii: "Z"):
        out.append(c + 1)
      case UInt8(ascii: " "): out.append(UInt8(ascii: "x"))
      default: return nil
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The runs where `text` and `second` differ, each of which must be a prefix of the commit id
  /// (and of the other id in `second`) or the whole recorded day (and the other day); nil
  /// otherwise.
  static func spans(
    in text: String, _ second: String, commit: (String, String), recordedDay: (String, String)
  ) -> [Span]? {
    let a = Array(text.utf8)
    let b = Array(second.utf8)
    let (hex, otherHex) = (Array(commit.0.utf8), Array(commit.1.utf8))
    let (day, otherDay) = (Array(recordedDay.0.utf8), Array(recordedDay.1.utf8))
    guard a.count == b.count else { return nil }
    var out: [Span] = []
    var i = 0
    while i < a.count {
      guard a[i] != b[i] else {
        i += 1
        continue
      }
      var end = i
      while end < a.count, a[end] != b[end] { end += 1 }
      let n = end - i
      if !day.isEmpty, a[i..<end].elementsEqual(day), b[i..<end].elementsEqual(otherDay) {
        out.append(Span(kind: .recordedDay, offset: i, length: n))
      } else if n <= hex.count, a[i..<end].elementsEqual(hex[0..<n]),
        b[i..<end].elementsEqual(otherHex[0..<n])
      {
        out.append(Span(kind: .commit, offset: i, length: n))
      } else {
        return nil
      }
      i = end
    }
    return out
  }

  /// The paper remembered at the nearest commit below `start` (`ReportCache.nearestBelow`), as
  /// built from `start`, when nothing the commits since hold can change it: every change they
  /// make to a recommendation file is dated after the paper's `day` (so it counts in none of the
  /// paper's figures, lists or sections, which all read the history as of the day), they leave
  /// everything outside `Recommendations/` as it was (`rectrack.yml`, `Templates/`), and none of
  /// them is `marked` (a meeting's or an update request's commit, whose place on the chain the
  /// paper reads). Only the commit the paper names changes: its id and the day it was recorded.
  /// nil otherwise.
  static func carried(
    to start: ObjectID, day: CalendarDate, marking marked: Set<ObjectID>, in git: Repository,
    _ read: (ObjectID) -> PaperText?
  ) throws(GitError) -> (text: PaperText, depth: Int)? {
    guard let (below, depth, saved) = ReportCache.nearestBelow(start, in: git, read),
      let spans = saved.spans, saved.paper.recordedAt == below.hex
    else { return nil }
    let top = try git.commit(start)
    let bottom = try git.commit(below)
    func outside(_ tree: ObjectID) throws(GitError) -> [TreeEntry] {
      try git.treeEntries(tree).filter { $0.name != RecommendationPath.folder }
    }
    guard try outside(top.tree) == outside(bottom.tree),
      let since = try RecommendationHistory.commits(git, from: start, downTo: below),
      let recorded = since.first?.recorded,
      since.allSatisfy({ c in !marked.contains(c.id) && (c.walked.map { $0.date > day } ?? true) })
    else { return nil }
    // The text again, each span written anew (a day in words may be longer or shorter), the
    // day as the paper writes it (`history.chain.last?.recorded`).
    let old = Array(saved.paper.text.utf8)
    let hex = Array(start.hex.utf8)
    let dayText = Array(recorded.longText.utf8)
    var text: [UInt8] = []
    text.reserveCapacity(old.count + 8)
    var moved: [Span] = []
    var at = 0
    for s in spans {
      text.append(contentsOf: old[at..<s.offset])
      let written: ArraySlice<UInt8> = s.kind == .commit ? hex[0..<s.length] : dayText[...]
      moved.append(Span(kind: s.kind, offset: text.count, length: written.count))
      text.append(contentsOf: written)
      at = s.offset + s.length
    }
    text.append(contentsOf: old[at...])
    var paper = saved.paper
    paper.text = String(decoding: text, as: UTF8.self)
    paper.recordedAt = start.hex
    return (PaperText(paper: paper, spans: moved), depth)
  }

  init(paper: RememberedPaper, spans: [Span]?) {
    self.paper = paper
    self.spans = spans
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
      var spans: [Span] = []
      var end = 0
      for _ in 0..<count {
        guard let kind = Span.Kind(rawValue: try r.u8()) else { throw ByteReader.Truncated() }
        let offset = Int(try r.u32())
        let length = Int(try r.u32())
        // Spans out of order or outside the text are damage: the paper is not believed.
        guard offset >= end, offset + length <= text.utf8.count, kind == .recordedDay || length <= 40 else {
          throw ByteReader.Truncated()
        }
        spans.append(Span(kind: kind, offset: offset, length: length))
        end = offset + length
      }
      self.spans = spans
    }
  }

  func write(_ w: inout ByteWriter, _ strings: inout StringTable) {
    w.u32(strings.index(paper.text))
    w.u8(paper.recordedAt == nil ? 0 : 1)
    if let r = paper.recordedAt { w.u32(strings.index(r)) }
    w.u32(UInt32(paper.warnings.count))
    for warning in paper.warnings { w.u32(strings.index(warning)) }
    w.u8(spans == nil ? 0 : 1)
    if let spans {
      w.u32(UInt32(spans.count))
      for s in spans {
        w.u8(s.kind.rawValue)
        w.u32(UInt32(s.offset))
        w.u32(UInt32(s.length))
      }
    }
  }
}
