"""Peer of `jgrad train --task regress --standardize` on scikit-learn's diabetes data (scripts/diabetes-csv).

usage: python3 pytorch_diabetes.py DIABETES.csv SEEDS [HIDDEN] [EPOCHS] [BATCH] [LR] [INIT]
  SEEDS: e.g. 1,2,3,4,5; HIDDEN: 32 (one hidden ReLU layer); EPOCHS: 100; BATCH: 32; LR: 0.001 (Adam);
  INIT: torch (PyTorch's default, the default), jgrad (what `--model mlp:H` does: He-uniform weights before the
  ReLU, Xavier-uniform for the output layer, zero biases), or save:FILE.safetensors: PyTorch's initial weights of the first seed are written to FILE for
  `jgrad train --init FILE`, so that with BATCH = the training set (353, full batch, no order to differ) both
  trainings start and step identically and must end at the same figures up to float rounding.

The same test set as jgrad: the CSV's rows shuffled as jgrad's Split.shuffled does (java.util.Random(42),
Fisher-Yates from the last row), the first floor(0.8 n) rows train, the rest test. Features and the target are
standardized with the training rows' mean and population std; the loss is MSE on the standardized target;
test metrics are in the target's original units. PyTorch's batch order (the seed fixes it) differs from jgrad's,
so runs agree in distribution, not digit for digit.
Prints one line per seed: test r2, rmse (to 4 decimals), mae after the last epoch."""
import csv, sys
import numpy as np, torch, torch.nn as nn

path, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(',')]
hidden = int(sys.argv[3]) if len(sys.argv) > 3 else 32
epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 100
batch = int(sys.argv[5]) if len(sys.argv) > 5 else 32
lr = float(sys.argv[6]) if len(sys.argv) > 6 else 0.001
init = sys.argv[7] if len(sys.argv) > 7 else 'torch'
torch.set_num_threads(2)


class JavaRandom:
    """java.util.Random, as specified in its javadoc: a 48-bit LCG."""
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r

    def next_int(self, bound):
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < 1 << 31:   # Java's int overflow test
                return r
            u = self.next(31)


with open(path) as f:
    rows = list(csv.reader(f))
header, data = rows[0], np.array(rows[1:], dtype=np.float64)
x_all, y_all = data[:, :-1].astype(np.float32), data[:, -1:].astype(np.float32)
n = len(data)
order = list(range(n))
rnd = JavaRandom(42)
for i in range(n - 1, 0, -1):
    j = rnd.next_int(i + 1)
    order[i], order[j] = order[j], order[i]
cut = int(n * 0.8)
tr, te = order[:cut], order[cut:]


def standardizer(a):
    mean = a.mean(0, dtype=np.float64)
    std = a.std(0, dtype=np.float64)
    std[std == 0] = 1
    return mean.astype(np.float32), std.astype(np.float32)


fm, fs = standardizer(x_all[tr])
tm, ts = standardizer(y_all[tr])
X = torch.from_numpy((x_all[tr] - fm) / fs)
Y = torch.from_numpy((y_all[tr] - tm) / ts)
Xt = torch.from_numpy((x_all[te] - fm) / fs)
Yt = y_all[te, 0].astype(np.float64)
def save_safetensors(file, model):
    """The state dict as safetensors (8-byte header length, JSON header, little-endian float32 data)."""
    import json, struct
    header, blobs, offset = {}, [], 0
    for name, t in model.state_dict().items():
        b = t.detach().numpy().astype('<f4').tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(file, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


for seed in seeds:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(X.shape[1], hidden), nn.ReLU(), nn.Linear(hidden, 1))
    if init.startswith('save:'):
        save_safetensors(init[5:], model)
    if init == 'jgrad':
        nn.init.kaiming_uniform_(model[0].weight, nonlinearity='relu')   # U(+-sqrt(6 / fan_in)) before a ReLU
        nn.init.xavier_uniform_(model[2].weight)
        nn.init.zeros_(model[0].bias)
        nn.init.zeros_(model[2].bias)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for e in range(epochs):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), batch):
            j = perm[i:i + batch]
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(X[j]), Y[j])
            loss.backward()
            opt.step()
    with torch.no_grad():
        pred = model(Xt)[:, 0].numpy().astype(np.float64) * ts[0] + tm[0]
    err = pred - Yt
    r2 = 1 - (err ** 2).sum() / ((Yt - Yt.mean()) ** 2).sum()
    print(f"pytorch diabetes ({init.split(':')[0]} init) seed {seed}: test r2 {r2:.4f} rmse {np.sqrt((err ** 2).mean()):.4f} mae {np.abs(err).mean():.2f}", flush=True)
