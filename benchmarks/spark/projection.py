#!/usr/bin/env python3
"""Projects synchronous data-parallel training with jgrad on Spark to 8-64 workers on 10/25/100 GbE, from a
compute time measured on one worker at one thread and the exchange's cost model (docs/spark.md):

    all-reduce time = 2 (N - 1) alpha + 2 (N - 1) / N * S / beta

The compute time of one step at per-worker batch b is t(b), measured on one machine at one thread (plain
`jgrad train --threads 1 --batch b`, one slice per step: forward, backward and the optimizer's update), given
for every per-worker batch the tables need. Compute and exchange do not overlap (jgrad sums the gradients
after the backward pass), and the per-segment Spark overhead is left out (it is amortized over a segment's
steps; see RESULTS.md).

Weak scaling: every worker keeps `batch` rows per step, the global batch grows with N.
Strong scaling: the global batch stays `global` rows, each worker computes global/N of them.

usage: python3 benchmarks/spark/projection.py NAME PARAMS BATCH GLOBAL B=MS [B=MS ...]
  PARAMS   the model's float32 parameter count (the gradient is 4 * PARAMS bytes)
  BATCH    the per-worker batch of weak scaling
  GLOBAL   the global batch of strong scaling (each of N workers computes GLOBAL/N rows)
  B=MS     measured ms per step at batch B, one thread; needed for BATCH, GLOBAL and GLOBAL/N for N in 8..64
"""
import sys

ALPHA = 50e-6                                  # seconds per message (assumed, as in docs/spark.md)
LINKS = (("10 GbE", 1.25e9), ("25 GbE", 3.125e9), ("100 GbE", 12.5e9))  # bytes/s, line rate
WORKERS = (8, 16, 32, 64)


def allreduce(n, size, beta):
    return 2 * (n - 1) * ALPHA + 2 * (n - 1) / n * size / beta if n > 1 else 0.0


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    name, params, batch, glob = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    measured = {int(b): float(ms) / 1e3 for b, ms in (arg.split("=") for arg in sys.argv[5:])}
    need = sorted({batch, glob} | {glob // n for n in WORKERS})
    missing = [b for b in need if b not in measured]
    if missing or any(glob % n for n in WORKERS):
        sys.exit(f"need measured step times at batches {need} (GLOBAL divisible by 64); missing {missing}")
    size = 4 * params
    step = measured[batch]

    print(f"### {name}: {params:,} parameters, gradient {size / 1e6:.2f} MB")
    print()
    print("Inputs: ms per step at one thread " + ", ".join(f"t({b}) = {measured[b] * 1e3:.2f}" for b in sorted(measured))
          + f"; alpha = {ALPHA * 1e6:.0f} us, beta = line rate.")
    print()
    one = batch / step
    print(f"Weak scaling ({batch} rows per worker per step; one worker: {1 / step:.0f} steps/s, {one:,.0f} samples/s):")
    print()
    print("| workers | link | all-reduce ms | step ms | steps/s | samples/s | efficiency |")
    print("|--------:|------|--------------:|--------:|--------:|----------:|-----------:|")
    for n in WORKERS:
        for link, beta in LINKS:
            ar = allreduce(n, size, beta)
            t = step + ar
            print(f"| {n} | {link} | {ar * 1e3:.1f} | {t * 1e3:.1f} | {1 / t:.0f} | {n * batch / t:,.0f} | {step / t:.0%} |")
    print()
    single = measured[glob]
    print(f"Strong scaling (global batch {glob}; one worker: {single * 1e3:.1f} ms per step, {glob / single:,.0f} samples/s):")
    print()
    print("| workers | rows per worker | link | compute ms | all-reduce ms | step ms | steps/s | samples/s | speed-up | efficiency |")
    print("|--------:|----------------:|------|-----------:|--------------:|--------:|--------:|----------:|---------:|-----------:|")
    for n in WORKERS:
        b = glob // n
        for link, beta in LINKS:
            ar = allreduce(n, size, beta)
            c = measured[b]
            t = c + ar
            print(f"| {n} | {b} | {link} | {c * 1e3:.2f} | {ar * 1e3:.1f} | {t * 1e3:.1f} | {1 / t:.0f} | {glob / t:,.0f} | "
                  f"{single / t:.1f} | {single / t / n:.0%} |")
    print()


if __name__ == "__main__":
    main()
