using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Faces.Detection;

namespace Doppel.Faces.Extraction;

/// <summary>The knobs of <see cref="FaceExtractor"/> (the CLI's extract options map onto these).</summary>
public sealed record FaceExtractorOptions
{
    public static readonly FaceExtractorOptions Default = new();

    /// <summary>Detector registry name (<see cref="FaceDetectorRegistry"/>).</summary>
    public string Detector { get; init; } = FaceDetectorRegistry.DefaultName;

    public FaceSelection Faces { get; init; } = FaceSelection.Largest;

    /// <summary>
    /// Faces whose detection box is narrower or lower than this (px) are skipped; a photo's
    /// every-scale search looks for faces down to this size and no smaller. 20 px: smaller
    /// faces are too little to train on or to judge, and searching for them costs the most.
    /// </summary>
    public double MinSize { get; init; } = 20;

    /// <summary>Detections scoring below this are dropped (passed on to the detector).</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>Crop size and where the face sits in it.</summary>
    public CropGeometry Crop { get; init; } = CropGeometry.Default;

    /// <summary>Whether <see cref="FaceExtractor.Extract"/> warps the crop (conversion may only want landmarks and matrices).</summary>
    public bool MakeCrops { get; init; } = true;

    public void Validate()
    {
        if (!(MinSize >= 0)) throw new DoppelException($"minimum face size must be 0 or more pixels, got {MinSize}");
        if (!(MinScore is >= 0 and <= 1)) throw new DoppelException($"minimum score must be between 0 and 1, got {MinScore}");
        Crop.Validate();
    }
}
