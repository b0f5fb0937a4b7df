using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>Softmax, log-softmax and softmax cross-entropy: definitions in double, stability, gradient checks, bad input.</summary>
public sealed class SoftmaxTests
{
    /// <summary>log softmax of one row in double, shifted by its max.</summary>
    private static double[] LogSoftmaxRow(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float v in row) max = Math.Max(max, v);
        foreach (float v in row) sum += Math.Exp(v - max);
        double lse = max + Math.Log(sum);
        var result = new double[row.Length];
        for (int i = 0; i < row.Length; i++) result[i] = row[i] - lse;
        return result;
    }

    // Class counts around the vector widths: TensorPrimitives' lanes and tails on each row.
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(65)]
    public void Softmax_and_log_softmax_match_the_definition(int classes)
    {
        var x = T.Uniform(400 + (ulong)classes, -6, 6, 3, classes);
        var soft = Ops.Softmax(x);
        var log = Ops.LogSoftmax(x);
        for (int r = 0; r < 3; r++)
        {
            var expected = LogSoftmaxRow(x.Data.AsSpan(r * classes, classes));
            T.AssertClose(expected.Select(v => Math.Exp(v)).ToArray(), soft.Data.AsSpan(r * classes, classes), 1e-6, $"softmax row {r}");
            T.AssertClose(expected, log.Data.AsSpan(r * classes, classes), 2e-6, $"log_softmax row {r}");
        }
    }

    [Fact]
    public void Huge_logits_do_not_overflow()
    {
        // exp(1000) is inf in float and double: only the max shift keeps these finite.
        var x = Tensor.FromArray([1000f, 999f, 998f, -1000f, -1001f, -1002f], 2, 3);
        var soft = Ops.Softmax(x);
        var log = Ops.LogSoftmax(x);
        double[] p = [1 / (1 + Math.Exp(-1) + Math.Exp(-2)), Math.Exp(-1) / (1 + Math.Exp(-1) + Math.Exp(-2)), Math.Exp(-2) / (1 + Math.Exp(-1) + Math.Exp(-2))];
        T.AssertClose([.. p, .. p], soft.Span, 1e-6, "softmax");
        T.AssertClose([.. p.Select(v => Math.Log(v)), .. p.Select(v => Math.Log(v))], log.Span, 1e-5, "log_softmax");
        Assert.True(float.IsFinite(Ops.SoftmaxCrossEntropy(x, [2, 0]).Item()));
    }

    [Fact]
    public void Gradient_checks()
    {
        var x = T.Uniform(410, -3, 3, 2, 3, 5);
        GradCheck.Assert(t => Ops.Softmax(t[0]), x);
        GradCheck.Assert(t => Ops.LogSoftmax(t[0]), x);
        // Used twice: the second backward must add to the first.
        GradCheck.Assert(t => Ops.Mul(Ops.Softmax(t[0]), Ops.LogSoftmax(t[0])), x);
    }

    /// <summary>sum_i sum_c q[i, c] w[c] (-log p[i, c]) / sum_i w[y_i], q = (1 - eps) onehot(y) + eps / C.</summary>
    private static double CrossEntropyReference(Tensor logits, int[] labels, float[]? w, float eps)
    {
        int classes = logits.Shape[^1], rows = logits.Size / classes;
        double total = 0, weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            var logp = LogSoftmaxRow(logits.Data.AsSpan(r * classes, classes));
            for (int c = 0; c < classes; c++)
            {
                double q = (c == labels[r] ? 1 - eps : 0) + eps / classes;
                total -= q * (w?[c] ?? 1) * logp[c];
            }
            weightSum += w?[labels[r]] ?? 1;
        }
        return total / weightSum;
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(false, 0.1f)]
    [InlineData(true, 0.25f)]
    [InlineData(true, 1f)]
    public void Cross_entropy_matches_its_definition_and_its_gradient_checks(bool weighted, float smoothing)
    {
        var x = T.Uniform(420, -4, 4, 7, 5);
        int[] labels = [0, 4, 2, 2, 1, 3, 4];
        float[]? w = weighted ? [0.5f, 2f, 1f, 0.25f, 1.5f] : null;
        var loss = Ops.SoftmaxCrossEntropy(x, labels, w, smoothing);
        Assert.Equal(CrossEntropyReference(x, labels, w, smoothing), loss.Item(), 5);
        GradCheck.Assert(t => Ops.SoftmaxCrossEntropy(t[0], labels, w, smoothing), x);
    }

    [Fact]
    public void Cross_entropy_over_a_rank_3_batch_takes_one_label_per_row()
    {
        var x = T.Uniform(430, -2, 2, 2, 3, 4);
        int[] labels = [0, 3, 1, 2, 2, 0];
        Assert.Equal(CrossEntropyReference(x, labels, null, 0), Ops.SoftmaxCrossEntropy(x, labels).Item(), 5);
        GradCheck.Assert(t => Ops.SoftmaxCrossEntropy(t[0], labels), x);
    }

    [Fact]
    public void Cross_entropy_equals_nll_of_log_softmax()
    {
        // The fused op against the composition it replaces: -mean of log_softmax at the labels.
        var x = T.Uniform(440, -5, 5, 4, 6);
        int[] labels = [5, 0, 3, 3];
        var log = Ops.LogSoftmax(x);
        double nll = -labels.Select((y, r) => (double)log.Data[r * 6 + y]).Average();
        Assert.Equal(nll, Ops.SoftmaxCrossEntropy(x, labels).Item(), 5);
    }

    [Fact]
    public void Bad_labels_weights_and_shapes_are_refused()
    {
        var x = Tensor.Zeros(3, 4);
        Assert.Contains("label 4 of row 1", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, [0, 4, 1])).Message);
        Assert.Contains("label -1", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, [0, -1, 1])).Message);
        Assert.Contains("2 labels for 3 rows", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, [0, 1])).Message);
        Assert.Contains("3 class weights for 4 classes", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, [0, 1, 2], [1f, 1f, 1f])).Message);
        Assert.Contains("label smoothing", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(x, [0, 1, 2], labelSmoothing: 1.5f)).Message);
        Assert.Contains("empty batch", Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(Tensor.Zeros(0, 4), [])).Message);
        Assert.Throws<ShapeMismatchException>(() => Ops.Softmax(Tensor.Zeros(3, 0)));
        Assert.Throws<ShapeMismatchException>(() => Ops.LogSoftmax(Tensor.Scalar(1f)));
    }
}
