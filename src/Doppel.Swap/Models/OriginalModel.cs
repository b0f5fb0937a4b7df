using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Models;

/// <summary>Which person's decoder.</summary>
public enum Side { A, B }

/// <summary>
/// The classic face-swap autoencoder: one shared encoder, one decoder per person. Training
/// reconstructs each person through their own decoder; swapping decodes A's latent with B's.
/// </summary>
public sealed class OriginalModel : Module
{
    public OriginalModel(OriginalSpec spec, Rng rng)
    {
        Spec = spec;
        Encoder = AddModule("encoder", new OriginalEncoder(spec, rng));
        DecoderA = AddModule("decoder_a", new OriginalDecoder(spec, rng));
        DecoderB = AddModule("decoder_b", new OriginalDecoder(spec, rng));
    }

    public OriginalSpec Spec { get; }
    public OriginalEncoder Encoder { get; }
    public OriginalDecoder DecoderA { get; }
    public OriginalDecoder DecoderB { get; }

    public OriginalDecoder Decoder(Side side) => side == Side.A ? DecoderA : DecoderB;

    /// <summary>Faces (N, S, S, 3) in [0, 1] through the encoder and the given decoder.</summary>
    public Tensor Forward(Tensor faces, Side decoder) => Decoder(decoder).Forward(Encoder.Forward(faces));
}
