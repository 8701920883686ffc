import Foundation
import RecTrackCore

/// Builds a random but seeded tracking repository with the git CLI, exercising every rule of
/// docs/format.md §4 and §5: backdated `Effective:` trailers (some invalid), author dates going
/// backwards, author offsets from -08:00 to +05:30 placed right at month ends, moves between
/// sub-folders (with and without edits), deletions and re-creations, `--no-ff` merges of side
/// branches, commits outside `Recommendations/`, CRLF files, unusable files, and several
/// recommendations per commit.
///
/// The files of each branch are kept in memory and every commit goes into one `FastImport`
/// stream: one `git fast-import` makes the whole history (a merge is what `git merge --no-ff`
/// makes of it: the branches never touch the same recommendation).
public struct HistoryGenerator {
  public static let statuses = ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"]
  static let folders = ["", "review-a", "review-b", "review-b/annex"]
  static let owners = ["Chief Constable", "Head of Crime", "OPCC"]
  static let sources = ["Review A", "Review B"]
  static let tagPool = ["alpha", "beta", "gamma"]
  static let offsets = [-480, -300, -120, -60, 0, 60, 120, 330]

  var random: SeededRandom
  let repository: TestRepository
  /// The local day the next commit is authored on (author dates wander, mostly forward).
  var day: CalendarDate
  var nextID = 1
  var deleted: [String] = []
  var branchCount = 0
  /// The files of the branch being written (path -> text): what the working folder would hold.
  var files: [String: String] = [:]
  var branch = "main"
  /// The last commit (its mark) of each branch.
  var tips: [String: Int] = [:]
  var stream = FastImport()

  /// Generates a repository with about `steps` first-parent commits.
  public static func generate(seed: UInt64, steps: Int) throws -> TestRepository {
    var g = HistoryGenerator(
      random: SeededRandom(seed: seed), repository: try TestRepository(), day: CalendarDate("2020-01-10")!)
    g.files["README.md"] = "generated with seed \(seed)\n"
    for _ in 0..<3 { try g.add() }
    g.commit("Initial recommendations", date: g.nextDate())
    for _ in 0..<steps { try g.step() }
    try g.stream.run(in: g.repository)
    return g.repository
  }

  mutating func step() throws {
    let roll = Double.random(in: 0..<1, using: &random)
    if roll < 0.1 {
      try mergeBlock()
    } else if roll < 0.15 {
      files["README.md"] = "touched \(random.next())\n"
      commit("Docs only", date: nextDate())
    } else {
      let n = Int.random(in: 1...3, using: &random)
      for _ in 0..<n { try action(avoiding: []) }
      commit(message(), date: nextDate())
    }
  }

  /// A side branch with 1-3 commits merged with `--no-ff`; main may move meanwhile on other IDs.
  mutating func mergeBlock() throws {
    branchCount += 1
    let branch = "side-\(branchCount)"
    let base = files
    self.branch = branch
    tips[branch] = tips["main"]
    var touched = Set<String>()
    for _ in 0..<Int.random(in: 1...3, using: &random) {
      touched.formUnion(try action(avoiding: []))
      commit(message(), date: nextDate())
    }
    let side = files
    files = base
    self.branch = "main"
    if random.chance(0.5) {
      try action(avoiding: touched.union(deleted))
      commit(message(), date: nextDate())
    }
    // The merge: main's files with the side branch's changes since it left (git's three-way
    // merge of files only one side changed).
    for path in Set(base.keys).union(side.keys) where base[path] != side[path] { files[path] = side[path] }
    commit(message(title: "Merge \(branch)"), date: nextDate(), merging: tips[branch])
  }

  /// One edit to the working tree; returns the IDs it touched. IDs in `avoiding` are left alone.
  @discardableResult
  mutating func action(avoiding: Set<String>) throws -> Set<String> {
    let files = currentFiles().filter { !avoiding.contains($0.key) }
    let roll = Double.random(in: 0..<1, using: &random)
    if files.isEmpty || roll < 0.12 { return [try add()] }
    let (id, path) = files.sorted { $0.key < $1.key }.randomElement(using: &random)!
    if roll < 0.2 {
      self.files[path] = nil
      deleted.append(id)
      return [id]
    }
    if roll < 0.28, let again = deleted.indices.randomElement(using: &random) {
      let back = deleted.remove(at: again)
      if !avoiding.contains(back) && files[back] == nil && currentFiles()[back] == nil {
        try writeRecommendation(back, folder: Self.folders.randomElement(using: &random)!)
        return [back]
      }
    }
    if roll < 0.42 {
      let folder = Self.folders.filter { folderPath($0, id) != path }.randomElement(using: &random)!
      self.files[folderPath(folder, id)] = self.files.removeValue(forKey: path)
      if random.chance(0.4) { try writeRecommendation(id, folder: folder) }
      return [id]
    }
    let folder = String(path.dropFirst("Recommendations/".count).dropLast("/\(id).yml".count))
    try writeRecommendation(id, folder: path.hasPrefix("Recommendations/\(id)") ? "" : folder)
    return [id]
  }

