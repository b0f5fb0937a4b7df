using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Optim;

/// <summary>The constants of one SGD update.</summary>
internal readonly record struct SgdStep(float Lr, float Momentum, float WeightDecay, bool Nesterov);

/// <summary>
/// One pass of PyTorch 1.13's SGD update (dampening 0) over a parameter, element by element:
/// d = g + wd p (when wd != 0); when mu != 0: buf = mu buf + d, then d = d + mu buf (Nesterov)
/// or d = buf; finally p = p - lr d. With mu = 0 the buffer is left untouched, as PyTorch does.
/// Three twins with identical arithmetic: 16 float lanes (AVX-512), 8 lanes (AVX2), scalar; each
/// vector twin handles whole vectors and leaves the tail to the scalar twin. Large parameters are
/// split across the cores in chunks of 64 K elements.
/// </summary>
internal static class SgdKernel
{
    private const int MinChunk = 1 << 16;

    public static void Update(SimdWidth width, float[] p, float[] g, float[] buf, SgdStep c)
    {
        Kernels.Par.For(p.Length, MinChunk, (s, e) =>
        {
            int i = width switch
            {
                SimdWidth.Vector512 => Vector512Run(p, g, buf, c, s, e),
                SimdWidth.Vector256 => Vector256Run(p, g, buf, c, s, e),
                _ => s,
            };
            ScalarRun(p, g, buf, c, i, e);
        });
    }

    /// <summary>Whole 16-lane vectors from <paramref name="start"/>; returns where the tail starts.</summary>
    internal static int Vector512Run(float[] p, float[] g, float[] buf, SgdStep c, int start, int end)
    {
        bool decay = c.WeightDecay != 0, momentum = c.Momentum != 0;
        var lr = Vector512.Create(c.Lr); var mu = Vector512.Create(c.Momentum); var wd = Vector512.Create(c.WeightDecay);
        int i = start;
        for (; i + 16 <= end; i += 16)
        {
            var pi = Vector512.LoadUnsafe(ref p[i]);
            var d = Vector512.LoadUnsafe(ref g[i]);
            if (decay) d += wd * pi;
            if (momentum)
            {
                var b = mu * Vector512.LoadUnsafe(ref buf[i]) + d;
                b.StoreUnsafe(ref buf[i]);
                d = c.Nesterov ? d + mu * b : b;
            }
            (pi - lr * d).StoreUnsafe(ref p[i]);
        }
        return i;
    }

    /// <summary>Whole 8-lane vectors from <paramref name="start"/>; returns where the tail starts.</summary>
    internal static int Vector256Run(float[] p, float[] g, float[] buf, SgdStep c, int start, int end)
    {
        bool decay = c.WeightDecay != 0, momentum = c.Momentum != 0;
        var lr = Vector256.Create(c.Lr); var mu = Vector256.Create(c.Momentum); var wd = Vector256.Create(c.WeightDecay);
        int i = start;
        for (; i + 8 <= end; i += 8)
        {
            var pi = Vector256.LoadUnsafe(ref p[i]);
            var d = Vector256.LoadUnsafe(ref g[i]);
            if (decay) d += wd * pi;
            if (momentum)
            {
                var b = mu * Vector256.LoadUnsafe(ref buf[i]) + d;
                b.StoreUnsafe(ref buf[i]);
                d = c.Nesterov ? d + mu * b : b;
            }
            (pi - lr * d).StoreUnsafe(ref p[i]);
        }
        return i;
    }

    /// <summary>The scalar twin: the reference arithmetic, and the vector twins' tail.</summary>
    internal static void ScalarRun(float[] p, float[] g, float[] buf, SgdStep c, int start, int end)
    {
        bool decay = c.WeightDecay != 0, momentum = c.Momentum != 0;
        for (int i = start; i < end; i++)
        {
            float d = g[i];
            if (decay) d += c.WeightDecay * p[i];
            if (momentum)
            {
                float b = c.Momentum * buf[i] + d;
                buf[i] = b;
                d = c.Nesterov ? d + c.Momentum * b : b;
            }
            p[i] -= c.Lr * d;
        }
    }
}
