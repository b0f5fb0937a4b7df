using Doppel.Forensics.Model;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Forensics.Training;

/// <summary>
/// The training preview: eight held-out pairs in columns; rows: real, its self-blend, the true
/// blend boundary, the boundary the model predicts for the fake, and for the real (which should
/// stay dark). The score of each face is drawn as a bar under it (green real, red fake, its
/// length the score). Shows real people: keep it private.
/// </summary>
public static class DetectorPreview
{
    public const int Columns = 8;

    public static void Write(string path, FakeDetectorNet net, DetectorValidation validation)
    {
        int n = Math.Min(Columns, validation.PairReals.Count);
        if (n == 0) return;
        int s = net.Spec.InputSize, bar = 4;
        var picks = Enumerable.Range(0, n).Select(i => i * validation.PairReals.Count / n).ToList();
        var reals = FaceScorer.Score(net, picks.Select(i => validation.PairReals[i]).ToList(), heatmaps: true);
        var fakes = FaceScorer.Score(net, picks.Select(i => validation.PairFakes[i]).ToList(), heatmaps: true);
        var grid = new RgbImage(n * s, 5 * (s + bar));
        for (int c = 0; c < n; c++)
        {
            int i = picks[c];
            Paste(grid, validation.PairReals[i], c * s, 0, reals[c].Score, bar);
            Paste(grid, validation.PairFakes[i], c * s, s + bar, fakes[c].Score, bar);
            var truth = new float[s * s];
            for (int p = 0; p < truth.Length; p++) { float m = validation.PairWeights[i][p]; truth[p] = 4 * m * (1 - m); }
            Paste(grid, Heat(truth, s, s), c * s, 2 * (s + bar), null, bar);
            Paste(grid, Heat(fakes[c].Heatmap!, net.Spec.MaskSize, s), c * s, 3 * (s + bar), null, bar);
            Paste(grid, Heat(reals[c].Heatmap!, net.Spec.MaskSize, s), c * s, 4 * (s + bar), null, bar);
        }
        PngWriter.Write(path, grid);
    }

    /// <summary>A 0..1 plane as a grey picture of <paramref name="size"/> px (bilinear when smaller).</summary>
    public static RgbImage Heat(float[] plane, int planeSize, int size)
    {
        var gray = new GrayImage(planeSize, planeSize);
        for (int p = 0; p < plane.Length; p++) gray.Data[p] = (byte)Math.Clamp(plane[p] * 255f + 0.5f, 0, 255);
        if (planeSize != size) gray = ImageResize.Bilinear(gray, size, size);
        var rgb = new RgbImage(size, size);
        for (int p = 0; p < gray.Data.Length; p++) rgb.Data[3 * p] = rgb.Data[3 * p + 1] = rgb.Data[3 * p + 2] = gray.Data[p];
        return rgb;
    }

    private static void Paste(RgbImage grid, RgbImage tile, int x0, int y0, float? score, int bar)
    {
        for (int y = 0; y < tile.Height; y++) tile.Row(y).CopyTo(grid.Row(y0 + y).Slice(x0 * 3, tile.Stride));
        if (score is not { } value) return;
        int length = (int)Math.Round(value * tile.Width);
        for (int y = y0 + tile.Height; y < y0 + tile.Height + bar; y++)
            for (int x = 0; x < length; x++) grid.SetPixel(x0 + x, y, (byte)(255 * value), (byte)(255 * (1 - value)), 0);
    }
}
