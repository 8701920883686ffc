/// The default templates, built into the binary so rectrack works in a repository without its
/// own `Templates/` folder, and written into `Templates/` by `rectrack init`.
///
/// Their one copy is `Sources/RecTrackCore/Templates/Defaults/*.mustache`; SwiftPM compiles
/// each file's bytes into `PackageResources` (`.embedInCode` in Package.swift), so there is no
/// hand-kept copy to drift. A test checks that every file of that folder is built in.
enum BuiltinTemplates {
  static let all: [String: String] = [
    "new-recommendation.yml.mustache": text(PackageResources.new_recommendation_yml_mustache),
    "summary.md.mustache": text(PackageResources.summary_md_mustache),
    "summary.html.mustache": text(PackageResources.summary_html_mustache),
  ]

  private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
