using System.Diagnostics;
using Doppel.Core;
using Doppel.Faces.Landmarks;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// Reading Debian's model file and the binary cache: the model's shape, the errors for
/// missing and damaged files, and cache invalidation.
/// </summary>
[Collection(HeavyLandmarkTests.Name)]
public sealed class ShapePredictorFileTests(ITestOutputHelper output)
{
    private const string DatPath = ShapePredictorLoader.DefaultModelPath;

    [Fact]
    public void ParsesDebiansSixtyEightPointModelAndCachesIt()
    {
        using var temp = new TempDirectory();
        string cache = temp.File("sp68.bin");
        var clock = Stopwatch.StartNew();
        var first = ShapePredictorLoader.Load(DatPath, cache);
        ShapePredictorModel parsed = first.Model;
        double firstMs = clock.Elapsed.TotalMilliseconds;
        Assert.False(first.FromCache);
        Assert.True(File.Exists(cache));

        clock.Restart();
        var second = ShapePredictorLoader.Load(DatPath, cache);
        ShapePredictorModel cached = second.Model;
        double cachedMs = clock.Elapsed.TotalMilliseconds;
        Assert.True(second.FromCache);
        output.WriteLine($"first load (parse .dat + write cache): {firstMs:F0} ms; cached load: {cachedMs:F0} ms; " +
                         $"cache {new FileInfo(cache).Length / 1e6:F1} MB");

        Assert.Equal(68, parsed.PartCount);
        output.WriteLine($"model: {parsed.CascadeCount} cascades x {parsed.TreesPerCascade} trees of {parsed.LeavesPerTree} leaves, " +
                         $"{parsed.FeaturesPerCascade} feature pixels per cascade");
        Assert.Equal(parsed.CascadeCount, cached.CascadeCount);
        Assert.Equal(parsed.TreesPerCascade, cached.TreesPerCascade);
        Assert.Equal(parsed.SplitsPerTree, cached.SplitsPerTree);
        Assert.Equal(parsed.FeaturesPerCascade, cached.FeaturesPerCascade);
        Assert.Equal(parsed.InitialShape, cached.InitialShape);
        Assert.Equal(parsed.AnchorIndices, cached.AnchorIndices);
        Assert.Equal(parsed.AnchorDeltas, cached.AnchorDeltas);
        Assert.Equal(parsed.Splits, cached.Splits);
        Assert.True(parsed.LeafValues.AsSpan().SequenceEqual(cached.LeafValues));
        Assert.True(cachedMs < 1000, $"cached load took {cachedMs:F0} ms");
    }

    [Fact]
    public void MissingModelNamesThePackageThatProvidesIt()
    {
        var e = Assert.Throws<DoppelException>(() => ShapePredictorLoader.Load("/nonexistent/shape_predictor_68_face_landmarks.dat"));
        Assert.Contains("libdlib-data", e.Hint);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(5_000_000)]
    public void TruncatedModelIsADoppelException(int length)
    {
        byte[] head = ReadHead(length);
        using var temp = new TempDirectory();
        string dat = temp.File("truncated.dat");
        File.WriteAllBytes(dat, head);
        var e = Assert.Throws<DoppelException>(() => ShapePredictorLoader.Load(dat, temp.File("truncated.bin")));
        Assert.Contains("truncated.dat", e.Message);
        Assert.False(File.Exists(temp.File("truncated.bin")));
    }

    [Fact]
    public void UnknownVersionIsADoppelException()
    {
        byte[] data = ReadHead(64);
        data[1] = 2; // version 2: the control byte 0x01 is followed by the value
        var e = Assert.Throws<DoppelException>(() => DlibShapePredictorParser.Parse(data, "v2.dat"));
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void NotAModelAtAllIsADoppelException()
    {
        byte[] text = "<html>this is not a dlib model</html>"u8.ToArray();
        Assert.Throws<DoppelException>(() => DlibShapePredictorParser.Parse(text, "page.html"));
    }

    [Fact]
    public void StaleOrDamagedCacheIsRebuiltFromTheSource()
    {
        using var temp = new TempDirectory();
        string dat = temp.File("model.dat");
        string cache = temp.File("model.bin");
        File.WriteAllBytes(dat, TinyModel.Serialise());

        var first = ShapePredictorLoader.Load(dat, cache);
        Assert.False(first.FromCache);
        Assert.True(ShapePredictorLoader.Load(dat, cache).FromCache);

        // A changed source (new mtime) invalidates the cache.
        File.SetLastWriteTimeUtc(dat, File.GetLastWriteTimeUtc(dat).AddSeconds(5));
        Assert.False(ShapePredictorLoader.Load(dat, cache).FromCache);

        // A truncated cache is rebuilt, not an error.
        byte[] bytes = File.ReadAllBytes(cache);
        File.WriteAllBytes(cache, bytes[..^4]);
        var rebuilt = ShapePredictorLoader.Load(dat, cache);
        Assert.False(rebuilt.FromCache);
        Assert.Equal(first.Model.LeafValues, rebuilt.Model.LeafValues);
    }

    private static byte[] ReadHead(int length)
    {
        using var file = File.OpenRead(DatPath);
        var head = new byte[length];
        file.ReadExactly(head);
        return head;
    }
}
