using Doppel.Gan.Data;
using Doppel.Gan.Sampling;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Evaluation;

/// <summary>The outcome of the paper's Parzen protocol.</summary>
/// <param name="Mean">Mean log-likelihood of the test digits (nats).</param>
/// <param name="StandardError">Their standard deviation / sqrt(N).</param>
/// <param name="Sigma">The window width chosen on the validation digits.</param>
/// <param name="ValidationBySigma">Mean validation log-likelihood of every candidate sigma.</param>
public sealed record ParzenResult(double Mean, double StandardError, double Sigma, IReadOnlyList<(double Sigma, double LogLikelihood)> ValidationBySigma, int Samples, int TestPoints);

/// <summary>
/// Table 1's protocol of Goodfellow et al. (their parzen_ll.py): draw 10,000 samples from G; for
/// each sigma of logspace(-1, 0, 10) score the mean log-likelihood of the first 1,000 validation
/// digits under the Parzen window on the samples and keep the best sigma; report the mean
/// log-likelihood of the 10,000 test digits with its standard error (std / sqrt(N), the
/// population std as numpy's), pixels in [0, 1].
/// </summary>
public static class ParzenEvaluation
{
    public const int SampleCount = 10_000, ValidationPoints = 1_000;

    /// <summary>The paper's sigmas: 10 values from 0.1 to 1, evenly spaced in log10.</summary>
    public static double[] Sigmas(int count = 10, double fromLog10 = -1, double toLog10 = 0) =>
        Enumerable.Range(0, count).Select(i => Math.Pow(10, fromLog10 + (toLog10 - fromLog10) * i / (count - 1))).ToArray();

    public static ParzenResult Run(GanModel model, DigitSet validation, DigitSet test, ulong seed, int samples = SampleCount, Action<string>? log = null)
    {
        var nets = model.Networks;
        log?.Invoke($"drawing {samples} samples");
        var drawn = GanSampler.Generate(nets, GanSampler.Noise(samples, nets.ZDim, new Rng(seed), model.Settings.Noise));
        return Score(drawn, nets.PixelsPerImage, validation.ToMatrix().AsSpan(0, Math.Min(ValidationPoints, validation.Count) * nets.PixelsPerImage).ToArray(), test.ToMatrix(), log);
    }

    /// <summary>The protocol on given samples, validation and test rows (each row one image in [0, 1]).</summary>
    public static ParzenResult Score(float[] samples, int dims, float[] validation, float[] test, Action<string>? log = null)
    {
        var window = new ParzenWindow(samples, dims);
        var sigmas = Sigmas();
        var byValidation = window.LogLikelihoods(validation, sigmas).Select(ll => ll.Average()).ToArray();
        int best = Array.IndexOf(byValidation, byValidation.Max());
        for (int i = 0; i < sigmas.Length; i++) log?.Invoke(FormattableString.Invariant($"sigma {sigmas[i]:F4}: validation log-likelihood {byValidation[i]:F2}{(i == best ? "  <- chosen" : "")}"));
        var ll = window.LogLikelihoods(test, [sigmas[best]])[0];
        double mean = ll.Average();
        double std = Math.Sqrt(ll.Sum(v => (v - mean) * (v - mean)) / ll.Length);
        return new ParzenResult(mean, std / Math.Sqrt(ll.Length), sigmas[best], sigmas.Zip(byValidation).ToList(), window.Count, ll.Length);
    }
}
