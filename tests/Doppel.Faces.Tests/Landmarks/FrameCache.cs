using System.Collections.Concurrent;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>Decodes each fixture's frames once per test run; several tests use the same ones.</summary>
internal static class FrameCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Dictionary<int, byte[]>>> Frames = new();

    public static Dictionary<int, byte[]> Get(DlibLandmarkFixture fixture) =>
        Frames.GetOrAdd(fixture.Video, _ => new Lazy<Dictionary<int, byte[]>>(() =>
            RawVideoFrames.Read(fixture.VideoPath, fixture.Width, fixture.Height,
                fixture.Frames.Select(f => f.Frame).ToHashSet()))).Value;
}
