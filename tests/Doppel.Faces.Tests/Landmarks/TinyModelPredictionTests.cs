using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>The evaluation rules on a model small enough to follow by hand.</summary>
public sealed class TinyModelPredictionTests
{
    private static readonly LandmarkPredictor Predictor = new(DlibShapePredictorParser.Parse(TinyModel.Serialise(), "tiny"));

    // Box (0,0)-(100,100): landmark 0 samples pixel (25, 50), landmark 1 samples (75, 50).
    private static readonly FaceBox Box = new(0, 0, 100, 100);

    [Fact]
    public void BrightLeftPixelTakesTheLeftLeaf()
    {
        byte[] gray = new byte[101 * 101];
        gray[50 * 101 + 25] = 200;
        gray[50 * 101 + 75] = 100;
        Vector2[] points = Predictor.Predict(LandmarkImage.Gray(101, 101, gray), Box);
        AssertNear(new Vector2(35, 50), points[0]);
        AssertNear(new Vector2(85, 50), points[1]);
    }

    [Fact]
    public void EqualPixelsTakeTheRightLeaf()
    {
        Vector2[] points = Predictor.Predict(LandmarkImage.Gray(101, 101, new byte[101 * 101]), Box);
        AssertNear(new Vector2(15, 50), points[0]);
        AssertNear(new Vector2(65, 50), points[1]);
    }

    [Fact]
    public void RgbIsReadAsDlibsIntegerMeanOfTheChannels()
    {
        // Pixel0 = (255 + 0 + 32) / 3 = 95 (integer division), pixel1 = 85: 95 - 85 = 10, not > 10.
        byte[] rgb = new byte[101 * 101 * 3];
        rgb[(50 * 101 + 25) * 3] = 255; rgb[(50 * 101 + 25) * 3 + 2] = 32;
        rgb[(50 * 101 + 75) * 3 + 1] = 255;
        Vector2[] points = Predictor.Predict(LandmarkImage.Rgb(101, 101, rgb), Box);
        AssertNear(new Vector2(15, 50), points[0]);

        rgb[(50 * 101 + 25) * 3 + 2] = 35; // 290 / 3 = 96: now 11 > 10
        AssertNear(new Vector2(35, 50), Predictor.Predict(LandmarkImage.Rgb(101, 101, rgb), Box)[0]);
    }

    [Fact]
    public void PixelsOutsideTheImageReadAsZero()
    {
        // Shift the box so landmark 1's pixel lands at x = 125, beyond a 101-wide image;
        // a bright pixel 0 then beats the "zero" outside.
        byte[] gray = new byte[101 * 101];
        gray[50 * 101 + 75] = 50;
        var box = new FaceBox(50, 0, 150, 100);
        Vector2[] points = Predictor.Predict(LandmarkImage.Gray(101, 101, gray), box);
        AssertNear(new Vector2(85, 50), points[0]);
    }

    [Fact]
    public void FeaturePixelsRoundHalfUp()
    {
        // Box width 99: landmark 0 maps to x = 24.75 -> 25, landmark 1 to 74.25 -> 74.
        var box = new FaceBox(0, 0, 99, 99);
        byte[] gray = new byte[101 * 101];
        gray[50 * 101 + 25] = 100; // y = 49.5 rounds up to row 50; rounding down would read 0 here
        Vector2[] points = Predictor.Predict(LandmarkImage.Gray(101, 101, gray), box);
        Assert.Equal(24.75f + TinyModel.Step * 99, points[0].X, 3);
    }

    [Fact]
    public void AnchorBeyondThePartsIsRejected()
    {
        byte[] model = TinyModel.Serialise();
        // Corrupt the anchor of pixel 1 to part 5 of 2: the model must not load.
        byte[] good = new DlibWriter().Int(1).Int(2).Int(0).Int(1).ToArray();
        byte[] bad = new DlibWriter().Int(1).Int(2).Int(0).Int(5).ToArray();
        int at = IndexOf(model, good);
        bad.CopyTo(model, at);
        Assert.Throws<DoppelException>(() => DlibShapePredictorParser.Parse(model, "bad"));
    }

    // Shapes are floats in the box's unit frame (0.25 - 0.1 is not exact), hence the tolerance.
    private static void AssertNear(Vector2 expected, Vector2 actual)
    {
        Assert.Equal(expected.X, actual.X, 3);
        Assert.Equal(expected.Y, actual.Y, 3);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = haystack.Length - needle.Length; i >= 0; i--)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("pattern not found");
    }
}
