using Doppel.Gan.Training;
using Doppel.Media.Imaging;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Swap.Training;

/// <summary>
/// The preview a person looks at while a swap model trains: six rows of the same fixed faces,
/// A, A->A (reconstruction), A->B (swap), B, B->B, B->A; one column per face. A model with the
/// learned mask adds two grey rows: the masks of A->B and of B->A, the ones convert would blend with.
/// With a discriminator (--gan-power) two more grey rows show its judgement of A->A and B->B,
/// each patch's probability of being real (white: real, black: caught), inside the face mask.
/// </summary>
public static class PreviewGrid
{
    public static RgbImage Render(ISwapModel model, Tensor facesA, Tensor facesB, PatchAdversary? adversary = null, Tensor? masksA = null, Tensor? masksB = null)
    {
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        var (ab, maskAb) = model.ForwardWithMask(facesA, Side.B);
        var (ba, maskBa) = model.ForwardWithMask(facesB, Side.A);
        List<Tensor> rows =
        [
            facesA, model.Forward(facesA, Side.A), ab,
            facesB, model.Forward(facesB, Side.B), ba,
        ];
        if (maskAb is not null && maskBa is not null)
        {
            rows.Add(GreyToRgb(Ops.Sigmoid(maskAb)));
            rows.Add(GreyToRgb(Ops.Sigmoid(maskBa)));
        }
        if (adversary is not null)
        {
            int cell = adversary.Discriminator.CellSize;
            rows.Add(GreyToRgb(Ops.Upsample(adversary.Judge(rows[1], masksA), cell)));
            rows.Add(GreyToRgb(Ops.Upsample(adversary.Judge(rows[4], masksB), cell)));
        }
        int n = facesA.Dim(0), s = facesA.Dim(1), gap = 2;
        var grid = new RgbImage(n * (s + gap) - gap, rows.Count * (s + gap) - gap);
        Array.Fill(grid.Data, (byte)255);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < n; c++)
            {
                var face = FloatPixels.FromInterleaved(rows[r].Span.Slice(c * s * s * 3, s * s * 3), s, s, 1f / 255f, 0f);
                for (int y = 0; y < s; y++)
                    face.Row(y).CopyTo(grid.Row(r * (s + gap) + y).Slice(c * (s + gap) * 3));
            }
        return grid;
    }

    // (N, S, S, 1) -> (N, S, S, 3), the same value in each channel, so a mask row draws like a face row.
    private static Tensor GreyToRgb(Tensor mask) => Ops.Concat([mask, mask, mask], 3);
}
