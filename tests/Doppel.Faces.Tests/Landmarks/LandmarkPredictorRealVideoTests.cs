using System.Numerics;
using Doppel.Faces.Landmarks;
using Doppel.Media.Imaging;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// The C# predictor against dlib's C++ on real frames: same frames (same ffmpeg decode),
/// same HOG boxes, points compared with dlib's, which dlib rounds to whole pixels.
/// </summary>
[Collection(HeavyLandmarkTests.Name)]
public sealed class LandmarkPredictorRealVideoTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("franck")]
    [InlineData("cap12_edit")]
    public void MatchesDlibWithinHalfAPixel(string name)
    {
        var (fixture, frames) = LoadFrames(name);
        var predictor = SharedLandmarkModel.Predictor;
        double maxError = 0, sumError = 0, maxCoordinateError = 0;
        int points = 0, roundedDifferently = 0;
        foreach (DlibLandmarkFrame expected in fixture.Frames)
        {
            var image = LandmarkImage.Of(frames[expected.Frame]);
            Vector2[] actual = predictor.Predict(image, expected.Box);
            for (int i = 0; i < actual.Length; i++)
            {
                double dx = actual[i].X - expected.Points[2 * i], dy = actual[i].Y - expected.Points[2 * i + 1];
                double error = Math.Sqrt(dx * dx + dy * dy);
                maxError = Math.Max(maxError, error);
                maxCoordinateError = Math.Max(maxCoordinateError, Math.Max(Math.Abs(dx), Math.Abs(dy)));
                sumError += error;
                points++;
                if (DlibRound(actual[i].X) != expected.Points[2 * i] || DlibRound(actual[i].Y) != expected.Points[2 * i + 1])
                    roundedDifferently++;
            }
        }
        output.WriteLine($"{name}: {fixture.Frames.Count} frames, {points} points; error vs dlib's integer points: " +
                         $"max {maxError:F3} px, mean {sumError / points:F3} px, max per coordinate {maxCoordinateError:F3} px; " +
                         $"{roundedDifferently} points round differently from dlib");
        Assert.True(fixture.Frames.Count >= 15, "too few fixture frames");
        // dlib rounds its answer to whole pixels, so an exact match is within 0.5 px per coordinate.
        Assert.True(maxCoordinateError <= 0.5 + 1e-3, $"max per-coordinate error {maxCoordinateError:F3} px");
        Assert.True(roundedDifferently <= points / 1000, $"{roundedDifferently} of {points} points round differently");
    }

    [Theory]
    [InlineData("franck")]
    [InlineData("cap12_edit")]
    public void LandmarksHaveAFacesLayout(string name)
    {
        var (fixture, frames) = LoadFrames(name);
        foreach (DlibLandmarkFrame f in fixture.Frames)
        {
            Vector2[] p = SharedLandmarkModel.Predictor.Predict(LandmarkImage.Of(frames[f.Frame]), f.Box);
            // iBUG 300-W numbering: 36-41 right eye, 42-47 left eye, 30 nose tip, 48-67 mouth, 8 chin.
            Vector2 rightEye = Mean(p, 36, 42), leftEye = Mean(p, 42, 48), mouth = Mean(p, 48, 68);
            float eyesY = (rightEye.Y + leftEye.Y) / 2;
            Assert.True(eyesY < p[30].Y && p[30].Y < mouth.Y && mouth.Y < p[8].Y, $"frame {f.Frame}: eyes, nose, mouth, chin out of order");
            Assert.True(rightEye.X < leftEye.X, $"frame {f.Frame}: eyes swapped");
            double interOcular = Vector2.Distance(rightEye, leftEye) / f.Box.Width;
            Assert.InRange(interOcular, 0.25, 0.6);
        }
    }

    // dlib converts its double point to integers with floor(v + 0.5).
    private static int DlibRound(float v) => (int)Math.Floor(v + 0.5);

    private static Vector2 Mean(Vector2[] p, int from, int to)
    {
        Vector2 sum = Vector2.Zero;
        for (int i = from; i < to; i++) sum += p[i];
        return sum / (to - from);
    }

    private static (DlibLandmarkFixture, Dictionary<int, RgbImage>) LoadFrames(string name)
    {
        var fixture = DlibLandmarkFixture.Load(name);
        return (fixture, FrameCache.Get(fixture));
    }
}
