using Doppel.Media.Imaging;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Swap.Convert;

/// <summary>A face the decoder drew, and the mask it drew beside it (null when the model has no mask branch).</summary>
public sealed record SwappedFace(RgbImage Face, GrayImage? Mask);

/// <summary>
/// Aligned faces through the shared encoder and the target person's decoder. Inference only:
/// gradients off (no tape is recorded) and every intermediate tensor returned to the pool when
/// the scope closes, so a long video does not grow memory. Faces go through in batches: at
/// batch 1 the dense layers are matrix-vector products that stream all their weights from
/// memory for one face, and the 4x4 and 8x8 convolutions are too small to keep the cores busy.
/// Not thread-safe (layers keep scratch); BLAS spreads each batch over the cores.
/// </summary>
public sealed class FaceSwapper(ISwapModel model, Side decoder)
{
    public int InputSize => model.InputSize;
    public Side Decoder => decoder;

    /// <param name="face">The model's input square, <see cref="InputSize"/> px, RGB.</param>
    public RgbImage Swap(RgbImage face) => SwapBatch([face])[0].Face;

    /// <summary>The swapped face and, when the model has the mask branch, the mask it drew.</summary>
    public SwappedFace SwapWithMask(RgbImage face) => SwapBatch([face])[0];

    /// <summary>Every face through the model in one forward pass, in order.</summary>
    public SwappedFace[] SwapBatch(IReadOnlyList<RgbImage> faces)
    {
        int s = InputSize, n = faces.Count, pixels = s * s * 3;
        if (n == 0) return [];
        var input = new float[n * pixels];
        for (int i = 0; i < n; i++)
        {
            if (faces[i].Width != s || faces[i].Height != s)
                throw new ArgumentException($"the model takes {s}x{s} faces, got {faces[i].Width}x{faces[i].Height}", nameof(faces));
            FloatPixels.ToInterleaved(faces[i], input.AsSpan(i * pixels, pixels), 1f / 255f, 0f);
        }
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var (output, logits) = model.ForwardWithMask(Tensor.FromArray(input, n, s, s, 3), decoder); // (N, S, S, 3) in [0, 1], (N, S, S, 1)?
        ReadOnlySpan<float> drawn = output.Span;
        ReadOnlySpan<float> probabilities = logits is null ? default : Ops.Sigmoid(logits).Span;
        var result = new SwappedFace[n];
        for (int i = 0; i < n; i++)
        {
            var face = FloatPixels.FromInterleaved(drawn.Slice(i * pixels, pixels), s, s, 1f / 255f, 0f);
            GrayImage? mask = null;
            if (logits is not null)
            {
                mask = new GrayImage(s, s);
                ReadOnlySpan<float> p = probabilities.Slice(i * s * s, s * s);
                for (int k = 0; k < p.Length; k++) mask.Data[k] = (byte)Math.Clamp(MathF.Round(p[k] * 255f), 0f, 255f);
            }
            result[i] = new SwappedFace(face, mask);
        }
        return result;
    }
}
