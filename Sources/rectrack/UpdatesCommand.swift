import ArgumentParser
import RecTrackCore

extension Rectrack {
  /// `rectrack updates`: ask owners for updates and record what they send back.
  struct Updates: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "updates",
      abstract: "Ask each owner for an update and record their returned sheets.",
      discussion: """
        'request' writes one request per owner (an email file with the return sheet attached, \
        or the sheet alone); 'record' records a returned sheet, each change a commit by the \
        owner; 'status' shows who was asked, who replied and who is late. rectrack sends nothing: \
        you send the files. See docs/updates.md.

        Examples:
          rectrack updates request --before 2024-02-06 --output requests/
          rectrack updates record returns/chief-constable.xlsx --dry-run
          rectrack updates record returns/chief-constable.xlsx --returned 2024-01-17
          rectrack updates status
        """,
      subcommands: [UpdatesRequest.self, UpdatesRecord.self, UpdatesStatus.self])
  }
}

/// The day of a request or a recorded return: the day a change recorded now is dated, so
/// `GIT_AUTHOR_DATE` moves it as it moves every change's date (the tour, a late clerk).
func updatesDay() throws(TrackingError) -> CalendarDate {
  let (time, offset) = try Signature.now()
  return CalendarDate(secondsSinceEpoch: time, offsetMinutes: offset)
}
