using System.Numerics;
using Doppel.Core;

namespace Doppel.Faces.Alignment;

/// <summary>
/// Where the template's unit square sits in a square crop of <see cref="Size"/> pixels: centred,
/// with side <see cref="FaceFraction"/> x Size. The unit square is the bounding box of the mean
/// face's 68 points (brows to chin, jaw side to jaw side), so at the default 0.75 a 256 px crop
/// has the landmark face in its central 192 px and a 32 px margin all round (some forehead,
/// hair and background). Training resamples its 64-128 px inputs from the central
/// <c>coverage</c> part of the crop: coverage 0.75 is exactly the landmark box; 1.0 keeps the
/// margin. Crop pixel coordinates put pixel centres at integers (as <see cref="Doppel.Media.Geometry.AffineMatrix"/> does), so the
/// crop spans -0.5 .. Size - 0.5.
/// </summary>
public sealed record CropGeometry
{
    public const int DefaultSize = 256;
    public const double DefaultFaceFraction = 0.75;

    public static readonly CropGeometry Default = new();

    /// <summary>Side of the square crop in pixels.</summary>
    public int Size { get; init; } = DefaultSize;

    /// <summary>Fraction of the crop's side the template's unit square spans.</summary>
    public double FaceFraction { get; init; } = DefaultFaceFraction;

    /// <summary>Maps a unit-square template point to crop pixel coordinates.</summary>
    public Vector2 ToCrop(Vector2 unit)
    {
        double margin = Size * (1 - FaceFraction) / 2;
        double side = Size * FaceFraction;
        return new Vector2((float)(margin + unit.X * side - 0.5), (float)(margin + unit.Y * side - 0.5));
    }

    /// <summary>The template's points in crop pixels.</summary>
    public Vector2[] ToCrop(ReadOnlySpan<Vector2> unitPoints)
    {
        var result = new Vector2[unitPoints.Length];
        for (int i = 0; i < unitPoints.Length; i++) result[i] = ToCrop(unitPoints[i]);
        return result;
    }

    public void Validate()
    {
        if (Size is < 16 or > 4096)
            throw new DoppelException($"crop size must be between 16 and 4096 px, got {Size}");
        if (!(FaceFraction is > 0.1 and <= 1))
            throw new DoppelException($"face fraction must be in (0.1, 1], got {FaceFraction}");
    }
}
