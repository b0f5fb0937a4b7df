using System.Globalization;
using Doppel.Tensors.IO;
using Xunit.Abstractions;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// The PyTorch fixtures written by bench/torch_parity.py (tests/data/parity/*.safetensors, copied
/// to the test output as data/parity/) and the comparison the parity tests share.
/// </summary>
internal static class ParityFixture
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "data", "parity", file);

    /// <summary>All tensors of a fixture file as float arrays with shapes (the tensors are disposed).</summary>
    public static Dictionary<string, (int[] Shape, float[] Data)> Load(string file)
    {
        var (tensors, _) = SafeTensors.Load(PathOf(file));
        var result = new Dictionary<string, (int[], float[])>();
        foreach (var (name, t) in tensors)
        {
            result[name] = ((int[])t.Shape.Clone(), t.ToArray());
            t.Dispose();
        }
        return result;
    }
}

/// <summary>
/// One fixture file's tensors, loaded on first use, and the op check the parity tests share:
/// inputs <c>{case}.{input}</c>, output <c>{case}.y</c>, a random <c>{case}.r</c> and the gradients
/// <c>{case}.grad_{input}</c> of sum(y * r).
/// </summary>
internal sealed class ParityData(string file)
{
    private readonly Lazy<Dictionary<string, (int[] Shape, float[] Data)>> _tensors = new(() => ParityFixture.Load(file));

    public (int[] Shape, float[] Data) this[string key] => _tensors.Value[key];

    public bool Has(string key) => _tensors.Value.ContainsKey(key);

    public float[] Ref(string key) => _tensors.Value[key].Data;

    /// <summary>A fresh tensor holding the fixture's values.</summary>
    public Tensor Get(string key, bool grad = false)
    {
        var (shape, data) = _tensors.Value[key];
        var t = Tensor.FromArray(data, (int[])shape.Clone());
        t.RequiresGrad = grad;
        return t;
    }

    /// <summary>y = f(inputs), then sum(y * r).backward(); compares y and every input's gradient.</summary>
    public void RunCase(Deviation dev, string name, string[] inputNames, Func<Tensor[], Tensor> f, double rtol, double atol, double gradRtol, double gradAtol)
    {
        using var scope = TensorScope.Begin();
        var inputs = inputNames.Select(n => Get($"{name}.{n}", grad: true)).ToArray();
        var y = f(inputs);
        Assert.Equal(this[$"{name}.y"].Shape, y.Shape);
        dev.Check($"{name} y", y.Span, Ref($"{name}.y"), rtol, atol);
        Ops.Sum(Ops.Mul(y, Get($"{name}.r"))).Backward();
        for (int i = 0; i < inputs.Length; i++)
            dev.Check($"{name} grad {inputNames[i]}", inputs[i].Grad!.Span, Ref($"{name}.grad_{inputNames[i]}"), gradRtol, gradAtol);
    }
}

/// <summary>
/// Element-wise comparison against a PyTorch reference: element i passes when
/// |actual - expected| &lt;= rtol * |expected| + atol * max_j |expected_j|, i.e. the absolute
/// floor is relative to the tensor's own scale (a gradient of 1e3 and one of 1e-3 are judged
/// alike). Each comparison logs its worst deviation, so the observed margins are in the test log.
/// </summary>
internal sealed class Deviation(ITestOutputHelper log)
{
    /// <summary>The largest "used fraction of the tolerance" of any comparison so far (1 = at the limit).</summary>
    public double WorstRatio { get; private set; }

    public void Check(string what, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double rtol, double atol)
    {
        Assert.True(actual.Length == expected.Length, $"{what}: {actual.Length} values, reference has {expected.Length}");
        double scale = 0;
        foreach (float e in expected) scale = Math.Max(scale, Math.Abs(e));
        double maxAbs = 0, maxRel = 0, worst = 0;
        int worstAt = -1, failures = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], e = expected[i], d = Math.Abs(a - e);
            double limit = rtol * Math.Abs(e) + atol * scale;
            if (!(d <= limit)) failures++; // also catches NaN
            maxAbs = Math.Max(maxAbs, d);
            if (Math.Abs(e) > 0) maxRel = Math.Max(maxRel, d / Math.Abs(e));
            double ratio = limit > 0 ? d / limit : d > 0 ? double.PositiveInfinity : 0;
            if (double.IsNaN(d)) ratio = double.PositiveInfinity;
            if (ratio > worst || worstAt < 0) { worst = ratio; worstAt = i; }
        }
        WorstRatio = Math.Max(WorstRatio, worst);
        string report = string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={actual.Length} scale={scale:G4} max|d|={maxAbs:G3} max|d|/scale={(scale > 0 ? maxAbs / scale : 0):G3} max rel={maxRel:G3} worst={worst:F3} of tolerance (rtol {rtol:G2}, atol {atol:G2} x scale)");
        log.WriteLine(report);
        Assert.True(failures == 0, string.Create(CultureInfo.InvariantCulture,
            $"{report}; {failures} elements out of tolerance, worst at {worstAt}: {actual[worstAt]:G9} vs PyTorch {expected[worstAt]:G9}"));
    }

    /// <summary>One scalar: |actual - expected| &lt;= rtol * |expected| + atol.</summary>
    public void Scalar(string what, double actual, double expected, double rtol, double atol = 0)
    {
        double d = Math.Abs(actual - expected), limit = rtol * Math.Abs(expected) + atol;
        double ratio = limit > 0 ? d / limit : d > 0 ? double.PositiveInfinity : 0;
        WorstRatio = Math.Max(WorstRatio, ratio);
        string report = string.Create(CultureInfo.InvariantCulture,
            $"{what}: {actual:G9} vs PyTorch {expected:G9}, |d|={d:G3} rel={(expected != 0 ? d / Math.Abs(expected) : d):G3} worst={ratio:F3} of tolerance (rtol {rtol:G2}, atol {atol:G2})");
        log.WriteLine(report);
        Assert.True(d <= limit, report);
    }
}
