import ArgumentParser
import Foundation
import RecTrackCore

/// `--help` laid out by rectrack rather than by argument-parser, so that examples can be copied
/// as printed at any width.
///
/// argument-parser wraps the discussion at the terminal's width, breaking a long example between
/// (or inside) its arguments; copied, the shell would run half a command. So the help is rendered
/// unwrapped, then wrapped here: prose and option help wrap with a hanging indent, and each line of
/// an "Example(s):" block (and "Shell completion:") stays one command: when too long it is split
/// between shell words with a ` \` line continuation, never inside a quoted argument.
enum HelpText {
  /// The command the arguments ask help for (`rectrack status --help`, `rectrack help status`),
  /// or nil when they do not ask for help. No arguments at all: the usage of `rectrack`.
  static func command(for arguments: [String]) -> ParsableCommand.Type? {
    if arguments.isEmpty { return Rectrack.self }
    if arguments.first == "---completion" { return nil }
    var words = arguments
    let asksHelp: Bool
    if words.first == "help" {
      words.removeFirst()
      asksHelp = true
    } else {
      asksHelp = words.contains("--help") || words.contains("-h")
    }
    guard asksHelp else { return nil }
    return walk(words)
  }

  /// The deepest subcommand the words name (`meeting add` -> Meeting.Add).
  static func walk(_ words: [String]) -> ParsableCommand.Type {
    var command: ParsableCommand.Type = Rectrack.self
    for w in words {
      guard let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == w })
      else { continue }
      command = sub
    }
    return command
  }

  /// The help of `command` fitted to `width`.
  static func render(_ command: ParsableCommand.Type, width: Int) -> String {
    let raw = Rectrack.helpMessage(for: command, columns: 100_000)
    return layout(raw, width: width)
  }

  /// Wraps `raw` (help text laid out without wrapping) to `width`.
  static func layout(_ raw: String, width: Int) -> String {
    var out: [String] = []
    var inExamples = false
    var continuing = false
    for line in raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let indent = line.prefix { $0 == " " }.count
      if trimmed.hasSuffix(":") && (trimmed.hasPrefix("Example") || trimmed == "Shell completion:") {
        inExamples = true
        out.append(line)
        continue
      }
      if trimmed.isEmpty || indent == 0 { inExamples = false }
      if inExamples || continuing {
        // A command (or the continuation of one): one logical line, laid out as shell words.
        continuing = trimmed.hasSuffix(" \\")
        out += commandLines(line, width: width, continued: indent > 2)
        continue
      }
      out += proseLines(line, width: width)
    }
    return out.joined(separator: "\n")
  }

  /// A line of prose or option help: wrapped at spaces, later lines indented like the text
  /// (for "  --repo <repo>     The tracking...", under "The").
  static func proseLines(_ line: String, width: Int) -> [String] {
    guard line.count > width else { return [line] }
    let lead = line.prefix { $0 == " " }.count
    var hang = lead
    let chars = Array(line)
    let label = 26  // argument-parser's label column: option help starts there
    if line.hasPrefix("USAGE: ") {
      hang = 7
    } else if lead == 2, chars.count > label, chars[label - 1] == " ", chars[label] != " " {
      hang = label
    }
    let first = String(chars[..<hang])
    let body = String(chars[hang...])
    let wrapped = TextTable.wrap(body, width: max(20, width - hang), parts: nil)
    return wrapped.enumerated().map { k, l in (k == 0 ? first : String(repeating: " ", count: hang)) + l }
  }

  /// A shell command split between words with " \" continuations so each line fits `width`.
  static func commandLines(_ line: String, width: Int, continued: Bool) -> [String] {
    guard line.count > width else { return [line] }
    let lead = line.prefix { $0 == " " }.count
    var words = shellWords(String(line.dropFirst(lead)))
    let endsContinued = words.last == "\\"
    if endsContinued { words.removeLast() }
    let room = max(20, width - 2)
    var lines: [String] = []
    var current = String(repeating: " ", count: lead)
    var hasWord = false
    let nextIndent = String(repeating: " ", count: continued ? lead : lead + 2)
    for w in words {
      if hasWord && current.count + 1 + w.count > room {
        lines.append(current + " \\")
        current = nextIndent + w
      } else {
        current += (hasWord ? " " : "") + w
      }
      hasWord = true
    }
    lines.append(current + (endsContinued ? " \\" : ""))
    return lines
  }

  /// Shell words, quotes kept as written; a trailing `# comment` is one word.
  static func shellWords(_ s: String) -> [String] {
    var words: [String] = []
    var word = ""
    var quote: Character?
    var chars = Array(s)[...]
    while let c = chars.first {
      chars = chars.dropFirst()
      if let q = quote {
        word.append(c)
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        word.append(c)
        quote = c
      } else if c == " " {
        if !word.isEmpty { words.append(word) }
        word = ""
      } else if c == "#" && word.isEmpty {
        words.append("# " + String(chars).trimmingCharacters(in: .whitespaces))
        chars = []
      } else {
        word.append(c)
      }
    }
    if !word.isEmpty { words.append(word) }
    return words
  }
}
