"""Peer of `jgrad train --task autoencode --data fashion-mnist`: a 784-256-64-256-784 autoencoder (ReLU, sigmoid
output), MSE against the input, Adam, on Fashion-MNIST's 60,000 training images; reports the reconstruction MSE on
the 10,000 test images (pixels in [0, 1], mean over every pixel) after each epoch.

usage: python3 pytorch_autoencoder.py DATA_DIR SEEDS [EPOCHS] [BATCH] [LR] [THREADS] [INIT]
  DATA_DIR: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist); SEEDS: e.g. 1,2,3;
  EPOCHS: 10; BATCH: 128; LR: 0.001; THREADS: 2 (on a loaded machine 1 is much faster: OpenMP threads that
  wait for each other spin); INIT: torch (PyTorch's default) or jgrad (what jgrad's model description does:
  He-uniform weights before a ReLU, Xavier-uniform before the sigmoid, zero biases).
PyTorch's batch order (the seed fixes it) differs from jgrad's."""
import gzip, os, sys, time
import numpy as np, torch, torch.nn as nn

data, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(',')]
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 128
lr = float(sys.argv[5]) if len(sys.argv) > 5 else 0.001
torch.set_num_threads(int(sys.argv[6]) if len(sys.argv) > 6 else 2)
init = sys.argv[7] if len(sys.argv) > 7 else 'torch'


def images(name):
    with gzip.open(os.path.join(data, name)) as f:
        return torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255)


X, Xt = images('train-images-idx3-ubyte.gz'), images('t10k-images-idx3-ubyte.gz')
for seed in seeds:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 256), nn.ReLU(),
                          nn.Linear(256, 784), nn.Sigmoid())
    if init == 'jgrad':
        for i, m in enumerate(model):
            if isinstance(m, nn.Linear):
                if isinstance(model[i + 1], nn.ReLU):
                    nn.init.kaiming_uniform_(m.weight, nonlinearity='relu')
                else:
                    nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for e in range(epochs):
        perm = torch.randperm(len(X))
        t = time.perf_counter()
        for i in range(0, len(X), batch):
            x = X[perm[i:i + batch]]
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), x)
            loss.backward()
            opt.step()
        dt = time.perf_counter() - t
        with torch.no_grad():
            test = nn.functional.mse_loss(model(Xt), Xt).item()
        print(f"pytorch autoencoder ({init} init) seed {seed} epoch {e + 1}: test mse {test:.5f} ({len(X) / dt:.0f} samples/s)", flush=True)
