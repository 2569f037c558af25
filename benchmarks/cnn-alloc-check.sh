#!/usr/bin/env bash
# Runs the README's reference CNN for one epoch through ./jgrad (two threads, the launcher's JIT options) in RUNS
# fresh JVMs with a GC log, and counts the runs that allocate while they train: a CPU kernel compiled around
# the Vector API's allocating fallback (a boxed vector on every call, see scripts/jit-options.sh) makes young
# collections every few seconds, where a clean run has at most one after start-up (at the evaluation). Whether
# it happens depends on the order of compiles, so a change to the CNN's kernels can make it common: run this
# (20 runs or more) before keeping one. benchmarks/jit-check.sh is the same check for the MLP.
# A run counts as allocating when it has 3 or more young collections after the first 5 s (start-up, loading).
# Exit status 1 when any run allocated.
#
# usage: benchmarks/cnn-alloc-check.sh [RUNS]     (default 20; needs dataset-fashion-mnist and a built ./jgrad)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${1:-20}
[ -d /usr/share/datasets/fashion-mnist ] || { echo "cnn-alloc-check: no Fashion-MNIST (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
model="conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)"
log=$(mktemp /tmp/cnn-alloc-check.XXXXXX)
trap 'rm -f "$log"' EXIT
allocating=0
for i in $(seq "$runs"); do
  out=$(JGRAD_JAVA_OPTS="-Xlog:gc:file=$log" "$root/jgrad" train --data fashion-mnist --epochs 1 --batch 128 \
    --lr 0.002 --threads 2 --model "$model" 2>&1) || { echo "run $i failed:"; echo "$out"; exit 2; }
  rate=$(echo "$out" | sed -n 's/^epoch 1:.*, \([0-9,]*\) samples\/s.*/\1/p')
  # uptime decorations look like [12.345s]; collections after start-up
  late=$(grep 'Pause Young' "$log" | sed -n 's/^\[\([0-9.]*\)s\].*/\1/p' | awk '$1 > 5' | wc -l)
  verdict=clean
  if [ "$late" -ge 3 ]; then verdict=ALLOCATING; allocating=$((allocating + 1)); fi
  echo "run $i: epoch 1 $rate samples/s, $late young collections after 5 s: $verdict"
done
echo "$allocating of $runs runs allocated while training"
[ "$allocating" -eq 0 ]
