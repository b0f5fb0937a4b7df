using System.Numerics;
using System.Runtime.CompilerServices;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// dlib's 68-point (or any) shape predictor evaluated in C#, step for step as
/// dlib::shape_predictor::operator() does it, so its points match dlib's own:
/// start from the mean shape; at each cascade level, place the level's feature pixels
/// relative to the current estimate, read their intensities, run every tree on pixel
/// differences and add the chosen leaves to the shape. Thread-safe: the model is read-only
/// and the working buffers live on the stack.
/// </summary>
public sealed class LandmarkPredictor
{
    // Stack buffers: a model with more features or parts than this would need heap buffers,
    // which dlib's published models never do (68 parts, 400-500 pixels per level).
    private const int MaxStackFloats = 4096;

    private readonly ShapePredictorModel _model;

    internal LandmarkPredictor(ShapePredictorModel model, bool loadedFromCache = false, TimeSpan loadTime = default)
    {
        _model = model;
        LoadedFromCache = loadedFromCache;
        LoadTime = loadTime;
    }

    /// <summary>Number of landmarks per face (68 for dlib's iBUG 300-W model).</summary>
    public int PartCount => _model.PartCount;

    /// <summary>Whether <see cref="Load"/> read the binary cache rather than parsing the .dat.</summary>
    public bool LoadedFromCache { get; }

    /// <summary>How long <see cref="Load"/> took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>
    /// Loads dlib's model from <paramref name="datPath"/> (default: Debian's libdlib-data
    /// file), through the binary cache in Doppel's cache folder.
    /// </summary>
    public static LandmarkPredictor Load(string? datPath = null)
    {
        ShapePredictorLoad load = ShapePredictorLoader.Load(datPath ?? ShapePredictorLoader.DefaultModelPath);
        return new LandmarkPredictor(load.Model, load.FromCache, load.Elapsed);
    }

    /// <summary>The landmarks of the face in <paramref name="box"/>, in image pixels.</summary>
    public Vector2[] Predict(in LandmarkImage image, FaceBox box)
    {
        var points = new Vector2[PartCount];
        Predict(image, box, points);
        return points;
    }

    /// <summary>The landmarks of the face in <paramref name="box"/> of an RGB frame, in image pixels.</summary>
    public Vector2[] Predict(RgbImage image, FaceBox box) => Predict(LandmarkImage.Of(image), box);

    /// <summary>The landmarks of the face in <paramref name="box"/> of a grayscale image, in image pixels.</summary>
    public Vector2[] Predict(GrayImage image, FaceBox box) => Predict(LandmarkImage.Of(image), box);

    /// <summary>
    /// Writes the landmarks into <paramref name="points"/> (length <see cref="PartCount"/>).
    /// Points are unrounded; dlib rounds its own to whole pixels (floor(v + 0.5)).
    /// </summary>
    // The hot methods are compiled fully optimised at once: the first frames of a video should
    // not run through tier-0 code while tiered compilation catches up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Predict(in LandmarkImage image, FaceBox box, Span<Vector2> points)
    {
        if (points.Length != PartCount) throw new ArgumentException($"needs room for {PartCount} points", nameof(points));
        ShapePredictorModel m = _model;
        if (m.ShapeLength > MaxStackFloats || m.FeaturesPerCascade > MaxStackFloats)
            throw new NotSupportedException("shape predictor larger than the stack buffers");

        Span<float> shape = stackalloc float[m.ShapeLength];
        Span<float> pixels = stackalloc float[m.FeaturesPerCascade];
        Span<int> leafOffsets = stackalloc int[m.TreesPerCascade];
        m.InitialShape.CopyTo(shape);
        var sampler = new FeaturePixelSampler(image, box);

        for (int cascade = 0; cascade < m.CascadeCount; cascade++)
        {
            SampleFeaturePixels(m, cascade, shape, sampler, pixels);
            // All trees of a level read the same pixels, so pick every leaf first and ask for
            // its memory as soon as it is known: the leaves are 65 MB, far beyond the caches,
            // and the tree walks give the loads time to arrive before the adds need them.
            int firstTree = cascade * m.TreesPerCascade;
            for (int t = 0; t < leafOffsets.Length; t++)
            {
                int tree = firstTree + t;
                leafOffsets[t] = (tree * m.LeavesPerTree + FindLeaf(m, tree, pixels)) * m.ShapeLength;
                LeafAccumulator.Prefetch(m.LeafValues, leafOffsets[t], m.ShapeLength);
            }
            LeafAccumulator.AddAll(shape, m.LeafValues, leafOffsets);
        }

        for (int i = 0; i < points.Length; i++)
            points[i] = sampler.ToImage(shape[2 * i], shape[2 * i + 1]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SampleFeaturePixels(ShapePredictorModel m, int cascade, ReadOnlySpan<float> shape,
        in FeaturePixelSampler sampler, Span<float> pixels)
    {
        // Carry each pixel's offset from the mean shape over to the current estimate.
        (float a, float b) = ShapeSimilarity.ScaleRotation(m.InitialShape, shape);
        ReadOnlySpan<int> anchors = m.AnchorIndices.AsSpan(cascade * m.FeaturesPerCascade, m.FeaturesPerCascade);
        ReadOnlySpan<float> deltas = m.AnchorDeltas.AsSpan(cascade * m.FeaturesPerCascade * 2, m.FeaturesPerCascade * 2);
        for (int i = 0; i < pixels.Length; i++)
        {
            float dx = deltas[2 * i], dy = deltas[2 * i + 1];
            int anchor = anchors[i];
            // Same float operations in the same order as dlib: (tform * delta) + anchor point.
            float x = (a * dx + -b * dy) + shape[2 * anchor];
            float y = (b * dx + a * dy) + shape[2 * anchor + 1];
            pixels[i] = sampler.Intensity(x, y);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FindLeaf(ShapePredictorModel m, int tree, ReadOnlySpan<float> pixels)
    {
        int splits = m.SplitsPerTree;
        ReadOnlySpan<SplitNode> nodes = m.Splits.AsSpan(tree * splits, splits);
        // Complete binary tree in an array: node n's children are 2n+1 (left) and 2n+2.
        // The comparison becomes 0/1 arithmetic instead of a branch: which way a face goes
        // is unpredictable, and mispredicted branches cost more than the test itself.
        int node = 0;
        while (node < splits)
        {
            SplitNode split = nodes[node];
            bool left = pixels[split.Feature1] - pixels[split.Feature2] > split.Threshold;
            node = 2 * node + 2 - (left ? 1 : 0);
        }
        return node - splits;
    }
}
