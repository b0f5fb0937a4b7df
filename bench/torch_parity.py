#!/usr/bin/python3
"""Writes the PyTorch parity fixtures that tests/Doppel.Tensors.Tests/Parity*.cs compare against.

Run by hand (not in CI) from the repository root with Debian's Python, which has python3-torch:

    /usr/bin/python3 bench/torch_parity.py            # writes tests/data/parity/*.safetensors

The fixtures are committed; re-run only when a case is added or changed. Output is deterministic
(fixed seeds), up to PyTorch's own float32 summation order.

Files (safetensors: 8-byte little-endian header length, JSON header, raw little-endian F32; the
C# side reads them with Doppel.Tensors.IO.SafeTensors.Load):

* ops.safetensors: per-op cases "<case>.<tensor>". Every tensor is stored in Doppel's layout:
  images NHWC, conv weights (O, KH, KW, C) (PyTorch's OIHW permuted by (0, 2, 3, 1)), linear
  weights (Out, In). For an op y = f(inputs) the case holds the inputs, y, a random R of y's shape
  and "grad_<input>" = d sum(y * R) / d input. Losses are scalars: their grads are of the loss.
* original_model.safetensors: the whole Original model (docs/models.md, 82.06 M parameters) at
  batch 2 per side; see model_fixture() for what it holds.

Model weights are not stored: both sides compute them from a closed-form pattern. For the p-th
parameter in Module.NamedParameters order (p = 0, 1, ...), in Doppel layout, flat index i:
    s = sin(0.37 * i + 1.3 * p)                     (float64)
    u = frac(s * 43758.5453)                        (u - floor(u), in [0, 1))
    weight: limit * (2u - 1), limit = sqrt(6 / fanIn) (fanIn = KH*KW*C for conv, In for linear)
    bias:   0.01 * (2u - 1)
computed in float64, then rounded to float32. The hash (frac of a scaled sine) makes the values
look uniformly random: a plain sinusoid in i would make every conv output channel the same
sinusoid with another phase, i.e. rank-2 layers, which would hide channel-order bugs. The C#
twin is tests/Doppel.Tensors.Tests/PatternWeights.cs.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "parity")


# ---- safetensors writer -------------------------------------------------------------------------

def save_safetensors(path, tensors, metadata=None):
    """tensors: ordered dict name -> numpy array (stored as little-endian F32)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, arr in tensors.items():
        data = np.ascontiguousarray(np.asarray(arr, dtype="<f4")).tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(arr)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * ((8 - len(js) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(js).to_bytes(8, "little"))
        f.write(js)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
    return os.path.getsize(path)


def np32(t):
    return t.detach().cpu().contiguous().numpy().astype(np.float32)


def nchw(x):  # NHWC -> NCHW
    return x.permute(0, 3, 1, 2)


def nhwc(x):  # NCHW -> NHWC
    return x.permute(0, 2, 3, 1)


# ---- per-op cases -------------------------------------------------------------------------------

rng = np.random.default_rng(20240601)
OPS = {}


def t32(a, grad=True):
    return torch.tensor(np.asarray(a, dtype=np.float32), requires_grad=grad)


def record(case, inputs, fn, loss=False):
    """inputs: name -> numpy array; fn(**torch tensors) -> output. Stores inputs, y, R, grads."""
    ts = {k: t32(v) for k, v in inputs.items()}
    y = fn(**ts)
    for k, v in inputs.items():
        OPS[f"{case}.{k}"] = v.astype(np.float32)
    OPS[f"{case}.y"] = np32(y).reshape(np.shape(y))
    if loss:
        y.backward()
    else:
        r = rng.standard_normal(tuple(y.shape)).astype(np.float32)
        OPS[f"{case}.r"] = r
        (y * torch.from_numpy(r)).sum().backward()
    for k, t in ts.items():
        if t.grad is not None:
            OPS[f"{case}.grad_{k}"] = np32(t.grad)


def normal(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def uniform(*shape, lo=0.0, hi=1.0):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def conv_case(name, n, h, w, c, o, k, stride, pad, bias=True):
    inputs = {"x": normal(n, h, w, c), "w": normal(o, k, k, c, scale=1.0 / math.sqrt(k * k * c))}
    if bias:
        inputs["b"] = normal(o, scale=0.1)

    def fn(x, w, b=None):
        return nhwc(F.conv2d(nchw(x), w.permute(0, 3, 1, 2), b, stride=stride, padding=pad))

    record(name, inputs, fn)


def gaussian_window(size=11, sigma=1.5):
    d = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-d * d / (2.0 * sigma * sigma))
    return g / g.sum()


def dssim(x, y, size=11, sigma=1.5):
    """(1 - mean SSIM) / 2 on NCHW, Gaussian window, valid borders, C1 = 0.01^2, C2 = 0.03^2."""
    c = x.shape[1]
    g = gaussian_window(size, sigma)
    win = torch.tensor(np.outer(g, g), dtype=x.dtype).expand(c, 1, size, size).contiguous()
    blur = lambda t: F.conv2d(t, win, groups=c)
    mx, my = blur(x), blur(y)
    sxx = blur(x * x) - mx * mx
    syy = blur(y * y) - my * my
    sxy = blur(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    ssim = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return (1 - ssim.mean()) / 2


def op_fixtures():
    # conv2d: kernel / stride / padding variants, odd and non-square sizes, one without bias, and
    # one with enough channels to exercise the GEMM's blocking.
    conv_case("conv_k3_s1_p1", 2, 7, 7, 3, 4, 3, 1, 1)
    conv_case("conv_k5_s2_p2", 2, 9, 8, 3, 5, 5, 2, 2)
    conv_case("conv_k3_s2_p0", 1, 8, 8, 4, 3, 3, 2, 0)
    conv_case("conv_k1_s1_p0", 2, 4, 5, 6, 7, 1, 1, 0)
    conv_case("conv_k4_s3_p2", 1, 10, 11, 2, 3, 4, 3, 2)
    conv_case("conv_k3_s1_p0_nobias", 2, 6, 5, 3, 4, 3, 1, 0, bias=False)
    conv_case("conv_k3_s1_p1_wide", 2, 8, 8, 32, 64, 3, 1, 1)

    # linear on (rows, In) and on (..., In)
    record("linear", {"x": normal(3, 20), "w": normal(9, 20, scale=0.2), "b": normal(9, scale=0.1)},
           lambda x, w, b: F.linear(x, w, b))
    record("linear_rank3", {"x": normal(2, 3, 20), "w": normal(9, 20, scale=0.2), "b": normal(9, scale=0.1)},
           lambda x, w, b: F.linear(x, w, b))

    # pixel shuffle with PyTorch's channel order, on NHWC data
    record("pixel_shuffle_r2", {"x": normal(2, 3, 4, 12)}, lambda x: nhwc(F.pixel_shuffle(nchw(x), 2)))
    record("pixel_shuffle_r3", {"x": normal(1, 2, 2, 18)}, lambda x: nhwc(F.pixel_shuffle(nchw(x), 3)))

    # average pooling (no padding)
    record("avg_pool_k2_s2", {"x": normal(2, 6, 6, 3)}, lambda x: nhwc(F.avg_pool2d(nchw(x), 2, 2)))
    record("avg_pool_k3_s2", {"x": normal(1, 7, 7, 2)}, lambda x: nhwc(F.avg_pool2d(nchw(x), 3, 2)))

    # element-wise functions (inputs away from kinks with probability ~1)
    record("leaky_relu", {"x": normal(3, 4, 5, scale=2.0)}, lambda x: F.leaky_relu(x, 0.1))
    record("relu", {"x": normal(3, 4, 5, scale=2.0)}, lambda x: F.relu(x))
    record("sigmoid", {"x": normal(3, 4, 5, scale=3.0)}, lambda x: torch.sigmoid(x))
    record("tanh", {"x": normal(3, 4, 5, scale=2.0)}, lambda x: torch.tanh(x))
    record("abs", {"x": normal(3, 4, 5)}, lambda x: torch.abs(x))
    record("square", {"x": normal(3, 4, 5)}, lambda x: x * x)
    record("exp", {"x": normal(3, 4, 5)}, lambda x: torch.exp(x))
    record("log", {"x": uniform(3, 4, 5, lo=0.1, hi=3.0)}, lambda x: torch.log(x))
    record("sqrt", {"x": uniform(3, 4, 5, lo=0.1, hi=3.0)}, lambda x: torch.sqrt(x))

    # broadcasting arithmetic
    record("mul_broadcast", {"a": normal(2, 3, 4), "b": normal(3, 1)}, lambda a, b: a * b)
    record("div_broadcast", {"a": normal(2, 3, 4), "b": uniform(4, lo=0.5, hi=2.0)}, lambda a, b: a / b)

    # losses (scalar; grads are of the loss itself)
    p, t = uniform(2, 5, 5, 3), uniform(2, 5, 5, 3)
    record("l1_loss", {"p": p, "t": t}, lambda p, t: F.l1_loss(p, t), loss=True)
    record("mse_loss", {"p": p, "t": t}, lambda p, t: F.mse_loss(p, t), loss=True)
    record("dssim_loss", {"p": uniform(2, 16, 18, 3), "t": uniform(2, 16, 18, 3)},
           lambda p, t: dssim(nchw(p), nchw(t)), loss=True)
    # a prediction close to its target, the regime training ends in
    t2 = uniform(1, 20, 20, 3)
    p2 = np.clip(t2 + normal(1, 20, 20, 3, scale=0.05), 0, 1).astype(np.float32)
    record("dssim_loss_close", {"p": p2, "t": t2}, lambda p, t: dssim(nchw(p), nchw(t)), loss=True)
    logits, targets = normal(4, 7, scale=3.0), uniform(4, 7)
    ts = {"x": t32(logits), "z": t32(targets, grad=False)}
    y = F.binary_cross_entropy_with_logits(ts["x"], ts["z"])
    y.backward()
    OPS["bce_with_logits.x"], OPS["bce_with_logits.z"] = logits, targets
    OPS["bce_with_logits.y"] = np32(y).reshape(())
    OPS["bce_with_logits.grad_x"] = np32(ts["x"].grad)

    # Adam (lr 5e-5, betas (0.5, 0.999), eps 1e-8) on one parameter over 3 given gradients, some of
    # them near eps, stored as the parameter after each step: the update formula in isolation.
    p0 = normal(4, 17, scale=0.05)  # 68: SIMD blocks and a scalar tail
    grads = [normal(4, 17, scale=1e-3) for _ in range(3)]
    for g in grads:
        g[0, :4] *= 1e-5  # |g| ~ 1e-8: eps matters
    param = torch.tensor(p0, requires_grad=True)
    opt = torch.optim.Adam([param], lr=5e-5, betas=(0.5, 0.999), eps=1e-8)
    OPS["adam.p0"] = p0
    for t, g in enumerate(grads):
        param.grad = torch.tensor(g)
        opt.step()
        OPS[f"adam.g{t + 1}"] = g
        OPS[f"adam.p{t + 1}"] = np32(param)


# ---- the whole Original model -------------------------------------------------------------------

SLOPE = 0.1


def original_param_specs():
    """(name, Doppel shape, fanIn or None for biases) in Module.NamedParameters order."""
    specs = []

    def conv(prefix, cin, cout, k):
        specs.append((prefix + ".weight", (cout, k, k, cin), k * k * cin))
        specs.append((prefix + ".bias", (cout,), None))

    def linear(prefix, fin, fout):
        specs.append((prefix + ".weight", (fout, fin), fin))
        specs.append((prefix + ".bias", (fout,), None))

    c = 3
    for i, ch in enumerate([128, 256, 512, 1024]):
        conv(f"encoder.conv{i + 1}", c, ch, 5)
        c = ch
    linear("encoder.dense1", 4 * 4 * 1024, 1024)
    linear("encoder.dense2", 1024, 4 * 4 * 1024)
    conv("encoder.upscale.conv", 1024, 512 * 4, 3)
    for side in ("a", "b"):
        c = 512
        for i, ch in enumerate([256, 128, 64]):
            conv(f"decoder_{side}.upscale{i + 1}.conv", c, ch * 4, 3)
            c = ch
        conv(f"decoder_{side}.to_rgb", c, 3, 5)
    return specs


def pattern(p, shape, fan_in):
    """The closed-form weights (see the module docstring), float64 math, float32 result."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    s = np.sin(0.37 * i + 1.3 * p)
    u = s * 43758.5453
    u = u - np.floor(u)
    scale = math.sqrt(6.0 / fan_in) if fan_in is not None else 0.01
    return (scale * (2.0 * u - 1.0)).astype(np.float32).reshape(shape)


def summary_indices(size):
    """16 fixed flat indices: floor(size * (2k + 1) / 32), k = 0..15."""
    return [size * (2 * k + 1) // 32 for k in range(16)]


def summary(g):
    """[sum, L2 norm, L1 norm, g[idx_0], ..., g[idx_15]] of a gradient in Doppel layout."""
    flat = np.asarray(g, dtype=np.float32).reshape(-1)
    f64 = flat.astype(np.float64)
    return np.array([f64.sum(), math.sqrt((f64 * f64).sum()), np.abs(f64).sum()]
                    + [flat[j] for j in summary_indices(flat.size)], dtype=np.float64)


class Original:
    """The Original model as functions of Doppel-layout parameters (so grads come out in Doppel
    layout): conv weights (O, KH, KW, C) are permuted to OIHW at use; activations run NCHW."""

    def __init__(self, dtype=torch.float32):
        self.specs = original_param_specs()
        self.p = {}
        for idx, (name, shape, fan_in) in enumerate(self.specs):
            self.p[name] = torch.tensor(pattern(idx, shape, fan_in), dtype=dtype, requires_grad=True)

    def params(self):
        return [self.p[name] for name, _, _ in self.specs]

    def conv(self, prefix, x, stride, pad):
        return F.conv2d(x, self.p[prefix + ".weight"].permute(0, 3, 1, 2), self.p[prefix + ".bias"], stride=stride, padding=pad)

    def upscale(self, prefix, x):
        return F.pixel_shuffle(F.leaky_relu(self.conv(prefix + ".conv", x, 1, 1), SLOPE), 2)

    def encoder(self, x):  # NCHW (N, 3, 64, 64) -> (N, 512, 8, 8)
        for i in range(4):
            x = F.leaky_relu(self.conv(f"encoder.conv{i + 1}", x, 2, 2), SLOPE)
        n = x.shape[0]
        x = nhwc(x).reshape(n, -1)  # Doppel flattens NHWC, i.e. in (H, W, C) order
        x = F.linear(x, self.p["encoder.dense1.weight"], self.p["encoder.dense1.bias"])
        x = F.linear(x, self.p["encoder.dense2.weight"], self.p["encoder.dense2.bias"])
        x = nchw(x.reshape(n, 4, 4, 1024))
        return self.upscale("encoder.upscale", x)

    def decoder(self, side, x):
        for i in range(3):
            x = self.upscale(f"decoder_{side}.upscale{i + 1}", x)
        return torch.sigmoid(self.conv(f"decoder_{side}.to_rgb", x, 1, 2))


def side_loss(out, target):
    """The model fixture's per-side loss: L1 (mean absolute error) + DSSIM, both on NCHW."""
    return F.l1_loss(out, target) + dssim(out, target)


LAST_STEP_PARAMS = ["encoder.conv1.weight", "encoder.dense1.weight", "encoder.upscale.conv.bias",
                    "decoder_a.upscale1.conv.weight", "decoder_b.to_rgb.weight"]
ADAM_STEPS = 3


def model_fixture(dtype=torch.float32):
    """Inputs a, b (2, 64, 64, 3) in [0, 1]; outputs out_a = decA(enc(a)), out_b = decB(enc(b)),
    swap_ab = decB(enc(a)) (NHWC); loss0 = side_loss(out_a, a) + side_loss(out_b, b) at the pattern
    weights; grad0.<param> = summary of its gradient of loss0; then ADAM_STEPS steps (zero grads,
    forward both sides, loss = lossA + lossB, backward, one Adam step: lr 5e-5, betas (0.5, 0.999),
    eps 1e-8, one optimizer over all parameters): losses[t] = loss before update t + 1 (losses[0]
    equals loss0) and losses[ADAM_STEPS] = loss after the last update; for LAST_STEP_PARAMS,
    grad1.<param> = summary of the gradient after one update (step 2's) and gradlast.<param> = of
    the last step's gradient (taken before its update). Adam makes the trajectory chaotic: float32
    rounding noise grows ~10x per step (run with --check64 to see the float32-vs-float64 floor)."""
    g = np.random.default_rng(7)
    a = g.uniform(0, 1, (2, 64, 64, 3)).astype(np.float32)
    b = g.uniform(0, 1, (2, 64, 64, 3)).astype(np.float32)
    m = Original(dtype)
    ta, tb = nchw(torch.tensor(a, dtype=dtype)), nchw(torch.tensor(b, dtype=dtype))
    out = {"a": a, "b": b}

    def both_sides():
        oa = m.decoder("a", m.encoder(ta))
        ob = m.decoder("b", m.encoder(tb))
        return oa, ob, side_loss(oa, ta) + side_loss(ob, tb)

    oa, ob, loss = both_sides()
    loss.backward()
    with torch.no_grad():
        swap = m.decoder("b", m.encoder(ta))
    out["out_a"], out["out_b"], out["swap_ab"] = np32(nhwc(oa)), np32(nhwc(ob)), np32(nhwc(swap))
    out["loss0"] = np.array(loss.item(), dtype=np.float32)
    for name, _, _ in m.specs:
        out["grad0." + name] = summary(np32(m.p[name].grad))

    opt = torch.optim.Adam(m.params(), lr=5e-5, betas=(0.5, 0.999), eps=1e-8)
    losses = []
    for step in range(ADAM_STEPS):
        opt.zero_grad(set_to_none=True)
        _, _, loss = both_sides()
        loss.backward()
        losses.append(loss.item())
        if step == 1:
            for name in LAST_STEP_PARAMS:
                out["grad1." + name] = summary(np32(m.p[name].grad))
        if step == ADAM_STEPS - 1:
            for name in LAST_STEP_PARAMS:
                out["gradlast." + name] = summary(np32(m.p[name].grad))
        opt.step()
    with torch.no_grad():
        losses.append(both_sides()[2].item())
    out["losses"] = np.array(losses, dtype=np.float64)
    return out


def rel_dev(x, ref):
    x, ref = np.asarray(x, np.float64), np.asarray(ref, np.float64)
    return float(np.max(np.abs(x - ref)) / max(1e-30, float(np.max(np.abs(ref)))))


def main():
    os.makedirs(OUT, exist_ok=True)
    op_fixtures()
    size = save_safetensors(os.path.join(OUT, "ops.safetensors"), OPS,
                            {"generator": "bench/torch_parity.py", "torch": torch.__version__})
    print(f"ops.safetensors: {len(OPS)} tensors, {size} bytes")

    fx = model_fixture()
    print("model loss0", float(fx["loss0"]), "losses", list(fx["losses"]))
    if "--check64" in sys.argv:
        # The float32 noise floor: the same fixture computed in float64 (informational only).
        fx64 = model_fixture(torch.float64)
        for k in ("out_a", "out_b", "swap_ab", "losses"):
            print(f"float32 vs float64 {k}: max dev / max |ref| = {rel_dev(fx[k], fx64[k]):.2e}")
        print("float32 vs float64 losses, relative:", [f"{abs(a / b - 1):.1e}" for a, b in zip(fx["losses"], fx64["losses"])])
        for prefix in ("grad0.", "grad1.", "gradlast."):
            keys = [k for k in fx if k.startswith(prefix)]
            for label, dev in (("elements (max |d| / max |ref|)", lambda k: rel_dev(fx[k][3:], fx64[k][3:])),
                               ("L2 norm (rel)", lambda k: abs(fx[k][1] / fx64[k][1] - 1)),
                               ("L1 norm (rel)", lambda k: abs(fx[k][2] / fx64[k][2] - 1)),
                               ("sum (|d| / L1)", lambda k: abs(fx[k][0] - fx64[k][0]) / fx64[k][2])):
                worst = max((dev(k), k) for k in keys)
                print(f"float32 vs float64 {prefix}* {label}: worst {worst[0]:.2e} ({worst[1]})")
    size = save_safetensors(os.path.join(OUT, "original_model.safetensors"), fx,
                            {"generator": "bench/torch_parity.py", "torch": torch.__version__,
                             "loss": "per side L1 + DSSIM", "adam_steps": str(ADAM_STEPS), "batch_per_side": "2",
                             "summary": "sum, L2, L1, then g[size*(2k+1)//32] for k = 0..15"})
    print(f"original_model.safetensors: {len(fx)} tensors, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
