import PropertyBased
import RecTrackCore

/// Random valid recommendation files together with the mapping they must read as.
///
/// The expected values are computed here, independently of the library's writer, so that a
/// bug shared by reader and writer cannot hide itself.
struct GeneratedDoc: Sendable, CustomStringConvertible {
  var lines: [String] = []
  /// For each line, the index of the entry it belongs to (header or block body).
  var owner: [Int?] = []
  var eol = "\n"
  var finalNewline = true
  var bom = false
  var fields: [(key: String, value: FieldValue)] = []
  var isBlock: [Bool] = []
  var blockIndent: [Int] = []

  var text: String {
    guard !lines.isEmpty else { return bom ? "\u{FEFF}" : "" }
    return (bom ? "\u{FEFF}" : "") + lines.joined(separator: eol) + (finalNewline ? eol : "")
  }

  var description: String { text.debugDescription }

  /// Line indices [start, end) of entry `i`.
  func region(of i: Int) -> Range<Int> {
    let first = owner.firstIndex(of: i) ?? 0
    let last = owner.lastIndex(of: i) ?? first
    return first..<(last + 1)
  }
}

/// One random edit.
enum GeneratedEdit: Sendable, CustomStringConvertible {
  case set(String, FieldValue)
  case remove(String)

  var description: String {
    switch self {
    case .set(let k, let v): return "set \(k) = \(v)"
    case .remove(let k): return "remove \(k)"
    }
  }
}

enum FormatGen {
  static let words = [
    "Llanelli", "–", "Ysbyty", "✓", "😀", "ňáš", "日本語", "e\u{301}", "\u{A0}", "a:b", "it's", "#tag", "x#y",
    "50%",
    "[x]", "{y}", "-", "?", ":", "\"", "'", "\\", ",", "&", "*", "!", "|", ">", "@", "`", "~", "null", "true",
    "2019-10-01", "plain", "words", "Chief", "Constable", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "- x", "k: v", "a #b", "x:", "...", "---",
  ]
  static let knownKeys = [
    "id", "title", "source", "raised", "owner", "status", "lead", "due", "priority", "tags", "description",
    "progress", "superseded-by", "evidence",
  ]
  static let indicators = Set("-?:,[]{}#&*!|>'\"%@`".unicodeScalars)

  static func pick<T, R: RandomNumberGenerator>(_ items: [T], _ rng: inout R) -> T {
    items[Int.random(in: 0..<items.count, using: &rng)]
  }

  static func chance<R: RandomNumberGenerator>(_ p: Double, _ rng: inout R) -> Bool {
    Double.random(in: 0..<1, using: &rng) < p
  }

  static func words<R: RandomNumberGenerator>(_ n: ClosedRange<Int>, _ rng: inout R, extra: [String] = [])
    -> String
  {
    let count = Int.random(in: n, using: &rng)
    return (0..<count).map { _ in pick(words + extra, &rng) }.joined(
      separator: chance(0.1, &rng) ? "  " : " ")
  }

