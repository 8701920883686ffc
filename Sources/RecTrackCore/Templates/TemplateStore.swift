import Mustache

/// Finds templates: the tracking repository's own `Templates/NAME` at HEAD first, else the
/// built-in default of the same name.
public struct TemplateStore {
  let repo: TrackingRepository

  public init(repo: TrackingRepository) { self.repo = repo }

  /// The template's text and where it came from (a repository path or "built-in").
  public func source(named name: String) throws(TrackingError) -> (text: String, origin: String) {
    let path = TrackingRepository.templatesFolder + "/" + name
    if let head = try repo.headCommit() {
      do {
        let tree = try repo.git.commit(head).tree
        if let e = try repo.git.entry(at: path, inTree: tree), e.isBlob {
          return (String(decoding: try repo.git.blob(e.id), as: UTF8.self), path)
        }
      } catch {
        throw .git(error)
      }
    }
    guard let text = BuiltinTemplates.all[name] else {
      throw .template(
        name: name,
        message:
          "there is no such template in \(TrackingRepository.templatesFolder)/ or built in; built in are: "
          + BuiltinTemplates.all.keys.sorted().joined(separator: ", "))
    }
    return (text, "built-in \(name)")
  }

  /// Every template name that `source(named:)` finds: the repository's at HEAD and the built-in.
  public func names() -> [String] {
    var names = Set(BuiltinTemplates.all.keys)
    if let head = try? repo.headCommit(), let tree = try? repo.git.commit(head).tree,
      let files = try? repo.git.files(under: TrackingRepository.templatesFolder, inTree: tree)
    {
      let prefix = TrackingRepository.templatesFolder + "/"
      for f in files where f.path.hasPrefix(prefix) { names.insert(String(f.path.dropFirst(prefix.count))) }
    }
    return names.sorted()
  }

  /// Renders a template with `context`; a template that does not parse is reported with its name.
  /// `asText`: double braces insert values as they are (Mustache's TEXT content type) instead of
  /// escaping them for HTML; for templates of files that are not HTML.
  public func render(named name: String, context: Any, asText: Bool = false) throws(TrackingError) -> String {
    let (text, origin) = try source(named: name)
    return try Self.render(
      text: asText ? "{{% CONTENT_TYPE: TEXT}}\n" + text : text, origin: origin, context: context)
  }

  /// Warnings about a template the repository itself provides (never the built-in ones): active
  /// content such as `<script>` that would run in the browser of whoever opens the HTML it makes.
  /// rectrack still uses the template (it belongs to the repository); the caller shows these.
  public func warnings(forTemplate name: String) -> [String] {
    guard let (text, origin) = try? source(named: name), !origin.hasPrefix("built-in") else { return [] }
    let lower = text.lowercased()
    let found = ["<script", "javascript:", "<iframe", "<object", "<embed"].filter { lower.contains($0) }
    guard !found.isEmpty else { return [] }
    return [
      "\(origin) contains \(found.map { "'\($0)'" }.joined(separator: ", ")): the HTML written from it can run code in "
        + "the browser of whoever opens it. rectrack used it as it is, because the repository's own template wins. "
        + "Check who changed it (git log -p \(origin)), "
        + "or delete it to use the built-in template."
    ]
  }

  /// Renders template text with `context`. Double braces escape for HTML unless the template
  /// says otherwise (`{{% CONTENT_TYPE: ... }}`), by `TemplateEscaping.HTMLText` (the same bytes as
  /// swift-mustache's own HTML escaping, faster): a pragma line naming it goes before the text,
  /// and a parse error's line is counted in the template's own text.
  static func render(text: String, origin: String, context: Any) throws(TrackingError) -> String {
    TemplateEscaping.register()
    do {
      return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(TemplateEscaping.htmlName) }}\n" + text)
        .render(context)
    } catch let e as MustacheTemplate.ParserError {
      throw .template(
        name: origin,
        message: "line \(e.context.lineNumber - 1), column \(e.context.columnNumber): \(e.error)")
    } catch {
      throw .template(name: origin, message: "\(error)")
    }
  }
}

/// Read access to the built-in templates for the tests that compare them with their files and
/// with what `init` writes (package access: not part of the library's API).
package enum BuiltinTemplatesForTests {
  package static var names: [String] { BuiltinTemplates.all.keys.sorted() }
  package static func text(_ name: String) -> String? { BuiltinTemplates.all[name] }
}
