import Foundation

/// A valid recommendation file's text, with optional extra lines appended.
public func sampleRecommendation(
  id: String, status: String = "open", title: String = "Run targeted drug-intelligence campaigns",
  owner: String = "Chief Constable", source: String = "Deep Dive Scrutiny Review - Illegal Drugs",
  due: String? = "2020-09-30", tags: [String] = ["intelligence"], extra: String = ""
) -> String {
  var s = """
    # Deep Dive Scrutiny Review: illegal drugs
    id: \(id)
    title: \(title)
    source: \(source)
    raised: 2019-10-01
    owner: \(owner)

    """
  if let due { s += "due: \(due)   # agreed with the force\n" }
  s += "status: \(status)\n"
  s += "tags: [\(tags.joined(separator: ", "))]\n"
  s +=
    "description: |\n  Engage partner agencies such as CrimeStoppers to run localised,\n  targeted campaigns.\n"
  return s + extra
}
