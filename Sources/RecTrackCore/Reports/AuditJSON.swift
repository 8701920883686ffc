/// The audit's JSON written straight into bytes: the same text `JSONEncoder` writes for
/// `AuditReport` with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` (an absent optional
/// is left out, `AuditValueChange` writes both sides), without the encoder's tree of values and
/// its copies. On 50,000 commits the JSON is ~90 MB: encoding it with `JSONEncoder`, then
/// making a `String` and its bytes, held several copies at once (Benchmarks/README.md).
extension AuditOutput {
  /// `json(_:)` as bytes, ending in a newline.
  public static func jsonBytes(_ r: AuditReport) -> [UInt8] {
    var all: [UInt8] = []
    writeJSON(r) { all += $0 }
    return all
  }

  /// `json(_:)` handed to `sink` a piece at a time (about 1 MB each, in order), so the whole text
  /// is never held at once.
  public static func writeJSON(_ r: AuditReport, to sink: @escaping ([UInt8]) -> Void) {
    JSONStream(to: sink).finish(r)
  }

  static let chunk = 1 << 20

  /// The same JSON with the change rows written as the audit makes them (`Auditor.run`'s
  /// `changes`), before the report is done: the rows are the first key of the report (with no
  /// `base`, that is without `--range`), so they never need to be held. `finish` writes the rest.
  public final class JSONStream {
    private var w = JSONText(capacity: AuditOutput.chunk + 4_096)
    private let sink: ([UInt8]) -> Void
    private var opened = false
    private var count = 0

    public init(to sink: @escaping ([UInt8]) -> Void) { self.sink = sink }

    /// One more row of `changes`. Only for a report without `base` (`base` comes first).
    public func add(_ c: AuditChange) {
      if !opened { open(base: nil) }
      w.element(first: count == 0)
      AuditOutput.write(c, into: &w)
      count += 1
      flush()
    }

    /// The report after the rows added (its own `changes` follow them), and the final new line.
    public func finish(_ r: AuditReport) {
      precondition(!opened || r.base == nil, "rows were written before a report with a base")
      if !opened { open(base: r.base) }
      for c in r.changes { add(c) }
      w.closeArray(empty: count == 0)
      let sink = self.sink
      AuditOutput.writeAfterChanges(r, into: &w) { w in
        if w.bytes.count >= AuditOutput.chunk { sink(w.drain()) }
      }
      w.closeObject()
      w.endLine()
      sink(w.drain())
    }

    private func open(base: String?) {
      opened = true
      w.openObject()
      if let base {
        w.member("base", first: true)
        w.string(base)
      }
      w.member("changes", first: base == nil)
      w.openArray()
    }

    private func flush() {
      if w.bytes.count >= AuditOutput.chunk { sink(w.drain()) }
    }
  }

  /// The report's keys after `changes`, in sorted order (`JSONEncoder`'s `.sortedKeys`).
  private static func writeAfterChanges(
    _ r: AuditReport, into w: inout JSONText, flush: (inout JSONText) -> Void
  ) {
    w.member("commitsWalked")
    w.int(r.commitsWalked)
    w.member("commitsWithChanges")
    w.int(r.commitsWithChanges)
    w.member("counts")
    write(r.counts, into: &w)
    w.member("failOn")
    w.string(r.failOn.rawValue)
    w.member("filters")
    write(r.filters, into: &w)
    w.member("findings")
    w.openArray()
    for (i, f) in r.findings.enumerated() {
      w.element(first: i == 0)
      write(f, into: &w)
      flush(&w)
    }
    w.closeArray(empty: r.findings.isEmpty)
    if let head = r.head {
      w.member("head")
      w.string(head)
    }
    w.member("notChecked")
    w.strings(r.notChecked)
    w.member("passed")
    w.bool(r.passed)
    w.member("seals")
    w.array(count: r.seals.count) { w, i in write(r.seals[i], into: &w) }
    w.member("settings")
    write(r.settings, into: &w)
    w.member("signatures")
    write(r.signatures, into: &w)
    w.member("version")
    w.int(r.version)
  }

  private static func write(_ f: AuditFilters, into w: inout JSONText) {
    let values = [
      ("since", f.since?.description), ("until", f.until?.description), ("id", f.id), ("range", f.range),
    ]
    w.object(keys: values.filter { $0.1 != nil }.map(\.0)) { w, key in
      w.string(values.first { $0.0 == key }!.1!)
    }
  }

  private static func write(_ s: AuditAppliedSettings, into w: inout JSONText) {
    var keys = ["rolesConfigured", "effectiveMaxDaysBefore", "maxDueChanges"]
    if s.from != nil { keys.append("from") }
    w.object(keys: keys) { w, key in
      switch key {
      case "from": w.string(s.from!)
      case "rolesConfigured": w.bool(s.rolesConfigured)
      case "effectiveMaxDaysBefore": w.int(s.effectiveMaxDaysBefore)
      default: w.int(s.maxDueChanges)
      }
    }
  }

