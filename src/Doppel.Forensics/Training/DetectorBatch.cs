using Doppel.Tensors;

namespace Doppel.Forensics.Training;

/// <summary>
/// One iteration's images (2B, S, S, 3) in [-1, 1], reals and fakes interleaved; labels (2B, 1);
/// the blend-boundary targets (2B, M, M, 1) and their weights (0 for real fakes, whose blend is
/// unknown). Made on the loader thread; disposed by the loop after the step.
/// </summary>
public sealed class DetectorBatch(Tensor images, Tensor labels, Tensor maskTargets, Tensor maskWeights) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public Tensor MaskTargets { get; } = maskTargets;
    public Tensor MaskWeights { get; } = maskWeights;

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        MaskTargets.Dispose();
        MaskWeights.Dispose();
    }
}
