import Mustache

/// How double braces escape text in rectrack's templates: swift-mustache's content types,
/// registered by name (`{{% CONTENT_TYPE: NAME }}`).
///
/// - `HTML`, the default, is swift-mustache's own; `TemplateStore` renders every template
///   with `HTMLText` instead, which writes the same bytes (`&lt; &gt; &amp; &quot; &#39;` for each
///   of those characters) without going through the text a character at a time when it is ASCII.
/// - `MARKDOWN` (`MarkdownText`) is rectrack's.
///
/// Both compare characters as Swift does (a `<` followed by a combining mark is another
/// character, not escaped), so text that is not all ASCII takes the character-by-character way.
enum TemplateEscaping {
  /// The name `TemplateStore` gives `HTMLText` in the pragma it puts before every template.
  static let htmlName = "RECTRACK_HTML"

  static func register() {
    MustacheContentTypes.register(MarkdownText(), named: "MARKDOWN")
    MustacheContentTypes.register(HTMLText(), named: htmlName)
  }

  /// `{{% CONTENT_TYPE: MARKDOWN }}`: escapes what would change the meaning of user text in
  /// Markdown (table pipes, emphasis, links, HTML tags: `<` is enough to stop a tag) with
  /// backslashes, and joins lines so that a multi-line note stays inside its list item or table cell.
  struct MarkdownText: MustacheContentType {
    static let rule = Rule { c in
      switch c {
      case "\\", "`", "*", "_", "[", "]", "<", "|": "\\" + String(c)
      case "\r\n", "\n", "\r": " "
      default: nil
      }
    }

    func escapeText(_ text: String) -> String { Self.rule.escape(text) }
  }

  /// swift-mustache's HTML escaping, the same bytes.
  struct HTMLText: MustacheContentType {
    static let rule = Rule { c in
      switch c {
      case "<": "&lt;"
      case ">": "&gt;"
      case "&": "&amp;"
      case "\"": "&quot;"
      case "'": "&#39;"
      default: nil
      }
    }

    func escapeText(_ text: String) -> String { Self.rule.escape(text) }
  }

  /// One escaping rule: what each character is written as (nil: itself). Characters are
  /// compared as Swift compares them (`\r\n` is one, a `<` with a combining mark is not `<`);
  /// text that is all ASCII, where every byte is one character but CR LF, is escaped byte by
  /// byte through a table made from the same rule.
  struct Rule: Sendable {
    let replacement: @Sendable (Character) -> String?
    /// The replacement of each ASCII byte taken as a character on its own.
    private let table: [[UInt8]?]

    init(_ replacement: @escaping @Sendable (Character) -> String?) {
      self.replacement = replacement
      table = (0..<128).map { b in replacement(Character(Unicode.Scalar(UInt8(b)))).map { Array($0.utf8) } }
    }

    func escape(_ text: String) -> String {
      if let ascii = asciiEscaped(text) { return ascii }
      return byCharacter(text)
    }

    /// The rule read a character at a time.
    func byCharacter(_ text: String) -> String {
      var out = ""
      out.reserveCapacity(text.utf8.count)
      for c in text {
        if let r = replacement(c) { out += r } else { out.append(c) }
      }
      return out
    }

    /// `text` escaped byte by byte when it is all ASCII, else nil; `text` itself when nothing
    /// in it needs escaping.
    func asciiEscaped(_ text: String) -> String? {
      var copy = text
      var needed = false
      let ascii = copy.withUTF8 { (bytes) -> Bool in
        for b in bytes {
          if b >= 0x80 { return false }
          if table[Int(b)] != nil { needed = true }
        }
        return true
      }
      guard ascii else { return nil }
      guard needed else { return text }
      let crlf = replacement("\r\n").map { Array($0.utf8) }
      return copy.withUTF8 { (bytes) -> String in
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 8)
        var i = 0
        while i < bytes.count {
          let b = bytes[i]
          i += 1
          // CR LF is one character, with a rule of its own.
          if b == 0x0D, i < bytes.count, bytes[i] == 0x0A {
            i += 1
            if let crlf { out.append(contentsOf: crlf) } else { out.append(contentsOf: [0x0D, 0x0A]) }
          } else if let r = table[Int(b)] {
            out.append(contentsOf: r)
          } else {
            out.append(b)
          }
        }
        return String(decoding: out, as: UTF8.self)
      }
    }
  }
}
