using Doppel.Faces.Detection;
using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Tests.Extraction;

public sealed class FaceSelectionTests
{
    private sealed class FixedDetector(params FaceDetection[] faces) : IFaceDetector
    {
        public string Name => "fixed";
        public IReadOnlyList<FaceDetection> Detect(RgbImage image) => faces;
        public void Dispose() { }
    }

    private static FaceDetection Face(double size, float score) => new(new DetectionBox(10, 10, size, size), score, []);

    [Theory]
    [InlineData(FaceSelection.Largest, 1)]
    [InlineData(FaceSelection.All, 2)]
    public void Filters_by_size_and_score_then_keeps_the_largest_or_all(FaceSelection mode, int expected)
    {
        using var detector = new FixedDetector(Face(40, 0.9f), Face(120, 0.8f), Face(20, 0.99f), Face(200, 0.3f));
        using var extractor = new FaceExtractor(new FaceExtractorOptions { Faces = mode, MinSize = 32, MinScore = 0.5f }, detector, SharedLandmarkModel.Predictor);
        var kept = extractor.Select(detector.Detect(new RgbImage(1, 1)));
        Assert.Equal(expected, kept.Count);
        Assert.Equal(120, kept[0].Box.Width); // largest first
    }
}
