using System.Numerics;
using Doppel.Faces.Alignment;
using Doppel.Faces.Tests.Landmarks;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Alignment;

/// <summary>
/// Alignment of dlib's own landmarks (the fixtures, no video needed): eyes and mouth must land
/// where the template puts them in a 256 px crop, whichever person and frame.
/// </summary>
public sealed class FixtureAlignmentTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("franck")]
    [InlineData("cap12_edit")]
    public void Eyes_and_mouth_land_on_the_template(string fixtureName)
    {
        var fixture = DlibLandmarkFixture.Load(fixtureName);
        var aligner = new FaceAligner();
        ReadOnlySpan<Vector2> target = aligner.TemplateInCrop;
        Vector2 wantRight = MeanFaceTests.Average(target[LandmarkRegions.RightEye]);
        Vector2 wantLeft = MeanFaceTests.Average(target[LandmarkRegions.LeftEye]);
        Vector2 wantMouth = MeanFaceTests.Average(target[LandmarkRegions.OuterMouth]);
        double worst = 0, sum = 0;
        int count = 0;
        foreach (var frame in fixture.Frames)
        {
            Vector2[] points = Enumerable.Range(0, 68).Select(i => new Vector2(frame.Points[2 * i], frame.Points[2 * i + 1])).ToArray();
            var inCrop = Umeyama.Transform(aligner.Align(points), points);
            foreach (var (region, want) in new[] { (LandmarkRegions.RightEye, wantRight), (LandmarkRegions.LeftEye, wantLeft), (LandmarkRegions.OuterMouth, wantMouth) })
            {
                double d = Vector2.Distance(MeanFaceTests.Average(inCrop[region]), want);
                worst = Math.Max(worst, d);
                sum += d;
                count++;
            }
        }
        double mean = sum / count;
        output.WriteLine($"{fixtureName}: {fixture.Frames.Count} frames, eye/mouth centre offset from the template in a 256 px crop: mean {mean:F2} px, worst {worst:F2} px");
        // A real face differs from the mean face (identity, expression: an open mouth moves the
        // mouth centre down), so not zero; a few px on average, and bounded in the worst frame.
        Assert.InRange(mean, 0, 5);
        Assert.InRange(worst, 0, 12);
    }
}
