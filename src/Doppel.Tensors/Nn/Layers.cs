namespace Doppel.Tensors.Nn;

/// <summary>
/// 2-D convolution layer over NHWC input; weight (O, KH, KW, C / groups), He uniform unless told
/// otherwise, zero bias (or none with <c>bias: false</c>, as before a batch norm). With groups &gt; 1
/// the channels split into groups convolved separately (groups = C = O: depthwise). Fan-in and
/// fan-out for the initialiser are PyTorch's: KH*KW*C/groups and KH*KW*O.
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng, bool bias = true, WeightInit? init = null, int groups = 1)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), (padding, padding), rng, bias, init, groups)
    {
    }

    /// <summary>A kernel, stride and padding per axis, (H, W): e.g. a 1x7 then a 7x1 convolution.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, Rng rng,
        bool bias = true, WeightInit? init = null, int groups = 1)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"conv2d: groups {groups} must divide both {inChannels} input and {outChannels} output channels");
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Groups = groups;
        Weight = AddParameter("weight", Tensor.Empty(outChannels, kernel.H, kernel.W, inChannels / groups));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(outChannels)) : null;
        (init ?? WeightInit.HeUniform).Fill(Weight, kernel.H * kernel.W * inChannels / groups, kernel.H * kernel.W * outChannels, rng);
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public (int H, int W) Kernel { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public int Groups { get; }

    /// <summary>"same" padding for odd kernels at stride 1; at stride 2 it halves even sizes.</summary>
    public static int SamePadding(int kernel) => kernel / 2;

    public override Tensor Forward(Tensor input) => Ops.Conv2d(input, Weight, Bias, Stride, Padding, Groups);
}

/// <summary>Fully connected layer; weight (Out, In) as in PyTorch, He uniform unless told otherwise, zero bias.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, WeightInit? init = null)
    {
        Weight = AddParameter("weight", Tensor.Empty(outFeatures, inFeatures));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(outFeatures)) : null;
        (init ?? WeightInit.HeUniform).Fill(Weight, inFeatures, outFeatures, rng);
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Ops.Linear(input, Weight, Bias);
}

/// <summary>
/// The face-swap upscale block: conv 3x3 to 4x the target channels, LeakyReLU, pixel shuffle x2.
/// Doubles height and width.
/// </summary>
public sealed class UpscaleBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly float _slope;

    public UpscaleBlock(int inChannels, int outChannels, Rng rng, float slope = 0.1f)
    {
        _conv = AddModule("conv", new Conv2d(inChannels, outChannels * 4, 3, 1, 1, rng));
        _slope = slope;
    }

    public override Tensor Forward(Tensor input) => Ops.PixelShuffle(Ops.LeakyRelu(_conv.Forward(input), _slope), 2);
}
