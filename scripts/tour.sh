#!/usr/bin/env bash
# Builds rectrack, then tours it on the bundled example recommendations in a scratch tracking
# repository: staff record changes over many months, then read the tracker back.
# Usage: bash scripts/tour.sh [FOLDER]   (default: a new temporary folder)
# RECTRACK_BIN=PATH uses that rectrack instead of building one (the paper golden tests do).
set -euo pipefail
cd "$(dirname "$0")/.."
project="$PWD"

if [ -n "${RECTRACK_BIN:-}" ]; then
  # A rectrack already built (the tests pass theirs): no setup, no build.
  bin="$RECTRACK_BIN"
else
  # A fresh machine: install libgit2-dev and pkg-config first when they are missing.
  bash scripts/setup-libgit2.sh
  echo "== Building rectrack (release)"
  if ! bin="$(bash scripts/build-release.sh)"; then
    echo "Nothing else was run." >&2
    exit 2
  fi
fi

repo="${1:-$(mktemp -d)/opcc-recommendations}"
if [ -e "$repo" ] && [ -n "$(ls -A "$repo" 2>/dev/null)" ]; then
  echo "$repo exists and is not empty; pass a new folder." >&2
  exit 2
fi
staff="Rhian Evans <rhian.evans@opcc.example.org>"
force="Insp. Gareth Price <gareth.price@police.example.org>"

step() { printf '\n== %s\n' "$*"; }
# Runs rectrack as if on the given day, so the history spans the months of a real review.
on() { local day="$1"; shift; GIT_AUTHOR_DATE="${day}T10:00:00+01:00" GIT_COMMITTER_DATE="${day}T10:00:00+01:00" "$bin" "$@"; }
show() { printf '$ rectrack %s\n' "$*"; "$bin" "$@"; }

step "A new tracking repository for the commissioner's office"
on 2019-10-01 init "$repo" --organisation "Office of the Police and Crime Commissioner" --author "$staff" \
  --office-domain opcc.example.org --force-domain police.example.org
cd "$repo"
git config user.name "Rhian Evans"
git config user.email "rhian.evans@opcc.example.org"

step "The Deep Dive review's recommendations arrive (October 2019), all open"
mkdir -p Recommendations/dyfed-powys-2019-deep-dive
for f in "$project"/Recommendations/dyfed-powys-2019-deep-dive/*.yml; do
  sed 's/^status: .*/status: open/' "$f" > "Recommendations/dyfed-powys-2019-deep-dive/$(basename "$f")"
done
git add Recommendations
GIT_AUTHOR_DATE=2019-10-01T12:00:00+01:00 GIT_COMMITTER_DATE=2019-10-01T12:00:00+01:00 \
  git commit -q -m "Add the Deep Dive Scrutiny Review recommendations"
"$bin" list

step "Staff record progress as it is reported"
on 2020-03-02 status DP-DDR-01 in-progress --note "CrimeStoppers campaign launched in Llanelli" --author "$force"
on 2020-03-05 update DP-DDR-01 --progress "Campaign launched in Llanelli and Newtown in March 2020." --author "$force"
on 2020-04-15 update DP-DDR-02 --due 2021-03-31 --reason "Treatment providers redeployed during the pandemic" --author "$staff"
on 2020-09-01 status DP-DDR-02 in-progress --note "Protocol drafted with substance misuse providers" --author "$force"
on 2021-03-10 status DP-DDR-02 complete --note "Protocol signed by all providers" --effective 2021-02-26 --author "$force"
on 2021-04-20 status DP-DDR-02 closed --note "Verified at the April scrutiny meeting" --author "$staff"
on 2020-11-20 update DP-DDR-03 --due 2021-06-30 --reason "Waiting for the Home Office review of consumption facilities" --author "$staff"
on 2021-06-10 update DP-DDR-03 --due 2022-06-30 --reason "Partner agencies asked for a further year" --author "$staff"

step "The panel meets (14 October 2021): the meeting is a tag on the commit its paper is built from"
on 2021-10-14 meeting add 2021-10-14 --title "Police, Fire and Crime Panel" --notes "Item 7: progress on the Deep Dive review" --author "$staff"
show progress --from 2021-10 --to 2021-10

