#!/usr/bin/env bash
# The README's reference CNN (conv32-bn-relu-pool-conv64-bn-relu-pool-dense128-dropout-dense10, Adam lr 0.002,
# cosine schedule, batch 128, Fashion-MNIST) through ./jgrad on two threads, beside PyTorch 1.13
# (benchmarks/pytorch_cnn.py, the same network and settings) on two threads (its best setting on a 2-core
# machine; round 1 also runs it on one), alternating run by run, then the CNN target's figure: the last epoch's
# samples/s on each side and their ratio, as median [min-max] over the rounds; also each process's wall time
# from launch to exit (start-up, loading and evaluation included) and its ratio.
# The machine is shared and noisy: only ratios of one sitting mean anything.
#
# usage: benchmarks/cnn-vs-pytorch.sh ROUNDS [EPOCHS [LOG]]     e.g. benchmarks/cnn-vs-pytorch.sh 3 2
#        needs python3 with torch (Debian: python3-torch, libopenblas0-pthread) and dataset-fashion-mnist
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
rounds=${1:?usage: cnn-vs-pytorch.sh ROUNDS [EPOCHS [LOG]]}
epochs=${2:-2}
log=${3:-$(mktemp /tmp/cnn-vs-pytorch.XXXXXX)}
data=/usr/share/datasets/fashion-mnist
model="conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)"
[ -d "$data" ] || { echo "cnn-vs-pytorch: no $data (apt-get install dataset-fashion-mnist)" >&2; exit 2; }

# one line per run: "<side> <threads> <round> <wall seconds> <samples/s of each epoch ...>"
: > "$log"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
torch() {   # threads round
  local rates t0
  t0=$(now)
  rates=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" /usr/bin/python3 \
    "$root/benchmarks/pytorch_cnn.py" "$data" --epochs "$epochs" --threads "$1" \
    | sed -n 's/^epoch [0-9]*: \([0-9.]*\) samples\/s.*/\1/p' | tr '\n' ' ')
  echo "pytorch $1 $2 $(since "$t0") $rates" | tee -a "$log"
}
for r in $(seq "$rounds"); do
  t0=$(now)
  rates=$("$root/jgrad" train --data fashion-mnist --epochs "$epochs" --batch 128 --lr 0.002 --schedule "cosine:$epochs" \
    --threads 2 --model "$model" 2>/dev/null | sed -n 's/^epoch [0-9]*:.*, \([0-9,]*\) samples\/s.*/\1/p' | tr -d , | tr '\n' ' ')
  echo "jgrad 2 $r $(since "$t0") $rates" | tee -a "$log"
  torch 2 "$r"
  if [ "$r" = 1 ]; then torch 1 "$r"; fi
done
echo "log: $log"
python3 - "$log" "$epochs" <<'EOF'
import statistics as st, sys
runs, walls = {}, {}
for line in open(sys.argv[1]):
    side, threads, r, wall, *rates = line.split()
    runs[(side, int(threads), int(r))] = [float(x) for x in rates]
    walls[(side, int(threads), int(r))] = float(wall)
e = int(sys.argv[2])
def fmt(xs, f="%.2f"): return (f + " [" + f + "-" + f + "]") % (st.median(xs), min(xs), max(xs))
rs = sorted({k[2] for k in runs})
both = [r for r in rs if len(runs.get(("jgrad", 2, r), [])) == e and len(runs.get(("pytorch", 2, r), [])) == e]
if not both: sys.exit("cnn-vs-pytorch: no round with both sides complete")
last = [(runs[("jgrad", 2, r)][-1], runs[("pytorch", 2, r)][-1]) for r in both]
wall = [(walls[("jgrad", 2, r)], walls[("pytorch", 2, r)]) for r in both]
print(f"{e}-epoch runs, {len(both)} rounds, epoch {e}: median [min-max]")
print("  jgrad                ", fmt([j for j, _ in last], "%.0f"))
print("  pytorch 2 threads    ", fmt([p for _, p in last], "%.0f"))
print("  ratio                ", fmt([j / p for j, p in last]))
print("  ratio of medians      %.2f" % (st.median([j for j, _ in last]) / st.median([p for _, p in last])))
if e > 1: print("  jgrad epoch 1 / last ", fmt([runs[("jgrad", 2, r)][0] / runs[("jgrad", 2, r)][-1] for r in both]))
print("  wall s, jgrad        ", fmt([j for j, _ in wall]))
print("  wall s, pytorch      ", fmt([p for _, p in wall]))
print("  wall ratio (pt / jg) ", fmt([p / j for j, p in wall]))
one = [runs[k][-1] for k in runs if k[:2] == ("pytorch", 1) and len(runs[k]) == e]
if one: print("  pytorch on 1 thread, epoch %d: %s" % (e, ", ".join("%.0f" % x for x in one)))
EOF
