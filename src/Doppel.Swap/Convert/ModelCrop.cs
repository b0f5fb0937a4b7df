using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Media.Geometry;

namespace Doppel.Swap.Convert;

/// <summary>
/// Where the model's input square sits relative to an aligned crop. Training resampled the
/// central <c>coverage</c> part of each extracted crop to the model's input size (see
/// <see cref="Doppel.Datasets.FaceSets.TrainingFaces"/>), so conversion must feed the same square: this turns an
/// alignment matrix (source pixel -> crop pixel) into source pixel -> "square at N px" for any N
/// (the model's input size, or a finer mask resolution). Pixel centres sit at integers, so
/// scaling by k about the crop's corner is <c>(u + 0.5) k - 0.5</c>.
/// </summary>
public sealed class ModelCrop
{
    private readonly double _offset;
    private readonly double _side;

    public ModelCrop(CropGeometry crop, double coverage)
    {
        if (coverage is <= 0.1 or > 1) throw new DoppelException($"coverage {coverage} is outside (0.1, 1]");
        Crop = crop;
        Coverage = coverage;
        _side = crop.Size * coverage;
        _offset = (crop.Size - _side) / 2;
    }

    public CropGeometry Crop { get; }
    public double Coverage { get; }

    /// <summary>Crop pixel -> pixel of the covered square drawn at <paramref name="size"/> px.</summary>
    public AffineMatrix CropToSquare(int size)
    {
        double k = size / _side;
        double t = k * (0.5 - _offset) - 0.5;
        return new AffineMatrix(k, 0, t, 0, k, t);
    }

    /// <summary>Source (frame) pixel -> square pixel, from an alignment matrix (source -> crop).</summary>
    public AffineMatrix SourceToSquare(AffineMatrix sourceToCrop, int size) => sourceToCrop.Then(CropToSquare(size));
}
