using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>Which person's decoder.</summary>
public enum Side { A, B }

/// <summary>
/// The classic face-swap autoencoder (the <c>original</c> family: models <c>original</c>, <c>lite</c>,
/// <c>h128</c>): one shared encoder, one decoder per person. Training reconstructs each person
/// through their own decoder; swapping decodes A's latent with B's.
/// </summary>
public sealed class OriginalModel : Module, ISwapModel
{
    /// <param name="learnMask">Give each decoder the 1-channel mask branch (<c>decoder_x.to_mask</c>);
    /// off, the model is exactly the spec's, parameter for parameter.</param>
    public OriginalModel(OriginalSpec spec, Rng rng, bool learnMask = false)
    {
        Spec = spec;
        LearnsMask = learnMask;
        Encoder = AddModule("encoder", new OriginalEncoder(spec, rng));
        DecoderA = AddModule("decoder_a", new OriginalDecoder(spec, rng));
        DecoderB = AddModule("decoder_b", new OriginalDecoder(spec, rng));
        if (learnMask)
        {
            // Drawn after every Original layer, from a generator of its own (see AddMaskBranch).
            var maskRng = new Rng(rng.NextULong());
            DecoderA.AddMaskBranch(maskRng);
            DecoderB.AddMaskBranch(maskRng);
        }
    }

    public OriginalSpec Spec { get; }
    ISwapModelSpec ISwapModel.Spec => Spec;
    public int InputSize => Spec.InputSize;
    public bool LearnsMask { get; }
    Module ISwapModel.Module => this;
    public OriginalEncoder Encoder { get; }
    public OriginalDecoder DecoderA { get; }
    public OriginalDecoder DecoderB { get; }

    public OriginalDecoder Decoder(Side side) => side == Side.A ? DecoderA : DecoderB;

    public Tensor Encode(Tensor faces) => Encoder.Forward(faces); // (N, 64, 64, 3) -> (N, 8, 8, 512) for the Original

    /// <summary>The face and, with the mask branch, the mask logits (N, S, S, 1); see <see cref="OriginalDecoder.Decode"/>.</summary>
    public (Tensor Face, Tensor? MaskLogits) Decode(Tensor latent, Side side) => Decoder(side).Decode(latent);

    /// <summary>Faces (N, S, S, 3) in [0, 1] through the encoder and the given decoder.</summary>
    public Tensor Forward(Tensor faces, Side decoder) => Decoder(decoder).Forward(Encode(faces));

    /// <summary>The face and, with the mask branch, the mask logits (N, S, S, 1).</summary>
    public (Tensor Face, Tensor? MaskLogits) ForwardWithMask(Tensor faces, Side decoder) => Decode(Encode(faces), decoder);
}
