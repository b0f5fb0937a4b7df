#!/usr/bin/python3
"""Writes tests/data/parity/gan.safetensors, the PyTorch 1.13 fixture that
tests/Doppel.Gan.Tests/DcganParityTests.cs compares Doppel's DCGAN generator and discriminator
(src/Doppel.Gan/Models/DcganArchitecture.cs) against.

Run by hand (not in CI) from the repository root with Debian's Python, which has python3-torch:

    /usr/bin/python3 bench/torch_parity_gan.py

The networks are PyTorch's examples/dcgan netG and netD (no biases, batch norm in G and in every
D layer but the first, ReLU / LeakyReLU 0.2, tanh out), built for 64 px and 32 px at width
factor f = 4, nz = 16 and two images to keep the file small (about 0.4 MB). Weights are drawn as the example does
(conv N(0, 0.02), batch-norm weight N(1, 0.02), bias 0), with a fixed seed. For each size
<s> in (32, 64) the fixture holds, in Doppel's layout (images NHWC; conv weights (O, KH, KW, C),
transposed-conv weights (C_in, KH, KW, C_out), both PyTorch's permuted by (0, 2, 3, 1)):
  g<s>.<name>  every entry of netG's state dict before the forward, under the same names
               (the Sequential indices match Doppel's "net.<i>"); num_batches_tracked as a float
  d<s>.<name>  the same for netD
  z<s>         (2, 16) noise; images<s> = netG(z) in training mode (batch statistics), NHWC
  logits<s>    netD(images<s>) in training mode, (2, 1)
  eval_images32   netG(z32) in eval mode after that one training forward (running statistics)
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_parity import OUT, np32, save_safetensors  # noqa: E402
from torch_gan_bench import dcgan_nets  # noqa: E402

torch.set_num_threads(2)
NZ = 16


def init(m):
    name = m.__class__.__name__
    if "Conv" in name:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif "BatchNorm" in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def state(prefix, module, out):
    for name, t in module.state_dict().items():
        v = t.detach().float()
        if v.dim() == 4:
            v = v.permute(0, 2, 3, 1)  # OIHW / (Cin, Cout, KH, KW) -> Doppel's layouts
        out[f"{prefix}.{name}"] = np32(v)


def main():
    torch.manual_seed(20261204)
    tensors = {}
    for size in (32, 64):
        g, d, _ = dcgan_nets(NZ, 4, size)
        g.apply(init)
        d.apply(init)
        state(f"g{size}", g, tensors)
        state(f"d{size}", d, tensors)
        z = torch.randn(2, NZ)
        g.train()
        d.train()
        with torch.no_grad():
            images = g(z.view(2, NZ, 1, 1))
            logits = d(images)
            g.eval()
            eval_images = g(z.view(2, NZ, 1, 1))
        tensors[f"z{size}"] = np32(z)
        tensors[f"images{size}"] = np32(images.permute(0, 2, 3, 1))
        tensors[f"logits{size}"] = np32(logits)
        if size == 32:
            tensors["eval_images32"] = np32(eval_images.permute(0, 2, 3, 1))
    path = os.path.join(OUT, "gan.safetensors")
    print(f"wrote {path}: {save_safetensors(path, tensors)} bytes, {len(tensors)} tensors")


if __name__ == "__main__":
    main()
