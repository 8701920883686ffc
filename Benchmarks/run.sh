#!/usr/bin/env bash
# One command: build release, generate once (seeded, `git fast-import`) the tracking repositories
# of issue 18 (5,000 recommendations / 50,000 first-parent commits, and 300 / 5,000), then time
# every everyday command against its git floor, alternating runs, and print one table: medians of
# wall time, the ratio to the floor in wall time and in CPU time (user + system: steadier on a
# shared machine), and peak memory. History commands run cold (--no-cache), first (no cache
# yet: walks and writes it), warm (cache present) and after one new commit.
#
#   bash Benchmarks/run.sh
#   BENCH_RUNS=5 BENCH_SIZES="5000:50000" BENCH_AUDIT=0 bash Benchmarks/run.sh
#
# Repositories are kept in $BENCH_OUT (default /tmp/rectrack-bench) and reused by later runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${BENCH_OUT:-/tmp/rectrack-bench}"
seed="${BENCH_SEED:-1}"
runs="${BENCH_RUNS:-3}"
sizes="${BENCH_SIZES:-5000:50000 300:5000}"
audit="${BENCH_AUDIT:-1}"

if [ ! -x /usr/bin/time ]; then
  echo "error: GNU time is needed for peak memory: apt-get install -y time" >&2
  exit 1
fi
mkdir -p "$out"
cd "$root"
if [ "${BENCH_NOBUILD:-0}" != 1 ]; then
  echo "== building rectrack (release)" >&2
  built="$(bash scripts/build-release.sh)"
fi
bin="${BENCH_BIN:-${built:-$root/.build/release/rectrack}}"
table="$out/table.$$"
: > "$table"

# measure FILE command...: runs it once, appends "wall user+sys kilobytes" to FILE. Wall time is
# read from bash's clock in microseconds (GNU time's own %e counts in steps of 10 ms, as long as
# a whole `show`), CPU time and peak memory from GNU time (CPU in 10 ms steps).
measure() {
  local file="$1"; shift
  local rc=0 start end
  start=$EPOCHREALTIME
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.$$" "$@" > /dev/null 2> "$out/stderr.$$" || rc=$?
  end=$EPOCHREALTIME
  # audit exits 1 when it has findings (the generated history has thousands): that is a result.
  if [ "$rc" != 0 ] && ! { [ "$rc" = 1 ] && [ "${allow_findings:-0}" = 1 ]; }; then
    echo "error: $* failed:" >&2; cat "$out/stderr.$$" >&2; exit 1
  fi
  tail -1 "$out/time.$$" > "$out/time1.$$" && mv "$out/time1.$$" "$out/time.$$"
  awk -v w="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')" \
    '{ printf "%s %.3f %s\n", w, $2 + $3, $4 }' "$out/time.$$" >> "$file"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v c="$2" '{print $c}' "$1"; }

# row LABEL SIZE TARGET PREPARE FLOOR... :: RECTRACK...: alternates floor and rectrack `runs`
# times (PREPARE, a shell snippet, runs before each rectrack run), then adds a table row. With
# `warm=1`, each command runs once unmeasured first, so that every measured run is a repeat (the
# run before may have left its cache for other options: a different paper, a cold walk).
row() {
  local label="$1" size="$2" target="$3" prepare="$4"; shift 4
  local floor=() cmd=()
  while [ "$1" != "::" ]; do floor+=("$1"); shift; done
  shift
  cmd=("$@")
  rm -f "$out/f.$$" "$out/r.$$"
  if [ "${warm:-0}" = 1 ]; then
    eval "$prepare"
    if [ "${floor[0]}" = "$bin" ]; then "${floor[@]}" > /dev/null 2>&1 || true; fi
    "${cmd[@]}" > /dev/null 2>&1 || true
  fi
  for _ in $(seq "$runs"); do
    # A floor that is rectrack itself (the Markdown paper's is its JSON) starts from the same state.
    if [ "${floor[0]}" = "$bin" ]; then eval "$prepare"; fi
    if [ "${floor[0]}" != "-" ]; then measure "$out/f.$$" "${floor[@]}"; fi
    eval "$prepare"
    # @N@ becomes a fresh number and @NEXT@ the status to move to, so that each run records a change.
    local now=() a
    for a in "${cmd[@]}"; do a="${a//@N@/$n}"; now+=("${a//@NEXT@/$next}"); done
    measure "$out/r.$$" "${now[@]}"
  done
  local rw rc rm fw fc
  rw=$(col "$out/r.$$" 1 | median); rc=$(col "$out/r.$$" 2 | median); rm=$(col "$out/r.$$" 3 | sort -g | tail -1)
  if [ -f "$out/f.$$" ]; then
    fw=$(col "$out/f.$$" 1 | median); fc=$(col "$out/f.$$" 2 | median)
  else
    fw="-"; fc="-"
  fi
  echo "$label|$size|$rw|$fw|$rc|$fc|$rm|$target" >> "$table"
  echo "  $label ($size): rectrack ${rw}s (cpu ${rc}s, $((rm / 1024)) MB), floor ${fw}s (cpu ${fc}s)" >&2
}

