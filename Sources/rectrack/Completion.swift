import ArgumentParser
import Foundation
import RecTrackCore

/// Shell completion of the values people type most, read from the repository the command line
/// names (`--repo`, else the current folder): IDs, statuses, owners, sources, tags, meeting
/// days and template names. argument-parser's generated scripts (bash, zsh, fish) call
/// `rectrack ---completion ...`, which runs these closures; any failure completes nothing.
enum Complete {
  /// The repository of the line being completed.
  static func repository(_ words: [String]) -> TrackingRepository? {
    var path = FileManager.default.currentDirectoryPath
    if let i = words.firstIndex(of: "--repo"), i + 1 < words.count { path = words[i + 1] }
    for w in words where w.hasPrefix("--repo=") { path = String(w.dropFirst(7)) }
    return try? TrackingRepository(at: path)
  }

  static func values(_ read: @escaping @Sendable (TrackingRepository) throws -> [String]) -> CompletionKind {
    .custom { words, _, prefix in
      guard let repo = repository(words), let all = try? read(repo) else { return [] }
      let lower = prefix.lowercased()
      return Array(Set(all)).sorted().filter { $0.lowercased().hasPrefix(lower) }
    }
  }

  static let ids = values { try $0.headCatalog().recommendations.map(\.id) }
  static let statuses = values { $0.workflow.statuses }
  static let owners = values { try $0.headCatalog().recommendations.map(\.owner) }
  static let sources = values { try $0.headCatalog().recommendations.map(\.source) }
  static let tags = values { try $0.headCatalog().recommendations.flatMap(\.tags) }
  static let meetings = values { try MeetingCalendar.list(in: $0).map(\.date.description) }
  static let templates = values { TemplateStore(repo: $0).names() }
}
