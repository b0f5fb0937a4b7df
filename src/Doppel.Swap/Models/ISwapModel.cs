using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>
/// A face-swap autoencoder as the trainer, the converter, the previews and <c>bench</c> use it:
/// one shared encoder, one decoder per person (<see cref="Side"/>), faces (N, S, S, 3) in [0, 1]
/// in and out. Training reconstructs each person through their own decoder; swapping decodes A's
/// latent with B's decoder. Which layers make it up is the model's own business; everything that
/// has to be saved or optimised is reached through <see cref="Module"/>.
/// A new model is a class implementing this, built by its <see cref="ISwapModelSpec"/>, and one
/// line in <see cref="ModelRegistry.Default"/>.
/// </summary>
public interface ISwapModel
{
    /// <summary>What built the model; a checkpoint stores it so that resume and convert rebuild the same model.</summary>
    ISwapModelSpec Spec { get; }

    /// <summary>The side of the square faces the model takes and draws, in pixels.</summary>
    int InputSize { get; }

    /// <summary>Whether each decoder draws a 1-channel mask beside the face (<see cref="Decode"/> returns its logits).</summary>
    bool LearnsMask { get; }

    /// <summary>The parameters (names and tensors, for optimisers and safetensors files), buffers, train/eval mode.</summary>
    Module Module { get; }

    long ParameterCount => Module.ParameterCount;

    /// <summary>Every parameter by its dotted name (what optimisers and checkpoints take): <see cref="Module"/>'s.</summary>
    IEnumerable<(string Name, Tensor Tensor)> NamedParameters() => Module.NamedParameters();

    /// <summary>Faces (N, S, S, 3) to the shared latent, whatever shape the model gives it.</summary>
    Tensor Encode(Tensor faces);

    /// <summary>
    /// A latent through one person's decoder: the face (N, S, S, 3) in [0, 1] and, when the model
    /// learns a mask, the mask as logits (N, S, S, 1), else null. Training takes BCE on logits
    /// (stable where the sigmoid saturates); callers that want the mask itself apply the sigmoid.
    /// </summary>
    (Tensor Face, Tensor? MaskLogits) Decode(Tensor latent, Side side);

    /// <summary>Faces through the encoder and the given decoder: the face and the mask logits (or null).</summary>
    (Tensor Face, Tensor? MaskLogits) ForwardWithMask(Tensor faces, Side side) => Decode(Encode(faces), side);

    /// <summary>Faces through the encoder and the given decoder: the face only.</summary>
    Tensor Forward(Tensor faces, Side side) => ForwardWithMask(faces, side).Face;
}
