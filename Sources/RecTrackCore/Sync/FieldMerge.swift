/// Which side wins where both changed the same field, when the user has decided (`--keep`).
public enum SyncPreference: String, Sendable, CaseIterable {
  /// The value recorded in this clone.
  case local
  /// The value already on the server.
  case remote
}

/// The three-way, field-by-field combination of one recommendation file changed on both sides.
///
/// A recommendation is a set of independent fields, so two offices changing different fields
/// of the same file (one the status, the other the progress text) have not disagreed: the
/// result takes each field from whichever side changed it. Only the same field changed to
/// different values on both sides is a real disagreement, which a person must settle.
///
/// Edits go through `RecommendationDocument.set`/`remove`, so every line neither side changed
/// stays byte-for-byte as it was.
enum FieldMerge {
  /// One field both sides changed differently.
  struct Clash: Sendable {
    var key: String
    var base: FieldValue?
    var local: FieldValue?
    var remote: FieldValue?
  }

  enum Outcome {
    /// The combined file.
    case merged([UInt8])
    /// Fields changed differently on both sides (and no preference given).
    case clashes([Clash])
    /// The file cannot be combined field by field: one version does not parse, or both sides
    /// changed comments or layout outside the fields.
    case notCombinable(String)
  }

  /// Combines `local`'s changes since `base` with `remote`'s.
  static func merge(base: [UInt8], local: [UInt8], remote: [UInt8], path: String, prefer: SyncPreference?)
    -> Outcome
  {
    let b: RecommendationDocument
    let l: RecommendationDocument
    let r: RecommendationDocument
    do {
      b = try RecommendationDocument(bytes: base, path: path)
      l = try RecommendationDocument(bytes: local, path: path)
      r = try RecommendationDocument(bytes: remote, path: path)
    } catch {
      return .notCombinable("one version of the file does not parse (\(error.message) at line \(error.line))")
    }
    var keys: [String] = []
    for k in b.keys + l.keys + r.keys where !keys.contains(k) { keys.append(k) }
    var fromLocal: [(String, FieldValue?)] = []
    var fromRemote: [(String, FieldValue?)] = []
    var clashes: [Clash] = []
    for key in keys {
      let (bv, lv, rv) = (b[key], l[key], r[key])
      if lv == rv { continue }
      if lv == bv {
        fromRemote.append((key, rv))
      } else if rv == bv {
        fromLocal.append((key, lv))
      } else {
        switch prefer {
        case .local: fromLocal.append((key, lv))
        case .remote: fromRemote.append((key, rv))
        case nil: clashes.append(Clash(key: key, base: bv, local: lv, remote: rv))
        }
      }
    }
    if !clashes.isEmpty { return .clashes(clashes) }
    // Start from the side whose comments and layout changed (if either) and apply the other
    // side's field changes to it.
    var result: RecommendationDocument
    let changes: [(String, FieldValue?)]
    if skeleton(l) == skeleton(b) {
      result = r
      changes = fromLocal
    } else if skeleton(r) == skeleton(b) {
      result = l
      changes = fromRemote
    } else {
      return .notCombinable("both sides changed comments or the layout of the file, not only its fields")
    }
    for (key, value) in changes {
      if let value {
        do { try result.set(key, to: value) } catch {
          return .notCombinable("the value of '\(key)' could not be written without changing other lines")
        }
      } else {
        result.remove(key)
        if result[key] != nil {
          return .notCombinable("'\(key)' could not be removed without changing other lines")
        }
      }
    }
    return .merged(result.bytes)
  }

  /// Everything in the file except the fields' lines: comments and blank lines, in order,
  /// each run between fields kept apart. Equal skeletons mean the two versions differ only in
  /// field values (a field added after the last one, or removed, leaves it unchanged).
  static func skeleton(_ doc: RecommendationDocument) -> [[UInt8]] {
    let bytes = doc.bytes
    var out: [[UInt8]] = []
    var p = 0
    for e in doc.parsedEntries {
      if e.start > p { out.append(Array(bytes[p..<e.start])) }
      p = e.end
    }
    if p < bytes.count { out.append(Array(bytes[p...])) }
    return out
  }
}
