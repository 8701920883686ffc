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
  /// update request and reply (their tags' names, commits, messages and taggers), every field of the request, today, the format and the
  /// template's text. So regenerating a paper gives the same bytes whether or not it is
  /// remembered; a day given to `--recorded-at` and `--no-cache` always compute.
  public static func rememberedOutput(
    _ request: PaperRequest, in base: TrackingRepository, format: String, template: String?,
    render: (Paper) throws(TrackingError) -> String
  ) throws(TrackingError) -> RememberedPaper {
    let plan = try PaperPlan(request, in: base)
    func compute() throws(TrackingError) -> RememberedPaper {
      let paper = try paper(request, in: base, plan: plan)
      return RememberedPaper(
        text: try render(paper), recordedAt: paper.summary.recordedAt, warnings: paper.summary.warnings,
        repo: paper.repo)
    }
    var given: ObjectID?
    switch plan.rev {
    case .commit(let id, _)?: given = id
    case .day?: return try compute()
    case nil: given = nil
    }
    let opened: (store: ReportCache, key: ReportKey, start: ObjectID)?
    do { opened = try ReportCache.open(base.git, for: "summary", at: given) } catch { throw .git(error) }
    guard request.usingCache, var (store, key, start) = opened else { return try compute() }
    let repo = try TrackingRepository(repository: base.git, pinnedAt: start)
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
    for t in try UpdateLog.tags(in: base).sorted(by: { $0.name < $1.name }) {
      key.text(t.name)
      key.oid(t.commit)
      key.text(t.message)
      key.text(t.tagger.map { "\($0.formatted) \($0.time) \($0.offsetMinutes)" })
    }
    key.text(format)
    if let template {
      let (text, origin) = try TemplateStore(repo: repo).source(named: SummaryRenderer.templateFile(template))
      key.text(origin)
      key.text(text)
    }
    let saved = store.read(key.bytes) { (r) throws(ByteReader.Truncated) -> RememberedPaper in
      let text = try r.string()
      let recordedAt = try r.u8() == 1 ? try r.string() : nil
      let n = try r.count()
      var warnings: [String] = []
      for _ in 0..<n { warnings.append(try r.string()) }
      return RememberedPaper(text: text, recordedAt: recordedAt, warnings: warnings, repo: repo)
    }
    if let saved { return saved }
    let made = try compute()
    store.save(key.bytes) { w, strings in
      w.u32(strings.index(made.text))
      w.u8(made.recordedAt == nil ? 0 : 1)
      if let r = made.recordedAt { w.u32(strings.index(r)) }
      w.u32(UInt32(made.warnings.count))
      for warning in made.warnings { w.u32(strings.index(warning)) }
    }
    return made
  }
}
