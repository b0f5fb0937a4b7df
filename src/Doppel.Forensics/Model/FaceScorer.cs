using Doppel.Media.Imaging;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Forensics.Model;

/// <summary>One face's result: the fake probability (0 looks real, 1 looks fake) and, when asked, the predicted blend-boundary heatmap (M x M, 0..1).</summary>
public sealed record FaceScore(float Score, float[]? Heatmap);

/// <summary>
/// Runs a detector network on faces already cut to its input (<see cref="DetectorInput"/>), in
/// batches, in evaluation mode (batch norm's running statistics), without recording gradients.
/// Switches the network back to the mode it found. Not for two threads at once.
/// </summary>
public static class FaceScorer
{
    public const int BatchSize = 32;

    public static IReadOnlyList<FaceScore> Score(FakeDetectorNet net, IReadOnlyList<RgbImage> faces, bool heatmaps = false)
    {
        int s = net.Spec.InputSize, m = net.Spec.MaskSize, per = s * s * 3;
        var results = new List<FaceScore>(faces.Count);
        bool wasTraining = net.Training;
        net.Eval();
        try
        {
            using var _ = GradMode.Off();
            for (int first = 0; first < faces.Count; first += BatchSize)
            {
                int n = Math.Min(BatchSize, faces.Count - first);
                using var scope = TensorScope.Begin();
                var x = Tensor.Empty(n, s, s, 3);
                var span = x.Span;
                for (int i = 0; i < n; i++)
                {
                    var face = faces[first + i];
                    if (face.Width != s || face.Height != s) throw new ArgumentException($"face {first + i} is {face.Width}x{face.Height}, the detector takes {s}x{s}");
                    DetectorInput.ToTensor(face, span.Slice(i * per, per));
                }
                var output = net.Forward(x);
                var logits = output.Logits.Span;
                var mask = output.MaskLogits.Span;
                for (int i = 0; i < n; i++)
                {
                    float[]? heat = null;
                    if (heatmaps)
                    {
                        heat = new float[m * m];
                        for (int p = 0; p < heat.Length; p++) heat[p] = Sigmoid(mask[i * m * m + p]);
                    }
                    results.Add(new FaceScore(Sigmoid(logits[i]), heat));
                }
            }
        }
        finally
        {
            net.Train(wasTraining);
        }
        return results;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
