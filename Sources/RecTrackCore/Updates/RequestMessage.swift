import Foundation

/// An owner's request as the office sends it: the words of the message (plain text, HTML,
/// Markdown for printing) and the `.eml` file that Outlook or Thunderbird opens ready to send.
public enum RequestMessage {
  /// The subject line.
  public static func subject(_ request: UpdateRequests.OwnerRequest, requests: UpdateRequests) -> String {
    let n = request.items.count
    return "Update request: \(n) recommendation\(n == 1 ? "" : "s") (\(requests.today.longText))"
  }

  /// Why recommendations are on a request, in words.
  public static func basis(_ requests: UpdateRequests) -> String {
    var parts = ["overdue", "due on or before \(requests.before.longText)", "awaiting verification"]
    if let m = requests.lastMeeting {
      parts.append("without an update recorded since the meeting on \(m.date.longText)")
    }
    return parts.dropLast().joined(separator: ", ") + ", or " + parts[parts.count - 1]
  }

  static func reasonText(_ item: UpdateRequests.Item) -> String {
    item.reasons.map(\.rawValue).joined(separator: ", ")
  }

  static func intro(_ request: UpdateRequests.OwnerRequest, requests: UpdateRequests, organisation: String?)
    -> [String]
  {
    var lines = [
      "Dear \(request.owner),",
      "",
      "Please send us an update on the recommendations below"
        + (organisation.map { " (\($0))" } ?? "") + ". Each is " + basis(requests) + ".",
      "",
      "Fill in the columns New status, Progress update, Evidence, Proposed due date and Reason in the "
        + "attached sheet, leave the other columns as they are, save it and send it back. A row left "
        + "blank is read as \"no change\".",
    ]
    lines.append("")
    return lines
  }

  /// The plain-text body.
  public static func text(
    _ request: UpdateRequests.OwnerRequest, requests: UpdateRequests, organisation: String?
  )
    -> String
  {
    var lines = intro(request, requests: requests, organisation: organisation)
    for item in request.items {
      lines.append("\(item.id): \(item.title)")
      lines.append(
        "  Status: \(item.status)   Due: \(item.due?.longText ?? "no date")   (\(reasonText(item)))")
      lines.append(
        "  Latest update: \(item.latestUpdate?.replacingOccurrences(of: "\n", with: " ") ?? "none recorded")")
      lines.append("")
    }
    lines.append("Thank you.")
    return lines.joined(separator: "\n") + "\n"
  }

