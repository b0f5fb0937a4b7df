#!/usr/bin/python3
"""PyTorch peer of `./doppel bench gan`: iterations per second of Algorithm 1 on the same networks.

Run with Debian's Python, which has python3-torch 1.13 (the `python3` on PATH does not):

    /usr/bin/python3 bench/torch_gan_bench.py --arch dcgan --batch 64 --iters 10 --warmup 2

`./doppel bench gan --peer` runs it in the same invocation and prints the ratio. A benchmark,
never a runtime dependency of Doppel; CI does not run it.

The networks are those of src/Doppel.Gan/Models: mlp = Goodfellow et al.'s MNIST pair (G 100 ->
ReLU 1200 -> ReLU 1200 -> sigmoid 784; D dropout 0.2 -> maxout 240x5 -> dropout 0.5 -> maxout
240x5 -> dropout 0.5 -> linear 1, maxout as linear(x).view(-1, 240, 5).max(-1)), SGD lr 0.1
momentum 0.5; dcgan = PyTorch's examples/dcgan netG and netD at nz 100, ngf = ndf = features
(no biases), Adam 2e-4 beta1 0.5. One iteration = k updates of D (each on a fresh real
minibatch of uniform noise images and G(z) made without autograd), then one update of G through
D with D's parameters frozen, binary cross-entropy on logits, as the C# task does. Two threads.
The LAST line is `it_per_s=<median> cpu_s_per_it=<x> peak_mb=<ru_maxrss>`.
"""
import argparse
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Maxout(nn.Module):
    def __init__(self, n_in, units, pieces):
        super().__init__()
        self.units, self.pieces = units, pieces
        self.linear = nn.Linear(n_in, units * pieces)

    def forward(self, x):
        return self.linear(x).view(-1, self.units, self.pieces).max(-1)[0]


def mlp_nets(z):
    g = nn.Sequential(nn.Linear(z, 1200), nn.ReLU(), nn.Linear(1200, 1200), nn.ReLU(), nn.Linear(1200, 784), nn.Sigmoid())
    d = nn.Sequential(nn.Dropout(0.2), Maxout(784, 240, 5), nn.Dropout(0.5), Maxout(240, 240, 5), nn.Dropout(0.5), nn.Linear(240, 1))
    return g, d, (784,)


def dcgan_nets(z, f, size):
    widths = [8 * f, 4 * f, 2 * f, f] if size == 64 else [8 * f, 4 * f, 2 * f]
    g = [nn.ConvTranspose2d(z, widths[0], 4, 1, 0, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU(True)]
    for a, b in zip(widths, widths[1:]):
        g += [nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU(True)]
    g += [nn.ConvTranspose2d(widths[-1], 3, 4, 2, 1, bias=False), nn.Tanh()]
    rev = widths[::-1]
    d = [nn.Conv2d(3, rev[0], 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
    for a, b in zip(rev, rev[1:]):
        d += [nn.Conv2d(a, b, 4, 2, 1, bias=False), nn.BatchNorm2d(b), nn.LeakyReLU(0.2, inplace=True)]
    d += [nn.Conv2d(rev[-1], 1, 4, 1, 0, bias=False), nn.Flatten()]
    return nn.Sequential(*g), nn.Sequential(*d), (3, size, size)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=["mlp", "dcgan"], default="dcgan")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--features", type=int, default=64)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--k", type=int, default=1)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(1)
    z_dim = 100
    if args.arch == "mlp":
        g, d, shape = mlp_nets(z_dim)
        opt_g = torch.optim.SGD(g.parameters(), lr=0.1, momentum=0.5)
        opt_d = torch.optim.SGD(d.parameters(), lr=0.1, momentum=0.5)
        noise = lambda: torch.randn(args.batch, z_dim)
    else:
        g, d, shape = dcgan_nets(z_dim, args.features, args.size)
        opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        noise = lambda: torch.randn(args.batch, z_dim, 1, 1)
    g.train()
    d.train()
    low = 0.0 if args.arch == "mlp" else -1.0
    reals = [torch.rand(args.batch, *shape) * (1 - low) + low for _ in range(args.k)]
    ones, zeros = torch.ones(args.batch, 1), torch.zeros(args.batch, 1)

    def iteration():
        for j in range(args.k):
            with torch.no_grad():
                fake = g(noise())
            loss_d = 0.5 * (F.binary_cross_entropy_with_logits(d(reals[j]), ones) + F.binary_cross_entropy_with_logits(d(fake), zeros))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
        for p in d.parameters():
            p.requires_grad_(False)
        loss_g = F.binary_cross_entropy_with_logits(d(g(noise())), ones)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        for p in d.parameters():
            p.requires_grad_(True)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.arch} batch {args.batch} k {args.k}"
          + (f" size {args.size} features {args.features}" if args.arch == "dcgan" else "") + f", {args.warmup} warm-up + {args.iters} timed iterations")
    times = []
    cpu_start = None
    for i in range(args.warmup + args.iters):
        if i == args.warmup:
            cpu_start = time.process_time()
        start = time.perf_counter()
        iteration()
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / args.iters
    median = statistics.median(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"median {median * 1e3:.1f} ms per iteration (best {min(times) * 1e3:.1f}), cpu {cpu:.3f} s per iteration, peak RSS {peak_mb:.0f} MB")
    print(f"it_per_s={1 / median:.4f} cpu_s_per_it={cpu:.4f} peak_mb={peak_mb:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
