using Doppel.Tensors.Kernels;

namespace Doppel.Tensors.Tests.Support;

/// <summary>
/// Runs a test body on one chosen kernel path (scalar twin or a forced vector width) and restores
/// the default after. The switches are global, so the tests that flip them take one lock; tests
/// running meanwhile may land on the scalar path, which is held to the same tolerances.
/// </summary>
internal static class KernelSwitch
{
    private static readonly object Gate = new();

    /// <summary>The BCE kernels at <paramref name="width"/> bits (512, 256) or on the scalar twin (0).</summary>
    public static void Bce(int width, Action body)
    {
        lock (Gate)
        {
            try
            {
                BceKernels.VectorEnabled = width != 0;
                BceKernels.ForcedWidth = width == 0 ? null : width;
                body();
            }
            finally
            {
                BceKernels.VectorEnabled = true;
                BceKernels.ForcedWidth = null;
            }
        }
    }

    /// <summary>The activation kernels (leaky ReLU, clamp gradient) vectorised or on their scalar twins.</summary>
    public static void Activations(bool vector, Action body)
    {
        lock (Gate)
        {
            try
            {
                Kernels.Activations.VectorEnabled = vector;
                body();
            }
            finally { Kernels.Activations.VectorEnabled = true; }
        }
    }
}
