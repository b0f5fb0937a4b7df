using System.Text.Json.Nodes;

namespace Doppel.Gan.Data;

/// <summary>
/// The real examples a GAN learns from: a fixed number of images of one shape (NHWC, values in
/// [0, 1]), read by index. The trainer maps them to the generator's output range.
/// </summary>
public interface IImageSet
{
    /// <summary>For messages ("MNIST train[0:50000]", "2 face sets").</summary>
    string Name { get; }

    int Count { get; }
    int Height { get; }
    int Width { get; }
    int Channels { get; }

    /// <summary>Writes image <paramref name="index"/> as (H, W, C) values in [0, 1].</summary>
    void Write(int index, Span<float> destination);

    /// <summary>What a checkpoint records of the data (paths, counts, fingerprints), compared on resume.</summary>
    JsonObject Describe();
}
