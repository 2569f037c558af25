#!/usr/bin/env python3
"""Compares the tensors of two safetensors files bit for bit (the metadata, which records how each run was
made, may differ). Prints one line per file pair; exits 1 when a tensor differs.

usage: python3 benchmarks/spark/same_weights.py A.safetensors B.safetensors
"""
import hashlib
import json
import struct
import sys


def tensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    body = blob[8 + n:]
    return {k: body[v["data_offsets"][0]:v["data_offsets"][1]] for k, v in header.items() if k != "__metadata__"}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    a, b = tensors(sys.argv[1]), tensors(sys.argv[2])
    if a.keys() != b.keys():
        sys.exit(f"different tensor names: {sorted(a)} vs {sorted(b)}")
    differ = [k for k in sorted(a) if a[k] != b[k]]
    digest = hashlib.sha256(b"".join(a[k] for k in sorted(a))).hexdigest()[:16]
    total = sum(len(v) for v in a.values())
    if differ:
        print(f"DIFFERENT: {len(differ)} of {len(a)} tensors differ ({', '.join(differ[:5])})")
        sys.exit(1)
    print(f"identical: {len(a)} tensors, {total:,} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
