using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Tests.Detection;

public class FaceDetectorRegistryTests
{
    [Fact]
    public void ListsTheBlazeFaceVariants_DefaultFirst()
    {
        Assert.Equal("blazeface", FaceDetectorRegistry.DefaultName);
        Assert.Equal(["blazeface", "blazeface-front", "blazeface-back"], FaceDetectorRegistry.Names);
        Assert.All(FaceDetectorRegistry.Names, n => Assert.NotEmpty(FaceDetectorRegistry.Describe(n)));
    }

    [Fact]
    public void AnUnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<DoppelException>(() => FaceDetectorRegistry.Create("hog"));
        Assert.Contains("'hog'", e.Message);
        Assert.Contains("blazeface, blazeface-front, blazeface-back", e.Hint);
    }

    [Theory]
    [InlineData(-0.1f, 1)]
    [InlineData(1.5f, 1)]
    [InlineData(float.NaN, 1)]
    [InlineData(0.5f, -2)]
    public void BadSettings_AreRejected(float minScore, int threads) =>
        Assert.Throws<DoppelException>(() =>
            FaceDetectorRegistry.Create("blazeface", new FaceDetectorSettings { MinScore = minScore, Threads = threads }));

    [Theory]
    [InlineData("blazeface")]
    [InlineData("BlazeFace-Back")]
    [InlineData("blazeface-front")]
    public void EveryDetector_FindsNoFaceInAFlatGrayFrame(string name)
    {
        using var detector = FaceDetectorRegistry.Create(name);
        Assert.Equal(name.ToLowerInvariant(), detector.Name);
        var gray = new RgbImage(320, 240);
        Array.Fill(gray.Data, (byte)128);
        Assert.Empty(detector.Detect(gray));
    }
}