for size in $sizes; do
  recs="${size%%:*}"; commits="${size##*:}"
  name="s$seed-r$recs-c$commits"
  repo="$out/repo-$name.git"
  if [ ! -d "$repo" ]; then
    echo "== generating $repo (seed $seed, $recs recommendations, $commits first-parent commits)" >&2
    rm -rf "$repo.tmp"
    git init -q --bare -b main "$repo.tmp"
    python3 "$root/Benchmarks/generate.py" --seed "$seed" --recommendations "$recs" --commits "$commits" \
      | git -C "$repo.tmp" fast-import --quiet
    mv "$repo.tmp" "$repo"
  fi
  # A clone with a working tree, as an office has it (the cache lives in its .git/rectrack/), and
  # a throwaway clone for the commands that record changes.
  work="$out/work-$name"
  [ -d "$work" ] || git clone -q "$repo" "$work"
  rm -rf "$out/write-$name"
  git clone -q "$repo" "$out/write-$name"
  write="$out/write-$name"
  git -C "$write" config user.name "Bench Runner"
  git -C "$write" config user.email "bench@example.org"
  size_label="$recs/$commits"
  echo "== $size_label: $(git -C "$repo" rev-list --first-parent --count HEAD) first-parent commits," \
    "$(git -C "$repo" count-objects -v | sed -n 's/^size-pack: //p') KiB packed" >&2

  # One recommendation in progress or open (so that status can move it back and forth).
  path=$(git -C "$repo" grep -l -E '^status: (open|in-progress)' HEAD -- Recommendations/ | sed -n "$((recs / 10 + 1))p")
  path="${path#HEAD:}"
  id=$(basename "$path" .yml)
  paths=$(git -C "$repo" log --format= --name-only -- "Recommendations/*/$id.yml" "Recommendations/$id.yml" | sort -u)
  last=$(git -C "$repo" log -1 --format=%ad --date=short)
  asof=$(date -d "$last -6 months" +%F)
  since=$(date -d "$asof -3 months" +%F)
  floor_list=(sh -c "git -C '$repo' ls-tree -r HEAD -- Recommendations/ | awk '{print \$3}' | git -C '$repo' cat-file --batch")
  floor_walk=(git -C "$repo" log --first-parent --raw -- Recommendations/)
  nocache='rm -rf "$work/.git/rectrack"'
  n=0
  next=open
  bump='n=$((n+1)); "$bin" update "$id" --repo "$write" --progress "Bench run $n." >/dev/null'
  toggle='cur=$(git -C "$write" show "HEAD:$path" | sed -n "s/^status: *//p"); '\
