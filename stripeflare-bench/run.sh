#!/usr/bin/env bash
# Builds the benchmarks and runs the short profile (under 10 minutes on 2 cores), then
# generates results/TABLE.md from the JSON results. Run from anywhere:
#
#   stripeflare-bench/run.sh            # results/short-t1.json, results/short-t2.json, TABLE.md
#   NAME=ci stripeflare-bench/run.sh    # results/ci-t1.json, ...
#
# Longer, steadier numbers: run the jar yourself, e.g.
#   java -jar stripeflare-bench/target/benchmarks.jar -f 3 -wi 5 -i 10 -rf json -rff results/full.json
# The 1M-user scale case (minutes of seeding) is left out here:
#   java -jar stripeflare-bench/target/benchmarks.jar ScaleChargeBenchmark
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench")"
name="${NAME:-short}"
results="$bench/results"
jar="$bench/target/benchmarks.jar"

cd "$root"
mvn -B -ntp -pl stripeflare-bench -am package -DskipTests
mkdir -p "$results"

# Every store this build has; postgres only when a server answers (STRIPEFLARE_PG_URL, default
# jdbc:postgresql://127.0.0.1:5432/test?user=postgres). The PostgreSQL and Redis baselines run when
# their servers answer (Redis: STRIPEFLARE_REDIS_URL, default redis://127.0.0.1:6379).
stores="$(java -cp "$jar" dev.stripeflare.bench.Stores)"
baselines='FloorBenchmark|NaiveJdbcBenchmark'
pg=false
if [[ ",$stores," == *,postgres,* ]]; then
  pg=true
  baselines="$baselines|NaivePostgresBenchmark"
fi
if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || [[ -n "${STRIPEFLARE_REDIS_URL:-}" ]]; then
  baselines="$baselines|RedisBenchmark"
else
  echo "run.sh: no Redis on 127.0.0.1:6379; the Redis baseline is left out." >&2
fi

# Short profile: one fork, 2 × 1 s warmup, 3 × 1 s measurement, both modes (set on the classes).
short=(-f 1 -wi 2 -w 1s -i 3 -r 1s -foe true -p "store=$stores")

# 1 thread: every operation on every store (lookupUser is session minus the link: left out), and the two baselines.
java -jar "$jar" "${short[@]}" -t 1 -rf json -rff "$results/$name-t1.json" \
    "ChargeBenchmark\.zipf|($baselines)\.zipf|SessionBenchmark\.session|WebhookBenchmark" \
    -e ScaleChargeBenchmark

# Issue 16: Micrometer metrics (MeteredWallet) beside the bare wallet, memory store, 1 thread.
java -jar "$jar" "${short[@]}" -t 1 -rf json -rff "$results/$name-metrics.json" 'MeteredChargeBenchmark'

# Rotation has no latency target: throughput only, to keep the whole run under 10 minutes.
java -jar "$jar" "${short[@]}" -t 1 -bm thrpt -rf json -rff "$results/$name-rotate.json" 'RotateBenchmark'

# 2 threads: charge throughput (Zipf, and all threads on one user) beside the baselines.
java -jar "$jar" "${short[@]}" -t 2 -bm thrpt -rf json -rff "$results/$name-t2.json" \
    "ChargeBenchmark|$baselines" \
    -e ScaleChargeBenchmark

# 8 threads (issue 12's targets): charges on PostgreSQL beside its baselines, and webhook credits.
t8=()
if $pg; then
  java -jar "$jar" -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true -p store=postgres -t 8 -rf json -rff "$results/$name-t8.json" \
      "ChargeBenchmark|NaivePostgresBenchmark|RedisBenchmark|WebhookBenchmark" -e ScaleChargeBenchmark
  t8=("$results/$name-t8.json")
fi

java -cp "$jar" dev.stripeflare.bench.ReportTable machine "$results/machine.properties"
java -cp "$jar" dev.stripeflare.bench.ReportTable table "$results/TABLE.md" "$results/machine.properties" \
    "$results/$name-t1.json" "$results/$name-metrics.json" "$results/$name-rotate.json" "$results/$name-t2.json" \
    ${t8[@]+"${t8[@]}"}

# The README shows the same generated table between its markers.
readme="$root/README.md"
if grep -q '<!-- BEGIN GENERATED TABLE -->' "$readme"; then
  awk -v table="$results/TABLE.md" '
    /<!-- BEGIN GENERATED TABLE -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- END GENERATED TABLE -->/   { skip = 0 }
    !skip { print }' "$readme" > "$readme.tmp" && mv "$readme.tmp" "$readme"
fi
