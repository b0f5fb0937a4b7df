using Doppel.Swap.Models;

namespace Doppel.Swap.Tests.Support;

/// <summary>Models small enough for a unit test to train dozens of steps in a second or two.</summary>
public static class TinyModels
{
    /// <summary>16 px: two stride-2 convs (8, 16 ch) to 4x4, dense 16, upscale to 8x8x8, one decoder block to 16 px.</summary>
    public static OriginalSpec Tiny { get; } = new(16, [8, 16], 16, 8, [8]);

    public static ModelRegistry Registry { get; } = new ModelRegistry().Add("tiny", Tiny).Add("lite", OriginalSpec.Lite);
}
