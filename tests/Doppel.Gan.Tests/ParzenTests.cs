using Doppel.Gan.Data;
using Doppel.Gan.Evaluation;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Tests;

/// <summary>
/// The Parzen window against a case computed by hand, a direct double-precision sum, PyTorch's
/// float64 computation (tests/data/parity/parzen.safetensors by bench/parzen_mnist.py), the sigma
/// choice, and the protocol's ceiling on real digits.
/// </summary>
public sealed class ParzenTests
{
    [Fact]
    public void AHandComputedCase()
    {
        // Samples (0, 0) and (1, 0) in 2-D; sigma 1 and 0.5.
        var window = new ParzenWindow([0, 0, 1, 0], 2);
        var ll = window.LogLikelihoods([0, 0, 0, 2], [1.0, 0.5]);
        double logNorm(double s) => 2 * Math.Log(s * Math.Sqrt(2 * Math.PI));
        // x = (0, 0): squared distances 0 and 1.
        Assert.Equal(Math.Log((1 + Math.Exp(-0.5)) / 2) - logNorm(1), ll[0][0], 6);
        Assert.Equal(Math.Log((1 + Math.Exp(-2)) / 2) - logNorm(0.5), ll[1][0], 6);
        // x = (0, 2): squared distances 4 and 5.
        Assert.Equal(Math.Log((Math.Exp(-2) + Math.Exp(-2.5)) / 2) - logNorm(1), ll[0][1], 6);
        Assert.Equal(Math.Log((Math.Exp(-8) + Math.Exp(-10)) / 2) - logNorm(0.5), ll[1][1], 6);
    }

    [Fact]
    public void FarPointsDoNotUnderflow_AndManyRowsMatchADirectSum()
    {
        var rng = new Rng(4);
        int dims = 784, samples = 700, points = 600;  // more rows than one GEMM block
        var mu = new float[samples * dims];
        var x = new float[points * dims];
        rng.FillUniform(mu, 0f, 1f);
        rng.FillUniform(x, 0f, 1f);
        var ll = new ParzenWindow(mu, dims).LogLikelihoods(x, [0.1, 0.3])[0];
        Assert.All(ll, v => Assert.True(double.IsFinite(v)));  // exp(-|d|^2 / 0.02) underflows a plain sum
        foreach (int i in new[] { 0, 333, 599 })
        {
            var a = new double[samples];
            for (int j = 0; j < samples; j++)
            {
                double d = 0;
                for (int k = 0; k < dims; k++) d += Math.Pow(x[i * dims + k] - mu[j * dims + k], 2);
                a[j] = -d / (2 * 0.01);
            }
            double max = a.Max();
            double expected = max + Math.Log(a.Sum(v => Math.Exp(v - max)) / samples) - dims * Math.Log(0.1 * Math.Sqrt(2 * Math.PI));
            Assert.Equal(expected, ll[i], 1e-3 * Math.Abs(expected));
        }
    }

    [Fact]
    public void TheProtocolPicksTheSigmaThatScoresTheValidationBest()
    {
        Assert.Equal(10, ParzenEvaluation.Sigmas().Length);
        Assert.Equal(0.1, ParzenEvaluation.Sigmas()[0], 12);
        Assert.Equal(1.0, ParzenEvaluation.Sigmas()[9], 12);
        Assert.Equal(Math.Pow(10, -1 + 1.0 / 9), ParzenEvaluation.Sigmas()[1], 12);
        var rng = new Rng(8);
        // Data from N(0, 0.3^2 I) in 4-D: the best window on these samples is near 0.3.
        float[] Draw(int n) { var v = new float[n * 4]; rng.FillNormal(v, 0f, 0.3f); return v; }
        var result = ParzenEvaluation.Score(Draw(2000), 4, Draw(300), Draw(500));
        var best = result.ValidationBySigma.MaxBy(v => v.LogLikelihood);
        Assert.Equal(best.Sigma, result.Sigma);
        Assert.InRange(result.Sigma, 0.1, 0.5);
        Assert.Equal(500, result.TestPoints);
        Assert.True(result.StandardError > 0 && result.StandardError < 1);
    }

    [Fact]
    public void MatchesPyTorchInDoublePrecision()
    {
        var (fixture, _) = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "data", "parity", "parzen.safetensors"));
        var window = new ParzenWindow(fixture["samples"].ToArray(), 64);
        var ll = window.LogLikelihoods(fixture["points"].ToArray(), [0.1, 0.35]);
        for (int s = 0; s < 2; s++)
        {
            var expected = fixture[$"ll{s}"].ToArray();
            Assert.Equal(40, expected.Length);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], ll[s][i], 2e-5 * Math.Abs(expected[i]) + 1e-3);
        }
        foreach (var t in fixture.Values) t.Dispose();
    }

    /// <summary>
    /// The ceiling of the paper's protocol: 10,000 real training digits as the "samples" score
    /// 241.19 +- 2.13 at sigma 0.1668 in bench/parzen_mnist.py (float64, direct formula); the
    /// evaluator must give the same, well above the paper's 225 for adversarial nets. About 2 s.
    /// </summary>
    [Fact]
    public void RealDigitsAsSamplesScoreTheProtocolsCeiling()
    {
        var train = Mnist.Train().ToMatrix();
        var real = train.AsSpan(0, 10_000 * Mnist.Pixels).ToArray();
        var validation = Mnist.Validation().ToMatrix().AsSpan(0, ParzenEvaluation.ValidationPoints * Mnist.Pixels).ToArray();
        var result = ParzenEvaluation.Score(real, Mnist.Pixels, validation, Mnist.Test().ToMatrix());
        Assert.Equal(0.1668, result.Sigma, 4);
        Assert.Equal(241.19, result.Mean, 0.05);
        Assert.Equal(2.13, result.StandardError, 0.01);
    }
}
