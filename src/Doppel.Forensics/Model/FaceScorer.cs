using Doppel.Media.Imaging;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Forensics.Model;

/// <summary>One face's result: the fake probability (0 looks real, 1 looks fake) and, when asked, the predicted blend-boundary heatmap (M x M, 0..1).</summary>
public sealed record FaceScore(float Score, float[]? Heatmap);

/// <summary>
/// Runs a detector network on faces already cut to its input (<see cref="DetectorInput"/>), in
/// batches, in evaluation mode (batch norm's running statistics), without recording gradients.
/// Every face is scored together with its mirror image, by every network of the model, and the
/// logits are averaged (heatmaps too, the mirror's turned back): a paste seam does not depend on
/// which side is left, and the average removes part of what one view gets wrong by chance
/// (docs/forensics.md, "Mirror averaging and ensembles", and the figures under "Status").
/// Training's validation, calibration and detect all score this way, so a threshold
/// means the same everywhere. Switches the network back to the mode it found. Not for two
/// threads at once.
/// </summary>
public static class FaceScorer
{
    /// <summary>Faces per forward pass (each pass holds them and their mirrors: twice as many inputs).</summary>
    public const int BatchSize = 32;

    public static IReadOnlyList<FaceScore> Score(DetectorModel model, IReadOnlyList<RgbImage> faces, bool heatmaps = false) => Score(model.Nets, faces, heatmaps);

    public static IReadOnlyList<FaceScore> Score(FakeDetectorNet net, IReadOnlyList<RgbImage> faces, bool heatmaps = false) => Score([net], faces, heatmaps);

    /// <summary>Scores with several networks of one shape (an ensemble): the mean logit over every network and both views.</summary>
    public static IReadOnlyList<FaceScore> Score(IReadOnlyList<FakeDetectorNet> nets, IReadOnlyList<RgbImage> faces, bool heatmaps = false)
    {
        var spec = nets[0].Spec;
        int s = spec.InputSize, m = spec.MaskSize, per = s * s * 3, views = 2 * nets.Count;
        var results = new List<FaceScore>(faces.Count);
        var wasTraining = nets.Select(n => n.Training).ToArray();
        foreach (var net in nets) net.Eval();
        try
        {
            using var _ = GradMode.Off();
            for (int first = 0; first < faces.Count; first += BatchSize)
            {
                int n = Math.Min(BatchSize, faces.Count - first);
                using var scope = TensorScope.Begin();
                var x = Tensor.Empty(2 * n, s, s, 3); // the n faces, then their n mirror images
                var span = x.Span;
                for (int i = 0; i < n; i++)
                {
                    var face = faces[first + i];
                    if (face.Width != s || face.Height != s) throw new ArgumentException($"face {first + i} is {face.Width}x{face.Height}, the detector takes {s}x{s}");
                    DetectorInput.ToTensor(face, span.Slice(i * per, per));
                    MirrorRows(span.Slice(i * per, per), span.Slice((n + i) * per, per), s, 3);
                }
                var logitSums = new float[n];
                var maskSums = heatmaps ? new float[n * m * m] : [];
                var unmirrored = heatmaps ? new float[m * m] : [];
                foreach (var net in nets)
                {
                    var output = net.Forward(x);
                    var logits = output.Logits.Span;
                    var mask = output.MaskLogits.Span;
                    for (int i = 0; i < n; i++)
                    {
                        logitSums[i] += logits[i] + logits[n + i];
                        if (!heatmaps) continue;
                        MirrorRows(mask.Slice((n + i) * m * m, m * m), unmirrored, m, 1);
                        for (int p = 0; p < m * m; p++) maskSums[i * m * m + p] += mask[i * m * m + p] + unmirrored[p];
                    }
                }
                for (int i = 0; i < n; i++)
                {
                    float[]? heat = null;
                    if (heatmaps)
                    {
                        heat = new float[m * m];
                        for (int p = 0; p < heat.Length; p++) heat[p] = Sigmoid(maskSums[i * m * m + p] / views);
                    }
                    results.Add(new FaceScore(Sigmoid(logitSums[i] / views), heat));
                }
            }
        }
        finally
        {
            for (int i = 0; i < nets.Count; i++) nets[i].Train(wasTraining[i]);
        }
        return results;
    }

    /// <summary>Writes a (side, side, channels) image mirrored left to right.</summary>
    private static void MirrorRows(ReadOnlySpan<float> source, Span<float> destination, int side, int channels)
    {
        for (int y = 0; y < side; y++)
        {
            int row = y * side * channels;
            for (int x = 0; x < side; x++)
                source.Slice(row + x * channels, channels).CopyTo(destination.Slice(row + (side - 1 - x) * channels, channels));
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
