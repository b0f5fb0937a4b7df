#!/usr/bin/python3
"""PyTorch peer of the model stage of `./doppel bench convert`: the Original model's inference.

Run with Debian's Python, which has python3-torch 1.13 (the `python3` on PATH does not):

    /usr/bin/python3 bench/torch_infer_bench.py --batch 8 --batches 20 --warmup 2

Conversion runs each face through the shared encoder and one decoder with gradients off, in
batches of faces. This times exactly that, on random faces, with the model of
torch_train_bench.py (same architecture as src/Doppel.Swap/Models). `./doppel bench convert
--peer` runs it and prints the ratio against its own model stage. CI does not run it.
The LAST line printed is `faces_per_s=<float>`.
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_train_bench import Decoder, Encoder, he_uniform_  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=8, help="faces per forward pass")
    ap.add_argument("--batches", type=int, default=20, help="timed forward passes")
    ap.add_argument("--warmup", type=int, default=2, help="untimed passes first")
    ap.add_argument("--size", type=int, default=64, help="the model's input size")
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(1)
    encoder, decoder = Encoder(size=args.size), Decoder()
    for m in (encoder, decoder):
        he_uniform_(m)
        m.eval()
    faces = torch.rand(args.batch, 3, args.size, args.size)
    print(f"pytorch {torch.__version__}, threads {torch.get_num_threads()}, batch {args.batch}, "
          f"{args.warmup} warm-up + {args.batches} timed passes", flush=True)
    with torch.no_grad():
        for _ in range(args.warmup):
            decoder(encoder(faces))
        start = time.perf_counter()
        for _ in range(args.batches):
            decoder(encoder(faces))
        seconds = time.perf_counter() - start
    rate = args.batch * args.batches / seconds
    print(f"pytorch: {1000 * seconds / (args.batch * args.batches):.2f} ms per face", flush=True)
    print(f"faces_per_s={rate:.3f}")


if __name__ == "__main__":
    main()
