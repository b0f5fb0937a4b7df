using System.Numerics;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Alignment;

/// <summary>
/// Landmarks -> the similarity that puts them onto the template in a crop -> the crop.
/// The matrix maps source pixels to crop pixels (the direction alignments.json stores);
/// the warp inverts it. Stateless after construction, so one aligner serves every thread.
/// </summary>
public sealed class FaceAligner
{
    private readonly Vector2[] _targets;

    public FaceAligner(FaceTemplate? template = null, CropGeometry? geometry = null)
    {
        Template = template ?? MeanFace.Template;
        Geometry = geometry ?? CropGeometry.Default;
        Geometry.Validate();
        _targets = Geometry.ToCrop(Template.Points);
    }

    public FaceTemplate Template { get; }
    public CropGeometry Geometry { get; }

    /// <summary>The template's 68 points in crop pixels.</summary>
    public ReadOnlySpan<Vector2> TemplateInCrop => _targets;

    /// <summary>The source-pixel -> crop-pixel similarity fitted on <see cref="LandmarkRegions.AlignmentPoints"/>.</summary>
    public AffineMatrix Align(ReadOnlySpan<Vector2> landmarks)
    {
        if (landmarks.Length != LandmarkRegions.PointCount)
            throw new ArgumentException($"alignment needs {LandmarkRegions.PointCount} landmarks, got {landmarks.Length}", nameof(landmarks));
        var range = LandmarkRegions.AlignmentPoints;
        return Umeyama.Estimate(landmarks[range], _targets.AsSpan(range));
    }

    /// <summary>Cuts the aligned crop out of <paramref name="frame"/>; outside the frame is black.</summary>
    public RgbImage Crop(RgbImage frame, AffineMatrix sourceToCrop) =>
        AffineWarp.Warp(frame, sourceToCrop, Geometry.Size, Geometry.Size, BorderMode.Constant, 0);
}
