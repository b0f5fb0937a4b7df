using Doppel.Media.Imaging;
using Doppel.Onnx;

namespace Doppel.Faces.Detection;

/// <summary>
/// One BlazeFace model loaded into ONNX Runtime, with its anchors: frame in, candidates (after
/// weighted suppression) out, in source pixels. Thread-safe: every call has its own buffers.
/// </summary>
internal sealed class BlazeFaceNetwork : IDisposable
{
    private readonly BlazeFaceModel _model;
    private readonly OnnxSession _session;
    private readonly float[] _anchors;
    private readonly string[] _outputNames;

    public BlazeFaceNetwork(BlazeFaceModel model, int intraOpThreads)
    {
        _model = model;
        _anchors = BlazeFaceAnchors.Centers(model);
        _outputNames = model.Layers.SelectMany(l => new[] { l.ScoreOutput, l.BoxOutput }).ToArray();
        _session = OnnxSession.Open(model.ResolvePath(), new OnnxSessionOptions { IntraOpThreads = intraOpThreads });
    }

    public List<FaceDetection> Detect(RgbImage image, float minScore, float suppressionIoU)
    {
        int s = _model.InputSize;
        var letterbox = Letterbox.For(image.Width, image.Height, s);
        var input = new float[s * s * 3]; // (1, S, S, 3) NHWC
        letterbox.Fill(image, input);
        var outputs = _session.Run(new Dictionary<string, OnnxTensor> { [BlazeFaceModel.InputName] = new(input, 1, s, s, 3) }, _outputNames);

        var candidates = BlazeFaceDecoder.Decode(_model, _anchors, outputs, minScore);
        var faces = new List<FaceDetection>();
        foreach (var c in WeightedNonMaxSuppression.Apply(candidates, suppressionIoU))
            faces.Add(ToSource(c, letterbox));
        return faces;
    }

    private static FaceDetection ToSource(BlazeFaceCandidate c, Letterbox letterbox)
    {
        DetectionPoint topLeft = letterbox.ToSource(c.XMin, c.YMin), bottomRight = letterbox.ToSource(c.XMax, c.YMax);
        var keypoints = new DetectionPoint[BlazeFaceCandidate.KeypointCount];
        for (int k = 0; k < keypoints.Length; k++)
            keypoints[k] = letterbox.ToSource(c.Coords[4 + 2 * k], c.Coords[5 + 2 * k]);
        var box = new DetectionBox(topLeft.X, topLeft.Y, bottomRight.X - topLeft.X, bottomRight.Y - topLeft.Y);
        return new FaceDetection(box, c.Score, keypoints);
    }

    public void Dispose() => _session.Dispose();
}
