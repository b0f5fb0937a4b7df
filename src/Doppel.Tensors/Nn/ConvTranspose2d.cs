namespace Doppel.Tensors.Nn;

/// <summary>
/// Transposed convolution layer (a DCGAN generator's upsampling step) over NHWC input; weight
/// (C_in, KH, KW, C_out), which is PyTorch's (C_in, C_out, KH, KW) permuted by (0, 2, 3, 1). He
/// uniform unless told otherwise, zero bias or none. Fan-in and fan-out for the initialiser are
/// computed from the weight's shape as PyTorch and Keras do: KH*KW*C_out and KH*KW*C_in.
/// Output size (H - 1) * stride - 2 * padding + KH + outputPadding.
/// </summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng,
        int outputPadding = 0, bool bias = true, WeightInit? init = null)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), (padding, padding), rng, (outputPadding, outputPadding), bias, init)
    {
    }

    /// <summary>A kernel, stride, padding and output padding per axis, (H, W).</summary>
    public ConvTranspose2d(int inChannels, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, Rng rng,
        (int H, int W) outputPadding = default, bool bias = true, WeightInit? init = null)
    {
        if (outputPadding.H >= stride.H || outputPadding.W >= stride.W || outputPadding.H < 0 || outputPadding.W < 0)
            throw new ArgumentException($"conv_transpose2d: output padding {outputPadding} must be >= 0 and smaller than the stride {stride}");
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Weight = AddParameter("weight", Tensor.Empty(inChannels, kernel.H, kernel.W, outChannels));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(outChannels)) : null;
        (init ?? WeightInit.HeUniform).Fill(Weight, kernel.H * kernel.W * outChannels, kernel.H * kernel.W * inChannels, rng);
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public (int H, int W) Kernel { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public (int H, int W) OutputPadding { get; }

    public override Tensor Forward(Tensor input) => Ops.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding);
}
