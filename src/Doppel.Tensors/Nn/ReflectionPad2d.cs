namespace Doppel.Tensors.Nn;

/// <summary>Reflection padding, arguments in PyTorch's (left, right, top, bottom) order (CycleGAN and pix2pix generators pad this way).</summary>
public sealed class ReflectionPad2d(int left, int right, int top, int bottom) : Module<Tensor, Tensor>
{
    public ReflectionPad2d(int padding) : this(padding, padding, padding, padding)
    {
    }

    public (int Left, int Right, int Top, int Bottom) Padding { get; } = (left, right, top, bottom);

    public override Tensor Forward(Tensor input) => Ops.ReflectionPad2d(input, Padding.Left, Padding.Right, Padding.Top, Padding.Bottom);
}
