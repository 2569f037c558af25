#!/usr/bin/env python3
"""Writes the first TRAIN training and TEST test examples of an MNIST-style IDX folder into a new folder
(same four file names, gzipped), so that a short measurement can train on a fixed, reproducible subset.

usage: python3 benchmarks/spark/idx_subset.py SOURCE_DIR OUT_DIR TRAIN TEST
"""
import gzip
import os
import struct
import sys

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def read(folder, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                return f.read()
    sys.exit(f"idx_subset: {folder} has no {name}[.gz]")


def first(data, count):
    dims = data[3]
    shape = list(struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims]))
    if count > shape[0]:
        sys.exit(f"idx_subset: asked for {count} examples, the file has {shape[0]}")
    per = 1
    for d in shape[1:]:
        per *= d
    header = data[:4] + struct.pack(">" + "I" * dims, count, *shape[1:])
    start = 4 + 4 * dims
    return header + data[start:start + count * per]


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    src, out, train, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(out, exist_ok=True)
    for name in NAMES:
        count = train if name.startswith("train") else test
        with gzip.open(os.path.join(out, name + ".gz"), "wb") as f:
            f.write(first(read(src, name), count))
    print(f"{out}: first {train} training and {test} test examples of {src}")


if __name__ == "__main__":
    main()
