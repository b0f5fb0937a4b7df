using Doppel.Faces.Extraction;
using Doppel.Faces.Tests.Landmarks;

namespace Doppel.Faces.Tests.Extraction;

/// <summary>One extractor (BlazeFace session + the shared landmark model) for the extraction tests.</summary>
internal static class SharedExtractor
{
    private static readonly Lazy<FaceExtractor> Lazy = new(() => new FaceExtractor(predictor: SharedLandmarkModel.Predictor));

    public static FaceExtractor Default => Lazy.Value;
}
