"""PyTorch references for the aekit benchmark, layer for layer the families' defaults.

    python3 bench/torch_reference.py <family> <samples> <mnist-dir> [batch] [threads]

Without `threads`, PyTorch uses its own default for this machine.

Prints one JSON line: samples/s, peak RSS, test loss (the same reductions as aekit:
binary cross-entropy averaged over pixels; the VAE's loss in nats per image).
"""
import json
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
        "samples": epochs * len(train),
        "samplesPerSecond": epochs * len(train) / seconds,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "testLoss": total,
    }))


if __name__ == "__main__":
    main()
