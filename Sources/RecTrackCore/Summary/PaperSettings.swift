import Yams

/// The front matter of the panel paper, from the `paper:` section of `rectrack.yml`:
///
/// ```yaml
/// paper:
///   title: "Recommendations tracker: progress report"
///   author: "Siân Rowlands, Policy Officer"
///   purpose: "To update the Panel on progress against the Deep Dive recommendations."
///   recommendation: "The Panel is asked to note the progress."
///   summary: |                      # your own words, after the generated executive summary
///     The force has re-planned the custody work.
///   meetings: [2024-02-06, 2024-06-04, 2024-10-08]   # the schedule: "due before the next meeting"
/// ```
/// Every key is optional and each can be given for one run on the command line instead.
public struct PaperSettings: Codable, Sendable, Hashable {
  public var title: String?
  public var author: String?
  public var agendaItem: String?
  public var purpose: String?
  public var recommendation: String?
  public var summary: String?
  public var meetings: [CalendarDate] = []

  public static let keys = [
    "title", "author", "agenda-item", "purpose", "recommendation", "summary", "meetings",
  ]

  public init() {}

  /// Reads the `paper:` section of the settings file's text; absent keys stay unset.
  public init(settingsText text: String, path: String = Settings.fileName) throws(TrackingError) {
    self.init()
    let root: Node?
    do {
      root = try SettingsYAML.compose(text)
    } catch {
      throw .settings(path: path, message: "\(error)")
    }
    guard let section = root?.mapping?["paper"] else { return }
    guard let map = section.mapping else {
      throw .settings(
        path: path,
        message: "'paper' must be a section of 'key: value' settings (\(Self.keys.joined(separator: ", ")))")
    }
    func place(_ n: Node) -> String { path + (n.mark.map { ":\($0.line)" } ?? "") }
    for (k, v) in map {
      guard let key = k.string, Self.keys.contains(key) else {
        throw .settings(
          path: place(k),
          message:
            "'paper.\(k.string ?? "?")' is not a paper setting; use \(Self.keys.joined(separator: ", "))")
      }
      if key == "meetings" {
        guard let seq = v.sequence else {
          throw .settings(
            path: place(v), message: "'paper.meetings' must be a list of days, e.g. [2024-02-06, 2024-06-04]")
        }
        for item in seq {
          guard let s = item.string, let d = CalendarDate(s) else {
            throw .settings(
              path: place(item),
              message: "'paper.meetings' holds '\(item.string ?? "?")', which is not a day YYYY-MM-DD")
          }
          meetings.append(d)
        }
        meetings.sort()
        continue
      }
      guard let s = v.string else {
        throw .settings(path: place(v), message: "'paper.\(key)' must be text")
      }
      let text = s.trimmingWhitespace
      let value: String? = text.isEmpty ? nil : text
      switch key {
      case "title": title = value
      case "author": author = value
      case "agenda-item": agendaItem = value
      case "purpose": purpose = value
      case "recommendation": recommendation = value
      default: summary = value
      }
    }
  }

  /// The first scheduled meeting after `day`.
  public func nextMeeting(after day: CalendarDate) -> CalendarDate? { meetings.first { $0 > day } }
}

/// The paper's front matter as the templates get it (`paper` in the summary's JSON).
public struct PaperFrontMatter: Codable, Sendable {
  /// The report's title (the `paper.title` setting, else the meeting's title).
  public var title: String
  public var author: String?
  public var agendaItem: String?
  public var purpose: String?
  /// What the panel is asked to do.
  public var recommendation: String
  /// The paper's day in words, e.g. "6 February 2024".
  public var dateText: String
  /// Generated sentences: the totals, closed and new since the last meeting, overdue, waiting.
  public var executiveSummary: [String]
  /// The office's own words, after the generated sentences.
  public var ownSummary: String?
  public var nextMeeting: CalendarDate?
  public var nextMeetingText: String?
  /// The day the commit the paper is built from was recorded, in words ("Built from the record
  /// as of ..."); the commit itself is `recordedAt`, shown in the appendix only.
  public var recordedText: String?
  /// How many are awaiting verification (the headline card).
  public var awaitingCount: Int = 0
  /// The running header of each printed page (organisation and meeting), as the text of a CSS
  /// string: `content: "{{{paper.runningHeaderCSS}}}"` in a template's `@page` rule.
  public var runningHeaderCSS: String = ""

  /// `text` escaped for the inside of a double-quoted CSS string in a `<style>` element: quotes,
  /// backslashes, angle brackets and control characters become CSS escapes, so no user text can
  /// end the string or the element.
  public static func cssString(_ text: String) -> String {
    var out = ""
    for u in text.unicodeScalars {
      switch u {
      case "\\", "\"", "'", "<", ">", "&": out += "\\" + String(u.value, radix: 16) + " "
      case _ where u.value < 0x20 || u.value == 0x7F: out += " "
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }
}