'if [ "$cur" = in-progress ]; then next=open; else next=in-progress; fi'

  row "rectrack --version (process start)" "$size_label" "-" ":" - :: "$bin" --version
  # The floor of HEAD reads of one file is process start (git show HEAD:path takes ~5 ms).
  row "show ID vs start" "$size_label" "<= 2x start" ":" "$bin" --version :: "$bin" show "$id" --repo "$work"
  row "status ID (records a commit) vs start" "$size_label" "<= 2x start" "$toggle" "$bin" --version :: \
    "$bin" status "$id" @NEXT@ --repo "$write" --note "Bench"
  row "update ID (records a commit) vs start" "$size_label" "<= 2x start" 'n=$((n+1))' "$bin" --version :: \
    "$bin" update "$id" --repo "$write" --progress "Bench update @N@."
  row "list vs reading its files" "$size_label" "floor + 0.1 s" ":" "${floor_list[@]}" :: "$bin" list --repo "$work"
  row "list --format json vs reading" "$size_label" "floor + 0.1 s" ":" "${floor_list[@]}" :: "$bin" list --format json --repo "$work"
  for mode in cold first warm moved; do
    case $mode in
      cold) prep=":"; extra=(--no-cache); target="<= today's cold"; warm=0 ;;
      first) prep="$nocache"; extra=(); target="<= today's cold"; warm=0 ;;
      warm) prep=":"; extra=(); target="<= 0.05x"; warm=1 ;;
      moved) prep=":"; extra=(); target="<= 0.05x"; warm=0 ;;
    esac
    r="$work"
    if [ "$mode" = moved ]; then
      r="$write"; prep="$bump"
      "$bin" progress --repo "$write" --format json > /dev/null  # its cache, one commit behind each run
    fi
    row "progress --format json ($mode)" "$size_label" "$target" "$prep" "${floor_walk[@]}" :: \
      "$bin" progress --repo "$r" --format json "${extra[@]}"
    row "list --as-of D --format json ($mode)" "$size_label" "$target" "$prep" "${floor_walk[@]}" :: \
      "$bin" list --as-of "$asof" --format json --repo "$r" "${extra[@]}"
    # shellcheck disable=SC2086
    row "log ID ($mode)" "$size_label" "<= 1x" "$prep" git -C "$repo" log -- $paths :: \
      "$bin" log "$id" --repo "$r" "${extra[@]}"
    row "summary --format json ($mode)" "$size_label" "$target" "$prep" "${floor_walk[@]}" :: \
      "$bin" summary --as-of "$asof" --since "$since" --format json --repo "$r" "${extra[@]}"
    # The floor of the Markdown and HTML papers is the same summary's JSON.
    row "summary --format md ($mode) vs json" "$size_label" "<= 1.3x json" "$prep" \
      "$bin" summary --as-of "$asof" --since "$since" --format json --repo "$r" "${extra[@]}" :: \
      "$bin" summary --as-of "$asof" --since "$since" --format md --repo "$r" "${extra[@]}"
    row "summary --format html ($mode) vs json" "$size_label" "<= 1.3x json" "$prep" \
      "$bin" summary --as-of "$asof" --since "$since" --format json --repo "$r" "${extra[@]}" :: \
      "$bin" summary --as-of "$asof" --since "$since" --format html --repo "$r" "${extra[@]}"
  done
  warm=0
  if [ "$audit" = 1 ]; then
    allow_findings=1 row "audit --format json" "$size_label" "<= 1x, < 250 MB" ":" \
      git -C "$repo" log -p --first-parent -- Recommendations/ :: "$bin" audit --format json --repo "$work"
  fi
done

echo
echo "Medians of $runs runs; ratio = rectrack / floor (wall, and CPU = user + system)."
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
echo
printf '| %s | %s | %s | %s | %s | %s | %s |\n' command size "rectrack s" "floor s" "ratio wall" "ratio CPU" "peak MB"
echo "|---|---|---:|---:|---:|---:|---:|"
while IFS='|' read -r label size rw fw rc fc rm target; do
  if [ "$fw" = "-" ]; then
    rwall="-"; rcpu="-"
  elif [ "${target#floor +}" != "$target" ]; then
    # A target of a time above the floor: the wall column shows the difference.
    rwall=$(awk -v a="$rw" -v b="$fw" 'BEGIN { printf "%+.3f s", a - b }')
    rcpu=$(awk -v a="$rc" -v b="$fc" 'BEGIN { printf "%+.2f s", a - b }')
  else
    rwall=$(awk -v a="$rw" -v b="$fw" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
    rcpu=$(awk -v a="$rc" -v b="$fc" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$size" "$rw" "$fw" "$rwall" "$rcpu" "$((rm / 1024))"
done < "$table"
rm -f "$table" "$out/f.$$" "$out/r.$$" "$out/time.$$" "$out/stderr.$$"
