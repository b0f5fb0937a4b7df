using System.Numerics.Tensors;

namespace Doppel.Tensors.Kernels;

internal enum BinaryOp { Add, Sub, Mul, Div }

/// <summary>Broadcasting element-wise kernels and their reduction twin (sum back to a shape).</summary>
internal static class Broadcasting
{
    private const int MinParallel = 1 << 16;

    /// <summary>dst[outShape] = a op b, with NumPy broadcasting.</summary>
    public static void Binary(BinaryOp op, float[] a, int[] aShape, float[] b, int[] bShape, float[] dst, int[] outShape)
    {
        var layout = new BroadcastLayout(outShape, aShape, bShape);
        int inner = layout.InnerLength, runs = layout.Runs;
        if (runs == 1)
        {
            // One run: split it across cores when long.
            Par.For(inner, MinParallel, (s, e) => Run(op, a, layout.InnerStrideA, layout.InnerStrideA * s, b, layout.InnerStrideB, layout.InnerStrideB * s, dst, s, e - s));
            return;
        }
        Par.For(runs, Math.Max(1, MinParallel / Math.Max(1, inner)), (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                layout.RunOffsets(r, out int oa, out int ob);
                Run(op, a, layout.InnerStrideA, oa, b, layout.InnerStrideB, ob, dst, r * inner, inner);
            }
        });
    }

    // A run: dst[d + i] = a[oa + i*sa] op b[ob + i*sb] for i < n, where sa and sb are 0 or 1.
    private static void Run(BinaryOp op, float[] a, int sa, int oa, float[] b, int sb, int ob, float[] dst, int d, int n)
    {
        var o = dst.AsSpan(d, n);
        if (sa != 0 && sb != 0)
        {
            var x = a.AsSpan(oa, n);
            var y = b.AsSpan(ob, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, o); break;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, o); break;
                default: TensorPrimitives.Divide(x, y, o); break;
            }
        }
        else if (sa != 0)
        {
            var x = a.AsSpan(oa, n);
            float y = b[ob];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, o); break;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, o); break;
                default: TensorPrimitives.Divide(x, y, o); break;
            }
        }
        else if (sb != 0)
        {
            float x = a[oa];
            var y = b.AsSpan(ob, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(y, x, o); break;
                case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, o); break;
                default: TensorPrimitives.Divide(x, y, o); break;
            }
        }
        else
        {
            float v = op switch
            {
                BinaryOp.Add => a[oa] + b[ob],
                BinaryOp.Sub => a[oa] - b[ob],
                BinaryOp.Mul => a[oa] * b[ob],
                _ => a[oa] / b[ob],
            };
            o.Fill(v);
        }
    }

    /// <summary>
    /// Sums <paramref name="src"/> (shape <paramref name="srcShape"/>) over the dimensions that
    /// <paramref name="dstShape"/> broadcasts, into dst (overwritten, or added to when accumulate).
    /// </summary>
    public static void SumToShape(float[] src, int[] srcShape, float[] dst, int[] dstShape, bool accumulate)
    {
        if (ShapeUtil.SameShape(srcShape, dstShape))
        {
            if (accumulate) TensorPrimitives.Add(dst, src, dst); else src.AsSpan().CopyTo(dst);
            return;
        }
        if (!accumulate) Array.Clear(dst, 0, ShapeUtil.Count(dstShape));
        // Reuse the layout walker with the source as "A" (dense) and the target as "B".
        var layout = new BroadcastLayout(srcShape, srcShape, dstShape);
        int inner = layout.InnerLength, runs = layout.Runs;
        // Runs may write to the same target elements, so this stays single-threaded.
        for (int r = 0; r < runs; r++)
        {
            layout.RunOffsets(r, out int os, out int od);
            var s = src.AsSpan(os, inner);
            if (layout.InnerStrideB == 0) dst[od] += TensorPrimitives.Sum(s);
            else
            {
                var d = dst.AsSpan(od, inner);
                TensorPrimitives.Add(d, s, d);
            }
        }
    }
}
