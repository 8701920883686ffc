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
  public static func writeJSON(_ r: AuditReport, to sink: ([UInt8]) -> Void) {
    var w = JSONText(capacity: chunk + 4_096)
    write(r, into: &w) { w in
      if w.bytes.count >= chunk { sink(w.drain()) }
    }
    w.endLine()
    sink(w.drain())
  }

  private static let chunk = 1 << 20

  private static func write(_ r: AuditReport, into w: inout JSONText, flush: (inout JSONText) -> Void) {
    var keys = [
      "version", "filters", "settings", "commitsWalked", "commitsWithChanges", "changes", "findings", "seals",
      "signatures", "notChecked", "counts", "failOn", "passed",
    ]
    if r.head != nil { keys.append("head") }
    if r.base != nil { keys.append("base") }
    w.object(keys: keys) { w, key in
      switch key {
      case "version": w.int(r.version)
      case "head": w.string(r.head!)
      case "base": w.string(r.base!)
      case "filters": write(r.filters, into: &w)
      case "settings": write(r.settings, into: &w)
      case "commitsWalked": w.int(r.commitsWalked)
      case "commitsWithChanges": w.int(r.commitsWithChanges)
      case "changes":
        w.array(count: r.changes.count) { w, i in
          write(r.changes[i], into: &w)
          flush(&w)
        }
      case "findings":
        w.array(count: r.findings.count) { w, i in
          write(r.findings[i], into: &w)
          flush(&w)
        }
      case "seals": w.array(count: r.seals.count) { w, i in write(r.seals[i], into: &w) }
      case "signatures": write(r.signatures, into: &w)
      case "notChecked": w.strings(r.notChecked)
      case "counts": write(r.counts, into: &w)
      case "failOn": w.string(r.failOn.rawValue)
      default: w.bool(r.passed)
      }
    }
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

  private static func write(_ c: AuditChange, into w: inout JSONText) {
    var keys = [
      "commit", "parents", "merge", "author", "committer", "recorded", "effective", "recommendation", "file",
      "kind", "fields", "byRectrack", "valid", "previousValid", "summary",
    ]
    if c.previousFile != nil { keys.append("previousFile") }
    if c.status != nil { keys.append("status") }
    if c.due != nil { keys.append("due") }
    if c.note != nil { keys.append("note") }
    if c.reason != nil { keys.append("reason") }
    if c.signature != nil { keys.append("signature") }
    w.object(keys: keys) { w, key in
      switch key {
      case "commit": w.string(c.commit)
      case "parents": w.strings(c.parents)
      case "merge": w.bool(c.merge)
      case "author": write(c.author, into: &w)
      case "committer": write(c.committer, into: &w)
      case "recorded": w.string(c.recorded.description)
      case "effective": w.string(c.effective.description)
      case "recommendation": w.string(c.recommendation)
      case "file": w.string(c.file)
      case "previousFile": w.string(c.previousFile!)
      case "kind": w.string(c.kind.rawValue)
      case "status": write(c.status!, into: &w)
      case "due": write(c.due!, into: &w)
      case "fields": w.strings(c.fields)
      case "note": w.string(c.note!)
      case "reason": w.string(c.reason!)
      case "byRectrack": w.bool(c.byRectrack)
      case "valid": w.bool(c.valid)
      case "previousValid": w.bool(c.previousValid)
      case "summary": w.string(c.summary)
      default: w.string(c.signature!.rawValue)
      }
    }
  }

  private static func write(_ p: AuditPerson, into w: inout JSONText) {
    w.object(keys: ["name", "email", "date"]) { w, key in
      w.string(key == "name" ? p.name : key == "email" ? p.email : p.date)
    }
  }

  private static func write(_ v: AuditValueChange, into w: inout JSONText) {
    w.object(keys: ["from", "to"]) { w, key in
      if let s = key == "from" ? v.from : v.to { w.string(s) } else { w.null() }
    }
  }

  private static func write(_ f: AuditFinding, into w: inout JSONText) {
    var keys = ["id", "rule", "severity", "message"]
    if f.commit != nil { keys.append("commit") }
    if f.recommendation != nil { keys.append("recommendation") }
    if f.file != nil { keys.append("file") }
    if f.details != nil { keys.append("details") }
    if f.acknowledged != nil { keys.append("acknowledged") }
    w.object(keys: keys) { w, key in
      switch key {
      case "id": w.string(f.id)
      case "rule": w.string(f.rule.rawValue)
      case "severity": w.string(f.severity.rawValue)
      case "commit": w.string(f.commit!)
      case "recommendation": w.string(f.recommendation!)
      case "file": w.string(f.file!)
      case "message": w.string(f.message)
      case "details": w.strings(f.details!)
      default:
        let a = f.acknowledged!
        w.object(keys: ["by", "at", "note", "commit"]) { w, key in
          w.string(key == "by" ? a.by : key == "at" ? a.at : key == "note" ? a.note : a.commit)
        }
      }
    }
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
