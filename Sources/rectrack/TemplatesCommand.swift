import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  /// `rectrack templates status|refresh`: the repository's copies of the built-in templates.
  struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "templates",
      abstract: "See whether Templates/ holds an older rectrack's templates, and refresh them.",
      discussion: """
        The files in Templates/ win over rectrack's built-in templates. A repository made by an \
        older 'rectrack init' holds that version's copies, so its papers lack newer sections. \
        'status' says, for each, whether it is the current built-in, an older built-in or edited \
        by the office; 'refresh' replaces the unedited older ones in one commit and leaves \
        edited ones as they are.

        Examples:
          rectrack templates status
          rectrack templates refresh --dry-run
          rectrack templates refresh
        """,
      subcommands: [TemplatesStatus.self, TemplatesRefresh.self])

    static func describe(_ state: TemplateCopyState) -> String {
      switch state {
      case .current: return "current built-in"
      case .older: return "older built-in, not edited: refresh it"
      case .edited: return "edited by the office: kept"
      case .own: return "the office's own (no built-in of this name)"
      case .builtIn: return "no copy: the built-in one is used"
      }
    }

    struct TemplatesStatus: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "status", abstract: "List each template and how it compares with the built-in one.")

      @OptionGroup var repoOptions: RepoOptions
      @OptionGroup var display: DisplayOptions

      func run() throws {
        let repo = try repoOptions.open()
        let copies = try TemplateStore(repo: repo).copies()
        var table = TextTable([.init("TEMPLATE", head: true, minWidth: 20), .init("STATE", wraps: true)])
        for c in copies { table.add([c.path, Templates.describe(c.state)]) }
        Console.out(table.render(width: display.width))
        let older = copies.filter { $0.state == .older }.count
        let edited = copies.filter { $0.state == .edited }.count
        var advice: [String] = []
        if older > 0 {
          advice.append(
            "\(older) \(older == 1 ? "copy is" : "copies are") an older rectrack's built-in "
              + "\(older == 1 ? "template" : "templates"), without the sections added since. "
              + "Replace \(older == 1 ? "it" : "them") in one commit: rectrack templates refresh")
        }
        if edited > 0 {
          advice.append(
            "Edited copies are the office's and stay as they are; 'rectrack templates refresh' writes "
              + "the current built-in beside each as NAME.new, to carry the edits over.")
        }
        if older == 0 && edited == 0 { advice.append("Nothing to refresh.") }
        for a in advice {
          Console.out(display.width.map { TextTable.wrap(a, width: $0, indent: "") } ?? a + "\n")
        }
      }
    }

    struct TemplatesRefresh: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Replace unedited copies of older built-in templates with the current ones (one commit).")

      @OptionGroup var repoOptions: RepoOptions
      @Flag(name: .customLong("dry-run"), help: "Say what would change, change nothing.")
      var dryRun = false
      @Option(
        help: ArgumentHelp(
          "Who records it, as \"Name <email>\" (default: git's user.name and user.email).",
          valueName: "name <email>"))
      var author: String?
      @OptionGroup var display: DisplayOptions

      func say(_ text: String) {
        Console.out(display.width.map { TextTable.wrap(text, width: $0, indent: "") } ?? text + "\n")
      }

      func run() throws {
        let repo = try repoOptions.open()
        let signature = try Signature.author(author, repository: repo.git)
        let r = try TemplateStore(repo: repo).refresh(author: signature, dryRun: dryRun)
        let would = dryRun ? "Would replace" : "Replaced"
        if r.replaced.isEmpty {
          say(
            "No copy in Templates/ is an older rectrack's unedited built-in template; nothing was replaced.")
        } else {
          say(
            "\(would) \(r.replaced.joined(separator: ", ")) with the current built-in "
              + (r.replaced.count == 1 ? "template" : "templates")
              + (r.commit.map { " (commit \($0.short))." } ?? "."))
        }
        for p in r.kept {
          let name = (p as NSString).lastPathComponent
          switch r.newCopies[p] {
          case .some(.some(let target)):
            say(
              "\(p) was edited by the office and is kept. The current built-in "
                + (dryRun ? "would be" : "is") + " in \(target): compare them "
                + "(git diff --no-index \(p) \(target)), carry your edits into \(target), then "
                + "mv \(target) \(p) and rectrack record \(p) --note \"Current template with our edits\". "
                + "To keep yours as it is, delete \(target).")
          default:
            say(
              "\(p) was edited by the office and is kept. \(p + TemplateStore.newCopySuffix) is already "
                + "there with other text (your work on it?), so it was left alone; delete it and run "
                + "again for a fresh copy of the built-in \(name).")
          }
        }
      }
    }
  }
}
