using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Instance normalisation of NHWC images: statistics per image and channel over H and W.</summary>
public static partial class Ops
{
    /// <summary>
    /// (N, H, W, C) -> same shape: each image's channel is normalised by its own mean and biased
    /// variance over H*W pixels, then the optional per-channel weight and bias apply, as PyTorch's
    /// <c>F.instance_norm</c> without running statistics (nn.InstanceNorm2d's default). The
    /// statistics are the input's in every mode, so the backward pass always goes through them.
    /// </summary>
    public static Tensor InstanceNorm2d(Tensor x, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        const string op = "instance_norm2d";
        if (x.Rank != 4) throw new ShapeMismatchException(op, x.Shape, [], "input must be NHWC");
        int n = x.Shape[0], pixels = x.Shape[1] * x.Shape[2], c = x.Shape[3];
        if (pixels < 2) throw new ArgumentException($"{op}: expected more than 1 spatial element, got input shape {ShapeUtil.Format(x.Shape)}");
        CheckChannelVector(op, x, weight, "weight");
        CheckChannelVector(op, x, bias, "bias");
        if (!(eps > 0)) throw new ArgumentException($"{op}: eps must be > 0, not {eps}");
        var mean = new double[n * c];
        var m2 = new double[n * c];
        ChannelNorm.Moments(x.Data, n, pixels, c, mean, m2, ChannelNorm.DefaultSimd);
        var variance = m2.Select(q => q / pixels).ToArray();
        return NormalizeChannels(op, x, n, pixels, mean, variance, weight, bias, eps, batchStats: true);
    }
}
