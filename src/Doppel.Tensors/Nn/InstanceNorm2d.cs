namespace Doppel.Tensors.Nn;

/// <summary>
/// Instance normalisation of NHWC images: each image's channel by its own statistics over H and
/// W, in training and eval mode alike, as PyTorch's nn.InstanceNorm2d with its defaults (no
/// running statistics; affine off unless asked, then weight ones and bias zeros).
/// </summary>
public sealed class InstanceNorm2d : Module<Tensor, Tensor>
{
    public InstanceNorm2d(int numFeatures, float eps = 1e-5f, bool affine = false)
    {
        if (numFeatures < 1) throw new ArgumentException($"instance_norm2d: numFeatures must be >= 1, not {numFeatures}");
        NumFeatures = numFeatures;
        Eps = eps;
        if (affine)
        {
            Weight = AddParameter("weight", Tensor.Ones(numFeatures));
            Bias = AddParameter("bias", Tensor.Zeros(numFeatures));
        }
    }

    public int NumFeatures { get; }
    public float Eps { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Shape[3] != NumFeatures)
            throw new ShapeMismatchException("instance_norm2d", input.Shape, [NumFeatures], "input must be NHWC with the module's channel count last");
        return Ops.InstanceNorm2d(input, Weight, Bias, Eps);
    }
}
