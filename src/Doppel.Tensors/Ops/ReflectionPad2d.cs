using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Reflection padding of NHWC images (the border mirrored without repeating the edge pixel).</summary>
public static partial class Ops
{
    /// <summary>The same padding on all four sides: (N, H, W, C) -> (N, H + 2p, W + 2p, C).</summary>
    public static Tensor ReflectionPad2d(Tensor x, int padding) => ReflectionPad2d(x, padding, padding, padding, padding);

    /// <summary>
    /// (N, H, W, C) -> (N, top + H + bottom, left + W + right, C), arguments in PyTorch's
    /// (left, right, top, bottom) order: output column -k maps to input column k, column W - 1 + k
    /// to W - 1 - k. Each padding must be smaller than its dimension, as in PyTorch.
    /// </summary>
    public static Tensor ReflectionPad2d(Tensor x, int left, int right, int top, int bottom)
    {
        const string op = "reflection_pad2d";
        if (x.Rank != 4) throw new ShapeMismatchException(op, x.Shape, [left, right, top, bottom], "input must be NHWC");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        if (Math.Min(Math.Min(left, right), Math.Min(top, bottom)) < 0 || left >= w || right >= w || top >= h || bottom >= h)
            throw new ShapeMismatchException(op, x.Shape, [left, right, top, bottom], "each padding must be >= 0 and smaller than its dimension");
        int oh = h + top + bottom, ow = w + left + right;
        var srcRow = Mirror(oh, top, h);
        var srcCol = Mirror(ow, left, w);

        var y = Tensor.Empty(n, oh, ow, c);
        float[] xd = x.Data, yd = y.Data;
        Par.For(n * oh, 8, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int b = r / oh, from = (b * h + srcRow[r % oh]) * w * c, to = r * ow * c;
                xd.AsSpan(from, w * c).CopyTo(yd.AsSpan(to + left * c, w * c)); // the unmirrored middle
                for (int ox = 0; ox < left; ox++) xd.AsSpan(from + srcCol[ox] * c, c).CopyTo(yd.AsSpan(to + ox * c, c));
                for (int ox = left + w; ox < ow; ox++) xd.AsSpan(from + srcCol[ox] * c, c).CopyTo(yd.AsSpan(to + ox * c, c));
            }
        });
        return OpRecorder.Record(y, op, [x], g =>
        {
            var dx = x.GradBuffer(out bool acc);
            if (!acc) Array.Clear(dx);
            float[] gd = g.Data;
            // Mirrored rows and columns land on pixels that other outputs also feed: one image per thread.
            Par.For(n, 1, (s, e) =>
            {
                for (int b = s; b < e; b++)
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int from = (b * oh + oy) * ow * c, to = (b * h + srcRow[oy]) * w * c;
                        for (int ox = 0; ox < ow; ox++)
                        {
                            var dst = dx.AsSpan(to + srcCol[ox] * c, c);
                            System.Numerics.Tensors.TensorPrimitives.Add(dst, gd.AsSpan(from + ox * c, c), dst);
                        }
                    }
            });
        });
    }

    /// <summary>For each of the size output positions, the input index it copies (before = padding in front).</summary>
    private static int[] Mirror(int size, int before, int inSize)
    {
        var map = new int[size];
        for (int o = 0; o < size; o++)
        {
            int i = o - before;
            if (i < 0) i = -i;
            if (i >= inSize) i = 2 * (inSize - 1) - i;
            map[o] = i;
        }
        return map;
    }
}
