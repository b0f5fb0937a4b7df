namespace Doppel.Tensors.Nn;

/// <summary>Max pooling (stride defaults to the kernel; padding at most half the kernel), as PyTorch's nn.MaxPool2d.</summary>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    public MaxPool2d(int kernel, int stride = 0, int padding = 0)
        : this((kernel, kernel), stride <= 0 ? (kernel, kernel) : (stride, stride), (padding, padding))
    {
    }

    public MaxPool2d((int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
    }

    public (int H, int W) Kernel { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }

    public override Tensor Forward(Tensor input) => Ops.MaxPool2d(input, Kernel, Stride, Padding);
}
