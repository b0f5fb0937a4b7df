using Doppel.Gan.Models;
using Doppel.Gan.Training;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Sampling;

/// <summary>
/// Draws images from a generator: noise z from the run's prior (N(0, I) or U(-sqrt 3, sqrt 3)) from a seeded generator, G in inference mode
/// (batch norm on its running statistics, so a sample does not depend on the others drawn with
/// it), no autograd, values returned in [0, 1].
/// </summary>
public static class GanSampler
{
    /// <summary>Noise (n, z) from a prior of <see cref="GanSettings.NoisePriors"/>: standard normal, or uniform with the same unit variance.</summary>
    public static float[] Noise(int n, int zDim, Rng rng, string prior = GanSettings.Gaussian)
    {
        var z = new float[n * zDim];
        if (prior == GanSettings.Uniform) rng.FillUniform(z, -MathF.Sqrt(3f), MathF.Sqrt(3f));
        else if (prior == GanSettings.Gaussian) rng.FillNormal(z);
        else throw new ArgumentException($"unknown noise prior '{prior}'", nameof(prior));
        return z;
    }

    /// <summary>G(z) for each row of <paramref name="z"/>, as (n, H, W, C) values in [0, 1], in chunks of <paramref name="chunk"/>.</summary>
    public static float[] Generate(GanNetworks nets, ReadOnlySpan<float> z, int chunk = 500)
    {
        int n = z.Length / nets.ZDim, pixels = nets.PixelsPerImage;
        var output = new float[n * pixels];
        bool wasTraining = nets.Generator.Training;
        nets.Generator.Eval();
        try
        {
            using var noGrad = GradMode.Off();
            for (int start = 0; start < n; start += chunk)
            {
                int count = Math.Min(chunk, n - start);
                using var scope = TensorScope.Begin();
                var batch = Tensor.FromArray(z.Slice(start * nets.ZDim, count * nets.ZDim), count, nets.ZDim);
                var images = nets.Generator.Forward(batch).Span;  // (count, H, W, C)
                var destination = output.AsSpan(start * pixels, count * pixels);
                for (int i = 0; i < destination.Length; i++) destination[i] = Math.Clamp(nets.ToUnit(images[i]), 0f, 1f);
            }
        }
        finally
        {
            nets.Generator.Train(wasTraining);
        }
        return output;
    }

    /// <summary>The images as a grid, <paramref name="columns"/> wide, 2 px white between tiles.</summary>
    public static GanImage Grid(GanNetworks nets, ReadOnlySpan<float> images, int columns)
    {
        int pixels = nets.PixelsPerImage, n = images.Length / pixels, gap = 2;
        int rows = (n + columns - 1) / columns, w = nets.Width, h = nets.Height;
        var grid = GanImage.Blank(columns * (w + gap) - gap, Math.Max(1, rows * (h + gap) - gap), nets.Channels, 255);
        for (int i = 0; i < n; i++)
            grid.Paste(GanImage.FromUnit(images.Slice(i * pixels, pixels), w, h, nets.Channels), i % columns * (w + gap), i / columns * (h + gap));
        return grid;
    }
}
