using System.Text.Json.Nodes;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Data;

/// <summary>Uniform noise images of a shape: data for timing a GAN's step (bench gan), where what is learned does not matter.</summary>
public sealed class RandomImages : IImageSet
{
    private readonly float[] _pixels;

    public RandomImages(int count, int height, int width, int channels, ulong seed = 1)
    {
        Count = count;
        Height = height;
        Width = width;
        Channels = channels;
        _pixels = new float[count * height * width * channels];
        new Rng(seed).FillUniform(_pixels, 0f, 1f);
    }

    public string Name => "random images";
    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }

    public void Write(int index, Span<float> destination)
    {
        int n = Height * Width * Channels;
        _pixels.AsSpan(index * n, n).CopyTo(destination);
    }

    public JsonObject Describe() => new() { ["source"] = "random", ["count"] = Count };
}
