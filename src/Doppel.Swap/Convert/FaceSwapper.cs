using Doppel.Media.Imaging;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Swap.Convert;

/// <summary>
/// One aligned face through the shared encoder and the target person's decoder. Inference only:
/// gradients off (no tape is recorded) and every intermediate tensor returned to the pool when
/// the scope closes, so a long video does not grow memory. Not thread-safe (layers keep scratch).
/// </summary>
public sealed class FaceSwapper(OriginalModel model, Side decoder)
{
    private readonly float[] _input = new float[model.Spec.InputSize * model.Spec.InputSize * 3];

    public int InputSize => model.Spec.InputSize;
    public Side Decoder => decoder;

    /// <param name="face">The model's input square, <see cref="InputSize"/> px, RGB.</param>
    public RgbImage Swap(RgbImage face) => SwapWithMask(face).Face;

    /// <summary>
    /// The swapped face and, when the model has the mask branch, the mask it drew (0-255 over the
    /// same square); null without the branch.
    /// </summary>
    public (RgbImage Face, GrayImage? Mask) SwapWithMask(RgbImage face)
    {
        int s = InputSize;
        if (face.Width != s || face.Height != s) throw new ArgumentException($"the model takes {s}x{s} faces, got {face.Width}x{face.Height}", nameof(face));
        FloatPixels.ToInterleaved(face, _input, 1f / 255f, 0f);
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var input = Tensor.FromArray(_input, 1, s, s, 3);    // (1, S, S, 3) in [0, 1]
        var (output, logits) = model.ForwardWithMask(input, decoder); // (1, S, S, 3) in [0, 1], (1, S, S, 1)?
        var swapped = FloatPixels.FromInterleaved(output.Span, s, s, 1f / 255f, 0f);
        if (logits is null) return (swapped, null);
        var probabilities = Ops.Sigmoid(logits).Span;
        var mask = new GrayImage(s, s);
        for (int i = 0; i < probabilities.Length; i++) mask.Data[i] = (byte)Math.Clamp(MathF.Round(probabilities[i] * 255f), 0f, 255f);
        return (swapped, mask);
    }
}
