namespace Doppel.Tensors.Nn;

/// <summary>2-D convolution layer over NHWC input; weight (O, KH, KW, C), He-uniform, zero bias.</summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng)
    {
        Stride = stride;
        Padding = padding;
        Weight = AddParameter("weight", Tensor.Empty(outChannels, kernel, kernel, inChannels));
        Bias = AddParameter("bias", Tensor.Zeros(outChannels));
        Init.HeUniform(Weight, kernel * kernel * inChannels, rng);
    }

    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public int Stride { get; }
    public int Padding { get; }

    /// <summary>"same" padding for odd kernels at stride 1; at stride 2 it halves even sizes.</summary>
    public static int SamePadding(int kernel) => kernel / 2;

    public Tensor Forward(Tensor x) => Ops.Conv2d(x, Weight, Bias, Stride, Padding);
}

/// <summary>Fully connected layer; weight (Out, In) as in PyTorch, He-uniform, zero bias.</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, Rng rng)
    {
        Weight = AddParameter("weight", Tensor.Empty(outFeatures, inFeatures));
        Bias = AddParameter("bias", Tensor.Zeros(outFeatures));
        Init.HeUniform(Weight, inFeatures, rng);
    }

    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);
}

/// <summary>
/// The face-swap upscale block: conv 3x3 to 4x the target channels, LeakyReLU, pixel shuffle x2.
/// Doubles height and width.
/// </summary>
public sealed class UpscaleBlock : Module
{
    private readonly Conv2d _conv;
    private readonly float _slope;

    public UpscaleBlock(int inChannels, int outChannels, Rng rng, float slope = 0.1f)
    {
        _conv = AddModule("conv", new Conv2d(inChannels, outChannels * 4, 3, 1, 1, rng));
        _slope = slope;
    }

    public Tensor Forward(Tensor x) => Ops.PixelShuffle(Ops.LeakyRelu(_conv.Forward(x), _slope), 2);
}
