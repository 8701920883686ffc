/// What went wrong in the tracking layer, worded for the office staff who read it.
///
/// Every case renders to one clear line (plus, where useful, what to do next) and maps to
/// exit code 2 (bad input or usage), except `problemsFound`, which maps to 1.
public enum TrackingError: Error, Sendable, CustomStringConvertible {
  /// No git repository at or above the folder.
  case notARepository(String)
  /// No recommendation with that ID; `suggestions` are the closest IDs.
  case unknownID(String, suggestions: [String])
  case invalidID(String)
  case duplicateID(String, path: String)
  case unknownStatus(String, allowed: [String])
  case transitionNotAllowed(id: String, from: String, to: String, hint: String)
  case nothingToChange(String)
  case badDate(String, option: String)
  case badAuthor(String)
  case missingAuthor
  /// The file has edits not yet committed; rectrack will not overwrite them.
  case uncommittedEdits(path: String)
  case detachedHead
  case bareRepository(String)
  /// Another writer kept moving the branch.
  case raceLost(attempts: Int)
  /// A file (recommendation or settings) does not parse or is invalid.
  case invalidFile(FormatError)
  case invalidFiles([FormatError])
  case settings(path: String, message: String)
  case template(name: String, message: String)
  case io(String)
  case git(GitError)
  /// The command ran and found problems it has already reported (exit 1).
  case problemsFound(String)
  case usage(String)
  /// A CSV file that cannot be read at all (not UTF-8, broken quoting, no header).
  case sheet(String, String)
  /// Rows of a sheet to import that are not good, all of them, each with its row and column.
  case importProblems(sheet: String, problems: [ImportProblem], hint: String?)
  /// `sync` stopped because both sides changed the same thing differently (exit 1); nothing moved.
  case syncConflict(SyncConflictReport)
  /// `sync` could not reach the server or finish; the message says what is safe and what to do.
  case sync(String)
  /// The server could not be reached or did not accept the credentials (exit 3): the message
  /// says which, and what to try.
  case network(String)
  /// A commit's tree has a path rectrack must never write (`TreePath`); nothing was changed.
  case unsafeTree(path: String, problem: String)
  /// `.git/rectrack.lock` cannot be opened or locked; nothing was written without it.
  case lockUnusable(path: String, reason: String)
  /// The server refused the push for a reason of its own (a pre-receive hook): not retried.
  case syncRefused(
    remote: String, branch: String, reason: String, serverLines: [String], tip: ObjectID, unsent: Int)
  /// A rule the audit applies refused the change before it was committed; nothing was recorded.
  case ruleRefused(rule: String, message: String)

