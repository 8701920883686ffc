/// The default templates, built into the binary so rectrack works in a repository without its
/// own `Templates/` folder. A test keeps each identical to the file of the same name in the
/// project's `Templates/` folder, which is the copy people read and edit. (A multi-line literal
/// drops the line break before its closing quotes, hence the blank line at the end of each.)
enum BuiltinTemplates {
  static let all: [String: String] = [
    "new-recommendation.yml.mustache": newRecommendation,
  ]

  static let newRecommendation = #"""
{{! The file that rectrack new writes. Every value arrives already written as YAML, quoted when needed, so use triple braces. }}
# {{heading}}
id: {{{id}}}
title: {{{title}}}
source: {{{source}}}
raised: {{{raised}}}
owner: {{{owner}}}
{{#lead}}
lead: {{{lead}}}
{{/lead}}
{{#due}}
due: {{{due}}}
{{/due}}
{{#priority}}
priority: {{{priority}}}
{{/priority}}
status: {{{status}}}
{{#tags}}
tags: {{{tags}}}
{{/tags}}
{{#description}}
description: {{{description}}}
{{/description}}

"""#
}
