import Foundation

/// The pre-receive hook of docs/audit.md, installed in a bare repository: a push is refused when
/// `rectrack audit --range` finds an error in the pushed commits. `runs`, when given, is a file
/// the hook appends a line to each time it runs (to count the server's attempts).
public func installAuditHook(inBareRepository server: String, countingRunsIn runs: String? = nil) throws {
  let hook = server + "/hooks/pre-receive"
  let counter = runs.map { "echo run >> '\($0)'\n" } ?? ""
  try """
  #!/bin/sh
  # Refuse a push when the audit of the pushed commits finds an error.
  \(counter)status=0
  while read -r old new ref; do
    case "$new" in 0000000000000000000000000000000000000000) continue ;; esac
    if ! '\(CLI.executable)' audit --range "$old..$new" --fail-on error >&2; then
      echo "rectrack: the push to $ref is refused; see the findings above." >&2
      status=1
    fi
  done
  exit $status

  """.write(toFile: hook, atomically: true, encoding: .utf8)
  try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
}
