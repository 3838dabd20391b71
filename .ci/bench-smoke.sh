#!/usr/bin/env bash
# Smoke test of the benchmark harness's report generator (issue 17), with tiny counts (BenchMain --smoke): every code
# path of the regeneration runs in a few minutes without measuring anything meaningful, so it can run on a shared
# machine. The harness has no unit tests (the bench profile compiles src/bench/java only); this script is its test.
#
#   .ci/bench-smoke.sh            # builds target/bench/graphloop-bench.jar first if it is missing
#   .ci/bench-smoke.sh --build    # always rebuilds it (mvn -B -q -Pbench package -DskipTests)
#
# Checks, on a copy of BENCHMARKS.md (the real file is never written):
#  1. a file without the generated-part markers is refused before anything is measured, and left as it was;
#  2. the regeneration replaces only the part between the markers: every byte before BEGIN and after END
#     (the hand-written "What was tried" and the dated sections) is kept;
#  3. the generated part has the load column, the per-measurement loads and a rerun (forced: --rerun-load 0),
#     the throughput pairs with LangGraph4j's thread sweep and its best N, the scaling section (chain N with compile
#     times, concurrency R) with targets and met? columns, and the caps' footnotes (LangGraph4j's capped chain and
#     burst).
# Exit 0 when every check passes; the generated copy stays in target/bench/smoke/ for reading.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/bench/graphloop-bench.jar
if [ "${1:-}" = "--build" ] || [ ! -f "$jar" ]; then
  nice mvn -B -q -Pbench package -DskipTests
fi
work=target/bench/smoke
rm -rf "$work"
mkdir -p "$work"
fail() { echo "bench-smoke: FAILED: $*" >&2; exit 1; }

# 1. refused without markers (nothing measured: the check runs before the first child JVM)
printf '# Benchmarks\n\nhand-written text, no markers\n' > "$work/unmarked.md"
cp "$work/unmarked.md" "$work/unmarked.before"
if nice java -jar "$jar" --smoke --only issue17 --out "$work/unmarked.md" > "$work/unmarked.out" 2>&1; then
  fail "a file without markers was accepted"
fi
grep -q "nothing written" "$work/unmarked.out" || fail "the refusal does not say nothing was written"
cmp -s "$work/unmarked.md" "$work/unmarked.before" || fail "the unmarked file was changed"

# 2 and 3. regenerate a copy of BENCHMARKS.md with tiny counts
cp BENCHMARKS.md "$work/BENCHMARKS.md"
begin='<!-- BEGIN GENERATED'
end='<!-- END GENERATED'
before_part() { sed -n "1,/^$begin/p" "$1" | sed '$d'; }
after_part() { sed -n "/^$end/,\$p" "$1" | sed '1d'; }
before_part BENCHMARKS.md > "$work/head.before"
after_part BENCHMARKS.md > "$work/tail.before"
[ -s "$work/tail.before" ] || fail "BENCHMARKS.md has no hand-written part after the END marker"
started=$(date +%s)
nice java -jar "$jar" --smoke --out "$work/BENCHMARKS.md" \
  --only compileScaling,chain10,chain10000,oneInFlight,throughput,concurrency1000 \
  --lg4j-max-burst 500 --rerun-load 0 --max-reruns 1 --settle-s 1 > "$work/run.out" 2> "$work/run.err" \
  || { tail -20 "$work/run.err"; fail "the smoke run exited with an error"; }
echo "bench-smoke: smoke run took $(( $(date +%s) - started )) s"
out="$work/BENCHMARKS.md"
[ "$(grep -c "^$begin" "$out")" = 1 ] || fail "not exactly one BEGIN marker"
[ "$(grep -c "^$end" "$out")" = 1 ] || fail "not exactly one END marker"
before_part "$out" > "$work/head.after"
after_part "$out" > "$work/tail.after"
cmp -s "$work/head.before" "$work/head.after" || fail "the part before the BEGIN marker changed"
cmp -s "$work/tail.before" "$work/tail.after" || fail "the hand-written part after the END marker changed"
expect() { grep -qF -- "$1" "$out" || fail "the generated part lacks: $1"; }
expect '| met? | load before -> after |'
expect '| measurement | attempt | load before (1/5/15 min) | load after |'
expect '## Issue 17: throughput pairs'
expect "LangGraph4j's thread sweep ("
expect 'best N = '
expect '| one in flight: the blocking call on `main`'
expect '| many in flight: Graphloop 100 runs; LangGraph4j'
expect '## Issue 17: scaling'
expect '**Chain N**'
expect '| chain N | Graphloop compile (ms) | LangGraph4j compile (ms) |'
expect '**Concurrency R**'
expect '| target (Graphloop) | met? |'
expect 'capped: bursts over 500 runs are not run for LangGraph4j'
expect 'capped: its compile() of this chain was not measured by compileScaling'
expect '## Missed targets'
if awk '{print $1}' /proc/loadavg | grep -qv '^0\.00$'; then
  expect '(superseded: another attempt had a lower load before)'
  expect '(load above --rerun-load, not run again: run 2 times (--max-reruns 1))'
fi
echo "bench-smoke: all checks passed ($out)"
