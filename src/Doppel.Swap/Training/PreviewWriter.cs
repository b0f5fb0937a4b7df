using Doppel.Datasets.Augmentation;
using Doppel.Gan.Training;
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
/// With a discriminator (<see cref="Adversary"/>) the grid adds its judgement of A->A and B->B.
/// </summary>
public sealed class PreviewWriter : IDisposable
{
    private readonly Tensor _a, _b;
    private readonly Tensor? _maskA, _maskB;
    private readonly string _dir;
    private readonly bool _timelapse;

    private readonly SyntheticOutputPolicy _outputs;

    public PreviewWriter(TrainingFaces facesA, TrainingFaces facesB, int count, string modelDir, bool timelapse, SyntheticOutputPolicy outputs)
    {
        _outputs = outputs;
        count = Math.Max(1, Math.Min(count, Math.Min(facesA.Count, facesB.Count)));
        (_a, _maskA) = FixedFaces.Take(facesA, count);
        (_b, _maskB) = FixedFaces.Take(facesB, count);
        _dir = modelDir;
        _timelapse = timelapse;
    }

    public string LatestPath => Path.Combine(_dir, "preview.png");

    /// <summary>The swap trainer's discriminator (--gan-power), or null.</summary>
    public PatchAdversary? Adversary { get; set; }

    public void Write(ISwapModel model, long iteration)
    {
        var grid = PreviewGrid.Render(model, _a, _b, Adversary, _maskA, _maskB);
        // Previews show drawn faces: they are labelled like every synthetic output.
        _outputs.Write(LatestPath, file => ImageFile.Write(file, grid));
        if (_timelapse) _outputs.Write(Path.Combine(_dir, "previews", $"preview_{iteration:D8}.png"), file => ImageFile.Write(file, grid));
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _maskA?.Dispose();
        _maskB?.Dispose();
    }
}
