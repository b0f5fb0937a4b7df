using Doppel.Faces.Alignment;
using Doppel.Datasets.FaceSets;

namespace Doppel.Swap.Benchmarks;

/// <summary>
/// A loss weight map like the ones training draws from landmarks, for benchmarks without a face
/// set: <see cref="LandmarkMask"/> of Doppel's mean face, its unit square placed on the central
/// 70% of the model's input (about where a face sits in a 0.75-coverage crop). Background 0, face
/// 1, mouth 2, eyes 3, so the weighted loss paths run and the weights vary like real ones.
/// </summary>
public static class SyntheticFaceMask
{
    public const float Margin = 0.15f;

    /// <summary>The weights (size x size, row-major, one channel) as training feeds them to the loss.</summary>
    public static float[] Weights(int size)
    {
        var points = MeanFace.Template.Points;
        var landmarks = new float[points.Length * 2];
        float span = (1f - 2 * Margin) * size;
        for (int i = 0; i < points.Length; i++)
        {
            landmarks[2 * i] = Margin * size + points[i].X * span;
            landmarks[2 * i + 1] = Margin * size + points[i].Y * span;
        }
        var bytes = LandmarkMask.Render(landmarks, size);
        var weights = new float[size * size];
        for (int i = 0; i < weights.Length; i++) weights[i] = bytes.Data[i] / LandmarkMask.Scale;
        return weights;
    }
}
