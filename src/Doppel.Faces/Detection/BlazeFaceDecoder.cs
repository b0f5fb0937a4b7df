using Doppel.Onnx;

namespace Doppel.Faces.Detection;

/// <summary>
/// Turns the networks' raw outputs into candidates, following MediaPipe's
/// TensorsToDetectionsCalculator for face detection: score = sigmoid(logit) with the logit
/// clipped to +-100; each anchor's 16 regressor values are (dx, dy, w, h, then six keypoint
/// (x, y) pairs) in input pixels, relative to the anchor centre for positions. Dividing by the
/// input size (MediaPipe's x/y/w/h_scale = 128 or 256) and adding the anchor centre gives
/// normalised coordinates; anchors are 1x1, so no further scaling.
/// </summary>
internal static class BlazeFaceDecoder
{
    private const int Regressors = 16;

    public static List<BlazeFaceCandidate> Decode(BlazeFaceModel model, float[] anchors,
        IReadOnlyDictionary<string, OnnxTensor> outputs, float minScore)
    {
        var found = new List<BlazeFaceCandidate>();
        float inv = 1f / model.InputSize;
        // Compare logits rather than scores: sigmoid is monotonic, and only the few anchors
        // that pass need the exponential.
        float minLogit = minScore <= 0 ? float.NegativeInfinity : minScore >= 1 ? float.PositiveInfinity : MathF.Log(minScore / (1 - minScore));
        int anchorBase = 0;
        foreach (var layer in model.Layers)
        {
            float[] scores = outputs[layer.ScoreOutput].Data;
            float[] boxes = outputs[layer.BoxOutput].Data;
            int count = layer.AnchorCount(model.InputSize);
            if (scores.Length != count || boxes.Length != count * Regressors)
                throw new InvalidOperationException(
                    $"{model.FileName}: expected {count} anchors in {layer.ScoreOutput}/{layer.BoxOutput}, got {scores.Length}/{boxes.Length / Regressors}");
            for (int i = 0; i < count; i++)
            {
                float logit = Math.Clamp(scores[i], -100f, 100f);
                if (logit < minLogit) continue;
                float ax = anchors[(anchorBase + i) * 2], ay = anchors[(anchorBase + i) * 2 + 1];
                var r = boxes.AsSpan(i * Regressors, Regressors);
                float cx = r[0] * inv + ax, cy = r[1] * inv + ay;
                float halfW = r[2] * inv / 2, halfH = r[3] * inv / 2;
                var coords = new float[BlazeFaceCandidate.CoordCount];
                coords[0] = cx - halfW;
                coords[1] = cy - halfH;
                coords[2] = cx + halfW;
                coords[3] = cy + halfH;
                for (int k = 0; k < BlazeFaceCandidate.KeypointCount; k++)
                {
                    coords[4 + 2 * k] = r[4 + 2 * k] * inv + ax;
                    coords[5 + 2 * k] = r[5 + 2 * k] * inv + ay;
                }
                found.Add(new BlazeFaceCandidate(1f / (1f + MathF.Exp(-logit)), coords));
            }
            anchorBase += count;
        }
        return found;
    }
}
