"""PyTorch references for the aekit benchmark, layer for layer the families' defaults.

    python3 bench/torch_reference.py <family> <samples> <mnist-dir> [batch] [threads]
    python3 bench/torch_reference.py --probe

Without `threads`, PyTorch uses its own default for this machine; OpenBLAS
takes its thread count from OPENBLAS_NUM_THREADS (the bench sets it).

Prints one JSON line: samples/s, peak RSS, test loss (the same reductions as aekit:
binary cross-entropy averaged over pixels; the VAE's loss in nats per image),
and the BLAS library the matrix products ran on. `--probe` prints only the
set-up: PyTorch's version and threads and the BLAS it loaded.
"""
import ctypes
import json
import os
import resource
import struct
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank :]), dtype=torch.uint8).reshape(dims)


class Dense(nn.Module):
    """dense: 784 -> 32 relu -> 784 sigmoid; deep: 784-128-64-32-64-128-784."""

    def __init__(self, widths):
        super().__init__()
        dims = [784, *widths]
        enc = []
        for a, b in zip(dims, dims[1:]):
            enc += [nn.Linear(a, b), nn.ReLU()]
        dec = []
        back = list(reversed(dims))
        for i, (a, b) in enumerate(zip(back, back[1:])):
            dec += [nn.Linear(a, b), nn.Sigmoid() if i == len(back) - 2 else nn.ReLU()]
        self.encoder, self.decoder = nn.Sequential(*enc), nn.Sequential(*dec)

    def forward(self, x):
        return self.decoder(self.encoder(x.flatten(1))).reshape(x.shape)


class Conv(nn.Module):
    """The Keras blog convolutional autoencoder: Conv 16-8-8 + 2x2 pooling, 4x4x8 code."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
        )
        self.decoder = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid(),
        )

    def forward(self, x):
        return self.decoder(self.encoder(x.reshape(-1, 1, 28, 28))).reshape(x.shape)


class Vae(nn.Module):
    """784 -> 512 -> 2-D latent (mean, log-variance) -> 512 -> 784."""

    def __init__(self, latent=2, hidden=512):
        super().__init__()
        self.hidden, self.mean, self.log_var = nn.Linear(784, hidden), nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784), nn.Sigmoid())

    def forward(self, x):
        h = F.relu(self.hidden(x.flatten(1)))
        mean, log_var = self.mean(h), self.log_var(h)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var) if self.training else mean
        return self.decoder(z), mean, log_var


class Lstm(nn.Module):
    """MNIST rows as 28 steps of 28: LSTM(32) whose final state is the code -> repeat 28 times -> LSTM(64) -> Dense(28) per step."""

    def __init__(self, units=64, latent=32):
        super().__init__()
        self.encoder = nn.LSTM(28, latent, batch_first=True)
        self.decoder, self.out = nn.LSTM(latent, units, batch_first=True), nn.Linear(units, 28)

    def forward(self, x):
        _, (h, _) = self.encoder(x.reshape(-1, 28, 28))
        y, _ = self.decoder(h[-1].unsqueeze(1).repeat(1, 28, 1))
        return self.out(y).reshape(x.shape)


def blas_info():
    """The BLAS library this process loaded (after a matrix product), as its file and, for OpenBLAS, its own description.

    `torch.__config__.show()` names the BLAS PyTorch was built against (Debian's says
    BLAS_INFO=generic, the libblas.so.3 interface); which library answers that interface
    is the system's `libblas.so.3` alternative, so read the mapped files instead.
    """
    a = torch.ones(8, 8)
    (a @ a).sum().item()
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if len(line.split()) >= 6 and "blas" in line.split()[-1]})
    library = next((p for p in paths if os.path.basename(p).startswith("libblas.so")), paths[0] if paths else None)
    info = {"library": library, "files": paths, "name": "unknown", "threads": None}
    if library is None:
        return info
    info["name"] = "reference BLAS (netlib)" if "/blas/" in library else os.path.basename(os.path.dirname(library))
    try:
        lib = ctypes.CDLL(library)
        lib.openblas_get_config.restype = ctypes.c_char_p
        info["name"] = lib.openblas_get_config().decode()
        info["threads"] = lib.openblas_get_num_threads()
    except (OSError, AttributeError):
        pass
    return info


def probe():
    config = torch.__config__.show()
    build_blas = next((part.split("=", 1)[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "unknown")
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "buildBlas": build_blas,
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blas": blas_info(),
    }))


def loss_of(family, model, x):
    if family == "vae":
        out, mean, log_var = model(x)
        rec = F.binary_cross_entropy(out, x.flatten(1), reduction="sum") / x.shape[0]
        kl = -0.5 * torch.sum(1 + log_var - mean.pow(2) - log_var.exp()) / x.shape[0]
        return rec + kl
    out = model(x)
    if family == "lstm":
        return F.mse_loss(out, x)
    return F.binary_cross_entropy(out, x)


def main():
    if sys.argv[1] == "--probe":
        probe()
        return
    family, samples, mnist_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 256
    if len(sys.argv) > 5:
        torch.set_num_threads(int(sys.argv[5]))
    torch.manual_seed(0)
    model = {"dense": lambda: Dense([32]), "deep": lambda: Dense([128, 64, 32]), "conv": Conv, "vae": Vae, "lstm": Lstm}[family]()
    train = read_idx(f"{mnist_dir}/train-images-idx3-ubyte")[: min(samples, 60000)].float().div(255)
    test = read_idx(f"{mnist_dir}/t10k-images-idx3-ubyte").float().div(255)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epochs = max(1, -(-samples // 60000))
    model.train()
    start = time.perf_counter()
    for _ in range(epochs):
        for batch_x in torch.split(train[torch.randperm(len(train))], batch):
            optimizer.zero_grad()
            loss_of(family, model, batch_x).backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        total = sum(loss_of(family, model, t).item() * len(t) for t in torch.split(test, 500)) / len(test)
    print(json.dumps({
        "family": family,
        "backend": f"pytorch {torch.__version__} ({torch.get_num_threads()} threads)",
        "threads": torch.get_num_threads(),
        "blasThreads": blas_info()["threads"],
        "samples": epochs * len(train),
        "samplesPerSecond": epochs * len(train) / seconds,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "testLoss": total,
    }))


if __name__ == "__main__":
    main()