  public var description: String {
    switch self {
    case .notARepository(let path):
      return
        "\(path) is not inside a git repository. Run 'rectrack init \(path)' to make one, or pass --repo PATH."
    case .unknownID(let id, let suggestions):
      let tail =
        suggestions.isEmpty
        ? "Run 'rectrack list' to see the IDs."
        : "Did you mean " + suggestions.joined(separator: ", ") + "?"
      return "there is no recommendation \(id). \(tail)"
    case .invalidID(let id):
      return
        "'\(id)' is not a valid ID: use capital letters, digits and single hyphens, starting with a letter (e.g. DP-DDR-01)."
    case .duplicateID(let id, let path):
      return "recommendation \(id) already exists at \(path). Choose another ID."
    case .unknownStatus(let s, let allowed):
      let near = TrackingRepository.closest(to: s.lowercased(), among: allowed.map { $0.uppercased() })
      let hint =
        near.first.map { up in " Did you mean \(allowed.first { $0.uppercased() == up } ?? up)?" } ?? ""
      return "'\(s)' is not a status of this workflow.\(hint) Use one of: \(allowed.joined(separator: ", "))."
    case .transitionNotAllowed(let id, let from, let to, let hint):
      return "\(id) cannot move from \(from) to \(to): \(hint)."
    case .nothingToChange(let m):
      return "\(m) Nothing was changed."
    case .badDate(let text, let option):
      return "\(option) '\(text)' is not a date: write it as 2021-03-31, 31/03/2021 or 31 Mar 2021."
    case .badAuthor(let text):
      return
        "--author '\(text)' is not of the form \"Name <email>\", e.g. --author \"Jane Smith <jane.smith@example.org>\"."
    case .missingAuthor:
      return
        "no author: pass --author \"Name <email>\", or set one once with: git config --global user.name \"Your Name\" && git config --global user.email you@example.org"
    case .uncommittedEdits(let path):
      return
        "\(path) has edits that are not committed; rectrack will not overwrite them. Commit them (git commit \(path)) or discard them (git checkout -- \(path)), then run again."
    case .detachedHead:
      return
        "HEAD is not on a branch, so there is nowhere to record the change. Switch to a branch (git switch main) and run again."
    case .bareRepository(let what):
      return
        "this is a bare repository (no working files), so \(what) is not possible here. Run it in a clone."
    case .raceLost(let n):
      return
        "other changes kept arriving while recording this one (\(n) attempts); nothing was recorded. Run the command again."
    case .invalidFile(let e):
      return e.description
    case .invalidFiles(let errors):
      return errors.map(\.description).joined(separator: "\n")
    case .settings(let path, let message):
      return "\(path): error: \(message)"
    case .template(let name, let message):
      return "template \(name): error: \(message)"
    case .io(let m):
      return m
    case .git(let e) where e.plainMessage != nil:
      return e.plainMessage ?? e.description
    case .git(let e) where e.isDamagedRepository:
      return
        "the repository is damaged: \(e.message) (\(e.function)). Run 'git fsck' to see what is wrong; 'git fetch' from another clone can bring back missing objects."
    case .git(let e):
      return e.description
    case .problemsFound(let m):
      return m
    case .usage(let m):
      return m
    case .sheet(let name, let m):
      return "\(name) \(m)"
    case .importProblems(let sheet, let problems, let hint):
      let rows = Set(problems.compactMap(\.row)).count
      var lines = problems.map(\.description)
      if let hint { lines.append("hint: " + hint) }
      lines.append(
        "error: nothing was imported: \(problems.count) problem\(problems.count == 1 ? "" : "s")"
          + (rows > 0 ? " in \(rows) row\(rows == 1 ? "" : "s")" : "")
          + " of \(sheet). Fix the sheet or the options and run again (--dry-run checks without writing).")
      return lines.joined(separator: "\n")
    case .syncConflict(let report):
      return report.description
    case .sync(let m):
      return m
    case .network(let m):
      return m
    case .unsafeTree(let path, let problem):
      return
        "refused: the commit to bring in has the entry '\(path)', and \(problem). Nothing was changed in this clone. Someone made that commit by hand, possibly to attack this clone: do not check it out with other tools; tell whoever administers the shared repository, and run 'rectrack audit' to see where it came from."
    case .lockUnusable(_, let reason) where reason.lowercased().contains("read-only file system"):
      // The lock is the first thing every writer takes: a read-only disk shows up here.
      return GitError(message: reason, function: "write the lock").plainMessage ?? reason
    case .lockUnusable(let path, let reason):
      return
        "nothing was written: rectrack could not take its lock \(path) (\(reason)), and writing without it could lose a colleague's change made at the same time. If that path is a folder or a file you cannot open, remove it (rm -rf '\(path)'; it holds nothing) or fix its permissions, then run again."
    case .syncRefused(let remote, let branch, let reason, let lines, let tip, let unsent):
      var out = [
        "\(remote) refused the push to \(branch) (\(reason))" + (lines.isEmpty ? "." : ". The server said:")
      ]
      out += lines.map { "remote: " + $0 }
      out.append(
        "This is the server's decision, not a race, so rectrack did not try again. Your \(unsent) "
          + "change\(unsent == 1 ? " is" : "s are") kept in this clone (\(tip.short)); deal with what the "
          + "server said (for an audit finding, ask the commissioner's office), then run 'rectrack sync' again."
      )
      return out.joined(separator: "\n")
    case .ruleRefused(let rule, let m):
      return "refused by the rule \(rule): \(m). Nothing was recorded."
    }
  }

  /// The process exit code this error stands for (docs/format.md §9).
  public var exitCode: Int32 {
    if case .problemsFound = self { return 1 }
    if case .syncConflict = self { return 1 }
    if case .network = self { return 3 }
    if case .syncRefused = self { return 1 }
    return 2
  }
}

extension TrackingError {
  /// The `TrackingError` for any error met below this layer: libgit2's become `.git`, a file that
  /// does not parse `.invalidFile`, anything else `.io`. Lets a `do` block that mixes layers end
  /// in one `catch`.
  public static func from(_ error: any Error) -> TrackingError {
    switch error {
    case let e as TrackingError: return e
    case let e as GitError:
      if let path = e.tooDeepPath { return .unsafeTree(path: path, problem: Repository.tooDeepProblem) }
      return .git(e)
    case let e as FormatError: return .invalidFile(e)
    default: return .io("\(error)")
    }
  }
}
