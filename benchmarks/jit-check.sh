#!/usr/bin/env bash
# Runs FirstEpochSteps (the reference MLP, JIT warm-up while the data loads, 2 epochs, as the CLI runs it) in RUNS
# fresh JVMs with the launcher's JIT options and counts the runs whose second epoch stayed under a quarter of the
# fastest run's: a CPU kernel that C2 compiled before the Vector API's call profiles matured runs its slow Java
# fallback for good, about ten times slower (see scripts/jit-options.sh). Whether that happens depends on the
# order of compiles, so a change to the CPU kernels can make it common: run this (30 runs or more) before
# keeping one.
# Exit status 1 when any run was stuck.
#
# usage: benchmarks/jit-check.sh [RUNS] [THREADS]     (defaults 30 and 2; needs benchmarks/target/benchmarks.jar:
#        mvn -q -B package -pl benchmarks -am -DskipTests)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/java-home.sh"
. "$root/scripts/jit-options.sh"
jgrad_find_java || exit 2
runs=${1:-30}
threads=${2:-2}
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || { echo "jit-check: $jar is not built: mvn -q -B package -pl benchmarks -am -DskipTests" >&2; exit 2; }
second=()
for i in $(seq "$runs"); do
  # shellcheck disable=SC2086
  out=$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC $jgrad_jit_opts \
    -Djgrad.cpu.threads="$threads" -cp "$jar" dev.jgrad.bench.jmh.FirstEpochSteps warm 2 2>&1) \
    || { echo "run $i failed:"; echo "$out"; exit 2; }
  rates=$(echo "$out" | grep -o 'by epoch:.*' | cut -c11-)
  echo "run $i: samples/s by epoch $rates"
  second+=("$(echo "$rates" | awk '{print $2}')")
done
printf '%s\n' "${second[@]}" | sort -n | awk -v runs="$runs" '
  { v[NR] = $1 }
  END {
    best = v[NR]; stuck = 0
    for (i = 1; i <= NR; i++) if (v[i] < best / 4) stuck++
    printf "%d of %d runs stuck (epoch 2 under a quarter of the fastest run'\''s %d samples/s)\n", stuck, runs, best
    exit stuck > 0
  }'
