using System.Diagnostics;
using Doppel.Core;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// Finds a dlib shape predictor file and returns its model, parsing the .dat only when the
/// binary cache (<c>&lt;cache&gt;/models/&lt;name&gt;.bin</c>) is missing or stale.
/// </summary>
internal static class ShapePredictorLoader
{
    public const string DefaultModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    public static string CachePathFor(string datPath) =>
        Path.Combine(DoppelPaths.Cache, "models",
            Path.GetFileName(datPath) == "shape_predictor_68_face_landmarks.dat"
                ? "shape_predictor_68.bin"
                : Path.ChangeExtension(Path.GetFileName(datPath), ".bin"));

    public static ShapePredictorLoad Load(string datPath) => Load(datPath, CachePathFor(datPath));

    public static ShapePredictorLoad Load(string datPath, string cachePath)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(datPath))
            throw new DoppelException($"landmark model {datPath} is missing",
                "it comes with Debian's libdlib-data: run ./doppel setup (or apt-get install libdlib-data)");

        var stamp = ShapePredictorCache.SourceStamp.Of(datPath);
        ShapePredictorModel? cached = TryReadCache(cachePath, stamp);
        if (cached is not null) return new ShapePredictorLoad(cached, FromCache: true, clock.Elapsed);

        ShapePredictorModel model = DlibShapePredictorParser.Parse(File.ReadAllBytes(datPath), datPath);
        TryWriteCache(cachePath, model, stamp);
        return new ShapePredictorLoad(model, FromCache: false, clock.Elapsed);
    }

    private static ShapePredictorModel? TryReadCache(string cachePath, ShapePredictorCache.SourceStamp stamp)
    {
        try
        {
            return ShapePredictorCache.TryRead(cachePath, stamp);
        }
        catch (DoppelException)
        {
            // A corrupt cache is ours to throw away and rebuild, not the user's problem.
            return null;
        }
    }

    private static void TryWriteCache(string cachePath, ShapePredictorModel model, ShapePredictorCache.SourceStamp stamp)
    {
        try
        {
            ShapePredictorCache.Write(cachePath, model, stamp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DoppelException)
        {
            // The cache only saves time: a read-only or full disk must not stop landmarking.
        }
    }
}

/// <summary>A loaded model and how it was loaded (for benchmarks and logs, not for logic).</summary>
internal readonly record struct ShapePredictorLoad(ShapePredictorModel Model, bool FromCache, TimeSpan Elapsed);
