using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Masks;
using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Masks;

/// <summary>
/// The blend mask of one face, drawn in the model's square (not in the frame) so that erosion and
/// feathering scale with the face: the convex hull of the 68 landmarks, eroded (or, negative,
/// dilated) by <see cref="ErodePercent"/> of the square's side, then softened by a blur whose
/// radius is <see cref="FeatherPercent"/> of the side. Finally the mask is tapered to zero at the
/// square's edge: beyond it the model drew nothing, and a mask cut off there would leave a seam.
/// </summary>
public sealed class HullMask
{
    public HullMask(double erodePercent, double featherPercent)
    {
        if (!(Math.Abs(erodePercent) <= 25)) throw new DoppelException($"--erode must be between -25 and 25 (% of the face), got {erodePercent}");
        if (!(featherPercent is >= 0 and <= 25)) throw new DoppelException($"--feather must be between 0 and 25 (% of the face), got {featherPercent}");
        ErodePercent = erodePercent;
        FeatherPercent = featherPercent;
    }

    public double ErodePercent { get; }
    public double FeatherPercent { get; }

    /// <param name="landmarksInSquare">The 68 landmarks already in square pixels of <paramref name="size"/>.</param>
    public GrayImage Render(ReadOnlySpan<Vector2> landmarksInSquare, int size) => Refine(LandmarkMasks.Face(landmarksInSquare, size, size));

    /// <summary>
    /// Erodes, feathers and tapers a raw mask of the model's square in place. Shared with the
    /// learned mask (<see cref="LearnedMask"/>) so --erode and --feather mean the same for both.
    /// </summary>
    public GrayImage Refine(GrayImage mask)
    {
        int size = mask.Width;
        int erode = (int)Math.Round(Math.Abs(ErodePercent) / 100 * size);
        if (erode > 0) MaskFilters.MinMax(mask, erode, shrink: ErodePercent > 0);
        int feather = (int)Math.Round(FeatherPercent / 100 * size);
        if (feather > 0)
        {
            // Three box blurs approximate a Gaussian (central limit), at O(1) per pixel whatever the radius.
            for (int pass = 0; pass < 3; pass++) MaskFilters.BoxBlur(mask, Math.Max(1, feather / 2));
        }
        MaskFilters.TaperEdges(mask, Math.Max(2, feather));
        return mask;
    }
}
