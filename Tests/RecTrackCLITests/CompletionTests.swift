import Foundation
import RecTrackTestSupport
import Testing

/// Completion scripts for bash, zsh and fish; the bash one sourced in a real bash and asked to
/// complete IDs, statuses and owners of a real repository.
@Suite struct CompletionTests {
  let repo: TestRepository

  init() throws {
    repo = try TestRepository()
    try repo.write("Recommendations/DP-DDR-01.yml", sampleRecommendation(id: "DP-DDR-01"))
    try repo.write(
      "Recommendations/DP-DDR-02.yml", sampleRecommendation(id: "DP-DDR-02", owner: "Head of Finance"))
    try repo.write("Recommendations/NY-01.yml", sampleRecommendation(id: "NY-01", tags: ["custody"]))
    try repo.commitAll("Add recommendations")
  }

  func script(_ shell: String) throws -> String {
    let r = try CLI.run(["--generate-completion-script", shell], in: repo.path)
    #expect(r.status == 0, "\(shell): \(r.stderr)")
    return r.stdout
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func scriptsAreGeneratedAndCallBackForRepositoryValues(_ shell: String) throws {
    let text = try script(shell)
    #expect(text.contains("---completion"), "\(shell) script has no custom completion")
    #expect(text.contains("status"))
    // Syntax-check with the shell itself when it is installed.
    if (try? runProcess("/bin/sh", ["-c", "command -v \(shell)"]).status) == 0, shell != "bash" {
      let file = repo.scratch + "/completion.\(shell)"
      try text.write(toFile: file, atomically: true, encoding: .utf8)
      let check = try runProcess(shell, ["-n", file])
      #expect(check.status == 0, "\(shell) -n: \(check.stderr)")
    } else if shell != "bash" {
      print(
        "\(shell) is not installed (Debian package \(shell)): its script is generated but not syntax-checked")
    }
  }

  /// Sources the bash script and completes `words` (the last one being typed), as bash does on Tab.
  func bashComplete(_ words: [String]) throws -> [String] {
    let file = repo.scratch + "/rectrack.bash"
    try script("bash").write(toFile: file, atomically: true, encoding: .utf8)
    let bin = URL(fileURLWithPath: CLI.executable).deletingLastPathComponent().path
    let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let program = """
      source '\(file)'
      complete -p rectrack >&2
      COMP_WORDS=(\(quoted.joined(separator: " ")))
      COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
      COMP_LINE="${COMP_WORDS[*]}"
      COMP_POINT=${#COMP_LINE}
      _rectrack rectrack "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let r = try runProcess(
      "/bin/bash", ["-c", program], in: repo.path,
      environment: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
    #expect(r.stderr.contains("complete -o filenames -F _rectrack rectrack"), "\(r.stderr)")
    return r.stdout.split(separator: "\n").map(String.init)
  }

  @Test func bashCompletesIDsStatusesAndOwners() throws {
    #expect(try bashComplete(["rectrack", "status", ""]) == ["DP-DDR-01", "DP-DDR-02", "NY-01"])
    #expect(try bashComplete(["rectrack", "show", "DP"]) == ["DP-DDR-01", "DP-DDR-02"])
    #expect(try bashComplete(["rectrack", "log", "NY"]) == ["NY-01"])
    #expect(try bashComplete(["rectrack", "status", "DP-DDR-01", "in"]) == ["in-progress"])
    #expect(try bashComplete(["rectrack", "status", "DP-DDR-01", "c"]) == ["closed", "complete"])
    #expect(try bashComplete(["rectrack", "list", "--status", "not"]) == ["not-accepted"])
    #expect(try bashComplete(["rectrack", "list", "--owner", ""]) == ["Chief Constable", "Head of Finance"])
    #expect(try bashComplete(["rectrack", "list", "--tag", "cu"]) == ["custody"])
    let meeting = try CLI.run(["meeting", "add", "2021-01-20", "--title", "Panel"], in: repo.path)
    #expect(meeting.status == 0, "\(meeting.stderr)")
    #expect(try bashComplete(["rectrack", "summary", "--meeting", "2021"]) == ["2021-01-20"])
    #expect(
      try bashComplete(["rectrack", "summary", "--template", "summary.h"]) == ["summary.html.mustache"])
    #expect(
      try bashComplete(["rectrack", "status", "--repo", repo.path, "DP-DDR-01", "sup"]) == ["superseded"])
  }
}
