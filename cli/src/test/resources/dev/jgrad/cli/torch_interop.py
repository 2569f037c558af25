# PyTorch side of PyTorchInteropTest. Debian has no safetensors package, so the format is read and
# written here in a few lines. Usage: torch_interop.py DIR ARCH, ARCH "mlp:HIDDEN" or "cnn"
#   reads  DIR/jgrad.safetensors (a jgrad model), DIR/inputs.f32 (float32 rows of 64 features)
#   writes DIR/torch_logits_of_jgrad.f32: the jgrad model's logits computed by PyTorch
#          DIR/torch.safetensors, DIR/torch_logits.f32: a PyTorch model (seeded) and its own logits
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}


def load_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(array.copy().reshape(info["shape"]))
    return out


def save_file(tensors, path, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        dtype, kind = ("I64", "<i8") if t.dtype == torch.int64 else ("F32", "<f4")
        blob = t.detach().cpu().contiguous().numpy().astype(kind).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def network(arch):
    nn = torch.nn
    if arch.startswith("mlp:"):
        hidden = int(arch[4:])
        return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    # jgrad's conv(4,3)-batchnorm-relu-maxpool(2)-flatten-dropout(0.25)-dense(10) on 8x8 digits
    return nn.Sequential(nn.Unflatten(1, (1, 8, 8)), nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.25), nn.Linear(36, 10))


def main():
    folder, arch = sys.argv[1], sys.argv[2]
    x = torch.from_numpy(np.fromfile(folder + "/inputs.f32", dtype="<f4").reshape(-1, 64))

    model = network(arch)
    model.load_state_dict(load_file(folder + "/jgrad.safetensors"), strict=True)
    model.eval()
    with torch.no_grad():
        model(x).numpy().astype("<f4").tofile(folder + "/torch_logits_of_jgrad.f32")

    torch.manual_seed(5)
    theirs = network(arch)
    with torch.no_grad():
        theirs.train()
        for _ in range(3):  # move batch-norm running statistics off their initial values
            theirs(x[:100] + 0.5)
    theirs.eval()
    save_file(theirs.state_dict(), folder + "/torch.safetensors", {"format": "pt"})
    with torch.no_grad():
        theirs(x).numpy().astype("<f4").tofile(folder + "/torch_logits.f32")
    print("torch %s: loaded the jgrad model and wrote a model of its own" % torch.__version__)


if __name__ == "__main__":
    main()
