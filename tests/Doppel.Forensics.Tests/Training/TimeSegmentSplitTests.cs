using Doppel.Forensics.Training;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Tests.Training;

public class TimeSegmentSplitTests
{
    private static readonly RgbImage Pixel = new(1, 1);

    private static DetectorFace Frame(string video, long frame) => new(Pixel, null, video, true, frame, false);

    [Fact]
    public void WholeSegmentsAreHeldOutWithAGapAroundThem()
    {
        var split = new TimeSegmentSplit(seed: 3);
        var parts = Enumerable.Range(0, 48 * 20).Select(f => split.PartOf(Frame("/data/clip.mp4", f))).ToList();
        for (int segment = 0; segment < 20; segment++)
        {
            var inSegment = parts.Skip(segment * 48).Take(48).ToList();
            bool held = inSegment.Contains(SplitPart.Validation);
            Assert.True(!held || inSegment.All(p => p == SplitPart.Validation), $"segment {segment} is split");
        }
        Assert.Equal(4 * 48, parts.Count(p => p == SplitPart.Validation)); // every 5th of 20
        // No training frame within 12 frames of a held-out one.
        for (int f = 0; f < parts.Count; f++)
            if (parts[f] == SplitPart.Train)
                for (int d = -12; d <= 12; d++)
                    if (f + d >= 0 && f + d < parts.Count) Assert.NotEqual(SplitPart.Validation, parts[f + d]);
    }

    [Fact]
    public void TheSplitDependsOnTheNameAndSeedNotTheFolder()
    {
        var a = new TimeSegmentSplit(1);
        Assert.Equal(a.PartOf(Frame("/x/clip.mp4", 500)), a.PartOf(Frame("/y/z/clip.mp4", 500)));
        var images = Enumerable.Range(0, 400).Select(i => new DetectorFace(Pixel, null, $"/photos/img{i}.jpg", false, 0, false)).ToList();
        int held = images.Count(i => a.PartOf(i) == SplitPart.Validation);
        Assert.InRange(held, 50, 110); // one in five, by a hash of the name
        Assert.DoesNotContain(images, i => a.PartOf(i) == SplitPart.Gap);
        Assert.NotEqual(images.Select(i => a.PartOf(i)), images.Select(i => new TimeSegmentSplit(2).PartOf(i)));
    }
}
