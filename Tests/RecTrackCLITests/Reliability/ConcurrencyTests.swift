import Foundation
import RecTrackTestSupport
import Testing

/// Many `rectrack` processes writing to one clone at once: every change lands exactly once.
@Suite struct ConcurrencyTests {
  @Test func concurrentWritersEachLandExactlyOnce() throws {
    let workers = Reliability.size(4, slow: 8, full: 8)
    let changes = Reliability.size(2, slow: 25, full: 25)
    let repo = try TestRepository()
    // Half the workers toggle their own recommendation; the other half all toggle one shared
    // recommendation, so they also race on the same file (and must re-check the workflow).
    let own = workers / 2
    for i in 0..<own { try repo.write("Recommendations/W-\(i).yml", sampleRecommendation(id: "W-\(i)")) }
    try repo.write("Recommendations/SHARED.yml", sampleRecommendation(id: "SHARED"))
    try repo.commitAll("Add recommendations")
    let script = """
      i=$1; n=$2; rt=$3; target=$4
      k=1
      while [ $k -le $n ]; do
        tries=0
        until "$rt" status "$target" in-progress --note "w$i-$k" --author "Worker $i <w$i@example.org>" >/dev/null 2>>"$5" \
           || "$rt" status "$target" open --note "w$i-$k" --author "Worker $i <w$i@example.org>" >/dev/null 2>>"$5"; do
          tries=$((tries+1)); [ $tries -gt 100 ] && exit 3
        done
        k=$((k+1))
      done
      """
    let scriptPath = repo.scratch + "/worker.sh"
    try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
    let start = Date()
    let children = try (0..<workers).map { i in
      try Child(
        "/bin/sh",
        [
          scriptPath, "\(i)", "\(changes)", CLI.executable, i < own ? "W-\(i)" : "SHARED",
          repo.scratch + "/err-\(i)",
        ], in: repo.path)
    }
    let statuses = children.map { $0.wait().status }
    let seconds = Date().timeIntervalSince(start)
    #expect(statuses.allSatisfy { $0 == 0 })
    let total = workers * changes
    // Every note appears in exactly one commit.
    let bodies = try repo.git("log", "--format=%b%x00").split(separator: "\0").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let notes = bodies.compactMap { b in b.split(separator: "\n").first.map(String.init) }.filter {
      $0.hasPrefix("w")
    }
    #expect(notes.count == total)
    #expect(Set(notes).count == total)
    for i in 0..<workers { for k in 1...changes { #expect(notes.contains("w\(i)-\(k)")) } }
    #expect(try repo.git("rev-list", "--count", "HEAD") == "\(total + 1)\n")
    #expect(try repo.git("fsck", "--no-progress", "--strict").isEmpty)
    #expect(try repo.git("status", "--porcelain") == "")
    let validate = try CLI.run(["validate"], in: repo.path)
    #expect(validate.status == 0)
    // Each own recommendation ends where an odd or even number of toggles puts it.
    for i in 0..<own {
      let file = try repo.read("Recommendations/W-\(i).yml")
      #expect(file.contains(changes % 2 == 1 ? "status: in-progress\n" : "status: open\n"))
    }
    Reliability.report(
      "concurrency: \(workers) processes x \(changes) status changes = \(total) commits, \(notes.count) landed, \(Set(notes).count) distinct, fsck clean, status clean, in \(String(format: "%.1f", seconds)) s"
    )
  }
}
