# PyTorch side of PyTorchInteropTest. Debian has no safetensors package, so the format is read and
# written here in a few lines. Usage: torch_interop.py DIR HIDDEN
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
        blob = t.detach().cpu().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def mlp(hidden):
    return torch.nn.Sequential(torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))


def main():
    folder, hidden = sys.argv[1], int(sys.argv[2])
    x = torch.from_numpy(np.fromfile(folder + "/inputs.f32", dtype="<f4").reshape(-1, 64))

    model = mlp(hidden)
    model.load_state_dict(load_file(folder + "/jgrad.safetensors"), strict=True)
    model.eval()
    with torch.no_grad():
        model(x).numpy().astype("<f4").tofile(folder + "/torch_logits_of_jgrad.f32")

    torch.manual_seed(5)
    theirs = mlp(hidden)
    theirs.eval()
    save_file(theirs.state_dict(), folder + "/torch.safetensors", {"format": "pt"})
    with torch.no_grad():
        theirs(x).numpy().astype("<f4").tofile(folder + "/torch_logits.f32")
    print("torch %s: loaded the jgrad model and wrote a model of its own" % torch.__version__)


if __name__ == "__main__":
    main()
