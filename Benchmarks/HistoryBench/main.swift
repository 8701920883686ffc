import Foundation
import RecTrackCore

// Times the history engine's phases on one repository: history-bench PATH [--no-contents]
Libgit2.initialise()
let args = CommandLine.arguments.dropFirst()
guard let path = args.first else {
  FileHandle.standardError.write(Data("usage: history-bench PATH [--no-contents]\n".utf8))
  exit(2)
}
let clock = ContinuousClock()
let start = clock.now
do {
  let repository = try Repository(discoveringFrom: path)
  let history = try RecommendationHistory.load(from: repository, readingContents: !args.contains("--no-contents"))
  let walked = clock.now
  let report = ProgressReport.build(history: history, today: CalendarDate("2030-01-01")!)
  let json = ProgressRenderer.json(report)
  let done = clock.now
  if args.contains("--fraction"), let range = history.dateRange {
    var needed = Set<ObjectID>()
    var m = range.lowerBound.yearMonth
    while m <= range.upperBound.yearMonth {
      for v in history.snapshot(asOf: m.lastDay).values { needed.insert(v.blob) }
      m = m.next
    }
    FileHandle.standardError.write(Data("month-end versions \(needed.count) of \(Set(history.changes.compactMap { $0.version?.blob }).count)\n".utf8))
  }
  FileHandle.standardError.write(Data("""
    first-parent commits \(history.firstParentLength), changing \(history.commits.count), changes \(history.changes.count), blobs \(history.contents.count)
    walk+read \(walked - start), sweep+json \(done - walked), months \(report.months.count), json \(json.utf8.count) bytes, warnings \(report.warnings.count)

    """.utf8))
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
