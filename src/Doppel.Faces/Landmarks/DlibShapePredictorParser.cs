using System.Runtime.CompilerServices;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// Reads dlib's serialised <c>shape_predictor</c> (dlib/image_processing/shape_predictor.h):
/// <code>
/// int version (= 1)
/// matrix&lt;float,0,1&gt; initial_shape            rows and columns written negated, then the floats
/// vector&lt;vector&lt;regression_tree&gt;&gt; forests     one forest per cascade level
///     regression_tree = vector&lt;split_feature{ulong idx1, ulong idx2, float thresh}&gt; splits,
///                       vector&lt;matrix&lt;float,0,1&gt;&gt; leaf_values
/// vector&lt;vector&lt;ulong&gt;&gt; anchor_idx             per cascade, the landmark each feature pixel hangs on
/// vector&lt;vector&lt;vector&lt;float,2&gt;&gt;&gt; deltas        per cascade, the pixel's offset from that landmark
/// </code>
/// and flattens it into a <see cref="ShapePredictorModel"/>.
/// </summary>
internal static class DlibShapePredictorParser
{
    // Fully optimised from the first call: it runs once, over 20 million numbers, and tiered
    // compilation would otherwise spend much of that in unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ShapePredictorModel Parse(ReadOnlySpan<byte> data, string source)
    {
        var reader = new DlibPrimitiveReader(data, source);
        long version = reader.ReadSigned(4);
        if (version != ShapePredictorModel.DlibFormatVersion)
            throw reader.Malformed($"version {version}, expected {ShapePredictorModel.DlibFormatVersion}");

        float[] initialShape = ReadColumnVector(ref reader);
        int shapeLength = initialShape.Length;

        int cascadeCount = reader.ReadCount("cascade count");
        if (cascadeCount == 0) throw reader.Malformed("no cascades");
        int treesPerCascade = -1, splitsPerTree = -1;
        SplitNode[] splitNodes = [];
        float[] leaves = [];
        int tree = 0;
        for (int c = 0; c < cascadeCount; c++)
        {
            int trees = reader.ReadCount("tree count");
            for (int t = 0; t < trees; t++, tree++)
            {
                int splits = reader.ReadCount("split count");
                if (treesPerCascade < 0)
                {
                    // The first tree fixes the sizes; allocate the flat tables once.
                    treesPerCascade = trees;
                    splitsPerTree = splits;
                    long splitTotal = (long)cascadeCount * trees * splits;
                    long leafTotal = (long)cascadeCount * trees * (splits + 1) * shapeLength;
                    if (trees == 0 || splitTotal > data.Length || leafTotal > data.Length)
                        throw reader.Malformed("tree sizes larger than the file");
                    splitNodes = new SplitNode[splitTotal];
                    leaves = GC.AllocateUninitializedArray<float>((int)leafTotal);
                }
                if (trees != treesPerCascade || splits != splitsPerTree)
                    throw reader.Malformed("cascades or trees of different sizes");
                int splitBase = tree * splitsPerTree;
                for (int s = 0; s < splits; s++)
                {
                    int feature1 = reader.ReadCount("split feature");
                    int feature2 = reader.ReadCount("split feature");
                    splitNodes[splitBase + s] = new SplitNode(feature1, feature2, reader.ReadFloat());
                }
                int leafCount = reader.ReadCount("leaf count");
                if (leafCount != splitsPerTree + 1) throw reader.Malformed($"{leafCount} leaves for {splitsPerTree} splits");
                for (int l = 0; l < leafCount; l++)
                    ReadColumnVectorInto(ref reader, leaves.AsSpan((tree * leafCount + l) * shapeLength, shapeLength));
            }
        }

        if (reader.ReadCount("anchor cascade count") != cascadeCount) throw reader.Malformed("anchor and forest counts differ");
        int featuresPerCascade = -1;
        int[] anchors = [];
        for (int c = 0; c < cascadeCount; c++)
        {
            int features = reader.ReadCount("feature count");
            if (featuresPerCascade < 0)
            {
                if (features == 0 || (long)features * cascadeCount > data.Length) throw reader.Malformed("feature count");
                featuresPerCascade = features;
                anchors = new int[cascadeCount * features];
            }
            if (features != featuresPerCascade) throw reader.Malformed("cascades with different feature counts");
            for (int i = 0; i < features; i++) anchors[c * features + i] = reader.ReadCount("anchor index");
        }

        if (reader.ReadCount("delta cascade count") != cascadeCount) throw reader.Malformed("delta and forest counts differ");
        float[] deltas = new float[anchors.Length * 2];
        for (int c = 0; c < cascadeCount; c++)
        {
            if (reader.ReadCount("delta count") != featuresPerCascade) throw reader.Malformed("delta and anchor counts differ");
            int baseIndex = c * featuresPerCascade * 2;
            for (int i = 0; i < 2 * featuresPerCascade; i++) deltas[baseIndex + i] = reader.ReadFloat();
        }
        if (!reader.AtEnd) throw reader.Malformed("trailing bytes after the model");

        var model = new ShapePredictorModel(cascadeCount, treesPerCascade, splitsPerTree, featuresPerCascade,
            initialShape, anchors, deltas, splitNodes, leaves);
        model.Validate(source);
        return model;
    }

    private static float[] ReadColumnVector(ref DlibPrimitiveReader reader)
    {
        int rows = ReadColumnVectorRows(ref reader);
        var values = new float[rows];
        for (int i = 0; i < rows; i++) values[i] = reader.ReadFloat();
        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadColumnVectorInto(ref DlibPrimitiveReader reader, Span<float> destination)
    {
        if (ReadColumnVectorRows(ref reader) != destination.Length) throw reader.Malformed("leaf and shape lengths differ");
        for (int i = 0; i < destination.Length; i++) destination[i] = reader.ReadFloat();
    }

    // dlib writes -rows, -cols (the sign marks its newer matrix format); older files wrote them positive.
    private static int ReadColumnVectorRows(ref DlibPrimitiveReader reader)
    {
        long rows = Math.Abs(reader.ReadSigned(8));
        long cols = Math.Abs(reader.ReadSigned(8));
        if (cols != 1 || rows > 1_000_000) throw reader.Malformed($"matrix of {rows}x{cols} where a column vector belongs");
        return (int)rows;
    }
}
