import ArgumentParser
import RecTrackCore

/// Values people type, matched forgivingly against what the repository holds: the one place
/// where `dp-ddr-01`, `chief constable` and `In Progress` are read as DP-DDR-01, Chief Constable
/// and in-progress. What was matched is said on standard error, so nothing is silently guessed.
enum Forgiving {
  /// An ID as typed, upper-cased when that makes it a valid ID (`dp-ddr-01` -> `DP-DDR-01`).
  /// Used as the `transform` of every ID argument and option.
  static func id(_ typed: String) -> String {
    let trimmed = typed.trimmingCharacters(in: .whitespaces)
    let upper = trimmed.uppercased()
    return TrackingRepository.isValidID(upper) ? upper : trimmed
  }

  /// What two spellings share when they differ only in case, spaces, hyphens or underscores.
  static func key(_ s: String) -> String {
    var out = ""
    for ch in s.lowercased() {
      let gap = ch == " " || ch == "-" || ch == "_" || ch == "\t"
      if gap {
        if !out.isEmpty && !out.hasSuffix(" ") { out.append(" ") }
      } else {
        out.append(ch)
      }
    }
    while out.hasSuffix(" ") { out.removeLast() }
    return out
  }

  /// The known value `typed` stands for: itself when known, else the one it equals ignoring
  /// case and spacing (said on standard error), else nil.
  static func match(_ typed: String, among known: [String], option: String) -> String? {
    if known.contains(typed) { return typed }
    let k = key(typed)
    let hits = Array(Set(known.filter { key($0) == k })).sorted()
    guard let hit = hits.first, hits.count == 1 else { return nil }
    Console.error("note: \(option) '\(typed)' matched '\(hit)'.")
    return hit
  }

  /// Up to three known values nearest to `typed` (by edit distance, ignoring case and spacing).
  static func nearest(_ typed: String, among known: [String]) -> [String] {
    let byKey = Dictionary(known.map { (key($0).uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
    return TrackingRepository.closest(to: key(typed), among: Array(byKey.keys)).compactMap { byKey[$0] }
  }

  /// `typed` resolved against `known` for a filter: the match, or `typed` itself with a hint on
  /// standard error naming the nearest values when nothing has it.
  static func filter(_ typed: String?, among known: [String], option: String, what: String) -> String? {
    guard let typed else { return nil }
    if let hit = match(typed, among: known, option: option) { return hit }
    let near = nearest(typed, among: known)
    let hint =
      near.isEmpty
      ? "" : " Did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
    Console.error("note: no recommendation has \(what) '\(typed)'.\(hint)")
    return typed
  }

  /// A status as typed, read against the workflow: exact, or equal ignoring case and spacing
  /// (`In Progress`), else the workflow's own error (which suggests the nearest status).
  static func status(_ typed: String, workflow: Workflow, option: String = "status") throws(TrackingError)
    -> String
  {
    if let hit = match(typed, among: workflow.statuses, option: option) { return hit }
    throw .unknownStatus(typed, allowed: workflow.statuses)
  }
}
