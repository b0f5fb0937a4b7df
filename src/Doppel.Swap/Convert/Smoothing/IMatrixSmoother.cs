using Doppel.Media.Geometry;

namespace Doppel.Swap.Convert.Smoothing;

/// <summary>
/// Steadies the alignment of one tracked face over consecutive frames: landmarks wobble by a
/// pixel or two from frame to frame even on a still face, and a swapped face that follows them
/// shimmers. Called once per frame with the measured matrix (source -> crop); returns the one to use.
/// </summary>
public interface IMatrixSmoother
{
    AffineMatrix Next(AffineMatrix measured);

    /// <summary>The face was lost (no face in a frame, or a cut): forget the history.</summary>
    void Reset();
}

/// <summary>No smoothing: every frame uses its own alignment.</summary>
public sealed class NoSmoothing : IMatrixSmoother
{
    public AffineMatrix Next(AffineMatrix measured) => measured;
    public void Reset() { }
}
