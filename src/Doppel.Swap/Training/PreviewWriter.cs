using Doppel.Datasets.Augmentation;
using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Datasets.FaceSets;
using Doppel.Media.Files;
using Doppel.Provenance;

namespace Doppel.Swap.Training;

/// <summary>
/// Writes <c>preview.png</c> (rows A, A->A, A->B, B, B->B, B->A) on the same unaugmented faces,
/// spread evenly through each set, every time; with a timelapse also keeps each one as
/// <c>previews/preview_&lt;iteration&gt;.png</c>, so a sequence shows the model learning.
/// </summary>
public sealed class PreviewWriter : IDisposable
{
    private readonly Tensor _a, _b;
    private readonly string _dir;
    private readonly bool _timelapse;

    private readonly SyntheticOutputPolicy _outputs;

    public PreviewWriter(TrainingFaces facesA, TrainingFaces facesB, int count, string modelDir, bool timelapse, SyntheticOutputPolicy outputs)
    {
        _outputs = outputs;
        count = Math.Max(1, Math.Min(count, Math.Min(facesA.Count, facesB.Count)));
        _a = FixedFaces(facesA, count);
        _b = FixedFaces(facesB, count);
        _dir = modelDir;
        _timelapse = timelapse;
    }

    public string LatestPath => Path.Combine(_dir, "preview.png");

    public void Write(ISwapModel model, long iteration)
    {
        var grid = PreviewGrid.Render(model, _a, _b);
        // Previews show drawn faces: they are labelled like every synthetic output.
        _outputs.Write(LatestPath, file => ImageFile.Write(file, grid));
        if (_timelapse) _outputs.Write(Path.Combine(_dir, "previews", $"preview_{iteration:D8}.png"), file => ImageFile.Write(file, grid));
    }

    private static Tensor FixedFaces(TrainingFaces faces, int count)
    {
        var plain = new FaceAugmenter(faces, AugmentOptions.None);
        int s = faces.InputSize, n = s * s * 3;
        var t = Tensor.Empty(count, s, s, 3).Persist();
        var scratch = new float[n];
        var rng = new Rng(0); // unused by AugmentOptions.None, which draws nothing that changes the face
        for (int i = 0; i < count; i++)
            plain.Write((int)((long)i * faces.Count / count), rng, scratch, t.Span.Slice(i * n, n), Span<float>.Empty);
        return t;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
