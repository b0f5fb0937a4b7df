using System.Numerics.Tensors;
using Doppel.Gan.Data;
using Doppel.Gan.Sampling;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Evaluation;

/// <summary>Distances to the nearest training image, of the generator's samples and of held-out real images.</summary>
/// <param name="Samples">Per sample: the RMS pixel distance (pixels in [0, 1]) to its nearest training image.</param>
/// <param name="HeldOut">The same for each held-out real image.</param>
public sealed record NearestNeighbourResult(double[] Samples, double[] HeldOut, int TrainingImages)
{
    public double SampleMedian => Median(Samples);
    public double HeldOutMedian => Median(HeldOut);

    /// <summary>The 5th percentile of the held-out images' distances: nearer than this, a real unseen image is rarely.</summary>
    public double HeldOutLow => Quantile(HeldOut, 0.05);

    /// <summary>The share of samples nearer to a training image than <see cref="HeldOutLow"/>: near 0.05 when G does not copy, near 1 when it does.</summary>
    public double ShareNearerThanHeldOutLow => Samples.Count(d => d < HeldOutLow) / (double)Samples.Length;

    public static double Median(double[] values) => Quantile(values, 0.5);

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position), high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}

/// <summary>
/// Does a generator copy its training images? For each sample, the distance to the nearest
/// training image, against the same distance for real images the generator never saw (held out):
/// a generator that memorised its data draws samples nearer to training images than unseen real
/// images are; one that does not, samples as far or farther. Distances are the root mean square
/// of the pixel differences (pixels in [0, 1]), computed exactly (no |x|^2 + |y|^2 - 2 x.y shortcut):
/// a few thousand images of 32 or 64 px take seconds.
/// </summary>
public static class NearestNeighbourEvaluation
{
    public const int DefaultSamples = 1_000;

    public static NearestNeighbourResult Run(GanModel model, IImageSet training, IImageSet heldOut, ulong seed, int samples = DefaultSamples)
    {
        var nets = model.Networks;
        var drawn = GanSampler.Generate(nets, GanSampler.Noise(samples, nets.ZDim, new Rng(seed), model.Settings.Noise));
        var train = Matrix(training);
        return new NearestNeighbourResult(Distances(drawn, train, nets.PixelsPerImage), Distances(Matrix(heldOut), train, nets.PixelsPerImage), training.Count);
    }

    /// <summary>For each row of <paramref name="queries"/>, the RMS distance to its nearest row of <paramref name="reference"/> (both row-major, <paramref name="dims"/> wide).</summary>
    public static double[] Distances(float[] queries, float[] reference, int dims)
    {
        if (dims < 1 || queries.Length % dims != 0 || reference.Length % dims != 0 || reference.Length == 0)
            throw new ArgumentException("the images must be whole rows of the same size, and there must be at least one reference image");
        int n = queries.Length / dims, m = reference.Length / dims;
        var result = new double[n];
        Parallel.For(0, n, i =>
        {
            var q = queries.AsSpan(i * dims, dims);
            float best = float.PositiveInfinity;
            for (int j = 0; j < m; j++)
            {
                float d = TensorPrimitives.Distance(q, reference.AsSpan(j * dims, dims));
                if (d < best) best = d;
            }
            result[i] = best / Math.Sqrt(dims);
        });
        return result;
    }

    private static float[] Matrix(IImageSet set)
    {
        int dims = set.Height * set.Width * set.Channels;
        var rows = new float[set.Count * dims];
        for (int i = 0; i < set.Count; i++) set.Write(i, rows.AsSpan(i * dims, dims));
        return rows;
    }
}
