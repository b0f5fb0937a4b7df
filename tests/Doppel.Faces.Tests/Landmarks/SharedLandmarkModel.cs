using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>One predictor for all tests: loading it (even from the cache) is the slow part.</summary>
internal static class SharedLandmarkModel
{
    private static readonly Lazy<LandmarkPredictor> Lazy = new(() => LandmarkPredictor.Load());

    public static LandmarkPredictor Predictor => Lazy.Value;
}
