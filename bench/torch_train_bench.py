#!/usr/bin/python3
"""PyTorch peer of `./doppel bench train`: the Original face-swap model trained on random data.

Run with Debian's Python, which has python3-torch 1.13 (the `python3` on PATH does not):

    /usr/bin/python3 bench/torch_train_bench.py --batch 16 --steps 3 --warmup 1 [--model lite] [--mask FILE]

`./doppel bench train --peer` runs it and prints the ratio. It is a benchmark, never a runtime
dependency of Doppel, and CI does not run it.

The model is docs/models.md's "Original" (82.06 M parameters), the same architecture and FLOPs as
src/Doppel.Swap/Models/Original*.cs, here in PyTorch's native NCHW layout. The only layout detail
that changes the function (not the cost) is the flatten before the dense bottleneck, done here in
(H, W, C) order like Doppel's NHWC flatten. `--model lite` is the same at a quarter of the widths
(OriginalSpec.Lite).

One step is what Doppel's trainer runs per iteration (MaskedTwoSideStep with the default FaceLoss),
which is what the C# bench times: for each side in turn, encoder -> that side's decoder on a random
batch against a random target, loss = DSSIM + L1 both weighted by a face mask, backward (one side's
graph alive at a time, as Doppel's per-side scopes); then one Adam step (lr 5e-5, betas
(0.5, 0.999), eps 1e-8). The loss is Ops.DssimLoss and Ops.L1Loss as FaceLoss calls them: DSSIM
with an 11x11 Gaussian window (sigma 1.5, separable, valid borders), C1 = 0.01^2, C2 = 0.03^2, the
SSIM map weighted by the blurred mask (sum(w ssim) / (sum(w) + 1e-8)); L1 weighted by mask / mean(mask).
The mask is the one the C# run uses (`--mask`: raw little-endian float32, size x size, written by
`./doppel bench train --peer`); without `--mask`, ellipses of the same weights (face 1, mouth 2,
eyes 3) stand in. Examples per step = 2 x batch.
The LAST line printed is `egs_per_s=<float> peak_rss_mb=<int>`, peak RSS from getrusage.
"""
import argparse
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SLOPE = 0.1

# The Original family's sizes (src/Doppel.Swap/Models/OriginalSpec.cs): input, encoder widths,
# dense width, encoder output channels, decoder widths.
MODELS = {
    "original": (64, (128, 256, 512, 1024), 1024, 512, (256, 128, 64)),
    "lite": (64, (64, 128, 256, 512), 256, 256, (128, 64, 32)),
}


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


def gaussian_window(size=11, sigma=1.5):
    x = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    k = torch.exp(-x * x / (2 * sigma * sigma))
    return k / k.sum()


def blur(x, k):
    """Separable Gaussian blur per channel, valid borders (NCHW): a row pass then a column pass."""
    c, n = x.shape[1], k.numel()
    x = F.conv2d(x, k.view(1, 1, 1, n).expand(c, 1, 1, n), groups=c)
    return F.conv2d(x, k.view(1, 1, n, 1).expand(c, 1, n, 1), groups=c)


def dssim(y, t, w, k):
    """(1 - weighted mean SSIM) / 2, as Ops.DssimLoss with a weight."""
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mu_y, mu_t = blur(y, k), blur(t, k)
    mu_yy, mu_tt, mu_yt = mu_y * mu_y, mu_t * mu_t, mu_y * mu_t
    s_yy = blur(y * y, k) - mu_yy
    s_tt = blur(t * t, k) - mu_tt
    s_yt = blur(y * t, k) - mu_yt
    ssim = (2 * mu_yt + c1) * (2 * s_yt + c2) / ((mu_yy + mu_tt + c1) * (s_yy + s_tt + c2))
    wb = blur(w, k).expand_as(ssim)
    return (1 - (ssim * wb).sum() / (wb.sum() + 1e-8)) * 0.5


def face_loss(y, t, w, k):
    """FaceLoss(1, 1): DSSIM + L1, both weighted by the mask; L1's weights divided by their mean."""
    return dssim(y, t, w, k) + (torch.abs(y - t) * (w / w.mean())).mean()


def ellipse_mask(size):
    """Stand-in weights when no --mask is given: face ellipse 1, mouth 2, eyes 3, background 0."""
    yy, xx = torch.meshgrid(torch.arange(size) + 0.5, torch.arange(size) + 0.5, indexing="ij")
    yy, xx = yy / size, xx / size

    def inside(cx, cy, rx, ry):
        return ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 <= 1

    m = torch.zeros(size, size)
    m[inside(0.5, 0.5, 0.35, 0.35)] = 1
    m[inside(0.5, 0.75, 0.12, 0.06)] = 2
    m[inside(0.36, 0.4, 0.07, 0.04) | inside(0.64, 0.4, 0.07, 0.04)] = 3
    return m


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
    ap.add_argument("--model", choices=sorted(MODELS), default="original")
    ap.add_argument("--mask", help="loss weights, raw little-endian float32, size x size (as ./doppel bench train --peer writes)")
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    size, enc_channels, dense, enc_out, dec_channels = MODELS[args.model]
    encoder = Encoder(size, enc_channels, dense, enc_out)
    dec_a, dec_b = Decoder(enc_out, dec_channels), Decoder(enc_out, dec_channels)
    for m in (encoder, dec_a, dec_b):
        he_uniform_(m)
    params = [p for m in (encoder, dec_a, dec_b) for p in m.parameters()]
    print(f"pytorch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"{sum(p.numel() for p in params) / 1e6:.2f} M parameters, model {args.model}, batch {args.batch} per side, "
          f"mask {args.mask or 'ellipses'}", flush=True)
    opt = torch.optim.Adam(params, lr=5e-5, betas=(0.5, 0.999), eps=1e-8)
    if args.mask:
        mask = torch.from_numpy(np.fromfile(args.mask, dtype="<f4").astype(np.float32))
        if mask.numel() != size * size:
            sys.exit(f"--mask holds {mask.numel()} weights, the {args.model} model needs {size}x{size}")
        mask = mask.view(size, size)
    else:
        mask = ellipse_mask(size)
    w = mask.view(1, 1, size, size).expand(args.batch, 1, size, size).contiguous()
    k = gaussian_window()
    sides = [(dec_a, torch.rand(args.batch, 3, size, size), torch.rand(args.batch, 3, size, size)),
             (dec_b, torch.rand(args.batch, 3, size, size), torch.rand(args.batch, 3, size, size))]

    def step():
        opt.zero_grad(set_to_none=True)
        losses = []
        for decoder, x, t in sides:
            loss = face_loss(decoder(encoder(x)), t, w, k)
            loss.backward()
            losses.append(loss.item())
        opt.step()
        return sum(losses)

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
