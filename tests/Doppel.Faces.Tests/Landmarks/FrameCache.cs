using System.Collections.Concurrent;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// Decodes each fixture's frames once per test run (several tests use the same ones) with
/// Doppel.Media's VideoReader. It asks ffmpeg for rgb24 just as the dlib fixture tool does,
/// so both sides see the same pixels; the exact match with dlib's points depends on that.
/// </summary>
internal static class FrameCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Dictionary<int, RgbImage>>> Frames = new();

    public static Dictionary<int, RgbImage> Get(DlibLandmarkFixture fixture) =>
        Frames.GetOrAdd(fixture.Video, _ => new Lazy<Dictionary<int, RgbImage>>(() => Decode(fixture))).Value;

    private static Dictionary<int, RgbImage> Decode(DlibLandmarkFixture fixture)
    {
        var wanted = fixture.Frames.Select(f => f.Frame).ToHashSet();
        // Stop after the last wanted frame rather than decoding the rest of the video.
        using var reader = new VideoReader(fixture.VideoPath, new VideoReadOptions { MaxFrames = wanted.Max() + 1 });
        Assert.Equal((fixture.Width, fixture.Height), (reader.Info.Width, reader.Info.Height));
        var frames = new Dictionary<int, RgbImage>();
        var buffer = new RgbImage(fixture.Width, fixture.Height);
        for (long index; (index = reader.Read(buffer)) >= 0;)
            if (wanted.Contains((int)index)) frames[(int)index] = buffer.Clone();
        Assert.Equal(wanted.Count, frames.Count);
        return frames;
    }
}
