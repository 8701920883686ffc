import Foundation
import RecTrackCore
import RecTrackTestSupport
import Testing

/// HEAD's files are read and parsed on two threads (`Repository.mapBlobs`): the catalog, its
/// order, its warnings and its errors must be the ones a plain read of one file after another
/// gives, and the bytes those of git's own `cat-file`.
@Suite struct ParallelReadTests {
  let repo: TestRepository
  /// Paths written with something wrong in them (each must be named by an error).
  var broken: Set<String> = []

  init() throws {
    Libgit2.initialise()
    repo = try TestRepository()
    let statuses = ["open", "in-progress", "complete", "closed"]
    // Three folders of 200 files, one in 9 of them broken a different way.
    for n in 0..<600 {
      let folder = ["Recommendations", "Recommendations/2019-review", "Recommendations/2022-audit/sub"][n % 3]
      let id = String(format: "BR-%02d-%03d", n / 100, n)
      let path = "\(folder)/\(id).yml"
      var text = sampleRecommendation(
        id: id, status: statuses[n % 4], title: "Recommendation \(n) on the \(folder) list",
        owner: "Owner \(n % 7)", tags: n % 5 == 0 ? [] : ["t\(n % 3)", "shared"])
      switch n % 9 {
      case 1: text = text.replacingOccurrences(of: "status: \(statuses[n % 4])", with: "status: unheard-of")
      case 2: text += "title: a second title\n"  // a duplicate key
      case 3: text = text.replacingOccurrences(of: "id: \(id)", with: "id: XX-\(id)")
      case 4: text = text.replacingOccurrences(of: "status: \(statuses[n % 4])\n", with: "")
      case 5: text += "notes: [unclosed\n"
      case 6: text = text.replacingOccurrences(of: "raised: 2019-10-01", with: "raised: 31/02/2019")
      default: break
      }
      if n % 9 >= 1 && n % 9 <= 6 { broken.insert(path) }
      if n % 9 == 7 {
        // Bytes that are not UTF-8.
        try repo.write(path, "")
        try Data(Array(text.utf8) + [0xFF, 0xFE, 0x0A]).write(
          to: URL(fileURLWithPath: repo.path + "/" + path))
        broken.insert(path)
      } else {
        try repo.write(path, text)
      }
    }
    // An ID used twice, a name that is not an ID, a link: named, not read.
    try repo.write("Recommendations/zz-copy/BR-00-010.yml", sampleRecommendation(id: "BR-00-010"))
    broken.insert("Recommendations/zz-copy/BR-00-010.yml")
    try repo.write("Recommendations/notes.yml", "not: a recommendation\n")
    try FileManager.default.createSymbolicLink(
      atPath: repo.path + "/Recommendations/BR-99-999.yml", withDestinationPath: "BR-00-000.yml")
    try repo.commitAll("Many files, some broken")
  }

  /// Packs the repository (`packed`), so that each thread reads through its own `PackReader`,
  /// with deltas 50 deep; else the files stay loose objects, which libgit2 reads.
  func pack(_ packed: Bool) throws {
    guard packed else { return }
    try repo.git("repack", "-a", "-d", "-f", "--depth=50", "--window=50")
    try repo.git("prune-packed")
    let loose = try repo.git("count-objects").split(separator: " ").first.flatMap { Int($0) }
    #expect(loose == 0, "objects left loose after repacking")
  }