  static func html(escaping s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// The HTML body (a table the recipient can read without opening the sheet).
  public static func html(
    _ request: UpdateRequests.OwnerRequest, requests: UpdateRequests, organisation: String?
  )
    -> String
  {
    let paragraphs = intro(request, requests: requests, organisation: organisation)
      .filter { !$0.isEmpty }.map { "<p>\(html(escaping: $0))</p>" }
    var rows: [String] = []
    for item in request.items {
      let cells = [
        item.id, item.title, item.status, item.due?.longText ?? "no date",
        item.latestUpdate ?? "none recorded",
        reasonText(item),
      ]
      rows.append("<tr>" + cells.map { "<td>\(html(escaping: $0))</td>" }.joined() + "</tr>")
    }
    let head = ["ID", "Title", "Status", "Due", "Latest update", "Why asked"].map { "<th>\($0)</th>" }
      .joined()
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(html(escaping: subject(request, requests: requests)))</title></head>
      <body style="font-family: Arial, sans-serif; font-size: 11pt">
      \(paragraphs.joined(separator: "\n"))
      <table border="1" cellpadding="4" style="border-collapse: collapse">
      <thead><tr>\(head)</tr></thead>
      <tbody>
      \(rows.joined(separator: "\n"))
      </tbody>
      </table>
      <p>Thank you.</p>
      </body></html>

      """
  }

  /// Markdown for printing or pasting.
  public static func markdown(
    _ request: UpdateRequests.OwnerRequest, requests: UpdateRequests, organisation: String?
  ) -> String {
    func cell(_ s: String) -> String {
      s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
    var lines = ["# " + subject(request, requests: requests), ""]
    lines += intro(request, requests: requests, organisation: organisation)
    lines.append("| ID | Title | Status | Due | Latest update | Why asked |")
    lines.append("|---|---|---|---|---|---|")
    for item in request.items {
      lines.append(
        "| "
          + [
            item.id, item.title, item.status, item.due?.description ?? "", item.latestUpdate ?? "",
            reasonText(item),
          ].map(cell).joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: The .eml file

  /// An RFC 2047 encoded word for a header value that is not plain ASCII; ASCII stays as it is.
  public static func encodedWord(_ text: String) -> String {
    if text.allSatisfy({ $0.isASCII && !$0.isNewline }) { return text }
    // Encoded words of at most 75 characters each, split between whole characters.
    var words: [String] = []
    var chunk = ""
    for ch in text {
      let candidate = chunk + String(ch)
      if Data(candidate.utf8).base64EncodedString().count > 75 - 12 {
        words.append(chunk)
        chunk = String(ch)
      } else {
        chunk = candidate
      }
    }
    if !chunk.isEmpty { words.append(chunk) }
    return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
  }

  /// `Name <address>` with the name quoted or encoded as RFC 5322 and 2047 require.
  public static func mailbox(name: String?, address: String) -> String {
    guard let name, !name.isEmpty else { return address }
    if name.allSatisfy({ $0.isASCII }) {
      let special = name.contains { "()<>[]:;@\\,.\"".contains($0) }
      let shown =
        special
        ? "\""
          + name.replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "\"", with: "\\\"") + "\"" : name
      return "\(shown) <\(address)>"
    }
    return "\(encodedWord(name)) <\(address)>"
  }

  static func base64Lines(_ bytes: Data) -> String {
    let b64 = bytes.base64EncodedString()
    var lines: [String] = []
    var i = b64.startIndex
    while i < b64.endIndex {
      let j = b64.index(i, offsetBy: 76, limitedBy: b64.endIndex) ?? b64.endIndex
      lines.append(String(b64[i..<j]))
      i = j
    }
    return lines.joined(separator: "\r\n")
  }

  /// RFC 5322 date, e.g. `Tue, 01 Dec 2026 10:00:00 +0000`.
  static func rfc5322Date(time: Int64, offsetMinutes: Int) -> String {
    let day = CalendarDate(secondsSinceEpoch: time, offsetMinutes: offsetMinutes)
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    let weekday = weekdays[((day.daysSinceEpoch % 7) + 7) % 7]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let local = time + Int64(offsetMinutes) * 60
    let secs = ((local % 86_400) + 86_400) % 86_400
    let sign = offsetMinutes < 0 ? "-" : "+"
    let off = abs(offsetMinutes)
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(weekday), \(two(Int64(day.day))) \(months[day.month - 1]) \(day.year) "
      + "\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) "
      + "\(sign)\(two(Int64(off / 60)))\(two(Int64(off % 60)))"
  }

  /// The whole message: multipart/mixed holding multipart/alternative (text, HTML) and the
  /// return sheet as an attachment (an Excel workbook or CSV); CRLF line ends; `X-Unsent: 1` so
  /// Outlook opens it as a draft ready to send. rectrack never sends it.
  /// - Parameters:
  ///   - from: the office member writing the request (git's identity), if known.
  ///   - time: the message date (seconds since 1970 and minutes east of UTC).
  ///   - sheet: the attached return sheet's form.
  public static func eml(
    _ request: UpdateRequests.OwnerRequest, requests: UpdateRequests, organisation: String?,
    from: (name: String, email: String)?, time: (seconds: Int64, offsetMinutes: Int),
    sheet: ReturnSheet.Format = .xlsx
  ) throws(TrackingError) -> String {
    let stem = UpdateRequests.fileStem(for: request.owner)
    // A boundary no base64 line can contain (base64 has no '=' inside and no '_').
    let boundary = "=_rectrack_" + String(requests.madeFrom.prefix(16)) + "_" + stem.prefix(20)
    let mixed = boundary + "_mixed"
    let alternative = boundary + "_alt"
    var h: [String] = []
    if let from { h.append("From: " + mailbox(name: from.name, address: from.email)) }
    if let email = request.email { h.append("To: " + mailbox(name: request.owner, address: email)) }
    h.append("Subject: " + encodedWord(subject(request, requests: requests)))
    h.append("Date: " + rfc5322Date(time: time.seconds, offsetMinutes: time.offsetMinutes))
    h.append("MIME-Version: 1.0")
    h.append("X-Unsent: 1")
    h.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
    let attached = try ReturnSheet.bytes(request, madeFrom: requests.madeFrom, format: sheet)
    let attachment = "updates-\(stem)-\(requests.today).\(sheet.rawValue)"
    let body = [
      "This is a multi-part message in MIME format.",
      "",
      "--\(mixed)",
      "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
      "",
      "--\(alternative)",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(Data(text(request, requests: requests, organisation: organisation).crlf.utf8)),
      "",
      "--\(alternative)",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(Data(html(request, requests: requests, organisation: organisation).crlf.utf8)),
      "",
      "--\(alternative)--",
      "",
      "--\(mixed)",
      "Content-Type: \(sheet.contentType); name=\"\(attachment)\"",
      "Content-Transfer-Encoding: base64",
      "Content-Disposition: attachment; filename=\"\(attachment)\"",
      "",
      base64Lines(Data(attached)),
      "",
      "--\(mixed)--",
      "",
    ]
    return (h + [""] + body).joined(separator: "\r\n")
  }
}

extension String {
  /// Line ends as CRLF, the canonical form of text in a MIME message.
  fileprivate var crlf: String { replacingCRLF.replacingOccurrences(of: "\n", with: "\r\n") }
}
