/// The paper's "updates asked of owners": who was asked for an update in the period and whether
/// they replied (issue 16), from the request and reply tags `updates request` and `updates record`
/// leave (`UpdateLog`).
extension Summary {
  /// One owner's latest request in the period.
  public struct UpdateRequest: Codable, Sendable, Hashable {
    public var owner: String
    public var askedOn: CalendarDate
    public var askedOnText: String
    /// How many recommendations it asked about, and in words ("1 recommendation").
    public var items: Int
    public var itemsText: String
    public var replyBy: CalendarDate
    public var replyByText: String
    /// The day the reply came back; absent: no reply by the paper's day.
    public var repliedOn: CalendarDate?
    public var repliedOnText: String?
    /// Replied after the reply-by day, or not replied and that day has passed.
    public var late: Bool
    /// "asked on 10 January 2024, replied on 17 January 2024", or "..., no reply".
    public var text: String
    /// The request's tag, e.g. `updates/2024-01-10/head-of-partnerships`.
    public var tag: String
  }

  /// How many owners were asked and how many replied; absent when nobody was asked.
  public struct UpdateRequestCounts: Codable, Sendable, Hashable {
    public var asked: Int
    public var replied: Int
    public var late: Int
    /// "2 of 3 owners asked for an update replied; 1 is late."
    public var sentence: String

    init(_ requests: [UpdateRequest]) {
      asked = requests.count
      replied = requests.filter { $0.repliedOn != nil }.count
      late = requests.filter(\.late).count
      sentence =
        "\(replied) of \(asked) owner\(asked == 1 ? "" : "s") asked for an update replied"
        + (late == 0 ? "." : "; \(late) \(late == 1 ? "is" : "are") late.")
    }
  }

  /// The requests for the paper recorded at `history`: asked after the period's start and on or
  /// before its day, made from a commit on the paper's history (so a paper as circulated does not
  /// gain requests made later), each owner's latest, with its reply when that was recorded on the
  /// same history by the paper's day.
  static func updateRequests(
    in repo: TrackingRepository, history: RecommendationHistory, day: CalendarDate, start: CalendarDate?
  ) throws(TrackingError) -> [UpdateRequest] {
    func recorded(_ hex: String) -> Bool { ObjectID(hex: hex).flatMap { history.position(of: $0) } != nil }
    let log = try UpdateLog.record(in: repo)
    let requests = log.requests.filter { recorded($0.madeFrom) }
    let replies = log.replies.filter { recorded($0.commit) }
    return UpdateLog.status(
      requests: requests, replies: replies, today: day, since: start.map { $0.adding(days: 1) }
    ).map { s in
      let asked = "asked on \(s.askedOn.longText)"
      let reply: String
      if let r = s.repliedOn {
        reply =
          "replied on \(r.longText)" + (s.late ? ", after the reply-by day (\(s.replyBy.longText))" : "")
      } else {
        reply = "no reply" + (s.late ? " (it was due by \(s.replyBy.longText))" : " yet")
      }
      return UpdateRequest(
        owner: s.owner, askedOn: s.askedOn, askedOnText: s.askedOn.longText, items: s.items,
        itemsText: "\(s.items) recommendation\(s.items == 1 ? "" : "s")",
        replyBy: s.replyBy, replyByText: s.replyBy.longText, repliedOn: s.repliedOn,
        repliedOnText: s.repliedOn?.longText, late: s.late, text: asked + ", " + reply, tag: s.request)
    }
  }
}
