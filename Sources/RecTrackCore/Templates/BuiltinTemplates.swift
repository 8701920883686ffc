/// The default templates, built into the binary so rectrack works in a repository without its
/// own `Templates/` folder. A test keeps each identical to the file of the same name in the
/// project's `Templates/` folder, which is the copy people read and edit.
enum BuiltinTemplates {
  static let all: [String: String] = [
    "new-recommendation.yml.mustache": newRecommendation,
  ]

  static let newRecommendation = #"""
{{! The file 'rectrack new' writes. Each {{{key}}} is already written as YAML (quoted when needed). }}
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