  @discardableResult
  mutating func add() throws -> String {
    let id = "GEN-\(nextID < 10 ? "0" : "")\(nextID)"
    nextID += 1
    try writeRecommendation(id, folder: Self.folders.randomElement(using: &random)!)
    return id
  }

  func folderPath(_ folder: String, _ id: String) -> String {
    folder.isEmpty ? "Recommendations/\(id).yml" : "Recommendations/\(folder)/\(id).yml"
  }

  mutating func writeRecommendation(_ id: String, folder: String) throws {
    let roll = Double.random(in: 0..<1, using: &random)
    let status: String? =
      roll < 0.03 ? nil : roll < 0.05 ? "deferred" : Self.statuses.randomElement(using: &random)!
    let due: String? =
      random.chance(0.6) ? day.adding(days: Int.random(in: -90...120, using: &random)).description : nil
    let tags = Self.tagPool.filter { _ in random.chance(0.4) }
    let text = TestRepository.recommendation(
      id: id, status: status, owner: Self.owners.randomElement(using: &random)!,
      source: Self.sources.randomElement(using: &random)!, tags: tags, due: due,
      title: "Generated \(random.next() % 1000)", crlf: random.chance(0.25))
    files[folderPath(folder, id)] = text
  }

  /// ID -> path of every recommendation file of the branch being written.
  func currentFiles() -> [String: String] {
    var out: [String: String] = [:]
    for path in files.keys where path.hasPrefix("Recommendations/") && path.hasSuffix(".yml") {
      out[String((path as NSString).lastPathComponent.dropLast(4))] = path
    }
    return out
  }

  /// Adds a commit of `files` to the branch being written (a merge of `merging`'s tip).
  mutating func commit(_ message: String, date: String, merging: Int? = nil) {
    tips[branch] = stream.commit(
      branch: branch, message: message, date: date, files: files, parent: tips[branch], merged: merging)
  }

  /// A commit message, sometimes with an `Effective:` trailer (backdated, sometimes invalid).
  mutating func message(title: String = "Update recommendations") -> String {
    var text = "\(title)\n"
    let roll = Double.random(in: 0..<1, using: &random)
    if roll < 0.2 {
      let back = day.adding(days: -Int.random(in: 0...75, using: &random))
      text += "\nRecorded late.\n\nEffective: \(back)\n"
    } else if roll < 0.25 {
      text += "\nSigned-off-by: Someone <someone@example.org>\nEffective: \(day.adding(days: -40))\n"
    } else if roll < 0.28 {
      text += "\nEffective: \(["2021-02-30", "2021-13-01", "soon"].randomElement(using: &random)!)\n"
    } else if roll < 0.3 {
      text += "Effective: \(day.adding(days: -100))\n"
    } else if roll < 0.33 {
      // Not a trailer block for git (a prose line and no git-made trailer): the author date counts.
      text += "\nDone on site.\nEffective: \(day.adding(days: -30))\n"
    }
    return text
  }

  /// The author date of the next commit: mostly forward, sometimes backwards, sometimes right at
  /// a month's end or start in an offset that puts UTC on the other side of midnight.
  mutating func nextDate() -> String {
    let roll = Double.random(in: 0..<1, using: &random)
    if roll < 0.1 {
      day = day.adding(days: -Int.random(in: 1...25, using: &random))
    } else {
      day = day.adding(days: Int.random(in: 0...12, using: &random))
    }
    var minutes = Int.random(in: 0..<1440, using: &random)
    var offset = Self.offsets.randomElement(using: &random)!
    let boundary = Double.random(in: 0..<1, using: &random)
    if boundary < 0.15 {
      day = day.yearMonth.lastDay
      minutes = 23 * 60 + Int.random(in: 0..<60, using: &random)
      offset = [-480, -300, -120].randomElement(using: &random)!
    } else if boundary < 0.3 {
      day = day.yearMonth.next.firstDay
      minutes = Int.random(in: 0..<60, using: &random)
      offset = [60, 120, 330].randomElement(using: &random)!
    }
    func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let sign = offset < 0 ? "-" : "+"
    return
      "\(day)T\(p2(minutes / 60)):\(p2(minutes % 60)):00\(sign)\(p2(abs(offset) / 60)):\(p2(abs(offset) % 60))"
  }
}
