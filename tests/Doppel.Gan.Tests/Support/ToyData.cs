using System.Text.Json.Nodes;
using Doppel.Gan.Data;
using Doppel.Gan.Models;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Tests.Support;

/// <summary>Points of a 2-D mixture of 8 Gaussians on a circle (radius 2), as 1x2x1 "images": the classic mode-collapse test.</summary>
public sealed class EightGaussians(int count, double std, ulong seed = 3) : IImageSet
{
    public const int Modes = 8;
    public const double Radius = 2;
    private readonly float[] _points = Draw(count, std, seed);

    public string Name => "8 Gaussians";
    public int Count { get; } = count;
    public int Height => 1;
    public int Width => 2;
    public int Channels => 1;

    public static (double X, double Y) Centre(int mode) => (Radius * Math.Cos(2 * Math.PI * mode / Modes), Radius * Math.Sin(2 * Math.PI * mode / Modes));

    public void Write(int index, Span<float> destination) => _points.AsSpan(2 * index, 2).CopyTo(destination);

    public JsonObject Describe() => new() { ["source"] = "8gaussians", ["count"] = Count };

    private static float[] Draw(int count, double std, ulong seed)
    {
        var rng = new Rng(seed);
        var p = new float[2 * count];
        for (int i = 0; i < count; i++)
        {
            var (x, y) = Centre(rng.Next(Modes));
            p[2 * i] = (float)(x + std * rng.Normal());
            p[2 * i + 1] = (float)(y + std * rng.Normal());
        }
        return p;
    }
}

/// <summary>Random grey 28x28 "digits" (blobs on black) for fast tests of the mlp networks.</summary>
public sealed class FakeDigits(int count, ulong seed = 9) : IImageSet
{
    private readonly float[] _pixels = Draw(count, seed);

    public string Name => "fake digits";
    public int Count { get; } = count;
    public int Height => 28;
    public int Width => 28;
    public int Channels => 1;

    public void Write(int index, Span<float> destination) => _pixels.AsSpan(index * 784, 784).CopyTo(destination);

    public JsonObject Describe() => new() { ["source"] = "mnist", ["set"] = "fake", ["count"] = Count };

    private static float[] Draw(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var p = new float[count * 784];
        for (int i = 0; i < count; i++)
        {
            double cx = 8 + rng.NextDouble() * 12, cy = 8 + rng.NextDouble() * 12;
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++)
                    p[i * 784 + y * 28 + x] = (float)Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 18);
        }
        return p;
    }
}

/// <summary>Random RGB images for the dcgan networks at a small size.</summary>
public sealed class FakeFaces(int count, int size, ulong seed = 11) : IImageSet
{
    private readonly float[] _pixels = Draw(count * size * size * 3, seed);

    public string Name => "fake faces";
    public int Count { get; } = count;
    public int Height => size;
    public int Width => size;
    public int Channels => 3;

    public void Write(int index, Span<float> destination) => _pixels.AsSpan(index * size * size * 3, size * size * 3).CopyTo(destination);

    public JsonObject Describe() => new() { ["source"] = "faces", ["count"] = Count };

    private static float[] Draw(int n, ulong seed)
    {
        var p = new float[n];
        new Rng(seed).FillUniform(p, 0f, 1f);
        return p;
    }
}

/// <summary>Small fully connected G and D for 2-D points (z 2 -> 64 -> 64 -> 2; 2 -> 64 -> 64 -> 1), outputs unbounded.</summary>
public sealed class ToyArchitecture : IGanArchitecture
{
    public string Name => "toy";

    public int CheckSize(int size) => 1;

    public GanNetworks Build(GanShape shape, Rng init, Rng dropout)
    {
        var g = new Sequential(
            new Linear(shape.ZDim, 64, init), new ReLU(),
            new Linear(64, 64, init), new ReLU(),
            new Linear(64, 2, init, init: WeightInit.GlorotUniform),
            new Lambda(t => Ops.Reshape(t, t.Dim(0), 1, 2, 1)));
        var d = new Sequential(
            new Flatten(),
            new Linear(2, 64, init), new LeakyReLU(0.2f),
            new Linear(64, 64, init), new LeakyReLU(0.2f),
            new Linear(64, 1, init, init: WeightInit.GlorotUniform));
        return new GanNetworks(g, d, shape.ZDim, 1, 2, 1, PixelRange.Unit);
    }
}
