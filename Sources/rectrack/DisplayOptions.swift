import ArgumentParser
import Foundation
import RecTrackCore

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

/// `--wide` and `--color`, shared by every command that prints a table or a chart.
///
/// Tables fit `Console.width`: `COLUMNS` when set, else the terminal's width, else (output to a
/// file or a pipe) 80, so piped output does not depend on the window it was typed in. Scripts
/// read `--format csv` or `json`, which never depend on the width.
struct DisplayOptions: ParsableArguments {
  @Flag(help: "Show every column, one line per row, however wide (e.g. for 'less -S').")
  var wide = false

  @Option(
    name: .customLong("color"),
    help: "Colour status names: auto (on a terminal, unless NO_COLOR is set), always or never.")
  var color: ColorChoice = .auto

  /// The width tables must fit, or nil for `--wide`.
  var width: Int? { wide ? nil : Console.width }

  var useColour: Bool {
    switch color {
    case .always: return true
    case .never: return false
    case .auto: return Console.colour
    }
  }

  /// The palette for a workflow's statuses, or nil when output is not coloured.
  func palette(_ statuses: [String]) -> Palette? { useColour ? Palette(statuses: statuses) : nil }
}
