using System.Text;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Tensors.Tests.Support;

/// <summary>
/// Finite-difference gradient checker. An op f(inputs) is reduced to a scalar by a fixed random
/// projection L = sum(f(x) * R); the autograd gradient of L with respect to every input that
/// requires grad is compared with central differences (L(x + h) - L(x - h)) / (x+h - x-h),
/// where the step actually taken in float32 is used as the denominator and L is summed in
/// double. Pass iff |analytic - numeric| &lt;= ATol + RTol * max(|analytic|, |numeric|) for every
/// checked element. Inputs must be chosen away from kinks (abs, relu at 0) by more than Eps.
/// </summary>
internal sealed class GradCheck
{
    public double Eps { get; init; } = 1e-2;
    public double RTol { get; init; } = 1e-2;
    public double ATol { get; init; } = 1e-3;

    /// <summary>Larger inputs are checked at this many deterministic random elements.</summary>
    public int MaxElementsPerInput { get; init; } = 400;

    public ulong Seed { get; init; } = 20240601;

    /// <summary>Applied to the autograd gradients before comparison: lets a test prove a wrong gradient is caught.</summary>
    public Action<int, float[]>? Tamper { get; init; }

    /// <summary>Checks with default settings and fails the test with a readable report.</summary>
    public static void Assert(Func<Tensor[], Tensor> f, params Tensor[] inputs) => new GradCheck().Run(f, inputs).ThrowIfFailed();

    public GradCheckReport Run(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var analytic = Analytic(f, inputs, out var projection);
        var report = new GradCheckReport();
        var rng = new Rng(Seed ^ 0x5EED);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (analytic[i] is not { } grad) continue;
            var data = inputs[i].Data;
            double maxNumeric = 0;
            foreach (int index in Sample(data.Length, rng))
            {
                float original = data[index];
                float plus = (float)(original + Eps), minus = (float)(original - Eps);
                data[index] = plus;
                double lossPlus = Loss(f, inputs, projection);
                data[index] = minus;
                double lossMinus = Loss(f, inputs, projection);
                data[index] = original;
                double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
                maxNumeric = Math.Max(maxNumeric, Math.Abs(numeric));
                double a = grad[index];
                double error = Math.Abs(a - numeric);
                report.Checked++;
                if (error > ATol + RTol * Math.Max(Math.Abs(a), Math.Abs(numeric)))
                    report.Mismatches.Add(new GradMismatch(i, index, a, numeric));
            }
            report.MaxNumeric.Add(maxNumeric);
        }
        if (report.Checked == 0) report.Problems.Add("no input requires grad: nothing was checked");
        for (int i = 0; i < report.MaxNumeric.Count; i++)
            if (report.MaxNumeric[i] < 1e-6) report.Problems.Add($"checked input #{i} has an all-zero numeric gradient: the test would not catch a wrong gradient");
        return report;
    }

    /// <summary>
    /// For inputs too large to check element by element: along a few random directions d (one
    /// per input at a time), compares the directional derivative &lt;grad, d&gt; with
    /// (L(x + eps d) - L(x - eps d)) using the steps actually taken in float32.
    /// </summary>
    public GradCheckReport RunDirectional(Func<Tensor[], Tensor> f, Tensor[] inputs, int directions = 2)
    {
        var analytic = Analytic(f, inputs, out var projection);
        var report = new GradCheckReport();
        var rng = new Rng(Seed ^ 0xD1EC);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (analytic[i] is not { } grad) continue;
            var data = inputs[i].Data;
            var original = data.ToArray();
            var plus = new float[data.Length];
            var minus = new float[data.Length];
            for (int d = 0; d < directions; d++)
            {
                double expected = 0;
                for (int j = 0; j < data.Length; j++)
                {
                    double dir = rng.Uniform(-1f, 1f);
                    plus[j] = (float)(original[j] + Eps * dir);
                    minus[j] = (float)(original[j] - Eps * dir);
                    expected += grad[j] * ((double)plus[j] - minus[j]);
                }
                plus.CopyTo(data, 0);
                double lossPlus = Loss(f, inputs, projection);
                minus.CopyTo(data, 0);
                double lossMinus = Loss(f, inputs, projection);
                original.CopyTo(data, 0);
                double numeric = lossPlus - lossMinus;
                report.Checked++;
                report.MaxNumeric.Add(Math.Abs(numeric));
                if (Math.Abs(expected - numeric) > ATol + RTol * Math.Max(Math.Abs(expected), Math.Abs(numeric)))
                    report.Mismatches.Add(new GradMismatch(i, -1 - d, expected, numeric));
            }
        }
        if (report.Checked == 0) report.Problems.Add("no input requires grad: nothing was checked");
        return report;
    }

    /// <summary>Autograd gradients of sum(f(x) * R) (null for inputs that do not require grad).</summary>
    private float[]?[] Analytic(Func<Tensor[], Tensor> f, Tensor[] inputs, out float[] projection)
    {
        var result = new float[]?[inputs.Length];
        foreach (var t in inputs) t.ZeroGrad();
        using (TensorScope.Begin())
        {
            var y = f(inputs);
            var rng = new Rng(Seed);
            projection = new float[y.Size];
            rng.FillUniform(projection, -1f, 1f);
            var r = Tensor.FromArray(projection, (int[])y.Shape.Clone());
            Ops.Sum(Ops.Mul(y, r)).Backward();
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!inputs[i].RequiresGrad)
                {
                    if (inputs[i].Grad is not null) throw new InvalidOperationException($"input #{i} does not require grad but received one");
                    continue;
                }
                result[i] = inputs[i].Grad?.ToArray() ?? throw new InvalidOperationException($"no gradient reached input #{i}");
                Tamper?.Invoke(i, result[i]!);
            }
        }
        foreach (var t in inputs) t.ZeroGrad();
        return result;
    }

    private static double Loss(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] projection)
    {
        using var scope = TensorScope.Begin();
        using var off = GradMode.Off();
        var y = f(inputs);
        if (y.RequiresGrad || y.Size != projection.Length) throw new InvalidOperationException("the op recorded history with grad mode off, or changed its output size");
        double sum = 0;
        var data = y.Data;
        for (int i = 0; i < data.Length; i++) sum += (double)data[i] * projection[i];
        return sum;
    }

    private IEnumerable<int> Sample(int length, Rng rng)
    {
        if (length <= MaxElementsPerInput) return Enumerable.Range(0, length);
        var all = Enumerable.Range(0, length).ToArray();
        for (int i = 0; i < MaxElementsPerInput; i++)
        {
            int j = i + rng.Next(length - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all.Take(MaxElementsPerInput);
    }
}

internal sealed record GradMismatch(int Input, int Index, double Analytic, double Numeric);

internal sealed class GradCheckReport
{
    public List<GradMismatch> Mismatches { get; } = [];
    public List<string> Problems { get; } = [];
    public List<double> MaxNumeric { get; } = [];
    public int Checked { get; set; }
    public bool Passed => Mismatches.Count == 0 && Problems.Count == 0;

    public void ThrowIfFailed()
    {
        if (Passed) return;
        var sb = new StringBuilder($"gradient check failed ({Mismatches.Count} of {Checked} elements differ)");
        foreach (var p in Problems) sb.Append("\n  ").Append(p);
        foreach (var m in Mismatches.Take(10))
            sb.Append($"\n  input #{m.Input} element {m.Index}: autograd {m.Analytic:G6}, finite difference {m.Numeric:G6}");
        throw new Xunit.Sdk.XunitException(sb.ToString());
    }
}
