#!/usr/bin/env bash
# Times `rectrack import` of a dated log (issue 17): a CSV of 5,000 rows, one row per update of
# 1,000 recommendations (a first row that creates each one, then four dated updates: status
# changes, one of them back, and comment-only rows, several on one day), into a new repository.
# The import checks every row, then writes every commit at once (about 4,000 dated changes).
# Target: under 10 s on the project's 2-core machine. Release build; one process at a time.
#
#   bash Benchmarks/import.sh
#   BENCH_ROWS=20000 BENCH_RUNS=3 bash Benchmarks/import.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${BENCH_OUT:-$root/bench-out}/import"
rows="${BENCH_ROWS:-5000}"
runs="${BENCH_RUNS:-1}"
mkdir -p "$out"

cd "$root"
echo "== building rectrack (release)" >&2
bin="$(bash scripts/build-release.sh)"

sheet="$out/log-$rows.csv"
python3 - "$rows" "$sheet" <<'PY'
import sys, datetime, random
rows, path = int(sys.argv[1]), sys.argv[2]
random.seed(1)
per = 5
recs = max(1, rows // per)
statuses = ["Not started", "In progress", "Complete", "In progress", "Complete"]
start = datetime.date(2019, 1, 1)
lines = ["Ref,Date,Recommendation,Owner,Status,Comment"]
entries = []
for r in range(recs):
    day = start + datetime.timedelta(days=random.randrange(0, 900))
    entries.append((day, 0, r))
    for k in range(1, per):
        day = day + datetime.timedelta(days=random.choice([0, 0, 7, 30, 61]))
        entries.append((day, k, r))
entries.sort()
for day, k, r in entries[:rows]:
    d = day.strftime("%d/%m/%Y")
    if k == 0:
        lines.append(f"HMI {r + 1},{d},Recommendation number {r + 1} on the handling of calls,Chief Constable,Not started,")
    elif k == 2:
        lines.append(f"HMI {r + 1},{d},,,,\"Update {k}: work reviewed, notes shared\"")
    else:
        lines.append(f"HMI {r + 1},{d},,,{statuses[k]},Update {k}")
open(path, "w").write("\r\n".join(lines) + "\r\n")
PY
echo "== $(($(wc -l < "$sheet") - 1)) rows in $sheet" >&2

args=(--source "Benchmark inspection" --map "id=Ref,date=Date,title=Recommendation,progress=Comment"
  --status-map "Not started=open,In progress=in-progress,Complete=complete"
  --author "Bench <bench@example.org>")
best=""
for i in $(seq 1 "$runs"); do
  repo="$out/repo"
  rm -rf "$repo"
  git init -q -b main "$repo"
  git -C "$repo" -c user.name=Bench -c user.email=bench@example.org commit -q --allow-empty -m Start
  t0=$(date +%s.%N)
  "$bin" import "$sheet" --repo "$repo" "${args[@]}" > "$out/import.out"
  t1=$(date +%s.%N)
  secs=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  echo "run $i: $secs s ($(cat "$out/import.out"))" >&2
  if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $secs < $best else 1)"; then best=$secs; fi
done
commits=$(git -C "$repo" rev-list --count HEAD)
echo "import of a $rows-row dated log: best $best s of $runs run(s), $commits commits (target: under 10 s)"
python3 -c "import sys; sys.exit(0 if $best < 10 else 1)" || { echo "error: slower than 10 s" >&2; exit 1; }
