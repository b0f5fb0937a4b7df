using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Color;

/// <summary>
/// Moves the swapped face's colours towards the original face's, so skin tone and lighting match
/// the frame it is pasted into. Both faces are the model's square; statistics come from the
/// pixels where <c>mask</c> is at least half on (the face, not the background the square also holds).
/// </summary>
public interface IColorMatcher
{
    /// <summary>Adjusts <paramref name="swapped"/> in place.</summary>
    void Match(RgbImage swapped, RgbImage original, GrayImage mask);
}

/// <summary>No colour change: the decoder's colours as they are.</summary>
public sealed class NoColorMatch : IColorMatcher
{
    public void Match(RgbImage swapped, RgbImage original, GrayImage mask) { }
}
