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
    func escapeText(_ text: String) -> String {
      if let ascii = TemplateEscaping.asciiEscaped(text, markdown: true) { return ascii }
      return Self.byCharacter(text)
    }

    /// The rule read a character at a time.
    static func byCharacter(_ text: String) -> String {
      var out = ""
      out.reserveCapacity(text.utf8.count)
      for c in text {
        switch c {
        case "\\", "`", "*", "_", "[", "]", "<", "|":
          out.append("\\")
          out.append(c)
        case "\r\n", "\n", "\r": out.append(" ")
        default: out.append(c)
        }
      }
      return out
    }
  }

  /// swift-mustache's HTML escaping, the same bytes.
  struct HTMLText: MustacheContentType {
    func escapeText(_ text: String) -> String {
      if let ascii = TemplateEscaping.asciiEscaped(text, markdown: false) { return ascii }
      return Self.byCharacter(text)
    }

    /// The rule read a character at a time, as swift-mustache reads it.
    static func byCharacter(_ text: String) -> String {
      var out = ""
      out.reserveCapacity(text.utf8.count)
      for c in text {
        switch c {
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "&": out += "&amp;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
      }
      return out
    }
  }

  /// `text` escaped byte by byte when it is all ASCII (where every byte is one character, but
  /// CR LF), else nil; `text` itself when nothing in it needs escaping.
  static func asciiEscaped(_ text: String, markdown: Bool) -> String? {
    var copy = text
    var needed = false
    let ascii = copy.withUTF8 { (bytes) -> Bool in
      for b in bytes {
        if b >= 0x80 { return false }
        if special(b, markdown: markdown) { needed = true }
      }
      return true
    }
    guard ascii else { return nil }
    guard needed else { return text }
    return copy.withUTF8 { (bytes) -> String in
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count + bytes.count / 8 + 8)
      var i = 0
      while i < bytes.count {
        let b = bytes[i]
        i += 1
        guard special(b, markdown: markdown) else {
          out.append(b)
          continue
        }
        if markdown {
          switch b {
          case UInt8(ascii: "\r"):
            if i < bytes.count, bytes[i] == UInt8(ascii: "\n") { i += 1 }
            out.append(UInt8(ascii: " "))
          case UInt8(ascii: "\n"): out.append(UInt8(ascii: " "))
          default:
            out.append(UInt8(ascii: "\\"))
            out.append(b)
          }
        } else {
          switch b {
          case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
          case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
          case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
          case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
          default: out.append(contentsOf: "&#39;".utf8)
          }
        }
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  private static func special(_ b: UInt8, markdown: Bool) -> Bool {
    if markdown {
      switch b {
      case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
        UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: "|"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        return true
      default: return false
      }
    }
    switch b {
    case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"):
      return true
    default: return false
    }
  }
}
