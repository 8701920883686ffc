import PropertyBased
import RecTrackCore
import Testing

/// Random documents and random edits: the parser reads what the generator meant, Yams
/// agrees, and an edit touches no line outside the edited entry.
@Suite struct FormatPropertyTests {
  typealias Fields = [(key: String, value: FieldValue)]

  @Test func randomDocumentsParseAsGeneratedAndAsYamsReadsThem() async {
    await propertyCheck(count: 400, input: FormatGen.documents) { g in
      let text = g.text
      do {
        let doc = try RecommendationDocument(text: text, path: "R.yml")
        #expect(FormatTestSupport.same(doc.fields, g.fields), "ours: \(FormatTestSupport.show(doc.fields))")
        #expect(doc.text == text)
        #expect(doc.usesCRLF == text.utf8.contains(0x0D))
      } catch {
        Issue.record("rejected a valid document: \(error)")
      }
      let yams = FormatTestSupport.yamsFields(text)
      #expect(
        yams.map { FormatTestSupport.same($0, g.fields) } == true, "yams: \(FormatTestSupport.show(yams))")
    }
  }

  @Test func editsChangeOnlyTheEditedEntry() async {
    await propertyCheck(count: 400, input: FormatGen.documentsWithEdits) { g, edit in
      var doc: RecommendationDocument
      do {
        doc = try RecommendationDocument(text: g.text, path: "R.yml")
      } catch {
        Issue.record("rejected a valid document: \(error)")
        return
      }
      // Compare lines without the byte-order mark, which stays first in the file.
      let old = FormatTestSupport.lines(g.bom ? String(g.text.dropFirst()) : g.text)
      var expected: Fields = g.fields
      let eol = doc.usesCRLF ? "\r\n" : "\n"
      switch edit {
      case .set(let key, let value):
        do {
          try doc.set(key, to: value)
        } catch {
          Issue.record("set failed: \(error)")
          return
        }
        if let i = expected.firstIndex(where: { $0.key == key }) {
          expected[i].value = value
        } else if doc.keys.count >= 2 && doc.keys[doc.keys.count - 2] == key {
          // A new key goes before a last entry that is a `|` block ending the file
          // without a line break.
          expected.insert((key, value), at: expected.count - 1)
        } else {
          expected.append((key, value))
        }
      case .remove(let key):
        doc.remove(key)
        expected.removeAll { $0.key == key }
      }
      let newText = doc.text
      guard let fresh = try? RecommendationDocument(text: newText, path: "R.yml") else {
        Issue.record("the edited text does not parse:\n\(newText.debugDescription)")
        return
      }
      #expect(
        FormatTestSupport.same(fresh.fields, expected), "after: \(FormatTestSupport.show(fresh.fields))")
      #expect(FormatTestSupport.same(doc.fields, expected))
      let yams = FormatTestSupport.yamsFields(newText)
      #expect(
        yams.map { FormatTestSupport.same($0, expected) } == true, "yams: \(FormatTestSupport.show(yams))")

      // Line-by-line: everything before and after the edited entry is byte-identical.
      let new = FormatTestSupport.lines(g.bom ? String(newText.dropFirst()) : newText)
      #expect(newText.hasPrefix("\u{FEFF}") == g.bom)
      switch edit {
      case .set(let key, let value):
        var places: [Range<Int>] = []
        if let i = g.fields.firstIndex(where: { $0.key == key }) {
          if g.fields[i].value == value {
            #expect(newText == g.text)
            return
          }
          places.append(g.region(of: i))
        } else if let last = g.fields.indices.last {
          let end = g.region(of: last).upperBound
          places.append(end..<end)
          let start = g.region(of: last).lowerBound
          places.append(start..<start)
        } else {
          places.append(old.count..<old.count)
        }
        let ok = places.contains { Self.onlyReplaced($0, old: old, new: new, eol: eol) }
        #expect(ok, "lines outside the entry changed:\n\(newText.debugDescription)")
      case .remove(let key):
        guard let i = g.fields.firstIndex(where: { $0.key == key }) else { return }
        let region = g.region(of: i)
        let before = old[..<region.lowerBound].joined()
        let after = Array(old[region.upperBound...])
        // The one allowed change: indented comment or space-only lines that would fall into
        // the block text above lose their leading spaces.
        var dedented = after
        var k = 0
        while k < dedented.count, let first = dedented[k].first, first == " " || first.isNewline {
          dedented[k] = dedented[k].drop { $0 == " " }
          k += 1
        }
        let body = g.bom ? String(newText.dropFirst()) : newText
        #expect(
          body == before + after.joined() || body == before + dedented.joined(),
          "lines outside the entry changed:\n\(newText.debugDescription)")
      }
    }
  }

  /// Whether `new` is `old` with the lines in `region` replaced by at least one line (or, for
  /// an insertion at the end of a file without a final break, with that break added).
  static func onlyReplaced(_ region: Range<Int>, old: [Substring], new: [Substring], eol: String) -> Bool {
    let before = Array(old[..<region.lowerBound])
    let after = Array(old[region.upperBound...])
    guard new.count > before.count + after.count else { return false }
    var newBefore = Array(new[..<before.count])
    if region.isEmpty, region.lowerBound == old.count, let last = newBefore.last, let oldLast = before.last,
      !oldLast.hasSuffix("\n"), last == oldLast + "\n" || last == oldLast + "\r\n"
    {
      newBefore[newBefore.count - 1] = oldLast
    }
    return newBefore == before && Array(new[(new.count - after.count)...]) == after
  }

  @Test func renderedFieldsReadBack() async {
    await propertyCheck(count: 300, input: FormatGen.fieldLists) { fields in
      for crlf in [false, true] {
        let text = RecommendationDocument.render(fields, crlf: crlf)
        do {
          let doc = try RecommendationDocument(text: text, path: "R.yml")
          #expect(FormatTestSupport.same(doc.fields, fields), "text: \(text.debugDescription)")
        } catch {
          Issue.record("render wrote a file that does not parse: \(error)")
        }
        let yams = FormatTestSupport.yamsFields(text)
        #expect(
          yams.map { FormatTestSupport.same($0, fields) } == true, "yams: \(FormatTestSupport.show(yams))")
      }
    }
  }
}
