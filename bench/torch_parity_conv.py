#!/usr/bin/python3
"""Writes tests/data/parity/conv.safetensors, the PyTorch 1.13 fixture that
tests/Doppel.Tensors.Tests/Parity/ConvFamilyParityTests.cs compares against.

Run by hand (not in CI) from the repository root with Debian's Python, which has python3-torch:

    /usr/bin/python3 bench/torch_parity_conv.py

Cases cover the convolution family: grouped, depthwise and non-square convolution,
transposed convolution, nearest and bilinear upsampling, max pooling and reflection padding.
The layout and naming are those of bench/torch_parity.py (whose writer this uses): every tensor
is stored in Doppel's layout, images NHWC, conv weights (O, KH, KW, C / groups) (PyTorch's
(O, C / groups, KH, KW) permuted by (0, 2, 3, 1)), transposed-conv weights (C_in, KH, KW, C_out)
(PyTorch's (C_in, C_out, KH, KW) permuted by (0, 2, 3, 1)). Case "<case>.<tensor>" holds the
inputs, y, a random R of y's shape and "grad_<input>" = d sum(y * R) / d input.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_parity import OUT, nchw, nhwc, np32, save_safetensors  # noqa: E402

torch.set_num_threads(2)
rng = np.random.default_rng(20240602)
CASES = {}


def record(case, inputs, fn):
    ts = {k: torch.tensor(v, requires_grad=True) for k, v in inputs.items()}
    y = fn(**ts)
    r = rng.standard_normal(tuple(y.shape)).astype(np.float32)
    (y * torch.from_numpy(r)).sum().backward()
    for k, v in inputs.items():
        CASES[f"{case}.{k}"] = v
    CASES[f"{case}.y"] = np32(y)
    CASES[f"{case}.r"] = r
    for k, t in ts.items():
        CASES[f"{case}.grad_{k}"] = np32(t.grad)


def normal(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def oihw(w):  # Doppel (A, KH, KW, B) -> PyTorch (A, B, KH, KW), for both weight kinds
    return w.permute(0, 3, 1, 2)


def conv_case(name, n, h, w, c, o, k, stride, pad, groups, bias=True):
    kh, kw = k
    inputs = {"x": normal(n, h, w, c), "w": normal(o, kh, kw, c // groups, scale=1.0 / math.sqrt(kh * kw * c / groups))}
    if bias:
        inputs["b"] = normal(o, scale=0.1)

    def fn(x, w, b=None):
        return nhwc(F.conv2d(nchw(x), oihw(w), b, stride=stride, padding=pad, groups=groups))

    record(name, inputs, fn)


def transpose_case(name, n, h, w, cin, cout, k, stride, pad, out_pad, bias=True):
    kh, kw = k
    inputs = {"x": normal(n, h, w, cin), "w": normal(cin, kh, kw, cout, scale=1.0 / math.sqrt(kh * kw * cin))}
    if bias:
        inputs["b"] = normal(cout, scale=0.1)

    def fn(x, w, b=None):
        return nhwc(F.conv_transpose2d(nchw(x), oihw(w), b, stride=stride, padding=pad, output_padding=out_pad))

    record(name, inputs, fn)


def fixtures():
    # grouped, depthwise and non-square convolution: (kernel), (stride), (padding), groups
    conv_case("grouped_g2", 2, 6, 5, 4, 6, (3, 3), 1, 1, 2)
    conv_case("grouped_g3_k3x2", 1, 7, 6, 6, 3, (3, 2), (2, 1), (1, 0), 3, bias=False)
    conv_case("depthwise_k3", 1, 6, 6, 8, 8, (3, 3), 1, 1, 8)
    conv_case("depthwise_k5x3_s2x1", 1, 9, 7, 5, 5, (5, 3), (2, 1), (2, 1), 5, bias=False)
    conv_case("depthwise_multiplier2", 1, 5, 6, 3, 6, (3, 3), 1, 1, 3)
    conv_case("conv_k1x5_s1x2", 2, 5, 9, 3, 4, (1, 5), (1, 2), (0, 2), 1)
    conv_case("conv_k3x1_shift", 1, 6, 7, 6, 2, (3, 1), 1, (1, 0), 1)  # stride 1, O < C: shift-add lowering
    conv_case("conv_k3_nobias_g1", 1, 5, 5, 3, 4, (3, 3), 2, 1, 1, bias=False)

    # transposed convolution: (kernel), (stride), (padding), (output padding)
    transpose_case("convt_k4_s2_p1", 2, 3, 3, 4, 3, (4, 4), 2, 1, 0)
    transpose_case("convt_1x1_to_4x4", 2, 1, 1, 6, 5, (4, 4), 1, 0, 0)
    transpose_case("convt_k3_s2_p1_op1", 1, 4, 3, 3, 2, (3, 3), 2, 1, 1, bias=False)
    transpose_case("convt_k3x2_s3x2_op2x1", 1, 3, 4, 2, 3, (3, 2), (3, 2), (1, 0), (2, 1))
    transpose_case("convt_wide", 1, 3, 3, 16, 8, (4, 4), 2, 1, 0)  # K = 128 for the GEMM blocking

    # upsampling (integer scale factors; bilinear with align_corners=False)
    record("upsample_nearest_x2", {"x": normal(2, 3, 4, 3)},
           lambda x: nhwc(F.interpolate(nchw(x), scale_factor=2, mode="nearest")))
    record("upsample_nearest_x3x2", {"x": normal(1, 2, 3, 4)},
           lambda x: nhwc(F.interpolate(nchw(x), scale_factor=(3, 2), mode="nearest")))
    record("upsample_bilinear_x2", {"x": normal(2, 3, 4, 3)},
           lambda x: nhwc(F.interpolate(nchw(x), scale_factor=2, mode="bilinear", align_corners=False)))
    record("upsample_bilinear_x3", {"x": normal(1, 4, 5, 2)},
           lambda x: nhwc(F.interpolate(nchw(x), scale_factor=3, mode="bilinear", align_corners=False)))
    record("upsample_bilinear_x4x2", {"x": normal(1, 2, 3, 5)},
           lambda x: nhwc(F.interpolate(nchw(x), scale_factor=(4, 2), mode="bilinear", align_corners=False)))

    # max pooling (random normal inputs: ties have probability 0)
    record("max_pool_k2_s2", {"x": normal(2, 6, 6, 3)}, lambda x: nhwc(F.max_pool2d(nchw(x), 2, 2)))
    record("max_pool_k3_s2_p1", {"x": normal(1, 7, 6, 4)}, lambda x: nhwc(F.max_pool2d(nchw(x), 3, 2, 1)))
    record("max_pool_k2x3_s1x2_p1", {"x": normal(1, 5, 7, 2)}, lambda x: nhwc(F.max_pool2d(nchw(x), (2, 3), (1, 2), (1, 1))))

    # reflection padding, PyTorch's (left, right, top, bottom) order
    record("reflection_pad_1_2_3_1", {"x": normal(2, 4, 5, 3)}, lambda x: nhwc(F.pad(nchw(x), (1, 2, 3, 1), mode="reflect")))
    record("reflection_pad_2", {"x": normal(1, 3, 3, 2)}, lambda x: nhwc(F.pad(nchw(x), (2, 2, 2, 2), mode="reflect")))


def main():
    os.makedirs(OUT, exist_ok=True)
    fixtures()
    size = save_safetensors(os.path.join(OUT, "conv.safetensors"), CASES,
                            {"generator": "bench/torch_parity_conv.py", "torch": torch.__version__})
    print(f"conv.safetensors: {len(CASES)} tensors, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
