using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// shape += leaf, element by element in float: the innermost loop of the predictor (one call
/// per tree, 7,500 per face). Element-wise adds give bit-identical results to dlib's
/// sequential loop, so vectorising cannot change the answer.
/// </summary>
internal static class LeafAccumulator
{
    public static void Add(Span<float> shape, ReadOnlySpan<float> leaf)
    {
        if (leaf.Length != shape.Length) throw new ArgumentException("leaf and shape lengths differ", nameof(leaf));
        ref float s = ref MemoryMarshal.GetReference(shape);
        ref float l = ref MemoryMarshal.GetReference(leaf);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Vector<float> lanes: 8 with AVX2 (136 floats = 17 vectors, no tail for the 68-point model).
            int width = Vector<float>.Count;
            for (; i <= shape.Length - width; i += width)
            {
                Vector<float> sum = Vector.LoadUnsafe(ref s, (nuint)i) + Vector.LoadUnsafe(ref l, (nuint)i);
                sum.StoreUnsafe(ref s, (nuint)i);
            }
        }
        // Scalar tail (and the whole span when vectors are off): the reference definition.
        for (; i < shape.Length; i++) Unsafe.Add(ref s, i) += Unsafe.Add(ref l, i);
    }
}
