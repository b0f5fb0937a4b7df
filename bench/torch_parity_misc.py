#!/usr/bin/python3
"""Writes tests/data/parity/misc.safetensors, the PyTorch 1.13 fixture of
tests/Doppel.Tensors.Tests/Parity/MiscOpParityTests.cs: maxout (op and layer), concat and split
along channels, clamp, softmax, log-softmax, softmax cross-entropy (class weights, label
smoothing), BCE with logits (weight, pos_weight, logits of +-100) and the ReLU / Tanh modules.

Run by hand (not in CI) from the repository root with Debian's Python, which has python3-torch:

    /usr/bin/python3 bench/torch_parity_misc.py

Layout as bench/torch_parity.py (whose writer this imports): case "<case>.<tensor>", inputs in
Doppel's layout (NHWC, linear weights (Out, In)), "y" the output, "r" a random tensor of y's
shape and "grad_<input>" = d sum(y * r) / d input for every input that has a gradient. An op with
several outputs (split) stores y<i>, r<i> and the gradient of sum_i sum(y<i> * r<i>). Losses are
scalars whose gradients are of the loss itself. Integer class labels are stored as F32.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_parity import OUT, np32, save_safetensors  # noqa: E402

torch.set_num_threads(2)
rng = np.random.default_rng(20240611)
CASES = {}


def normal(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def uniform(*shape, lo=0.0, hi=1.0):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def record(case, inputs, fn, loss=False, constants=()):
    """inputs: name -> numpy array; fn(**tensors) -> a tensor or a tuple of tensors. Inputs named in
    constants get no gradient. Stores the inputs, outputs, R(s) and the gradients."""
    ts = {k: torch.tensor(v, requires_grad=k not in constants) for k, v in inputs.items()}
    out = fn(**ts)
    for k, v in inputs.items():
        CASES[f"{case}.{k}"] = np.asarray(v, dtype=np.float32)
    if isinstance(out, tuple):
        total = 0
        for i, y in enumerate(out):
            r = rng.standard_normal(tuple(y.shape)).astype(np.float32)
            CASES[f"{case}.y{i}"], CASES[f"{case}.r{i}"] = np32(y), r
            total = total + (y * torch.from_numpy(r)).sum()
        total.backward()
    elif loss:
        CASES[f"{case}.y"] = np32(out).reshape(())
        out.backward()
    else:
        r = rng.standard_normal(tuple(out.shape)).astype(np.float32)
        CASES[f"{case}.y"], CASES[f"{case}.r"] = np32(out), r
        (out * torch.from_numpy(r)).sum().backward()
    for k, t in ts.items():
        if t.grad is not None:
            CASES[f"{case}.grad_{k}"] = np32(t.grad)


def untied(*shape, pieces):
    """Normal values whose groups of `pieces` consecutive elements have a clear maximum (gap >= 0.05),
    so the arg-max, and with it the gradient, cannot flip between the two sides."""
    while True:
        x = normal(*shape)
        g = np.sort(x.reshape(-1, pieces), axis=1)
        if pieces == 1 or np.all(g[:, -1] - g[:, -2] >= 0.05):
            return x


def maxout(x, pieces):
    return x.reshape(*x.shape[:-1], x.shape[-1] // pieces, pieces).max(-1)[0]


def bce_reference(x, z, weight=None, pos_weight=None):
    """PyTorch's documented formula written out, so weight and pos_weight get gradients too (the
    native op refuses them): mean of w [(1 - z) x + (1 + (p - 1) z) softplus(-x)]."""
    lw = 1 + (pos_weight - 1) * z if pos_weight is not None else 1
    el = (1 - z) * x + lw * F.softplus(-x)
    return (el * weight if weight is not None else el).mean()


def fixtures():
    # maxout: the paper's 5 pieces on a rank-3 input, 2 pieces on a matrix, then the layer
    record("maxout_k5", {"x": untied(2, 3, 20, pieces=5)}, lambda x: maxout(x, 5))
    record("maxout_k2", {"x": untied(5, 8, pieces=2)}, lambda x: maxout(x, 2))
    while True:
        xl, wl, bl = normal(4, 10), normal(12, 10, scale=0.3), normal(12, scale=0.1)
        pre = np.sort((xl @ wl.T + bl).reshape(-1, 3), axis=1)
        if np.all(pre[:, -1] - pre[:, -2] >= 0.02):
            break
    record("maxout_layer", {"x": xl, "w": wl, "b": bl}, lambda x, w, b: maxout(F.linear(x, w, b), 3))

    # concat and split along channels (NHWC last axis), and concat along H
    record("concat_channels", {"a": normal(2, 3, 3, 2), "b": normal(2, 3, 3, 5), "c": normal(2, 3, 3, 1)},
           lambda a, b, c: torch.cat([a, b, c], dim=-1))
    record("concat_h", {"a": normal(2, 2, 3, 4), "b": normal(2, 1, 3, 4)}, lambda a, b: torch.cat([a, b], dim=1))
    record("split_channels", {"x": normal(2, 3, 4, 9)}, lambda x: torch.split(x, [2, 4, 3], dim=-1))

    # clamp, including elements exactly on the bounds (their gradient passes, as PyTorch's)
    xc = normal(4, 17, scale=2.0)
    xc[0, :3] = [-1.0, 1.5, -1.0]
    record("clamp", {"x": xc}, lambda x: torch.clamp(x, -1.0, 1.5))

    # softmax and log-softmax over the last axis; one row shifted by +80, beyond exp's float range
    xs = normal(5, 7, scale=3.0)
    xs[2] += 80.0
    record("softmax", {"x": xs}, lambda x: torch.softmax(x, -1))
    record("log_softmax", {"x": xs}, lambda x: torch.log_softmax(x, -1))
    record("softmax_rank3", {"x": normal(2, 3, 19, scale=2.0)}, lambda x: torch.softmax(x, -1))
    record("log_softmax_rank3", {"x": normal(2, 3, 19, scale=2.0)}, lambda x: torch.log_softmax(x, -1))

    # softmax cross-entropy (mean), with class weights and label smoothing; one row of +-100 logits
    logits = normal(6, 5, scale=2.0)
    logits[3] = [100.0, -100.0, 40.0, -7.0, 99.0]
    labels = np.array([0, 4, 2, 1, 3, 4], dtype=np.int64)
    weights = np.array([0.5, 2.0, 1.0, 0.25, 1.5], dtype=np.float32)
    for name, w, eps in (("ce", None, 0.0), ("ce_weighted", weights, 0.0), ("ce_smoothed", None, 0.1),
                         ("ce_weighted_smoothed", weights, 0.2)):
        inputs = {"x": logits, "labels": labels.astype(np.float32)}
        if w is not None:
            inputs["weights"] = w
        record(name, inputs, lambda x, labels, weights=None, eps=eps:
               F.cross_entropy(x, labels.long(), weight=weights, label_smoothing=eps),
               loss=True, constants=("labels", "weights"))
    record("ce_rank3", {"x": normal(2, 3, 4), "labels": np.array([[0, 3, 1], [2, 2, 0]], dtype=np.float32)},
           lambda x, labels: F.cross_entropy(x.reshape(-1, 4), labels.long().reshape(-1)),
           loss=True, constants=("labels",))

    # BCE with logits: plain (targets get a gradient too), per-class pos_weight, per-element and
    # broadcast weights, and logits of +-100 with hard and soft targets
    x, z = normal(3, 7, scale=3.0), uniform(3, 7)
    record("bce", {"x": x, "z": z}, lambda x, z: F.binary_cross_entropy_with_logits(x, z), loss=True)
    record("bce_pos_weight", {"x": x, "z": z, "p": uniform(7, lo=0.5, hi=3.0)},
           lambda x, z, p: F.binary_cross_entropy_with_logits(x, z, pos_weight=p), loss=True, constants=("p",))
    record("bce_weight", {"x": x, "z": z, "w": uniform(3, 7, lo=0.2, hi=2.0)},
           lambda x, z, w: F.binary_cross_entropy_with_logits(x, z, weight=w), loss=True, constants=("w",))
    record("bce_both", {"x": x, "z": z, "w": uniform(3, 1, lo=0.2, hi=2.0), "p": uniform(7, lo=0.5, hi=3.0)},
           lambda x, z, w, p: F.binary_cross_entropy_with_logits(x, z, weight=w, pos_weight=p),
           loss=True, constants=("w", "p"))
    big = np.array([[100, -100, 100, -100, 80, -80, 0.5, 30]], dtype=np.float32)
    record("bce_large", {"x": big, "z": np.array([[1, 0, 0, 1, 0.3, 0.7, 1, 1]], dtype=np.float32),
                         "p": np.full(8, 2.5, dtype=np.float32)},
           lambda x, z, p: F.binary_cross_entropy_with_logits(x, z, pos_weight=p), loss=True, constants=("p",))
    # weight and pos_weight gradients from the written-out formula (the native op has none)
    record("bce_formula", {"x": x, "z": z, "w": uniform(3, 1, lo=0.2, hi=2.0), "p": uniform(7, lo=0.5, hi=3.0)},
           lambda x, z, w, p: bce_reference(x, z, w, p), loss=True)

    # the ReLU and Tanh modules on 67 elements (vector blocks and a tail), inputs away from relu's kink
    xr = normal(67, scale=2.0)
    xr[np.abs(xr) < 0.05] += 0.1
    record("relu_module", {"x": xr}, lambda x: torch.nn.ReLU()(x))
    record("tanh_module", {"x": normal(67, scale=2.0)}, lambda x: torch.nn.Tanh()(x))


def main():
    os.makedirs(OUT, exist_ok=True)
    fixtures()
    size = save_safetensors(os.path.join(OUT, "misc.safetensors"), CASES,
                            {"generator": "bench/torch_parity_misc.py", "torch": torch.__version__})
    print(f"misc.safetensors: {len(CASES)} tensors, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
