import ArgumentParser
import Foundation
import RecTrackCore

extension Rectrack {
  struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: "Edit a recommendation's file in your editor, then record it (one commit).",
      discussion: """
        Opens a copy of the committed file in $VISUAL or $EDITOR (default: vi). When you save and \
        quit, rectrack checks it; if something is wrong the editor opens again with the error at \
        the top. Quit without saving to leave everything as it was.

        Examples:
          rectrack edit DP-DDR-01 --note "Lead officer changed after the restructure"
          EDITOR=nano rectrack edit DP-DDR-01
        """)

    @OptionGroup var repoOptions: RepoOptions
    @Argument(help: "The recommendation's ID.", completion: Complete.ids, transform: Forgiving.id)
    var id: String
    @OptionGroup var change: ChangeOptions
    @Flag(help: "Allow the edit to leave a final status (needs --note).")
    var reopen = false

    /// Lines rectrack puts above the file when it reopens it; removed before the text is checked.
    static let notePrefix = "#! "

    func run() throws {
      let repo = try repoOptions.open()
      let author = try Signature.author(change.author, repository: repo.git)
      let effective = try change.effectiveDate()
      let recorder = Recorder(repo: repo)
      let (path, original) = try recorder.committedFile(id: id)
      let realID = TrackingRepository.id(ofPath: path)
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "rectrack-edit-\(UUID().uuidString)")
      let copy = folder.appendingPathComponent(realID + ".yml")
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw TrackingError.io("cannot make a temporary copy to edit: \(error.localizedDescription)")
      }
      var keepCopy = false
      defer { if !keepCopy { try? FileManager.default.removeItem(at: folder) } }
      var shown = original
      while true {
        try write(shown, to: copy)
        try openEditor(on: copy.path)
        let saved = try read(copy)
        let edited = Self.strippingNote(saved)
        if saved == shown {
          // Quit without saving.
          if shown == original {
            Console.out("No changes to \(realID); nothing recorded.\n")
            return
          }
          keepCopy = true
          try write(edited, to: copy)
          throw TrackingError.problemsFound(
            "error: \(realID) was not recorded: the file still had errors when you quit. Your edited copy is \(copy.path)."
          )
        }
        if edited == original {
          Console.out("No changes to \(realID); nothing recorded.\n")
          return
        }
        let problems = recorder.problems(
          inEdited: edited, original: original, path: path, reopen: reopen,
          hasNote: !(change.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        if problems.isEmpty {
          do {
            guard
              let result = try recorder.recordEdit(
                id: realID, original: original, edited: edited, note: change.note, effective: effective,
                reopen: reopen,
                author: author)
            else {
              Console.out("No changes to \(realID); nothing recorded.\n")
              return
            }
            Console.out("Recorded \(result.message.summary) (commit \(result.commit.short)).\n")
            return
          } catch {
            keepCopy = true
            try? write(edited, to: copy)
            Console.error("Your edited copy is kept at \(copy.path).")
            throw error
          }
        }
        shown = Self.note(for: problems) + edited
      }
    }

    /// The comment block shown above an invalid file: what is wrong and how to get out.
    static func note(for problems: [String]) -> String {
      var lines = [
        "rectrack: this file was not recorded because of the error(s) below. Fix them, save and quit;",
        "or quit without saving to give up. These lines starting with '#!' are removed before checking,",
        "and line numbers count from the first line after them.",
        "",
      ]
      for p in problems {
        lines += p.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      }
      return lines.map { (notePrefix + $0).trimmingTrailingSpaces + "\n" }.joined()
    }

    /// The text without rectrack's note lines at the top.
    static func strippingNote(_ text: String) -> String {
      var rest = Substring(text)
      while rest.hasPrefix(notePrefix) || rest.hasPrefix("#!\n") {
        guard let nl = rest.firstIndex(of: "\n") else { return "" }
        rest = rest[rest.index(after: nl)...]
      }
      return String(rest)
    }

    private func write(_ text: String, to url: URL) throws {
      do {
        try Data(text.utf8).write(to: url)
      } catch {
        throw TrackingError.io("cannot write \(url.path): \(error.localizedDescription)")
      }
    }

    private func read(_ url: URL) throws -> String {
      do {
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
      } catch {
        throw TrackingError.io("cannot read \(url.path) after editing: \(error.localizedDescription)")
      }
    }

    /// Runs the editor through the shell, so `EDITOR="code --wait"` works, with the terminal.
    private func openEditor(on path: String) throws {
      let env = ProcessInfo.processInfo.environment
      let editor =
        [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first {
          !$0.trimmingCharacters(in: .whitespaces).isEmpty
        } ?? "vi"
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = ["-c", editor + " \"$1\"", "rectrack-editor", path]
      do {
        try p.run()
      } catch {
        throw TrackingError.io(
          "cannot start the editor '\(editor)': \(error.localizedDescription). Set EDITOR, e.g. EDITOR=nano.")
      }
      p.waitUntilExit()
      guard p.terminationStatus == 0 else {
        throw TrackingError.usage(
          "the editor '\(editor)' exited with status \(p.terminationStatus); nothing was recorded.")
      }
    }
  }
}

extension String {
  fileprivate var trimmingTrailingSpaces: String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
