using System.Text.Json.Nodes;

namespace Doppel.Gan.Data;

/// <summary>MNIST digits as bytes, (count, 28, 28, 1); written to the model as values in [0, 1].</summary>
public sealed class DigitSet(string name, byte[] pixels, int count, string fingerprint) : IImageSet
{
    public string Name { get; } = name;
    public int Count { get; } = count;
    public int Height => Mnist.Side;
    public int Width => Mnist.Side;
    public int Channels => 1;

    public void Write(int index, Span<float> destination)
    {
        var source = pixels.AsSpan(index * Mnist.Pixels, Mnist.Pixels);
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] * (1f / 255f);
    }

    /// <summary>Every digit as a row of 784 values in [0, 1]: the Parzen window's data.</summary>
    public float[] ToMatrix()
    {
        var m = new float[Count * Mnist.Pixels];
        for (int i = 0; i < Count; i++) Write(i, m.AsSpan(i * Mnist.Pixels, Mnist.Pixels));
        return m;
    }

    public JsonObject Describe() => new() { ["source"] = "mnist", ["package"] = Mnist.Package, ["set"] = Name, ["count"] = Count, ["fingerprint"] = fingerprint };
}