  fileprivate static func write(_ c: AuditChange, into w: inout JSONText) {
    // Keys in sorted order, written in that order (no sorting or look-up per row).
    w.openObject()
    w.member("author", first: true)
    write(c.author, into: &w)
    w.member("byRectrack")
    w.bool(c.byRectrack)
    w.member("commit")
    w.string(c.commit)
    w.member("committer")
    write(c.committer, into: &w)
    if let due = c.due {
      w.member("due")
      write(due, into: &w)
    }
    w.member("effective")
    w.string(c.effective.description)
    w.member("fields")
    w.strings(c.fields)
    w.member("file")
    w.string(c.file)
    w.member("kind")
    w.string(c.kind.rawValue)
    w.member("merge")
    w.bool(c.merge)
    if let note = c.note {
      w.member("note")
      w.string(note)
    }
    w.member("parents")
    w.strings(c.parents)
    if let previous = c.previousFile {
      w.member("previousFile")
      w.string(previous)
    }
    w.member("previousValid")
    w.bool(c.previousValid)
    if let reason = c.reason {
      w.member("reason")
      w.string(reason)
    }
    w.member("recommendation")
    w.string(c.recommendation)
    w.member("recorded")
    w.string(c.recorded.description)
    if let signature = c.signature {
      w.member("signature")
      w.string(signature.rawValue)
    }
    if let status = c.status {
      w.member("status")
      write(status, into: &w)
    }
    w.member("summary")
    w.string(c.summary)
    w.member("valid")
    w.bool(c.valid)
    w.closeObject()
  }

  private static func write(_ p: AuditPerson, into w: inout JSONText) {
    w.openObject()
    w.member("date", first: true)
    w.string(p.date)
    w.member("email")
    w.string(p.email)
    w.member("name")
    w.string(p.name)
    w.closeObject()
  }

  private static func write(_ v: AuditValueChange, into w: inout JSONText) {
    w.openObject()
    w.member("from", first: true)
    if let s = v.from { w.string(s) } else { w.null() }
    w.member("to")
    if let s = v.to { w.string(s) } else { w.null() }
    w.closeObject()
  }

  private static func write(_ f: AuditFinding, into w: inout JSONText) {
    w.openObject()
    var first = true
    func member(_ key: StaticString, _ w: inout JSONText) {
      w.member(key, first: first)
      first = false
    }
    if let a = f.acknowledged {
      member("acknowledged", &w)
      w.openObject()
      w.member("at", first: true)
      w.string(a.at)
      w.member("by")
      w.string(a.by)
      w.member("commit")
      w.string(a.commit)
      w.member("note")
      w.string(a.note)
      w.closeObject()
    }
    if let commit = f.commit {
      member("commit", &w)
      w.string(commit)
    }
    if let details = f.details {
      member("details", &w)
      w.strings(details)
    }
    if let file = f.file {
      member("file", &w)
      w.string(file)
    }
    member("id", &w)
    w.string(f.id)
    member("message", &w)
    w.string(f.message)
    if let r = f.recommendation {
      member("recommendation", &w)
      w.string(r)
    }
    member("rule", &w)
    w.string(f.rule.rawValue)
    member("severity", &w)
    w.string(f.severity.rawValue)
    w.closeObject()
  }

  private static func write(_ s: AuditSeal, into w: inout JSONText) {
    w.object(keys: ["tag", "commit", "intact"]) { w, key in
      switch key {
      case "tag": w.string(s.tag)
      case "commit": w.string(s.commit)
      default: w.bool(s.intact)
      }
    }
  }

  private static func write(_ s: AuditSignatures, into w: inout JSONText) {
    var keys = ["required", "checked", "unsigned", "verified", "bad", "unverified", "tools", "statement"]
    if s.requiredSince != nil { keys.append("requiredSince") }
    w.object(keys: keys) { w, key in
      switch key {
      case "required": w.bool(s.required)
      case "requiredSince": w.string(s.requiredSince!.description)
      case "checked": w.int(s.checked)
      case "unsigned": w.int(s.unsigned)
      case "verified": w.int(s.verified)
      case "bad": w.int(s.bad)
      case "unverified": w.int(s.unverified)
      case "tools": w.strings(s.tools)
      default: w.string(s.statement)
      }
    }
  }

  private static func write(_ c: AuditCounts, into w: inout JSONText) {
    w.object(keys: ["error", "warning", "info", "acknowledged"]) { w, key in
      w.int(key == "error" ? c.error : key == "warning" ? c.warning : key == "info" ? c.info : c.acknowledged)
    }
  }
}

extension JSONText {
  /// An array of strings (`[\n\n]` when empty, as the encoders write it).
  mutating func strings(_ items: [String]) {
    array(count: items.count) { w, i in w.string(items[i]) }
  }
}
