using Doppel.Media.Video;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Support;

namespace Doppel.Swap.Tests.Convert;

/// <summary>
/// doppel convert end to end on 24 frames of franck.mp4 with a synthetic audio track, through an
/// untrained lite model (random weights draw a face nothing like the input, so "changed" is easy
/// to see; what is tested here is the plumbing, not the quality of a swap).
/// </summary>
public class ConvertRealVideoTests
{
    private const int Frames = 24;

    [Fact]
    public void AVideoKeepsItsFramesRateSizeAndSoundAndChangesOnlyTheFace()
    {
        using var dir = new TempDir();
        string clip = ConvertFixtures.ClipWithAudio(dir.Path, Frames);
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite");
        string output = dir.Sub("out/converted.mp4");

        var summary = new ConvertJob(new ConvertOptions { Input = clip, ModelDir = model, Output = output }, TextWriter.Null)
            { Extractor = ConvertFixtures.Extractor }.Run();

        Assert.Equal(Frames, summary.Frames);
        Assert.True(summary.FramesWithFaces >= Frames - 2, $"faces in {summary.FramesWithFaces} of {Frames} frames");
        VideoInfo source = VideoProbe.Probe(clip), result = VideoProbe.Probe(output);
        Assert.Equal((source.Width, source.Height), (result.Width, result.Height));
        Assert.Equal(source.FrameRate.Reduced(), result.FrameRate.Reduced());
        Assert.Equal(Frames, result.FrameCount);
        Assert.True(result.HasAudio, "the audio track was dropped");
        Assert.Empty(Directory.GetFiles(dir.Sub("out"), "*.tmp"));

        using var before = new VideoReader(clip);
        using var after = new VideoReader(output);
        double outsideSum = 0, insideSum = 0;
        int compared = 0;
        foreach (var (a, b) in before.Frames().Zip(after.Frames()))
        {
            var face = ConvertFixtures.Extractor.Extract(a.Image);
            if (face.Count == 0) continue;
            var box = face[0].Detection.Box;
            var (outside, inside) = ConvertFixtures.Differences(a.Image, b.Image, (box.X, box.Y, box.Width, box.Height));
            outsideSum += outside;
            insideSum += inside;
            compared++;
        }
        Assert.True(compared >= Frames / 2);
        // Far from the face only H.264 re-encoding differs (crf 18 on crf 16: about 1 level); the face itself is redrawn.
        Assert.True(outsideSum / compared < 2.0, $"pixels far from the face changed by {outsideSum / compared:F2} on average");
        Assert.True(insideSum / compared > 8.0, $"pixels in the face changed by only {insideSum / compared:F2} on average");
    }
}
