#!/usr/bin/python3
"""PyTorch peer of `./doppel bench train`: the Original face-swap model trained on random data.

Run with Debian's Python, which has python3-torch 1.13 (the `python3` on PATH does not):

    /usr/bin/python3 bench/torch_train_bench.py --batch 16 --steps 3 --warmup 1

`./doppel bench train --peer` runs it and prints the ratio. It is a benchmark, never a runtime
dependency of Doppel, and CI does not run it.

The model is docs/models.md's "Original" (82.06 M parameters), the same architecture and FLOPs as
src/Doppel.Swap/Models/Original*.cs, here in PyTorch's native NCHW layout. The only layout detail
that changes the function (not the cost) is the flatten before the dense bottleneck, done here in
(H, W, C) order like Doppel's NHWC flatten. One step, like the C# bench: encoder -> decoder A on
batch A, encoder -> decoder B on batch B, loss = L1(A) + L1(B) (mean absolute error per side), one
backward, one Adam step (lr 5e-5, betas (0.5, 0.999), eps 1e-8). Examples per step = 2 x batch.
The LAST line printed is `egs_per_s=<float> peak_rss_mb=<int>`, peak RSS from getrusage.
"""
import argparse
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SLOPE = 0.1


class Upscale(nn.Module):
    """conv 3x3 to 4x the channels, LeakyReLU 0.1, pixel shuffle x2."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout * 4, 3, 1, 1)

    def forward(self, x):
        return F.pixel_shuffle(F.leaky_relu(self.conv(x), SLOPE), 2)


class Encoder(nn.Module):
    def __init__(self, size=64, channels=(128, 256, 512, 1024), dense=1024, out=512):
        super().__init__()
        convs, c = [], 3
        for ch in channels:
            convs.append(nn.Conv2d(c, ch, 5, 2, 2))
            c = ch
        self.convs = nn.ModuleList(convs)
        self.side = size >> len(channels)
        self.c = c
        flat = self.side * self.side * c
        self.dense1 = nn.Linear(flat, dense)
        self.dense2 = nn.Linear(dense, flat)
        self.upscale = Upscale(c, out)

    def forward(self, x):
        for conv in self.convs:
            x = F.leaky_relu(conv(x), SLOPE)
        n = x.shape[0]
        x = x.permute(0, 2, 3, 1).reshape(n, -1)  # (H, W, C) order, as Doppel's NHWC flatten
        x = self.dense2(self.dense1(x))
        x = x.reshape(n, self.side, self.side, self.c).permute(0, 3, 1, 2)
        return self.upscale(x)


class Decoder(nn.Module):
    def __init__(self, cin=512, channels=(256, 128, 64)):
        super().__init__()
        blocks, c = [], cin
        for ch in channels:
            blocks.append(Upscale(c, ch))
            c = ch
        self.blocks = nn.ModuleList(blocks)
        self.to_rgb = nn.Conv2d(c, 3, 5, 1, 2)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return torch.sigmoid(self.to_rgb(x))


def he_uniform_(module):
    # He uniform weights and zero biases, as Doppel initialises (the speed does not depend on it).
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            limit = (6.0 / fan_in) ** 0.5
            nn.init.uniform_(m.weight, -limit, limit)
            nn.init.zeros_(m.bias)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=16, help="faces per side per step")
    ap.add_argument("--steps", type=int, default=5, help="timed steps")
    ap.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    encoder, dec_a, dec_b = Encoder(), Decoder(), Decoder()
    for m in (encoder, dec_a, dec_b):
        he_uniform_(m)
    params = [p for m in (encoder, dec_a, dec_b) for p in m.parameters()]
    print(f"pytorch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"{sum(p.numel() for p in params) / 1e6:.2f} M parameters, batch {args.batch} per side", flush=True)
    opt = torch.optim.Adam(params, lr=5e-5, betas=(0.5, 0.999), eps=1e-8)
    a = torch.rand(args.batch, 3, 64, 64)
    b = torch.rand(args.batch, 3, 64, 64)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.l1_loss(dec_a(encoder(a)), a) + F.l1_loss(dec_b(encoder(b)), b)
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(args.warmup):
        t0 = time.perf_counter()
        loss = step()
        print(f"warm-up {i + 1}: {time.perf_counter() - t0:.2f} s, loss {loss:.5f}", flush=True)
    times, cpu = [], 0.0
    for i in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        loss = step()
        times.append(time.perf_counter() - t0)
        cpu += time.process_time() - c0
        print(f"step {i + 1}: {times[-1]:.2f} s, loss {loss:.5f}", flush=True)
    total = sum(times)
    egs = 2 * args.batch * args.steps / total if total > 0 else 0.0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KB on Linux
    print(f"{total / max(1, args.steps):.2f} s/step, {egs:.2f} examples/s, peak RSS {rss_mb} MB")
    # On a busy machine wall time overstates the cost; process CPU time over the thread count
    # estimates what an idle machine would give (informational; the figure above is the result).
    if cpu > 0:
        print(f"cpu {cpu / max(1, args.steps):.2f} s/step over {torch.get_num_threads()} threads: "
              f"~{2 * args.batch * args.steps / (cpu / torch.get_num_threads()):.2f} examples/s if the cores were idle")
    print(f"egs_per_s={egs:.3f} peak_rss_mb={rss_mb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
