using Doppel.Media.Imaging;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;

namespace Doppel.Swap.Training;

/// <summary>
/// The preview a person looks at while a swap model trains: six rows of the same fixed faces,
/// A, A->A (reconstruction), A->B (swap), B, B->B, B->A; one column per face.
/// </summary>
public static class PreviewGrid
{
    public static RgbImage Render(OriginalModel model, Tensor facesA, Tensor facesB)
    {
        using var noGrad = GradMode.Off();
        using var scope = TensorScope.Begin();
        Tensor[] rows =
        [
            facesA, model.Forward(facesA, Side.A), model.Forward(facesA, Side.B),
            facesB, model.Forward(facesB, Side.B), model.Forward(facesB, Side.A),
        ];
        int n = facesA.Dim(0), s = facesA.Dim(1), gap = 2;
        var grid = new RgbImage(n * (s + gap) - gap, rows.Length * (s + gap) - gap);
        Array.Fill(grid.Data, (byte)255);
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < n; c++)
            {
                var face = FloatPixels.FromInterleaved(rows[r].Span.Slice(c * s * s * 3, s * s * 3), s, s, 1f / 255f, 0f);
                for (int y = 0; y < s; y++)
                    face.Row(y).CopyTo(grid.Row(r * (s + gap) + y).Slice(c * (s + gap) * 3));
            }
        return grid;
    }
}
