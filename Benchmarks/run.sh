#!/usr/bin/env bash
# One command: build release, generate (once, seeded) a tracking repository of 5,000
# recommendations and 50,000 first-parent commits with `git fast-import`, then time
# `rectrack progress --format json` over its whole history against the floor
# `git log --first-parent --raw -- Recommendations/`, alternating runs, and report the medians,
# the ratio and each command's peak memory (maximum resident set size).
#
#   bash Benchmarks/run.sh
#   BENCH_RUNS=5 BENCH_COMMITS=10000 bash Benchmarks/run.sh     # other sizes
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${BENCH_OUT:-$root/bench-out}"
seed="${BENCH_SEED:-1}"
recs="${BENCH_RECOMMENDATIONS:-5000}"
commits="${BENCH_COMMITS:-50000}"
runs="${BENCH_RUNS:-3}"
repo="$out/repo-s$seed-r$recs-c$commits.git"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time for peak-memory figures" >&2
  apt-get install -y time >/dev/null 2>&1 || { echo "error: /usr/bin/time missing (apt-get install -y time)" >&2; exit 1; }
fi

cd "$root"
echo "== building rectrack (release)" >&2
swift build -c release --product rectrack 2>&1 | tail -1 >&2
bin="$root/.build/release/rectrack"

if [ ! -d "$repo" ]; then
  echo "== generating $repo (seed $seed, $recs recommendations, $commits first-parent commits)" >&2
  mkdir -p "$out"
  rm -rf "$repo.tmp"
  git init -q --bare -b main "$repo.tmp"
  python3 "$root/Benchmarks/generate.py" --seed "$seed" --recommendations "$recs" --commits "$commits" \
    | git -C "$repo.tmp" fast-import --quiet
  mv "$repo.tmp" "$repo"
fi
echo "== $(git -C "$repo" rev-list --first-parent --count HEAD) first-parent commits, $(git -C "$repo" count-objects -v | sed -n 's/^size-pack: //p') KiB packed" >&2

measure() { # label, command...: prints "seconds kilobytes"
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$out/time.$label" "$@" > /dev/null
  cat "$out/time.$label"
}

git_t=(); git_m=(); rt_t=(); rt_m=()
for i in $(seq "$runs"); do
  read -r t m < <(measure git git -C "$repo" log --first-parent --raw -- Recommendations/)
  git_t+=("$t"); git_m+=("$m")
  read -r t m < <(measure rectrack "$bin" progress --repo "$repo" --format json)
  rt_t+=("$t"); rt_m+=("$m")
  echo "run $i: git log ${git_t[-1]} s ${git_m[-1]} KB; rectrack progress ${rt_t[-1]} s ${rt_m[-1]} KB" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -1; }
gm=$(median "${git_t[@]}"); rm_=$(median "${rt_t[@]}")
echo
echo "git log --first-parent --raw -- Recommendations/   median ${gm} s   peak $(( $(maximum "${git_m[@]}") / 1024 )) MB"
echo "rectrack progress --format json                    median ${rm_} s   peak $(( $(maximum "${rt_m[@]}") / 1024 )) MB"
awk -v a="$rm_" -v b="$gm" 'BEGIN { printf "ratio rectrack / git log: %.2fx (target <= 1.20x; peak memory target < 200 MB)\n", a / b }'
