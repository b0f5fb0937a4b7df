using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// The sizes of one swap model and the factory that builds it: what <see cref="ModelRegistry"/>
/// maps a name to and what a checkpoint's <c>state.json</c> stores as <c>Spec</c>. Resume compares
/// specs by value (implement it as a record, comparing arrays element by element), and convert
/// rebuilds the model from the stored spec, so a model folder converts without the registry entry
/// it was trained under.
/// </summary>
public interface ISwapModelSpec
{
    /// <summary>
    /// The model family, stored in <c>state.json</c> beside the sizes so the spec reads back as
    /// the right type. A checkpoint without it predates families and is an Original-family one.
    /// </summary>
    string Family { get; }

    /// <summary>The side of the square faces the model takes and draws, in pixels.</summary>
    int InputSize { get; }

    /// <summary>
    /// A new model with weights drawn from <paramref name="rng"/>; the same seed gives the same
    /// weights. With <paramref name="learnMask"/> each decoder also draws a mask.
    /// </summary>
    ISwapModel Create(Rng rng, bool learnMask = false);
}
