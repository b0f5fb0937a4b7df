using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Optim;

/// <summary>
/// The constants of one Adam/AdamW update, computed the way PyTorch 1.13 computes them: bias
/// corrections in double (1 - beta^t loses most of float's digits when beta^t is near 1), then
/// rounded to float where PyTorch hands them to a float kernel.
/// </summary>
internal readonly record struct AdamStep(float Beta1, float Beta2, float Eps, float StepSize, float Bc2Sqrt, float Decay)
{
    /// <param name="step">The number of this update, 1 for the first.</param>
    /// <param name="weightDecay">AdamW's decoupled decay (the parameter is first multiplied by 1 - lr * decay); 0 for Adam.</param>
    public static AdamStep For(float lr, float beta1, float beta2, float eps, long step, double weightDecay)
    {
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        return new(beta1, beta2, eps, (float)(lr / bc1), (float)Math.Sqrt(bc2), (float)(1 - (double)lr * weightDecay));
    }
}

/// <summary>
/// One fused pass of the Adam update over a parameter, element by element:
/// m = b1 m + (1 - b1) g; v = b2 v + ((1 - b2) g) g; p = p * decay - (stepSize m) / (sqrt(v) / sqrt(bc2) + eps),
/// the operation order of PyTorch's mul_/add_/addcmul_/sqrt/div/add_/addcdiv_ sequence.
/// Three twins with identical arithmetic: 16 float lanes (AVX-512), 8 lanes (AVX2), scalar; each
/// vector twin handles whole vectors and leaves the tail (fewer than 16 or 8 elements) to the
/// scalar twin. Large parameters are split across the cores in chunks of 64 K elements.
/// </summary>
internal static class AdamKernel
{
    private const int MinChunk = 1 << 16;

    public static void Update(SimdWidth width, float[] p, float[] g, float[] m, float[] v, AdamStep c)
    {
        Kernels.Par.For(p.Length, MinChunk, (s, e) =>
        {
            int i = width switch
            {
                SimdWidth.Vector512 => Vector512Run(p, g, m, v, c, s, e),
                SimdWidth.Vector256 => Vector256Run(p, g, m, v, c, s, e),
                _ => s,
            };
            ScalarRun(p, g, m, v, c, i, e);
        });
    }

    /// <summary>Whole 16-lane vectors from <paramref name="start"/>; returns where the tail starts.</summary>
    internal static int Vector512Run(float[] p, float[] g, float[] m, float[] v, AdamStep c, int start, int end)
    {
        var b1 = Vector512.Create(c.Beta1); var b1c = Vector512.Create(1f - c.Beta1);
        var b2 = Vector512.Create(c.Beta2); var b2c = Vector512.Create(1f - c.Beta2);
        var stepSize = Vector512.Create(c.StepSize); var bc2Sqrt = Vector512.Create(c.Bc2Sqrt);
        var eps = Vector512.Create(c.Eps); var decay = Vector512.Create(c.Decay);
        int i = start;
        for (; i + 16 <= end; i += 16)
        {
            var gi = Vector512.LoadUnsafe(ref g[i]);
            var mi = b1 * Vector512.LoadUnsafe(ref m[i]) + b1c * gi;
            var vi = b2 * Vector512.LoadUnsafe(ref v[i]) + b2c * gi * gi;
            mi.StoreUnsafe(ref m[i]);
            vi.StoreUnsafe(ref v[i]);
            var pi = Vector512.LoadUnsafe(ref p[i]) * decay - stepSize * mi / (Vector512.Sqrt(vi) / bc2Sqrt + eps);
            pi.StoreUnsafe(ref p[i]);
        }
        return i;
    }

    /// <summary>Whole 8-lane vectors from <paramref name="start"/>; returns where the tail starts.</summary>
    internal static int Vector256Run(float[] p, float[] g, float[] m, float[] v, AdamStep c, int start, int end)
    {
        var b1 = Vector256.Create(c.Beta1); var b1c = Vector256.Create(1f - c.Beta1);
        var b2 = Vector256.Create(c.Beta2); var b2c = Vector256.Create(1f - c.Beta2);
        var stepSize = Vector256.Create(c.StepSize); var bc2Sqrt = Vector256.Create(c.Bc2Sqrt);
        var eps = Vector256.Create(c.Eps); var decay = Vector256.Create(c.Decay);
        int i = start;
        for (; i + 8 <= end; i += 8)
        {
            var gi = Vector256.LoadUnsafe(ref g[i]);
            var mi = b1 * Vector256.LoadUnsafe(ref m[i]) + b1c * gi;
            var vi = b2 * Vector256.LoadUnsafe(ref v[i]) + b2c * gi * gi;
            mi.StoreUnsafe(ref m[i]);
            vi.StoreUnsafe(ref v[i]);
            var pi = Vector256.LoadUnsafe(ref p[i]) * decay - stepSize * mi / (Vector256.Sqrt(vi) / bc2Sqrt + eps);
            pi.StoreUnsafe(ref p[i]);
        }
        return i;
    }

    /// <summary>The scalar twin: the reference arithmetic, and the vector twins' tail.</summary>
    internal static void ScalarRun(float[] p, float[] g, float[] m, float[] v, AdamStep c, int start, int end)
    {
        float b1 = c.Beta1, b1c = 1f - c.Beta1, b2 = c.Beta2, b2c = 1f - c.Beta2;
        for (int i = start; i < end; i++)
        {
            float gi = g[i];
            float mi = b1 * m[i] + b1c * gi;
            float vi = b2 * v[i] + b2c * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * c.Decay - c.StepSize * mi / (MathF.Sqrt(vi) / c.Bc2Sqrt + c.Eps);
        }
    }
}
