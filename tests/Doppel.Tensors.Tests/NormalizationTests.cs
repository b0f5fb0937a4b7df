using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// Batch, instance and layer normalisation: finite-difference gradient checks (BatchNorm in
/// training and eval mode), the forward against a float64 evaluation of the formula, and
/// BatchNorm2d's modes and running statistics. 19 channels or features: whole vectors (two of 8
/// lanes, or one of 16) and a scalar tail.
/// </summary>
public sealed class NormalizationTests
{
    private const float Eps = 1e-5f;

    /// <summary>NHWC values with a different offset per channel, so centring matters.</summary>
    private static Tensor Images(ulong seed, int n, int h, int w, int c, float scale = 1.5f)
    {
        var rng = new Rng(seed);
        var offsets = Enumerable.Range(0, c).Select(_ => rng.Uniform(-2f, 2f)).ToArray();
        var values = new float[n * h * w * c];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.Normal() * scale) + offsets[i % c];
        return T.Leaf(values, n, h, w, c);
    }

    private static Tensor AroundOne(ulong seed, int c) => T.Uniform(seed, 0.5f, 1.5f, c);

    /// <summary>Per (group, channel) mean and biased variance in double, groups of rowsPerGroup rows of c.</summary>
    private static (double[] Mean, double[] Var) Stats(float[] x, int groups, int rowsPerGroup, int c)
    {
        var mean = new double[groups * c];
        var variance = new double[groups * c];
        for (int gi = 0; gi < groups; gi++)
            for (int ch = 0; ch < c; ch++)
            {
                double s = 0;
                for (int r = 0; r < rowsPerGroup; r++) s += x[(gi * rowsPerGroup + r) * c + ch];
                double mu = s / rowsPerGroup, q = 0;
                for (int r = 0; r < rowsPerGroup; r++) q += Math.Pow(x[(gi * rowsPerGroup + r) * c + ch] - mu, 2);
                mean[gi * c + ch] = mu;
                variance[gi * c + ch] = q / rowsPerGroup;
            }
        return (mean, variance);
    }

    private static double[] Normalized(float[] x, int groups, int rowsPerGroup, int c, double[] mean, double[] variance, float[]? w, float[]? b)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i % c, p = i / c / rowsPerGroup * c + ch;
            y[i] = (x[i] - mean[p]) / Math.Sqrt(variance[p] + Eps) * (w?[ch] ?? 1) + (b?[ch] ?? 0);
        }
        return y;
    }

    // ---- batch norm: gradients ------------------------------------------------------------------

    [Fact]
    public void BatchNorm_training_mode_gradients_go_through_the_batch_statistics()
    {
        var x = Images(1, 2, 3, 5, 19);
        var w = AroundOne(2, 19);
        var b = T.Uniform(3, -0.5f, 0.5f, 19);
        GradCheck.Assert(t => Ops.BatchNorm(t[0], null, null, t[1], t[2], training: true), x, w, b);
    }

    [Fact]
    public void BatchNorm_training_mode_gradients_with_running_statistics_and_without_affine()
    {
        // The running statistics change on every evaluation: the output must not depend on them.
        var rm = Tensor.Zeros(19);
        var rv = Tensor.Ones(19);
        var x = Images(4, 3, 2, 2, 19);
        GradCheck.Assert(t => Ops.BatchNorm(t[0], rm, rv, null, null, training: true), x);
    }

    [Fact]
    public void BatchNorm_eval_mode_gradients_use_the_running_statistics_as_constants()
    {
        var rm = T.Uniform(5, -1f, 1f, 19).Const();
        var rv = T.Uniform(6, 0.5f, 2f, 19).Const();
        var x = Images(7, 2, 3, 3, 19);
        var w = AroundOne(8, 19);
        var b = T.Uniform(9, -0.5f, 0.5f, 19);
        GradCheck.Assert(t => Ops.BatchNorm(t[0], rm, rv, t[1], t[2], training: false), x, w, b);
    }

    [Fact]
    public void BatchNorm_gradient_accumulates_into_an_existing_gradient()
    {
        // x feeds the batch norm twice: its gradient is the sum of both contributions.
        var x = Images(10, 2, 2, 3, 19);
        GradCheck.Assert(t => Ops.Add(Ops.BatchNorm(t[0], null, null, null, null, true), Ops.Mul(Ops.BatchNorm(t[0], null, null, null, null, true), 0.5f)), x);
    }

    [Fact]
    public void BatchNorm_over_features_of_rank_two()
    {
        var x = T.Uniform(11, -2f, 3f, 6, 19);
        GradCheck.Assert(t => Ops.BatchNorm(t[0], null, null, t[1], null, training: true), x, AroundOne(12, 19));
    }

    // ---- batch norm: forward and modes --------------------------------------------------------

    [Fact]
    public void BatchNorm2d_training_forward_normalises_by_the_batch_and_updates_running_stats_as_pytorch()
    {
        var bn = new BatchNorm2d(19);
        var rng = new Rng(13);
        rng.FillUniform(bn.Weight!.Span, 0.5f, 1.5f);
        rng.FillUniform(bn.Bias!.Span, -0.5f, 0.5f);
        double[] expectMean = new double[19], expectVar = Enumerable.Repeat(1.0, 19).ToArray();
        for (int step = 1; step <= 2; step++)
        {
            using var scope = TensorScope.Begin();
            var x = Images((ulong)(20 + step), 3, 4, 5, 19).Const();
            var y = bn.Forward(x);
            var (mean, variance) = Stats(x.Data, 1, 60, 19);
            T.AssertClose(Normalized(x.Data, 1, 60, 19, mean, variance, bn.Weight.Data, bn.Bias.Data), y.Span, 2e-6, $"y at step {step}");
            for (int c = 0; c < 19; c++)
            {
                expectMean[c] = 0.9 * expectMean[c] + 0.1 * mean[c];
                expectVar[c] = 0.9 * expectVar[c] + 0.1 * variance[c] * 60 / 59; // unbiased in the running estimate
            }
            T.AssertClose(expectMean, bn.RunningMean!.Span, 1e-6, $"running_mean after step {step}");
            T.AssertClose(expectVar, bn.RunningVar!.Span, 1e-6, $"running_var after step {step}");
            Assert.Equal(step, bn.NumBatchesTracked!.Item());
        }
    }

    [Fact]
    public void BatchNorm2d_eval_uses_running_stats_and_leaves_them_alone()
    {
        var bn = new BatchNorm2d(19);
        var rng = new Rng(14);
        rng.FillUniform(bn.RunningMean!.Span, -1f, 1f);
        rng.FillUniform(bn.RunningVar!.Span, 0.5f, 2f);
        rng.FillUniform(bn.Weight!.Span, 0.5f, 1.5f);
        var before = bn.StateDict().Select(s => s.Tensor.ToArray()).ToArray();
        bn.Eval();
        using var scope = TensorScope.Begin();
        var x = Images(15, 3, 2, 3, 19).Const();
        var y = bn.Forward(x);
        var rm = bn.RunningMean.Data.Select(v => (double)v).ToArray();
        var rv = bn.RunningVar.Data.Select(v => (double)v).ToArray();
        T.AssertClose(Normalized(x.Data, 1, 18, 19, rm, rv, bn.Weight.Data, bn.Bias!.Data), y.Span, 2e-6, "eval y");
        var after = bn.StateDict().Select(s => s.Tensor.ToArray()).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);

        // Per image: the first image alone gives the first image's rows of the batch's output.
        var first = Ops.Slice(x, 0, 0, 1);
        Assert.Equal(y.Span[..(6 * 19)].ToArray(), bn.Forward(first).ToArray());
    }

    [Fact]
    public void BatchNorm2d_running_stats_update_in_training_mode_only_and_once_per_forward()
    {
        var bn = new BatchNorm2d(4);
        using var scope = TensorScope.Begin();
        var x = Images(16, 2, 2, 2, 4).Const();
        bn.Forward(x);
        var once = bn.RunningMean!.ToArray();
        Assert.NotEqual(new float[4], once);
        bn.Forward(x);
        Assert.Equal(2f, bn.NumBatchesTracked!.Item());
        var twice = bn.RunningMean.ToArray();
        Assert.NotEqual(once, twice);
        // Under GradMode.Off, still training mode: PyTorch updates the statistics under no_grad too.
        using (GradMode.Off()) bn.Forward(x);
        Assert.Equal(3f, bn.NumBatchesTracked.Item());
        bn.Eval();
        var frozen = bn.RunningMean.ToArray();
        bn.Forward(x);
        bn.Forward(x);
        Assert.Equal(frozen, bn.RunningMean.ToArray());
        Assert.Equal(3f, bn.NumBatchesTracked.Item());
        bn.Train();
        bn.Forward(x);
        Assert.Equal(4f, bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void BatchNorm2d_with_null_momentum_keeps_a_cumulative_average()
    {
        var bn = new BatchNorm2d(19, momentum: null);
        var means = new List<double[]>();
        var vars = new List<double[]>();
        using var scope = TensorScope.Begin();
        for (int step = 0; step < 3; step++)
        {
            var x = Images((ulong)(30 + step), 2, 2, 3, 19).Const();
            bn.Forward(x);
            var (m, v) = Stats(x.Data, 1, 12, 19);
            means.Add(m);
            vars.Add(v.Select(q => q * 12 / 11).ToArray());
        }
        T.AssertClose(Enumerable.Range(0, 19).Select(c => means.Average(m => m[c])).ToArray(), bn.RunningMean!.Span, 1e-6, "running_mean");
        T.AssertClose(Enumerable.Range(0, 19).Select(c => vars.Average(v => v[c])).ToArray(), bn.RunningVar!.Span, 1e-6, "running_var");
    }

    [Fact]
    public void BatchNorm2d_without_running_stats_normalises_by_the_batch_in_eval_mode_too()
    {
        var bn = new BatchNorm2d(19, trackRunningStats: false);
        Assert.Empty(bn.NamedBuffers());
        bn.Eval();
        using var scope = TensorScope.Begin();
        var x = Images(17, 2, 3, 3, 19).Const();
        var (mean, variance) = Stats(x.Data, 1, 18, 19);
        T.AssertClose(Normalized(x.Data, 1, 18, 19, mean, variance, null, null), bn.Forward(x).Span, 2e-6, "y");
    }

    [Fact]
    public void BatchNorm2d_state_dict_has_pytorch_names_and_round_trips()
    {
        var bn = new BatchNorm2d(19);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.StateDict().Select(s => s.Name));
        Assert.Equal(["weight", "bias"], bn.NamedTrainableParameters().Select(p => p.Name));
        Assert.Empty(bn.NumBatchesTracked!.Shape); // a scalar, as PyTorch's
        using var scope = TensorScope.Begin();
        var x = Images(18, 2, 2, 2, 19).Const();
        bn.Forward(x);
        bn.Forward(Ops.Mul(x, 2f));
        var copy = new BatchNorm2d(19);
        copy.LoadStateDict(bn.StateDict().ToDictionary(s => s.Name, s => s.Tensor));
        Assert.Equal(2f, copy.NumBatchesTracked!.Item());
        bn.Eval();
        copy.Eval();
        Assert.Equal(bn.Forward(x).ToArray(), copy.Forward(x).ToArray());
    }

    [Fact]
    public void BatchNorm_rejects_bad_shapes_and_a_single_value_per_channel_in_training()
    {
        Assert.Throws<ShapeMismatchException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 2, 2, 4)));
        Assert.Throws<ShapeMismatchException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 3)));
        Assert.Throws<ShapeMismatchException>(() => Ops.BatchNorm(Tensor.Zeros(2, 3), null, null, Tensor.Ones(4), null, true));
        Assert.Throws<ArgumentException>(() => Ops.BatchNorm(Tensor.Zeros(2, 3), Tensor.Zeros(3), null, null, null, true));
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(1, 1, 1, 3)));
        Assert.Contains("more than 1 value per channel", e.Message);
        var eval = new BatchNorm2d(3);
        eval.Eval();
        Assert.Equal([1, 1, 1, 3], eval.Forward(Tensor.Zeros(1, 1, 1, 3)).Shape); // eval needs no batch
    }

    // ---- instance norm ----------------------------------------------------------------------------

    [Fact]
    public void InstanceNorm2d_gradients_with_and_without_affine()
    {
        var x = Images(40, 2, 3, 4, 19);
        GradCheck.Assert(t => Ops.InstanceNorm2d(t[0], t[1], t[2]), x, AroundOne(41, 19), T.Uniform(42, -0.5f, 0.5f, 19));
        GradCheck.Assert(t => Ops.InstanceNorm2d(t[0]), Images(43, 1, 3, 3, 5)); // one image: the case PyTorch 1.13 gets wrong
    }

    [Fact]
    public void InstanceNorm2d_normalises_each_image_and_channel_in_both_modes()
    {
        var norm = new InstanceNorm2d(19, affine: true);
        new Rng(44).FillUniform(norm.Weight!.Span, 0.5f, 1.5f);
        using var scope = TensorScope.Begin();
        var x = Images(45, 3, 4, 2, 19).Const();
        var (mean, variance) = Stats(x.Data, 3, 8, 19);
        var expected = Normalized(x.Data, 3, 8, 19, mean, variance, norm.Weight.Data, norm.Bias!.Data);
        T.AssertClose(expected, norm.Forward(x).Span, 2e-6, "train y");
        norm.Eval();
        T.AssertClose(expected, norm.Forward(x).Span, 2e-6, "eval y");
        Assert.Empty(new InstanceNorm2d(4).StateDict());
        Assert.Equal(["weight", "bias"], norm.StateDict().Select(s => s.Name));
        Assert.Throws<ArgumentException>(() => Ops.InstanceNorm2d(Tensor.Zeros(2, 1, 1, 3)));
    }

    // ---- layer norm -------------------------------------------------------------------------------

    [Fact]
    public void LayerNorm_gradients_over_one_and_two_trailing_axes()
    {
        var x = T.Uniform(50, -2f, 3f, 3, 2, 19);
        GradCheck.Assert(t => Ops.LayerNorm(t[0], [19], t[1], t[2]), x, AroundOne(51, 19), T.Uniform(52, -0.5f, 0.5f, 19));
        var x2 = T.Uniform(53, -1f, 2f, 2, 3, 7);
        GradCheck.Assert(t => Ops.LayerNorm(t[0], [3, 7], t[1], t[2]), x2, AroundOne(54, 3, 7), T.Uniform(55, -0.5f, 0.5f, 3, 7));
        GradCheck.Assert(t => Ops.LayerNorm(t[0], [19]), T.Uniform(56, -2f, 2f, 4, 19));
    }

    private static Tensor AroundOne(ulong seed, int a, int b) => T.Uniform(seed, 0.5f, 1.5f, a, b);

    [Fact]
    public void LayerNorm_normalises_each_row_of_the_trailing_axes()
    {
        var ln = new LayerNorm([2, 19]);
        new Rng(57).FillUniform(ln.Weight!.Span, 0.5f, 1.5f);
        new Rng(58).FillUniform(ln.Bias!.Span, -0.5f, 0.5f);
        using var scope = TensorScope.Begin();
        var x = T.Uniform(59, -3f, 5f, 4, 2, 19).Const();
        var y = ln.Forward(x);
        // Rows of 38 features, weight and bias element-wise over them.
        var (mean, variance) = Stats(Transpose(x.Data, 4, 38), 1, 38, 4);
        for (int i = 0; i < x.Size; i++)
        {
            int r = i / 38, f = i % 38;
            double expected = (x.Data[i] - mean[r]) / Math.Sqrt(variance[r] + Eps) * ln.Weight.Data[f] + ln.Bias.Data[f];
            Assert.True(Math.Abs(expected - y.Data[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected)), $"element {i}: {y.Data[i]} vs {expected}");
        }
        Assert.Throws<ShapeMismatchException>(() => ln.Forward(Tensor.Zeros(4, 19, 2)));
    }

    /// <summary>(rows, cols) to (cols, rows), so a per-row statistic becomes a per-column one.</summary>
    private static float[] Transpose(float[] a, int rows, int cols)
    {
        var t = new float[a.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }
}
