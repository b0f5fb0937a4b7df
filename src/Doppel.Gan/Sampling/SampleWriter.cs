using System.Globalization;
using Doppel.Core;
using Doppel.Provenance;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Sampling;

/// <summary>
/// <c>doppel gan sample</c>'s work: N images from a trained generator as 000000.png, 000001.png,
/// ... (8-bit grey for MNIST, RGB for faces) and optionally one grid of them, every file finished
/// through the synthetic-output policy (labelled as created by a model, with the generator's
/// weights as ingredient), so each appears labelled and whole or not at all.
/// </summary>
public static class SampleWriter
{
    public static IReadOnlyList<string> Write(GanModel model, int count, string outputDir, ulong seed, SyntheticOutputPolicy policy, string? gridPath = null, Action<int>? progress = null)
    {
        if (count < 1) throw new DoppelException($"-n {count}: nothing to sample", "ask for at least one image, e.g. -n 64");
        var nets = model.Networks;
        var images = GanSampler.Generate(nets, GanSampler.Noise(count, nets.ZDim, new Rng(seed), model.Settings.Noise));
        int pixels = nets.PixelsPerImage;
        Directory.CreateDirectory(outputDir);
        var written = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var image = GanImage.FromUnit(images.AsSpan(i * pixels, pixels), nets.Width, nets.Height, nets.Channels);
            string path = Path.Combine(outputDir, i.ToString("D6", CultureInfo.InvariantCulture) + ".png");
            policy.Write(path, image.WritePng);
            written.Add(path);
            progress?.Invoke(i + 1);
        }
        if (gridPath is not null)
        {
            int columns = (int)Math.Ceiling(Math.Sqrt(count));
            var grid = GanSampler.Grid(nets, images, columns);
            policy.Write(gridPath, grid.WritePng);
            written.Add(gridPath);
        }
        return written;
    }
}
