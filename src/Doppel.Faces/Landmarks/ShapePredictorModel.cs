using Doppel.Core;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// dlib's ensemble of regression trees (Kazemi and Sullivan 2014), flattened into plain arrays
/// so evaluation walks contiguous memory and the cache can store each array in one block.
/// Shapes are (x0, y0, x1, y1, ...) in the face box's normalised frame, where the box's
/// top-left corner is (0, 0) and its bottom-right corner is (1, 1).
/// Every cascade level has the same number of trees and feature pixels, and every tree the
/// same depth: dlib's trainer produces exactly that, and <see cref="Validate"/> insists on it.
/// </summary>
internal sealed class ShapePredictorModel
{
    public ShapePredictorModel(
        int cascadeCount, int treesPerCascade, int splitsPerTree, int featuresPerCascade,
        float[] initialShape, int[] anchorIndices, float[] anchorDeltas,
        SplitNode[] splits, float[] leafValues)
    {
        CascadeCount = cascadeCount;
        TreesPerCascade = treesPerCascade;
        SplitsPerTree = splitsPerTree;
        FeaturesPerCascade = featuresPerCascade;
        InitialShape = initialShape;
        AnchorIndices = anchorIndices;
        AnchorDeltas = anchorDeltas;
        Splits = splits;
        LeafValues = leafValues;
    }

    /// <summary>The version number dlib writes first; the only one it has ever used.</summary>
    public const int DlibFormatVersion = 1;

    public int CascadeCount { get; }
    public int TreesPerCascade { get; }
    /// <summary>Internal nodes of each (complete) tree; it has SplitsPerTree + 1 leaves.</summary>
    public int SplitsPerTree { get; }
    public int LeavesPerTree => SplitsPerTree + 1;
    public int FeaturesPerCascade { get; }
    public int PartCount => InitialShape.Length / 2;
    public int ShapeLength => InitialShape.Length;
    public int TreeCount => CascadeCount * TreesPerCascade;

    /// <summary>The mean shape every prediction starts from. (2 * parts)</summary>
    public float[] InitialShape { get; }
    /// <summary>The landmark each feature pixel is attached to. (cascades, features)</summary>
    public int[] AnchorIndices { get; }
    /// <summary>Each feature pixel's offset from its anchor in the mean shape. (cascades, features, 2)</summary>
    public float[] AnchorDeltas { get; }
    /// <summary>The trees' internal nodes, each tree breadth-first as dlib stores it. (trees, splits)</summary>
    public SplitNode[] Splits { get; }
    /// <summary>Shape increments stored at the leaves. (trees, leaves, 2 * parts)</summary>
    public float[] LeafValues { get; }

    /// <summary>Checks every size and index, so evaluation can trust the arrays without bounds worries.</summary>
    public void Validate(string source)
    {
        DoppelException Bad(string detail) =>
            new($"{source} holds an inconsistent shape predictor ({detail})",
                "delete it (or the cache in .cache/models/) and reinstall: apt-get install --reinstall libdlib-data");

        if (CascadeCount <= 0 || TreesPerCascade <= 0 || FeaturesPerCascade <= 0) throw Bad("empty cascade");
        if (ShapeLength < 4 || ShapeLength % 2 != 0) throw Bad($"initial shape of length {ShapeLength}");
        if (!IsPowerOfTwo(LeavesPerTree)) throw Bad($"trees with {LeavesPerTree} leaves are not complete");
        long features = (long)CascadeCount * FeaturesPerCascade;
        long splits = (long)TreeCount * SplitsPerTree;
        long leaves = (long)TreeCount * LeavesPerTree * ShapeLength;
        if (AnchorIndices.Length != features || AnchorDeltas.Length != 2 * features) throw Bad("feature table sizes");
        if (Splits.Length != splits) throw Bad("split table size");
        if (LeafValues.Length != leaves) throw Bad("leaf table size");
        foreach (int anchor in AnchorIndices)
            if ((uint)anchor >= (uint)PartCount) throw Bad($"anchor {anchor} of {PartCount} parts");
        foreach (SplitNode node in Splits)
            if ((uint)node.Feature1 >= (uint)FeaturesPerCascade || (uint)node.Feature2 >= (uint)FeaturesPerCascade)
                throw Bad($"split feature index beyond {FeaturesPerCascade} pixels");
    }

    private static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;
}
