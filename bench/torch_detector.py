#!/usr/bin/python3
"""Doppel's fake detector (src/Doppel.Forensics/Model/FakeDetectorNet.cs) in PyTorch 1.13: the
parity fixture and the speed peer.

Run by hand (never in CI) with Debian's Python, which has python3-torch:

    /usr/bin/python3 bench/torch_detector.py --fixture      # writes tests/data/parity/detector.safetensors
    /usr/bin/python3 bench/torch_detector.py --bench --batch 32 --batches 20

The module tree mirrors the C# one name for name (nn.Sequential indices included), so the state
dict keys are Doppel's; only conv weights change layout, (O, C/g, KH, KW) -> Doppel's
(O, KH, KW, C/g), and images are NHWC in the fixture.

--fixture: a small network (input 32, width 4), weights and batch-norm buffers drawn at random,
input x (3, 32, 32, 3). Training mode: logits, mask, and for L = sum(logits * R1) +
sum(mask * R2) the gradients of x, of stem.0.weight, of a depthwise weight
(stage1.0.main.0.weight), of score.weight and of mask.3.bias; the running statistics of stem.1
after the forward. Evaluation mode (the updated buffers): logits_eval, mask_eval.
--bench: inference (eval, no grad) at --size 64, --width 24, batches of --batch random faces;
the LAST line is `faces_per_s=<float>`.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_parity import OUT, nchw, nhwc, np32, save_safetensors  # noqa: E402


class SeparableBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU(),
            nn.Conv2d(cin, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, groups=cout, bias=False), nn.BatchNorm2d(cout),
            nn.Conv2d(cout, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.main(x) + (x if self.shortcut is None else self.shortcut(x)))


class FakeDetectorNet(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, w, 3, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU())
        self.stage1 = nn.Sequential(SeparableBlock(w, 2 * w, 2), SeparableBlock(2 * w, 2 * w, 1))
        self.stage2 = nn.Sequential(SeparableBlock(2 * w, 4 * w, 2), SeparableBlock(4 * w, 4 * w, 1))
        self.stage3 = nn.Sequential(SeparableBlock(4 * w, 8 * w, 2), SeparableBlock(8 * w, 8 * w, 1))
        self.score = nn.Linear(8 * w, 1)
        self.mask = nn.Sequential(nn.Conv2d(6 * w, w, 1, 1, 0, bias=False), nn.BatchNorm2d(w), nn.ReLU(), nn.Conv2d(w, 1, 3, 1, 1))

    def forward(self, x):  # x NCHW
        s1 = self.stage1(self.stem(x))
        s2 = self.stage2(s1)
        s3 = self.stage3(s2)
        logits = self.score(s3.mean(dim=(2, 3)))
        merged = torch.cat([s1, F.interpolate(s2, scale_factor=2, mode="bilinear", align_corners=False)], dim=1)
        return logits, self.mask(merged)


def doppel_state(net):
    """The state dict in Doppel's names and layouts (conv weights O, KH, KW, C/g)."""
    out = {}
    for name, t in net.state_dict().items():
        a = t.detach().float()
        if a.dim() == 4:
            a = a.permute(0, 2, 3, 1)
        out[name] = np32(a)
    return out


def fixture():
    torch.manual_seed(7)
    net = FakeDetectorNet(4)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(torch.randn_like(p) * (0.5 if p.dim() > 1 else 0.2))
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
                m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
    tensors = {f"w.{k}": v for k, v in doppel_state(net).items()}
    x = torch.randn(3, 32, 32, 3)
    xg = x.clone().requires_grad_(True)
    net.train()
    logits, mask = net(nchw(xg))
    r1, r2 = torch.randn_like(logits), torch.randn_like(mask)
    (logits * r1).sum().add((mask * r2).sum()).backward()
    tensors.update({
        "x": np32(x), "logits": np32(logits), "mask": np32(nhwc(mask)), "r1": np32(r1), "r2": np32(nhwc(r2)),
        "grad_x": np32(xg.grad),
        "grad_stem.0.weight": np32(net.stem[0].weight.grad.permute(0, 2, 3, 1)),
        "grad_stage1.0.main.0.weight": np32(net.stage1[0].main[0].weight.grad.permute(0, 2, 3, 1)),
        "grad_score.weight": np32(net.score.weight.grad),
        "grad_mask.3.bias": np32(net.mask[3].bias.grad),
        "stem.1.running_mean": np32(net.stem[1].running_mean), "stem.1.running_var": np32(net.stem[1].running_var),
    })
    net.eval()
    with torch.no_grad():
        le, me = net(nchw(x))
    tensors["logits_eval"] = np32(le)
    tensors["mask_eval"] = np32(nhwc(me))
    path = os.path.join(OUT, "detector.safetensors")
    print(f"wrote {path} ({save_safetensors(path, tensors, {'torch': torch.__version__})} bytes)")


def bench(args):
    torch.set_num_threads(2)
    torch.manual_seed(1)
    net = FakeDetectorNet(args.width).eval()
    faces = torch.rand(args.batch, 3, args.size, args.size) * 2 - 1
    print(f"pytorch {torch.__version__}, threads {torch.get_num_threads()}, batch {args.batch}, input {args.size}, width {args.width}, "
          f"{sum(p.numel() for p in net.parameters())} parameters", flush=True)
    with torch.no_grad():
        for _ in range(args.warmup):
            net(faces)
        start = time.perf_counter()
        cpu = time.process_time()
        for _ in range(args.batches):
            net(faces)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    n = args.batch * args.batches
    print(f"pytorch: {1000 * seconds / n:.3f} ms per face, {1000 * cpu / n:.3f} cpu ms per face", flush=True)
    print(f"faces_per_s={n / seconds:.3f} cpu_ms_per_face={1000 * cpu / n:.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fixture", action="store_true")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--width", type=int, default=24)
    args = ap.parse_args()
    if args.fixture:
        fixture()
    if args.bench or not args.fixture:
        bench(args)


if __name__ == "__main__":
    main()
