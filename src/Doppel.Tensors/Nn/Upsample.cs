namespace Doppel.Tensors.Nn;

/// <summary>Upsampling by an integer factor per axis (nearest or bilinear, as PyTorch's nn.Upsample with align_corners=False).</summary>
public sealed class Upsample(int scaleH, int scaleW, UpsampleMode mode = UpsampleMode.Nearest) : Module<Tensor, Tensor>
{
    public Upsample(int scale, UpsampleMode mode = UpsampleMode.Nearest) : this(scale, scale, mode)
    {
    }

    public (int H, int W) Scale { get; } = (scaleH, scaleW);
    public UpsampleMode Mode { get; } = mode;

    public override Tensor Forward(Tensor input) => Ops.Upsample(input, Scale, Mode);
}
