#!/usr/bin/python3
"""Writes tests/data/parity/optim.safetensors, the PyTorch 1.13 reference for the optimisers,
gradient clipping and learning-rate schedules (tests/Doppel.Tensors.Tests/Parity/OptimParityTests.cs).

Run by hand (not in CI) from the repository root with Debian's Python, which has python3-torch:

    /usr/bin/python3 bench/torch_parity_optim.py

Deterministic (fixed seed). Optimisers are not differentiated, so there is no gradient check:
this parity is their check. Contents ("<case>.<tensor>", float32; the writer is torch_parity's):

* p0.<param>, g<t>.<param> (t = 1..5): two parameters, "a" (37,) and "b" (3, 5), and the five
  gradients every optimiser case is given in turn (fixed, not computed from a loss, so each case
  sees the same sequence; b's last row is ~1e-9, where Adam's eps matters).
* <case>.p<t>.<param>: the parameters after update t, for the cases in OPTIMISERS below.
* clip_<case>.g_in.<i>, .g_out.<i>, .norm, .max_norm: torch.nn.utils.clip_grad_norm_ on three
  gradients, once with the norm above max_norm ("big") and once below ("small").
* sched_<case>.lr: the learning rate of each of 25 updates (the value in the param group when
  optimizer.step() runs, scheduler.step() after it), for the cases in SCHEDULES below.
"""
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_parity import OUT, save_safetensors  # noqa: E402  (main() there runs only as a script)

torch.set_num_threads(1)
STEPS = 5
SCHEDULE_STEPS = 25
rng = np.random.default_rng(20240611)
FX = {}

P0 = {"a": rng.standard_normal(37).astype(np.float32),
      "b": rng.standard_normal((3, 5)).astype(np.float32)}
G = []
for t in range(STEPS):
    g = {"a": (rng.standard_normal(37) * (0.5 + t)).astype(np.float32),
         "b": (rng.standard_normal((3, 5)) * 0.1).astype(np.float32)}
    g["b"][2] = (rng.standard_normal(5) * 1e-9).astype(np.float32)
    G.append(g)
for k, v in P0.items():
    FX[f"p0.{k}"] = v
for t, g in enumerate(G):
    for k, v in g.items():
        FX[f"g{t + 1}.{k}"] = v


def ramp(t):
    """pylearn2's MomentumAdjustor from 0.5 to 0.7 between steps 1 and 4 (Doppel's MomentumRamp(0.5, 0.7, 1, 4))."""
    alpha = min(max((t - 1) / 3, 0.0), 1.0)
    return 0.5 * (1 - alpha) + alpha * 0.7


# case -> (optimiser factory, scheduler factory or None, hook(optimizer, t) run before update t (0-based) or None)
OPTIMISERS = {
    "adam": (lambda ps: torch.optim.Adam(ps, lr=1e-2, betas=(0.9, 0.999), eps=1e-8), None, None),
    "adam_swap": (lambda ps: torch.optim.Adam(ps, lr=5e-5, betas=(0.5, 0.999), eps=1e-8), None, None),
    "adamw": (lambda ps: torch.optim.AdamW(ps, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1), None, None),
    "sgd": (lambda ps: torch.optim.SGD(ps, lr=0.1), None, None),
    "sgd_momentum": (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), None, None),
    "sgd_nesterov_wd": (lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-2), None, None),
    "sgd_momentum_ramp": (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.5), None,
                          lambda opt, t: opt.param_groups[0].__setitem__("momentum", ramp(t))),
    "sgd_steplr": (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
                   lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5), None),
}


def optimiser_fixtures():
    for case, (make, make_sched, hook) in OPTIMISERS.items():
        params = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in P0.items()}
        opt = make(list(params.values()))
        sched = make_sched(opt) if make_sched else None
        for t in range(STEPS):
            for k, p in params.items():
                p.grad = torch.tensor(G[t][k].copy())
            if hook:
                hook(opt, t)
            opt.step()
            if sched:
                sched.step()
            for k, p in params.items():
                FX[f"{case}.p{t + 1}.{k}"] = p.detach().numpy().copy()


def clip_fixtures():
    for case, scale, max_norm in (("big", 2.0, 1.0), ("small", 0.1, 5.0)):
        shapes = [(37,), (3, 5), (8,)]
        ps = []
        for i, s in enumerate(shapes):
            p = torch.zeros(s, requires_grad=True)
            g = (rng.standard_normal(s) * scale).astype(np.float32)
            FX[f"clip_{case}.g_in.{i}"] = g
            p.grad = torch.tensor(g.copy())
            ps.append(p)
        norm = torch.nn.utils.clip_grad_norm_(ps, max_norm)
        FX[f"clip_{case}.norm"] = np.array([float(norm)], np.float32)
        FX[f"clip_{case}.max_norm"] = np.array([max_norm], np.float32)
        for i, p in enumerate(ps):
            FX[f"clip_{case}.g_out.{i}"] = p.grad.numpy().copy()


def sequential(first, then, milestone):
    return lambda opt: torch.optim.lr_scheduler.SequentialLR(opt, [first(opt), then(opt)], milestones=[milestone])


L = torch.optim.lr_scheduler
SCHEDULES = {  # case -> (base lr, scheduler factory); Doppel's twin of each is in OptimParityTests
    "constant": (0.1, None),
    "steplr": (0.1, lambda opt: L.StepLR(opt, step_size=3, gamma=0.5)),
    "linearlr_warm": (0.1, lambda opt: L.LinearLR(opt, start_factor=0.25, total_iters=4)),
    "linearlr_decay": (0.1, lambda opt: L.LinearLR(opt, start_factor=1.0, end_factor=0.05, total_iters=10)),
    "cosine": (0.1, lambda opt: L.CosineAnnealingLR(opt, T_max=10, eta_min=1e-3)),
    "warmup_cosine": (0.1, sequential(lambda opt: L.LinearLR(opt, start_factor=0.1, total_iters=5),
                                      lambda opt: L.CosineAnnealingLR(opt, T_max=15), 5)),
    "warmup_steplr": (0.1, sequential(lambda opt: L.LinearLR(opt, start_factor=0.2, total_iters=3),
                                      lambda opt: L.StepLR(opt, step_size=4, gamma=0.5), 3)),
    "warmup_linear_decay": (0.1, sequential(lambda opt: L.LinearLR(opt, start_factor=0.5, total_iters=2),
                                            lambda opt: L.LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=8), 2)),
    "warmup_constant": (0.1, sequential(lambda opt: L.LinearLR(opt, start_factor=0.1, total_iters=4),
                                        lambda opt: L.ConstantLR(opt, factor=1.0, total_iters=0), 4)),
}


def schedule_fixtures():
    for case, (base, make) in SCHEDULES.items():
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base)
        sched = make(opt) if make else None
        lrs = []
        for _ in range(SCHEDULE_STEPS):
            lrs.append(opt.param_groups[0]["lr"])
            p.grad = torch.zeros(1)
            opt.step()
            if sched:
                sched.step()
        FX[f"sched_{case}.lr"] = np.array(lrs, np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    optimiser_fixtures()
    clip_fixtures()
    schedule_fixtures()
    size = save_safetensors(os.path.join(OUT, "optim.safetensors"), FX,
                            {"generator": "bench/torch_parity_optim.py", "torch": torch.__version__, "steps": str(STEPS)})
    print(f"optim.safetensors: {len(FX)} tensors, {size} bytes")
    for case in SCHEDULES:
        print(case, " ".join(f"{v:.6g}" for v in FX[f"sched_{case}.lr"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
