import Foundation
import RecTrackCore
import Testing

/// The one rule for paths from git objects: every spelling a file system may read as `.git`,
/// every way out of a folder, refused; ordinary names, including ones that merely start like
/// `.git`, allowed.
@Suite struct TreePathTests {
  @Test(arguments: [
    ".git/hooks/pre-commit", ".GIT/config", ".Git/x", "git~1/hooks/x", "GIT~1/x", ".git./x", ".git /x",
    ".git.. /x",
    ".git::$INDEX_ALLOCATION/x", ".g\u{200C}it/x", "\u{FEFF}.git/x", ".gi\u{200D}t/x", "Templates/../.git/x",
    "Recommendations/../../X.yml", "a/./b", "./a", "..", ".", "", "/etc/passwd", "a//b", "a/", "a\\b",
    "a\u{1B}[8m",
    "Recommendations/.git/DP-01.yml",
  ])
  func hostilePathsAreRefused(_ path: String) {
    #expect(TreePath.problem(path) != nil, "\(path.debugDescription) was accepted")
  }

  @Test(arguments: [
    "Recommendations/DP-01.yml", "Recommendations/2019-deep-dive/DP-DDR-01.yml", ".gitignore", ".github/x",
    ".gitattributes", "git/x", "gitx~1/y", "Templates/summary.html.mustache", "rectrack.yml", "a.git/b",
    "Recommendations/..x.yml", "Récommandations/é.yml",
  ])
  func ordinaryPathsAreAllowed(_ path: String) {
    #expect(TreePath.problem(path) == nil, "\(path.debugDescription): \(TreePath.problem(path) ?? "")")
  }
}
