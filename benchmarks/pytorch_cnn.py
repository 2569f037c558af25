"""PyTorch peer for jgrad's reference CNN (README): the same network, loss, optimizer and schedule as

    ./jgrad train --data fashion-mnist --epochs E --batch 128 --lr 0.002 --schedule cosine:E \
      --model "conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)"

i.e. Conv2d(1,32,3) BatchNorm2d ReLU MaxPool2d(2) Conv2d(32,64,3) BatchNorm2d ReLU MaxPool2d(2) Flatten Linear(1600,128)
ReLU Dropout(0.3) Linear(128,10), softmax cross-entropy, Adam (betas 0.9/0.999, eps 1e-8), the rate set before every
step from a cosine over the run's fractional epochs (lr * (1 + cos(pi * t / E)) / 2, as jgrad's cosine:E).

usage: python3 pytorch_cnn.py DATA_DIR|synthetic [--epochs E] [--batch B] [--threads T] [--lr LR]
                              [--schedule cosine|constant] [--seed S] [--train-samples N]
--train-samples N trains each epoch on the first N examples of its shuffled order (a shorter timing run on a
busy machine; accuracy figures need the full epoch). Per epoch it prints the training loop's samples/s (data already in memory as float tensors; the timed loop is
shuffle-index, forward, loss, backward, step), the last batch's loss and the test accuracy.
Run with /usr/bin/python3 and OpenBLAS installed (see /work/shared/peers/README.md).
"""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx(directory, name, offset):
    with gzip.open(os.path.join(directory, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load(directory):
    if directory == 'synthetic':
        g = torch.Generator().manual_seed(1)
        return (torch.rand(60000, 1, 28, 28, generator=g), torch.randint(0, 10, (60000,), generator=g),
                torch.rand(10000, 1, 28, 28, generator=g), torch.randint(0, 10, (10000,), generator=g))
    images = lambda n: torch.from_numpy(read_idx(directory, n, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    labels = lambda n: torch.from_numpy(read_idx(directory, n, 8).astype(np.int64))
    return (images('train-images-idx3-ubyte.gz'), labels('train-labels-idx1-ubyte.gz'),
            images('t10k-images-idx3-ubyte.gz'), labels('t10k-labels-idx1-ubyte.gz'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('data')
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--lr', type=float, default=0.002)
    ap.add_argument('--schedule', choices=['cosine', 'constant'], default='cosine')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--train-samples', type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y, xt, yt = load(a.data)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    n = min(len(x), a.train_samples) if a.train_samples > 0 else len(x)
    steps = (n + a.batch - 1) // a.batch
    print(f"pytorch {torch.__version__} cnn threads={a.threads} (OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}) "
          f"batch={a.batch} lr={a.lr} schedule={a.schedule} seed={a.seed}", flush=True)
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(x))[:n]
        start = time.perf_counter()
        for s in range(steps):
            if a.schedule == 'cosine':
                t = epoch + s / steps
                for group in opt.param_groups:
                    group['lr'] = a.lr * (1 + math.cos(math.pi * t / a.epochs)) / 2
            idx = order[s * a.batch:(s + 1) * a.batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            correct = sum((model(xt[k:k + 1000]).argmax(1) == yt[k:k + 1000]).sum().item() for k in range(0, len(xt), 1000))
        print(f"epoch {epoch + 1}: {n / seconds:.0f} samples/s, loss {loss.item():.4f}, test accuracy {100 * correct / len(xt):.2f}%, "
              f"{seconds:.1f} s", flush=True)


if __name__ == '__main__':
    main()
