using Doppel.Tensors.Nn;

namespace Doppel.Tensors.Tests.Support;

/// <summary>Deterministic test tensors. Leaves made here require grad unless stated otherwise.</summary>
internal static class T
{
    /// <summary>Uniform in [lo, hi).</summary>
    public static Tensor Uniform(ulong seed, float lo, float hi, params int[] shape)
    {
        var values = new float[ShapeUtil.Count(shape)];
        new Rng(seed).FillUniform(values, lo, hi);
        return Leaf(values, shape);
    }

    /// <summary>Magnitudes in [min, max) with random signs: safe for kinks at zero.</summary>
    public static Tensor AwayFromZero(ulong seed, float min, float max, params int[] shape)
    {
        var rng = new Rng(seed);
        var values = new float[ShapeUtil.Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = rng.Uniform(min, max) * (rng.NextDouble() < 0.5 ? -1 : 1);
        return Leaf(values, shape);
    }

    public static Tensor Leaf(float[] values, params int[] shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }

    public static Tensor Const(this Tensor t)
    {
        t.RequiresGrad = false;
        return t;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths {a.Length} and {b.Length} differ");
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths {a.Length} and {b.Length} differ");
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }

    /// <summary>Asserts element-wise closeness with a tolerance scaled by the reference's magnitude.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} is {actual[i]:G7}, expected {expected[i]:G7} (tolerance {tol:G3})");
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tol, string what)
    {
        var e = new double[expected.Length];
        for (int i = 0; i < e.Length; i++) e[i] = expected[i];
        AssertClose(e, actual, tol, what);
    }
}