  /// Written plainly after `key: `, does YAML read back the same text? (The test's own
  /// conservative rule, not the library's.)
  static func plainOK(_ s: String, inFlow: Bool) -> Bool {
    guard let first = s.unicodeScalars.first, !indicators.contains(first), first != " " else { return false }
    if s.hasSuffix(" ") || s.hasSuffix(":") || s.contains(": ") || s.contains(" #") { return false }
    if s.unicodeScalars.contains(where: {
      $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) || $0.value == 0x2028 || $0.value == 0x2029
    }) {
      return false
    }
    if inFlow && s.unicodeScalars.contains(where: { ",[]{}:#".unicodeScalars.contains($0) }) { return false }
    return true
  }

  static func doubleQuote<R: RandomNumberGenerator>(_ s: String, _ rng: inout R) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\t": out += chance(0.5, &rng) ? "\t" : "\\t"
      case "\n": out += "\\n"
      case "/": out += chance(0.3, &rng) ? "\\/" : "/"
      default:
        if c.value < 0x20 || (c.value >= 0x7F && c.value <= 0x9F) || c.value == 0x2028 || c.value == 0x2029
          || c.value == 0xFEFF
        {
          out += "\\u" + hex(c.value, 4)
        } else if c.value > 0x7F && chance(0.2, &rng) {
          out += c.value > 0xFFFF ? "\\U" + hex(c.value, 8) : "\\u" + hex(c.value, 4)
        } else {
          out.unicodeScalars.append(c)
        }
      }
    }
    return out + "\""
  }

  static func hex(_ v: UInt32, _ n: Int) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: n - s.count) + s
  }

  static func singleQuote(_ s: String) -> String {
    "'" + s.replacing("'", with: "''") + "'"
  }

  /// A one-line text value and how it is written.
  static func scalar<R: RandomNumberGenerator>(_ rng: inout R, inFlow: Bool) -> (
    written: String, value: String
  ) {
    var s = words(1...4, &rng)
    if chance(0.1, &rng) {
      s += pick(["\t", "\u{7}", "\u{1B}", "\n", " ", "\u{85}", "\u{2028}"], &rng) + "end"
    }
    if chance(0.05, &rng) { s = "" }
    if chance(0.05, &rng) { s = " " + s }
    let noControls = !s.unicodeScalars.contains {
      $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) || $0.value == 0x2028
    }
    if plainOK(s, inFlow: inFlow) && chance(0.7, &rng) { return (s, s) }
    if noControls && chance(0.3, &rng) { return (singleQuote(s), s) }
    return (doubleQuote(s, &rng), s)
  }

  static func comment<R: RandomNumberGenerator>(_ rng: inout R) -> String {
    "#" + (chance(0.8, &rng) ? " " : "") + words(0...3, &rng, extra: ["\t", "#", ": x"])
  }

  static func key<R: RandomNumberGenerator>(_ rng: inout R, avoiding used: Set<String>) -> String {
    for _ in 0..<20 {
      let k: String
      if chance(0.6, &rng) {
        k = pick(knownKeys, &rng)
      } else {
        let first = pick(Array("abcdefghijklmnopqrstuvwxyz"), &rng)
        let rest = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
          pick(Array("abcdefghijklmnopqrstuvwxyz0123456789_-"), &rng)
        }
        k = String(first) + String(rest)
      }
      if !used.contains(k) { return k }
    }
    return "k" + String(used.count)
  }

  /// A random document of 0 to 12 entries in every accepted form.
  static func document<R: RandomNumberGenerator>(_ rng: inout R) -> GeneratedDoc {
    var d = GeneratedDoc()
    d.eol = chance(0.3, &rng) ? "\r\n" : "\n"
    d.bom = chance(0.05, &rng)
    var used = Set<String>()
    // After a block, only empty lines and column-0 lines may follow, or they join its body.
    var blockOpen = false

    func filler(_ rng: inout R) {
      for _ in 0..<Int.random(in: 0...2, using: &rng) where chance(0.4, &rng) {
        let options = blockOpen ? ["", "col0"] : ["", "col0", "indented", "spaces"]
        switch pick(options, &rng) {
        case "col0":
          d.lines.append(comment(&rng))
          blockOpen = false
        case "indented":
          d.lines.append(String(repeating: " ", count: Int.random(in: 1...5, using: &rng)) + comment(&rng))
        case "spaces": d.lines.append(String(repeating: " ", count: Int.random(in: 1...5, using: &rng)))
        default: d.lines.append("")
        }
        d.owner.append(nil)
      }
    }

    filler(&rng)
    for index in 0..<Int.random(in: 0...12, using: &rng) {
      let k = key(&rng, avoiding: used)
      used.insert(k)
      let trailing =
        chance(0.3, &rng)
        ? String(repeating: " ", count: Int.random(in: 1...4, using: &rng)) + comment(&rng) : ""
      var header = k + ":"
      var value: FieldValue
      var block = false
      var blockIndent = 0
      switch Int.random(in: 0..<10, using: &rng) {
      case 0:
        value = .text("")
        header += chance(0.5, &rng) ? "" : " " + (trailing.isEmpty ? "" : trailing.drop { $0 == " " })
      case 1, 2:
        var items: [String] = []
        var written: [String] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
          let (w, v) = scalar(&rng, inFlow: true)
          if v.unicodeScalars.contains(where: { $0.value == 0x0A }) && !w.hasPrefix("\"") { continue }
          items.append(v)
          written.append(w)
        }
        let sep = pick([", ", ",", " , "], &rng)
        let inner = written.joined(separator: sep) + (chance(0.1, &rng) && !written.isEmpty ? "," : "")
        header += " " + (chance(0.2, &rng) ? "[ " + inner + " ]" : "[" + inner + "]") + trailing
        value = .list(items)
      case 3, 4:
        block = true
        let clip = chance(0.6, &rng)
        let indent = Int.random(in: 2...4, using: &rng)
        blockIndent = indent
        header += " " + (clip ? "|" : "|-") + trailing
        var content: [String] = []
        if chance(0.1, &rng) { content.append("") }
        var firstText = words(1...4, &rng, extra: ["a\tb"])
        while firstText.hasPrefix(" ") { firstText.removeFirst() }
        if firstText.isEmpty { firstText = "x" }
        content.append(firstText)
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
          switch Int.random(in: 0..<10, using: &rng) {
          case 0, 1: content.append("")
          case 2: content.append("  " + words(1...2, &rng))
          case 3: content.append(String(repeating: " ", count: Int.random(in: 1...3, using: &rng)))
          default: content.append(words(1...5, &rng, extra: ["a\tb"]))
          }
        }
        // A block's last lines never hold only spaces (refused: docs/format.md §2), so the
        // text ends with a line holding a character, and empty lines after it are empty.
        while let last = content.last, last.allSatisfy({ $0 == " " }) { content.removeLast() }
        let trailingBlank = Int.random(in: 0...2, using: &rng)
        var bodyLines: [String] = []
        for line in content {
          if line.isEmpty {
            bodyLines.append(String(repeating: " ", count: Int.random(in: 0...indent, using: &rng)))
          } else {
            bodyLines.append(String(repeating: " ", count: indent) + line)
          }
        }
        for _ in 0..<trailingBlank { bodyLines.append("") }
        var text = content.joined(separator: "\n")
        if clip && !content.isEmpty { text += "\n" }
        value = .text(text)
        d.lines.append(header)
        d.owner.append(index)
        // The entry owns its body up to the last line holding any character.
        let lastOwned = bodyLines.lastIndex { !$0.isEmpty } ?? -1
        for (i, line) in bodyLines.enumerated() {
          d.lines.append(line)
          d.owner.append(i <= lastOwned ? index : nil)
        }
        blockOpen = true
      default:
        let (w, v) = scalar(&rng, inFlow: false)
        header +=
          (chance(0.1, &rng) ? "   " : " ") + w + (chance(0.1, &rng) && !w.hasSuffix(" ") ? "  " : "")
          + trailing
        value = .text(v)
      }
      if !block {
        d.lines.append(header)
        d.owner.append(index)
        blockOpen = false
      }
      d.fields.append((k, value))
      d.isBlock.append(block)
      d.blockIndent.append(blockIndent)
      filler(&rng)
    }
    // A file never ends inside a block without a line break (refused: docs/format.md §2).
    d.finalNewline = blockOpen || chance(0.85, &rng) || d.lines.last?.isEmpty != false
    return d
  }

  /// A random new value: one-line or multi-line text (sometimes not representable as a
  /// block), a list, or empty text.
  static func value<R: RandomNumberGenerator>(_ rng: inout R) -> FieldValue {
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: return .text("")
    case 1, 2:
      return .list((0..<Int.random(in: 0...4, using: &rng)).map { _ in scalar(&rng, inFlow: true).value })
    case 3, 4, 5:
      var lines = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
        chance(0.2, &rng) ? "" : (chance(0.1, &rng) ? "  " : "") + words(1...4, &rng, extra: ["\t", "\r"])
      }
      if lines.allSatisfy(\.isEmpty) { lines.append("x") }
      return .text(
        lines.joined(separator: "\n") + String(repeating: "\n", count: Int.random(in: 0...2, using: &rng)))
    default:
      return .text(scalar(&rng, inFlow: false).value)
    }
  }

  static func edit<R: RandomNumberGenerator>(for d: GeneratedDoc, _ rng: inout R) -> GeneratedEdit {
    let keys = d.fields.map(\.key)
    if keys.isEmpty || chance(0.25, &rng) {
      return .set(key(&rng, avoiding: Set(keys)), value(&rng))
    }
    let k = pick(keys, &rng)
    return chance(0.25, &rng) ? .remove(k) : .set(k, value(&rng))
  }

  static let documents = Generator<GeneratedDoc, Shrink.None<GeneratedDoc>>(run: { rng in document(&rng) })

  static let documentsWithEdits = Generator<
    (GeneratedDoc, GeneratedEdit), Shrink.None<(GeneratedDoc, GeneratedEdit)>
  >(
    run: { rng in
      let d = document(&rng)
      return (d, edit(for: d, &rng))
    })

  static let fieldLists = Generator<
    [(key: String, value: FieldValue)], Shrink.None<[(key: String, value: FieldValue)]>
  >(
    run: { rng in
      var used = Set<String>()
      return (0..<Int.random(in: 0...10, using: &rng)).map { _ in
        let k = key(&rng, avoiding: used)
        used.insert(k)
        return (k, value(&rng))
      }
    })
}