  @Test(arguments: [false, true])
  func theCatalogReadOnTwoThreadsIsTheOneReadInOrder(packed: Bool) throws {
    try pack(packed)
    let tracking = try TrackingRepository(at: repo.path)
    let (versions, problems) = try tracking.versions()
    let threaded = try tracking.catalog(versions, extraProblems: problems, helper: true)
    let plain = try tracking.catalog(versions, extraProblems: problems, helper: false)
    #expect(threaded.recommendations == plain.recommendations)
    #expect(threaded.problems == plain.problems)
    #expect(threaded.problems.map(\.description) == plain.problems.map(\.description))
    // And what was read is what git lists: every regular file under Recommendations/ is shown
    // or named by an error; the broken ones by an error; the link and the odd name by a warning.
    let listed = try repo.git("ls-tree", "-r", "HEAD", "--", "Recommendations/").split(separator: "\n")
    let files = Set(listed.filter { $0.hasPrefix("100644") }.map { String($0.split(separator: "\t")[1]) })
    let errors = Set(threaded.problems.filter { $0.severity == .error }.map(\.path))
    #expect(errors == broken)
    let shown = Set(threaded.recommendations.map(\.file))
    #expect(shown.union(errors).union(["Recommendations/notes.yml"]) == files)
    let warned = Set(threaded.problems.filter { $0.severity == .warning }.map(\.path))
    #expect(warned.isSuperset(of: ["Recommendations/notes.yml", "Recommendations/BR-99-999.yml"]))
    #expect(threaded.recommendations.map(\.id) == threaded.recommendations.map(\.id).sorted())
  }

  @Test(arguments: [false, true])
  func blobsReadOnTwoThreadsAreGitsBytesInOrderAndFailuresTheSame(packed: Bool) throws {
    try pack(packed)
    let git = try Repository(discoveringFrom: repo.path)
    let listed = try repo.git("ls-tree", "-r", "HEAD", "--", "Recommendations/").split(separator: "\n")
    var ids = try listed.filter { $0.hasPrefix("100644") }.map { line in
      try #require(ObjectID(hex: String(line.split(separator: " ")[2].prefix(40))))
    }
    // One id of no object, and one of a tree: errors where they stand.
    let missing = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
    let tree = try #require(
      ObjectID(hex: try repo.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)))
    ids.insert(missing, at: 100)
    ids.insert(tree, at: 400)
    let caller = pthread_self()
    let results = git.mapBlobs(ids, helper: true) { i, bytes in
      usleep(200)  // long enough that both threads take a share
      return Answer(index: i, bytes: bytes, onCaller: pthread_equal(pthread_self(), caller) != 0)
    }
    #expect(results.count == ids.count)
    // git's own bytes, from one `cat-file --batch`.
    let batch = try repo.git.runData(
      ["cat-file", "--batch"], input: Array(ids.map { $0.hex + "\n" }.joined().utf8))
    var expected: [[UInt8]?] = []
    var at = 0
    while at < batch.count {
      let end = batch[at...].firstIndex(of: 0x0A)!
      let header = String(decoding: batch[at..<end], as: UTF8.self).split(separator: " ")
      at = end + 1
      if header.count == 3, let size = Int(header[2]) {
        expected.append(header[1] == "blob" ? Array(batch[at..<(at + size)]) : nil)
        at += size + 1
      } else {
        expected.append(nil)
      }
    }
    #expect(expected.count == ids.count)
    var threads: Set<Bool> = []
    for (i, result) in results.enumerated() {
      switch result {
      case .success(let answer):
        #expect(answer.index == i)
        #expect(answer.bytes == expected[i], "blob \(i)")
        threads.insert(answer.onCaller)
      case .failure(let error):
        #expect(expected[i] == nil, "blob \(i): \(error)")
        // The same error as reading it here, one by one.
        do {
          _ = try git.blob(ids[i])
          Issue.record("blob \(i) reads one by one")
        } catch let again {
          #expect(again.description == error.description)
        }
      }
    }
    #expect(threads == [true, false], "both threads read some of the blobs")
    // Without the helper: the same answers.
    let plain = git.mapBlobs(ids, helper: false) { i, bytes in
      Answer(index: i, bytes: bytes, onCaller: true)
    }
    #expect(
      plain.map { (try? $0.get())?.bytes } == results.map { (try? $0.get())?.bytes })
  }
}

private struct Answer: Sendable {
  var index: Int
  var bytes: [UInt8]
  var onCaller: Bool
}