step "The North Yorkshire panel report's commitments are added (January 2022)"
mkdir -p Recommendations/north-yorkshire-2022-01
cp "$project"/Recommendations/north-yorkshire-2022-01/*.yml Recommendations/north-yorkshire-2022-01/
git add Recommendations
GIT_AUTHOR_DATE=2022-01-20T12:00:00+00:00 GIT_COMMITTER_DATE=2022-01-20T12:00:00+00:00 \
  git commit -q -m "Add the County Lines and Drugs Strategy commitments from the January 2022 panel report"

step "The office agrees to take late reports up to six months back, and records that setting"
printf '\naudit:\n  effective-max-days-before: 183   # late reports accepted up to six months back\n' >> rectrack.yml
on 2022-02-14 record rectrack.yml --note "Panel agreed to accept late reports up to six months back" --author "$staff"

step "Recorded late (February 2022): DP-DDR-03 was in fact completed on 30 September 2021"
on 2022-02-15 status DP-DDR-03 complete --effective 2021-09-30 --note "Reported late by the force: training completed in September" --author "$force"
show log DP-DDR-03

step "What the tracker says now"
show list --status in-progress
show list --overdue
show show DP-DDR-02
show validate

step "History: one recommendation's story, and the figures month by month"
show log DP-DDR-02
show list --as-of 2020-12-31
show progress --from 2019-10 --to 2022-01 --chart

step "The office's old tracker spreadsheet comes in (March 2022): check it, then import it"
sheet="$(dirname "$repo")/commissioning-tracker.csv"
# As Excel saves it in the UK: a byte-order mark, semicolons, a cell with a line break, day-first dates.
printf '\xef\xbb\xbfRef;Recommendation;Lead officer;Status;Target date;Date raised;Date completed;Budget code\r\n' > "$sheet"
printf 'CM-01;"Commission a victims'"'"' needs assessment\r\n(all four counties)";Head of Commissioning;Complete;31/12/2021;15/06/2021;10/12/2021;VS-2021\r\n' >> "$sheet"
printf 'CM-02;Re-tender the restorative justice service;Head of Commissioning;Ongoing;30/06/2022;15/06/2021;;RJ-22\r\n' >> "$sheet"
printf ';Publish commissioning intentions each year;Chief Executive;Not started;31/03/2022;01/09/2021;;\r\n' >> "$sheet"
import_args=(--source "Commissioning review 2021" --folder commissioning-2021 --id-prefix CM
  --map "id=Ref,title=Recommendation,owner=Lead officer,status=Status,due=Target date,raised=Date raised"
  --status-map "Ongoing=in-progress,Complete=complete,Not started=open"
  --status-date "complete=Date completed" --author "$staff")
show import "$sheet" "${import_args[@]}" --dry-run
on 2022-03-01 import "$sheet" "${import_args[@]}"
git log --format='  %s  [%(trailers:key=Effective,valueonly,separator=)]' -4

step "Hand the tracker to people who live in Excel"
show export --format csv --status in-progress --output "$(dirname "$repo")/in-progress.csv"
head -n 3 "$(dirname "$repo")/in-progress.csv"
show export --format json --owner "Head of Commissioning"

step "Two clocks: October's figures as the paper said them, and as we know them now"
show progress --from 2021-10 --to 2021-10 --recorded-at meeting/2021-10-14
show progress --from 2021-10 --to 2021-10

step "Before the second panel, the office asks two owners for an update (2 March 2022)"
cat >> rectrack.yml <<'YML'

owners:                # where update requests go, and who the returns are recorded as
  Chief Constable:
    email: cc.office@dyfed-powys.police.example.org
    identity: "Insp. Gareth Price <gareth.price@police.example.org>"
  Chief Constable, North Yorkshire Police:
    email: cc.office@northyorkshire.police.example.org
    identity: "Supt. Claire Hughes <claire.hughes@police.example.org>"
paper:
  meetings: [2021-10-14, 2022-03-10, 2022-06-09]   # requests are due back by the next one
YML
on 2022-03-02 record rectrack.yml --note "Owners directory and the panel's meeting schedule" --author "$staff"
requests="$(dirname "$repo")/requests"
for owner in "Chief Constable" "Chief Constable, North Yorkshire Police"; do
  on 2022-03-02 updates request --owner "$owner" --output "$requests/"
done
ls "$requests"
git tag -l 'updates/*'

step "Their returned sheets come back (7 March 2022) and are recorded as their changes"
# Each owner fills in their columns of the attached sheet; only the ID, their columns and the last
# three (who, made from, version) matter, so the tour writes the returns as a short CSV.
made_from="$(git rev-list -1 updates/2022-03-02/chief-constable)"
version() { git rev-parse "$made_from:$(git ls-tree -r --name-only "$made_from" Recommendations | grep "/$1.yml$")"; }
returns="$(dirname "$repo")/returns"
mkdir -p "$returns"
header='ID,New status,Progress update,Evidence,Proposed due date,Reason,Owner,Made from,Version'
printf '%s\r\n' "$header" > "$returns/chief-constable.csv"
printf 'DP-DDR-01,complete,"Campaigns ran in all four counties; referrals up 40%%.",Campaign evaluation (Feb 2022),,,Chief Constable,%s,%s\r\n' \
  "$made_from" "$(version DP-DDR-01)" >> "$returns/chief-constable.csv"
printf '%s\r\n' "$header" > "$returns/north-yorkshire.csv"
printf 'NY-CL-02,,Evidence pack sent to the office for verification.,Training records,,,"Chief Constable, North Yorkshire Police",%s,%s\r\n' \
  "$made_from" "$(version NY-CL-02)" >> "$returns/north-yorkshire.csv"
printf 'NY-DS-03,,,,30/06/2022,Second cohort moved to the summer,"Chief Constable, North Yorkshire Police",%s,%s\r\n' \
  "$made_from" "$(version NY-DS-03)" >> "$returns/north-yorkshire.csv"
on 2022-03-07 updates record "$returns/chief-constable.csv" --dry-run
on 2022-03-07 updates record "$returns/chief-constable.csv"
on 2022-03-08 updates record "$returns/north-yorkshire.csv" --returned 2022-03-07
git log --format='  %h %an: %s' -3
show updates status --as-of 2022-03-10

step "The panel meets again (10 March 2022): its paper restates October's where later records changed it"
on 2022-03-10 meeting add 2022-03-10 --title "Police, Fire and Crime Panel" --notes "Item 5: drugs and County Lines" --author "$staff"
show meeting list
papers="$(dirname "$repo")"
"$bin" summary --meeting 2022-03-10 --format html --output "$papers/panel-2022-03-10.html"
"$bin" summary --meeting 2022-03-10 --format md --output "$papers/panel-2022-03-10.md"
head -n 24 "$papers/panel-2022-03-10.md"
sed -n '/^## The previous paper/,/^## Progress month by month/p' "$papers/panel-2022-03-10.md" | sed '$d'
sed -n '/^## Updates asked of owners/,/^## Due-date history/p' "$papers/panel-2022-03-10.md" | sed '$d'
restated="$("$bin" audit --since 2022-02-01 --format json | grep -c '"restates-meeting"' || true)"
printf '$ rectrack audit --since 2022-02-01\n%s changes recorded since February restate a paper already circulated (audit finding restates-meeting).\n' "$restated"
written=("$papers/panel-2022-03-10.html" "$papers/panel-2022-03-10.md")
# The agenda-pack formats need a PDF engine (WeasyPrint or Chromium) and pandoc; without them
# rectrack says what to install and the tour goes on.
for format in pdf docx; do
  if "$bin" summary --meeting 2022-03-10 --agenda-item 5 --author "Rhian Evans, Policy Officer" \
    --format "$format" --output "$papers/panel-2022-03-10.$format"; then
    written+=("$papers/panel-2022-03-10.$format")
  fi
done
printf '\nThe panel paper (changes since the meeting of 14 October 2021) is in:\n'
printf '  %s\n' "${written[@]}"

printf '\nThe scratch tracking repository is %s\n' "$repo"
printf 'Try: %s list --repo %s --format json\n' "$bin" "$repo"
