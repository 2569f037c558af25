#!/usr/bin/env bash
# The reference MLP (784-512-256-10, momentum SGD lr 0.05, batch 128, Fashion-MNIST) through ./jgrad on two
# threads, beside PyTorch 1.13 (../shared/peers/pytorch_mlp.py) on one thread (its best setting on a 2-core
# machine; round 1 also runs it on two), alternating run by run, then the figures the MLP targets are stated in:
# the whole-run ratio (samples over the summed epoch times, each side; loading and start-up excluded), the
# median of epochs 2..E on each side and their ratio, and jgrad's epoch 1 against its later epochs; also each
# process's wall time from launch to exit (start-up, loading and evaluation included) and its ratio.
# The machine is shared and noisy: only ratios of one sitting mean anything.
#
# usage: benchmarks/mlp-vs-pytorch.sh ROUNDS "EPOCHS ..." [LOG]     e.g. benchmarks/mlp-vs-pytorch.sh 3 "10 3"
#        needs python3 with torch (Debian: python3-torch, libopenblas0-pthread), dataset-fashion-mnist, and
#        ../shared/peers beside the checkout (PEERS=DIR to say where else)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
rounds=${1:?usage: mlp-vs-pytorch.sh ROUNDS \"EPOCHS ...\" [LOG]}
epochs_list=${2:-"10 3"}
log=${3:-$(mktemp /tmp/mlp-vs-pytorch.XXXXXX)}
peers=${PEERS:-$root/../shared/peers}
data=/usr/share/datasets/fashion-mnist
[ -f "$peers/pytorch_mlp.py" ] || { echo "mlp-vs-pytorch: no $peers/pytorch_mlp.py (set PEERS)" >&2; exit 2; }
[ -d "$data" ] || { echo "mlp-vs-pytorch: no $data (apt-get install dataset-fashion-mnist)" >&2; exit 2; }

# one line per run: "<side> <threads> <epochs> <round> <wall seconds> <samples/s of each epoch ...>"
: > "$log"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
torch() {   # threads epochs round
  local rates t0
  t0=$(now)
  rates=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" /usr/bin/python3 \
    "$peers/pytorch_mlp.py" "$data" 512,256 128 "$2" "$1" | sed -n 's/.*epoch [0-9]*: \([0-9.]*\) samples\/s.*/\1/p' | tr '\n' ' ')
  echo "pytorch $1 $2 $3 $(since "$t0") $rates" | tee -a "$log"
}
for r in $(seq "$rounds"); do
  for e in $epochs_list; do
    t0=$(now)
    rates=$("$root/jgrad" train --data fashion-mnist --model mlp:512,256 --batch 128 --optimizer momentum --lr 0.05 \
      --momentum 0.9 --threads 2 --epochs "$e" 2>/dev/null | sed -n 's/^epoch [0-9]*:.*, \([0-9,]*\) samples\/s.*/\1/p' | tr -d , | tr '\n' ' ')
    echo "jgrad 2 $e $r $(since "$t0") $rates" | tee -a "$log"
    torch 1 "$e" "$r"
    if [ "$r" = 1 ]; then torch 2 "$e" "$r"; fi
  done
done
echo "log: $log"
python3 - "$log" <<'EOF'
import statistics as st, sys
runs, walls = {}, {}
for line in open(sys.argv[1]):
    side, threads, e, r, wall, *rates = line.split()
    runs[(side, int(threads), int(e), int(r))] = [float(x) for x in rates]
    walls[(side, int(threads), int(e), int(r))] = float(wall)
def whole(rates): return len(rates) / sum(1 / x for x in rates)
def later(rates): return st.median(rates[1:])
def fmt(xs, f="%.2f"): return (f + " [" + f + "-" + f + "]") % (st.median(xs), min(xs), max(xs))
for e in sorted({k[2] for k in runs}, reverse=True):
    rs = sorted({k[3] for k in runs if k[2] == e})
    both = [r for r in rs if ("jgrad", 2, e, r) in runs and ("pytorch", 1, e, r) in runs
            and len(runs[("jgrad", 2, e, r)]) == e and len(runs[("pytorch", 1, e, r)]) == e]
    pairs = [(runs[("jgrad", 2, e, r)], runs[("pytorch", 1, e, r)]) for r in both]
    wall = [(walls[("jgrad", 2, e, r)], walls[("pytorch", 1, e, r)]) for r in both]
    if not pairs: continue
    print(f"{e}-epoch runs, {len(pairs)} rounds: median [min-max]")
    print("  jgrad whole run      ", fmt([whole(j) for j, _ in pairs], "%.0f"))
    print("  pytorch whole run    ", fmt([whole(p) for _, p in pairs], "%.0f"))
    print("  whole-run ratio      ", fmt([whole(j) / whole(p) for j, p in pairs]))
    if e > 1:
        print("  jgrad epochs 2..E    ", fmt([later(j) for j, _ in pairs], "%.0f"))
        print("  pytorch epochs 2..E  ", fmt([later(p) for _, p in pairs], "%.0f"))
        print("  later-epoch ratio    ", fmt([later(j) / later(p) for j, p in pairs]))
        print("  jgrad epoch 1 / later", fmt([j[0] / later(j) for j, _ in pairs]))
    print("  wall s, jgrad        ", fmt([j for j, _ in wall]))
    print("  wall s, pytorch      ", fmt([p for _, p in wall]))
    print("  wall ratio (pt / jg) ", fmt([p / j for j, p in wall]))
    two = [runs[k] for k in runs if k[:3] == ("pytorch", 2, e)]
    if two: print("  pytorch on 2 threads, whole run", ", ".join("%.0f" % whole(p) for p in two))
EOF
