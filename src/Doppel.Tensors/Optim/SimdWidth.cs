using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Optim;

/// <summary>
/// Which vector width an optimiser kernel uses. Every kernel has the three twins and they give
/// bit-identical results (the same IEEE operations in the same order, no fused multiply-add), so
/// tests force each width in turn and compare; <see cref="SimdWidths.Best"/> is what runs normally.
/// A width the CPU lacks still computes correctly (.NET emulates it), only slower.
/// </summary>
internal enum SimdWidth
{
    Scalar,
    Vector256,
    Vector512,
}

internal static class SimdWidths
{
    /// <summary>The widest width the CPU accelerates.</summary>
    public static SimdWidth Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
        : SimdWidth.Scalar;
}
