/// The default templates, built into the binary so rectrack works in a repository without its
/// own `Templates/` folder. A test keeps each identical to the file of the same name in the
/// project's `Templates/` folder, which is the copy people read and edit. (A multi-line literal
/// drops the line break before its closing quotes, hence the blank line at the end of each.)
enum BuiltinTemplates {
  static let all: [String: String] = [
    "new-recommendation.yml.mustache": newRecommendation,
    "summary.md.mustache": summaryMarkdown,
    "summary.html.mustache": summaryHTML,
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

  static let summaryMarkdown = #"""
{{% CONTENT_TYPE: MARKDOWN }}
{{! The Markdown summary that rectrack summary writes. The data is the value that rectrack summary --format json prints; docs/summaries.md describes every key. Double braces escape user text for Markdown. }}
# {{paper.title}}

{{#organisation}}
**{{organisation}}**

{{/organisation}}
{{#meeting}}
- **Meeting:** {{meeting.title}}, {{paper.dateText}}{{#meeting.notes}} ({{meeting.notes}}){{/meeting.notes}}
{{/meeting}}
{{#paper.agendaItem}}
- **Agenda item:** {{paper.agendaItem}}
{{/paper.agendaItem}}
{{#paper.author}}
- **Author:** {{paper.author}}
{{/paper.author}}
- **Position as of:** {{paper.dateText}}. {{period.description}}.
{{#paper.purpose}}
- **Purpose:** {{paper.purpose}}
{{/paper.purpose}}

## Recommendation to the panel

{{paper.recommendation}}

## Executive summary

{{#paper.executiveSummary}}
{{.}}
{{/paper.executiveSummary}}
{{#paper.ownSummary}}

{{paper.ownSummary}}
{{/paper.ownSummary}}

## Headline figures

| | Now |{{#period.from}} At {{period.from}} | Change |{{/period.from}}
|---|---:|{{#period.from}}---:|---:|{{/period.from}}
| **Total** | **{{headline.total}}** |{{#period.from}} {{headline.previousTotal}} | {{headline.totalChange}} |{{/period.from}}
{{#headline.counts}}
| {{status}} | {{count}} |{{#period.from}} {{previous}} | {{change}} |{{/period.from}}
{{/headline.counts}}

Closed: {{headline.closed}} of {{headline.total}} ({{headline.closedPercent}}). Overdue: {{headline.overdue}}. Awaiting verification: {{paper.awaitingCount}}.
RAG ratings: Red {{headline.rag.red}}, Amber {{headline.rag.amber}}, Green {{headline.rag.green}}, Grey {{headline.rag.grey}}.

## Awaiting verification by the office

{{#awaitingVerification}}
- **{{id}}** {{title}} ({{owner}}): since {{sinceText}}, {{days}} days
{{/awaitingVerification}}
{{^awaitingVerification}}
None.
{{/awaitingVerification}}

## Due before the next meeting{{#paper.nextMeetingText}} ({{paper.nextMeetingText}}){{/paper.nextMeetingText}}

{{#paper.nextMeeting}}
{{#dueBeforeNextMeeting}}
- **{{id}}** {{title}} ({{status}}; {{owner}}): due {{dueText}}, {{daysLeft}} days left
{{/dueBeforeNextMeeting}}
{{^dueBeforeNextMeeting}}
None.
{{/dueBeforeNextMeeting}}
{{/paper.nextMeeting}}
{{^paper.nextMeeting}}
The next meeting's day is not known: give --next-meeting, or list the meetings under paper: meetings in rectrack.yml.
{{/paper.nextMeeting}}

## Due-date history

{{#slippage}}
- **{{id}}** {{title}}: originally due {{originalDueText}}, now {{#dueText}}{{dueText}}{{/dueText}}{{^dueText}}no date{{/dueText}}; moved {{moves}} times, {{slippageText}}
{{#history}}
  - {{dateText}}: {{fromText}} to {{toText}}{{#reason}}: {{reason}}{{/reason}}
{{/history}}
{{/slippage}}
{{^slippage}}
No open recommendation has had its due date moved.
{{/slippage}}

## Progress of every open recommendation

{{#narratives}}
### {{id}}: {{title}}

**{{status}}** · {{owner}}{{#progressUpdatedText}} · last updated {{progressUpdatedText}}{{/progressUpdatedText}}

{{#hasProgress}}
> {{progress}}
{{/hasProgress}}
{{^hasProgress}}
No progress recorded yet.
{{/hasProgress}}

{{/narratives}}
{{^narratives}}
No open recommendations.
{{/narratives}}

## Progress month by month

| As of | Total |{{#statuses}} {{.}} |{{/statuses}} Share closed | Overdue |
|---|---:|{{#statuses}}---:|{{/statuses}}---:|---:|
{{#progress}}
| {{label}}{{#isMeetingDay}} (meeting day){{/isMeetingDay}} | {{total}} |{{#counts}} {{count}} |{{/counts}} {{closedPercent}} | {{overdue}} |
{{/progress}}

## Closed since the last meeting

{{#closedSince}}
- **{{id}}** {{title}} ({{status}}; {{owner}})
{{/closedSince}}
{{^closedSince}}
None.
{{/closedSince}}

## Status changes

{{#statusChanges}}
### {{item.id}}: {{item.title}}

{{#from}}{{from}}{{/from}}{{^from}}new{{/from}} → **{{to}}** ({{item.owner}})

{{#steps}}
- {{commit.date}}: {{#from}}{{from}} → {{/from}}{{to}}{{#note}}: {{note}}{{/note}} ({{commit.author}})
{{/steps}}
{{#narrative}}

> Progress: {{narrative}}
{{/narrative}}

{{/statusChanges}}
{{^statusChanges}}
None.

{{/statusChanges}}
## New recommendations

{{#newRecommendations}}
- **{{id}}** {{title}} ({{status}}; {{owner}}{{#due}}; due {{due}}{{/due}})
{{/newRecommendations}}
{{^newRecommendations}}
None.
{{/newRecommendations}}

## Removed

{{#removed}}
- **{{id}}** {{title}}
{{/removed}}
{{^removed}}
None.
{{/removed}}

## Overdue

{{#overdue}}
- **{{item.id}}** {{item.title}}: due {{due}}, **{{daysOverdue}} days overdue** ({{item.status}}; {{item.owner}})
{{/overdue}}
{{^overdue}}
None.
{{/overdue}}

## Due dates changed

{{#dueDateChanges}}
- **{{item.id}}** {{item.title}}: {{#from}}{{from}}{{/from}}{{^from}}none{{/from}} → {{#to}}{{to}}{{/to}}{{^to}}none{{/to}}{{#reason}}. Reason: {{reason}}{{/reason}}{{#commit}} (commit `{{commit.short}}`){{/commit}}
{{/dueDateChanges}}
{{^dueDateChanges}}
None.
{{/dueDateChanges}}

## No update for {{settings.staleMonths}} months or more

{{#stale}}
- **{{item.id}}** {{item.title}}: last updated {{lastUpdate}} ({{daysSinceUpdate}} days; {{item.status}}; {{item.owner}})
{{/stale}}
{{^stale}}
None.
{{/stale}}

## RAG rating

{{ragRule}}

| RAG | ID | Title | Owner | Status | Due | Why |
|---|---|---|---|---|---|---|
{{#register}}
| {{rag}} | {{item.id}} | {{item.title}} | {{item.owner}} | {{item.status}} | {{item.due}} | {{reason}} |
{{/register}}

## Appendix: commits in the period

| Commit | Date | Author | Summary |
|---|---|---|---|
{{#commits}}
| `{{short}}` | {{date}}{{#effective}} (effective){{/effective}} | {{author}} | {{summary}} |
{{/commits}}
{{^commits}}
| | | | No commits in the period. |
{{/commits}}

"""#

  static let summaryHTML = #"""
{{! The HTML summary that rectrack summary writes: one self-contained XHTML file (inline CSS, no scripts or external files) for screen and A4 paper. The data is the value that rectrack summary --format json prints; docs/summaries.md describes every key. Keep user text in double braces, which escape it. }}
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en-GB">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{{title}} - {{asOf}}</title>
<style>
@page { size: A4; margin: 20mm 15mm 18mm;
  @top-left { content: "{{{paper.runningHeaderCSS}}}"; font-family: "Liberation Sans", Arial, sans-serif; font-size: 8pt; color: #3d4a57; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-family: "Liberation Sans", Arial, sans-serif; font-size: 8pt; color: #3d4a57; }
}
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #1d232a; max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; }
header { border-bottom: 3px solid #1f3b57; margin-bottom: 1em; padding-bottom: 0.5em; }
.organisation { font-size: 10pt; text-transform: uppercase; letter-spacing: 0.05em; color: #1f3b57; margin: 0; }
h1 { font-size: 20pt; margin: 0.15em 0; color: #1f3b57; }
h2 { font-size: 13pt; color: #1f3b57; border-bottom: 1px solid #c8d1da; padding-bottom: 2px; margin: 1.4em 0 0.5em; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 1em 0 0.2em; break-after: avoid; page-break-after: avoid; }
.meta { margin: 0.2em 0; color: #3d4a57; }
.notes { white-space: pre-line; }
.figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 0.6em 0; }
.figure { flex: 1 1 0; min-width: 26mm; border: 1px solid #c8d1da; border-radius: 4px; padding: 6px 8px; break-inside: avoid; }
.figure .value { font-size: 18pt; font-weight: bold; display: block; }
.figure .label { font-size: 9pt; color: #3d4a57; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; font-size: 9.5pt; }
th, td { border: 1px solid #c8d1da; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 9pt; }
.nowrap, th[scope="row"], td.date, td.status { white-space: nowrap; hyphens: none; }
.frontmatter dt { font-weight: bold; float: left; clear: left; width: 42mm; }
.frontmatter dd { margin: 0 0 0.3em 44mm; }
.ask { border: 1px solid #1f3b57; padding: 6px 10px; background: #f3f6f9; }
.status-word { font-weight: bold; white-space: nowrap; }
.rag { font-weight: bold; text-transform: uppercase; font-size: 8.5pt; text-align: center; white-space: nowrap; }
.rag-red { background: #f4c7c3; color: #7a1712; }
.rag-amber { background: #fde7b0; color: #6b4a00; }
.rag-green { background: #cfe8d5; color: #1d4d2b; }
.rag-grey { background: #e3e6ea; color: #3d4a57; }
.change { border-left: 3px solid #c8d1da; padding-left: 8px; margin: 0.5em 0 0.9em; break-inside: avoid; }
.change ul { margin: 0.2em 0; padding-left: 1.2em; }
.progress { white-space: pre-line; margin: 0.3em 0; color: #3d4a57; }
.none { color: #5c6b7a; font-style: italic; }
figure { margin: 0.5em 0; break-inside: avoid; }
figcaption { font-size: 9pt; color: #3d4a57; }
svg { width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 10px; fill: #3d4a57; }
.legend { list-style: none; padding: 0; margin: 0.3em 0; font-size: 9pt; }
.legend li { display: inline-block; margin-right: 1em; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border: 1px solid #8896a4; vertical-align: -1px; }
footer { margin-top: 2em; font-size: 8.5pt; color: #5c6b7a; border-top: 1px solid #c8d1da; padding-top: 4px; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } footer { display: none; } }
</style>
</head>
<body>
<header>
{{#organisation}}
<p class="organisation">{{organisation}}</p>
{{/organisation}}
<h1>{{paper.title}}</h1>
<dl class="frontmatter">
{{#meeting}}
<dt>Meeting</dt><dd>{{meeting.title}}, {{paper.dateText}}</dd>
{{/meeting}}
{{#paper.agendaItem}}
<dt>Agenda item</dt><dd>{{paper.agendaItem}}</dd>
{{/paper.agendaItem}}
{{#paper.author}}
<dt>Author</dt><dd>{{paper.author}}</dd>
{{/paper.author}}
<dt>Position as of</dt><dd>{{paper.dateText}}. {{period.description}}.</dd>
{{#paper.purpose}}
<dt>Purpose</dt><dd>{{paper.purpose}}</dd>
{{/paper.purpose}}
</dl>
{{#meeting.notes}}
<p class="meta notes">{{meeting.notes}}</p>
{{/meeting.notes}}
</header>

<section>
<h2>Recommendation to the panel</h2>
<p class="ask">{{paper.recommendation}}</p>
</section>

<section>
<h2>Executive summary</h2>
{{#paper.executiveSummary}}
<p>{{.}}</p>
{{/paper.executiveSummary}}
{{#paper.ownSummary}}
<p class="notes">{{paper.ownSummary}}</p>
{{/paper.ownSummary}}
</section>


<section>
<h2>Headline figures</h2>
<div class="figures">
<div class="figure"><span class="value">{{headline.total}}</span><span class="label">recommendations{{#headline.totalChange}} ({{headline.totalChange}} since the last report){{/headline.totalChange}}</span></div>
<div class="figure"><span class="value">{{headline.closed}}</span><span class="label">closed ({{headline.closedPercent}})</span></div>
<div class="figure"><span class="value">{{headline.overdue}}</span><span class="label">overdue</span></div>
<div class="figure"><span class="value">{{paper.awaitingCount}}</span><span class="label">awaiting verification</span></div>
</div>
<p>RAG ratings: <strong>Red</strong> {{headline.rag.red}}, <strong>Amber</strong> {{headline.rag.amber}}, <strong>Green</strong> {{headline.rag.green}}, <strong>Grey</strong> {{headline.rag.grey}} (the rule is under "RAG rating").</p>
<table>
<thead><tr><th scope="col">Status</th><th scope="col" class="num">Now</th>{{#period.from}}<th scope="col" class="num">At {{period.from}}</th><th scope="col" class="num">Change</th>{{/period.from}}</tr></thead>
<tbody>
{{#headline.counts}}
<tr><th scope="row">{{status}}</th><td class="num">{{count}}</td>{{#period.from}}<td class="num">{{previous}}</td><td class="num">{{change}}</td>{{/period.from}}</tr>
{{/headline.counts}}
<tr><th scope="row">Total</th><td class="num"><strong>{{headline.total}}</strong></td>{{#period.from}}<td class="num">{{headline.previousTotal}}</td><td class="num">{{headline.totalChange}}</td>{{/period.from}}</tr>
</tbody>
</table>
</section>

<section>
<h2>New since the last meeting</h2>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Due</th></tr></thead>
<tbody>
{{#newRecommendations}}
<tr><th scope="row">{{id}}</th><td>{{title}}</td><td>{{owner}}</td><td class="status">{{status}}</td><td class="date">{{dueText}}</td></tr>
{{/newRecommendations}}
{{^newRecommendations}}
<tr><td colspan="5" class="none">None.</td></tr>
{{/newRecommendations}}
</tbody>
</table>
{{#removed}}
<p>Removed: <strong>{{id}}</strong> {{title}}</p>
{{/removed}}
</section>

<section>
<h2>Closed since the last meeting</h2>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#closedSince}}
<tr><th scope="row">{{id}}</th><td>{{title}}</td><td>{{owner}}</td><td class="status">{{status}}</td></tr>
{{/closedSince}}
{{^closedSince}}
<tr><td colspan="4" class="none">None.</td></tr>
{{/closedSince}}
</tbody>
</table>
</section>

<section>
<h2>Awaiting verification by the office</h2>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Since</th><th scope="col" class="num">Days waiting</th></tr></thead>
<tbody>
{{#awaitingVerification}}
<tr><th scope="row">{{id}}</th><td>{{title}}</td><td>{{owner}}</td><td class="date">{{sinceText}}</td><td class="num">{{days}}</td></tr>
{{/awaitingVerification}}
{{^awaitingVerification}}
<tr><td colspan="5" class="none">None.</td></tr>
{{/awaitingVerification}}
</tbody>
</table>
</section>

<section>
<h2>Overdue</h2>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col">Originally due</th><th scope="col" class="num">Days overdue</th></tr></thead>
<tbody>
{{#overdue}}
<tr><th scope="row">{{item.id}}</th><td>{{item.title}}</td><td>{{item.owner}}</td><td class="status">{{item.status}}</td><td class="date">{{dueText}}</td><td class="date">{{#originalDueText}}{{originalDueText}}{{/originalDueText}}{{^originalDueText}}unchanged{{/originalDueText}}</td><td class="num">{{daysOverdue}}</td></tr>
{{/overdue}}
{{^overdue}}
<tr><td colspan="7" class="none">None.</td></tr>
{{/overdue}}
</tbody>
</table>
</section>

<section>
<h2>Due before the next meeting{{#paper.nextMeetingText}} ({{paper.nextMeetingText}}){{/paper.nextMeetingText}}</h2>
{{#paper.nextMeeting}}
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col" class="num">Days left</th></tr></thead>
<tbody>
{{#dueBeforeNextMeeting}}
<tr><th scope="row">{{id}}</th><td>{{title}}</td><td>{{owner}}</td><td class="status">{{status}}</td><td class="date">{{dueText}}</td><td class="num">{{daysLeft}}</td></tr>
{{/dueBeforeNextMeeting}}
{{^dueBeforeNextMeeting}}
<tr><td colspan="6" class="none">None.</td></tr>
{{/dueBeforeNextMeeting}}
</tbody>
</table>
{{/paper.nextMeeting}}
{{^paper.nextMeeting}}
<p class="none">The next meeting's day is not known: give --next-meeting, or list the meetings under paper: meetings in rectrack.yml.</p>
{{/paper.nextMeeting}}
</section>

<section>
<h2>Due-date history</h2>
<p>Every open recommendation whose due date has ever moved: the first date it had, the date now, how often it moved and by how much in all.</p>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Originally due</th><th scope="col">Due now</th><th scope="col" class="num">Moves</th><th scope="col">Slippage</th></tr></thead>
<tbody>
{{#slippage}}
<tr><th scope="row">{{id}}</th><td>{{title}}<ul>{{#history}}<li>{{dateText}}: {{fromText}} to {{toText}}{{#reason}}: {{reason}}{{/reason}}</li>{{/history}}</ul></td><td class="date">{{originalDueText}}</td><td class="date">{{dueText}}</td><td class="num">{{moves}}</td><td class="nowrap">{{slippageText}}</td></tr>
{{/slippage}}
{{^slippage}}
<tr><td colspan="6" class="none">No open recommendation has had its due date moved.</td></tr>
{{/slippage}}
</tbody>
</table>
</section>

<section>
<h2>Progress of every open recommendation</h2>
{{#narratives}}
<div class="change">
<h3><span class="nowrap">{{id}}</span>: {{title}}</h3>
<p class="meta"><span class="status-word">{{status}}</span> · {{owner}}{{#progressUpdatedText}} · last updated {{progressUpdatedText}}{{/progressUpdatedText}}</p>
{{#hasProgress}}
<p class="progress">{{progress}}</p>
{{/hasProgress}}
{{^hasProgress}}
<p class="none">No progress recorded yet.</p>
{{/hasProgress}}
</div>
{{/narratives}}
{{^narratives}}
<p class="none">No open recommendations.</p>
{{/narratives}}
</section>

<section>
<h2>Progress month by month</h2>
<figure>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{chart.width}} {{chart.height}}" role="img" aria-labelledby="chart-title chart-desc">
<title id="chart-title">Recommendations by status, month by month</title>
<desc id="chart-desc">{{chart.description}}</desc>
{{#chart.ticks}}
<line x1="{{chart.plotLeft}}" x2="{{chart.plotRight}}" y1="{{y}}" y2="{{y}}" stroke="#dde3e9" stroke-width="1"/>
<text x="{{chart.plotLeft}}" y="{{y}}" dx="-6" dy="4" text-anchor="end">{{value}}</text>
{{/chart.ticks}}
{{#chart.bars}}
<g>
{{#segments}}
<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{colour}}"><title>{{label}}: {{count}} {{status}}</title></rect>
{{/segments}}
<text x="{{labelX}}" y="{{top}}" dy="-3" text-anchor="middle">{{total}}</text>
<text x="{{labelX}}" y="{{chart.baseline}}" dy="14" text-anchor="middle">{{label}}</text>
</g>
{{/chart.bars}}
<line x1="{{chart.plotLeft}}" x2="{{chart.plotRight}}" y1="{{chart.baseline}}" y2="{{chart.baseline}}" stroke="#5c6b7a" stroke-width="1"/>
</svg>
<figcaption>
<ul class="legend">
{{#chart.legend}}
<li><span class="swatch" style="background: {{colour}}"></span>{{status}}</li>
{{/chart.legend}}
</ul>
{{chart.description}}
</figcaption>
</figure>
<table>
<thead><tr><th scope="col">As of</th><th scope="col" class="num">Total</th>{{#statuses}}<th scope="col" class="num">{{.}}</th>{{/statuses}}<th scope="col" class="num">Share closed</th><th scope="col" class="num">Overdue</th></tr></thead>
<tbody>
{{#progress}}
<tr><th scope="row">{{label}}{{#isMeetingDay}} (meeting day){{/isMeetingDay}}</th><td class="num">{{total}}</td>{{#counts}}<td class="num">{{count}}</td>{{/counts}}<td class="num">{{closedPercent}}</td><td class="num">{{overdue}}</td></tr>
{{/progress}}
</tbody>
</table>
</section>

<section>
<h2>Status changes</h2>
{{#statusChanges}}
<div class="change">
<h3>{{item.id}}: {{item.title}}</h3>
<p class="meta">{{#from}}{{from}}{{/from}}{{^from}}new{{/from}} → <strong>{{to}}</strong> · {{item.owner}}</p>
<ul>
{{#steps}}
<li>{{commit.date}}: {{#from}}{{from}} → {{/from}}{{to}}{{#note}}: {{note}}{{/note}} <span class="meta">({{commit.author}})</span></li>
{{/steps}}
</ul>
{{#narrative}}
<p class="progress"><strong>Progress:</strong> {{narrative}}</p>
{{/narrative}}
</div>
{{/statusChanges}}
{{^statusChanges}}
<p class="none">None.</p>
{{/statusChanges}}
</section>

<section>
<h2>Due dates changed in the period</h2>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Reason</th></tr></thead>
<tbody>
{{#dueDateChanges}}
<tr><th scope="row">{{item.id}}</th><td>{{item.title}}</td><td>{{from}}</td><td>{{to}}</td><td>{{reason}}</td></tr>
{{/dueDateChanges}}
{{^dueDateChanges}}
<tr><td colspan="5" class="none">None.</td></tr>
{{/dueDateChanges}}
</tbody>
</table>
</section>

<section>
<h2>No update for {{settings.staleMonths}} months or more</h2>
<table>
<thead><tr><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Last update</th><th scope="col" class="num">Days</th></tr></thead>
<tbody>
{{#stale}}
<tr><th scope="row">{{item.id}}</th><td>{{item.title}}</td><td>{{item.owner}}</td><td>{{item.status}}</td><td>{{lastUpdate}}</td><td class="num">{{daysSinceUpdate}}</td></tr>
{{/stale}}
{{^stale}}
<tr><td colspan="6" class="none">None.</td></tr>
{{/stale}}
</tbody>
</table>
</section>

<section>
<h2>RAG rating</h2>
<p>Computed by rule, as of {{asOf}}. {{ragRule}}</p>
<table>
<thead><tr><th scope="col">RAG</th><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col">Why</th></tr></thead>
<tbody>
{{#register}}
<tr><td class="rag rag-{{rag}}">{{rag}}</td><th scope="row">{{item.id}}</th><td>{{item.title}}</td><td>{{item.owner}}</td><td>{{item.status}}</td><td>{{item.due}}</td><td>{{reason}}</td></tr>
{{/register}}
{{^register}}
<tr><td colspan="7" class="none">No recommendations.</td></tr>
{{/register}}
</tbody>
</table>
</section>

<section>
<h2>Appendix: commits in the period</h2>
<table>
<thead><tr><th scope="col">Commit</th><th scope="col">Date</th><th scope="col">Author</th><th scope="col">Summary</th></tr></thead>
<tbody>
{{#commits}}
<tr><td><code>{{short}}</code></td><td>{{date}}{{#effective}} (effective){{/effective}}</td><td>{{author}}</td><td>{{summary}}</td></tr>
{{/commits}}
{{^commits}}
<tr><td colspan="4" class="none">No commits in the period.</td></tr>
{{/commits}}
</tbody>
</table>
</section>

<footer>Written by rectrack from the tracking repository's history. Every figure is as of {{asOf}} (a commit counts from its Effective: date, else its author date); each change cites its commit.</footer>
</body>
</html>

"""#
}
