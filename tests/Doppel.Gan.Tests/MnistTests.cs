using System.Buffers.Binary;
using Doppel.Core;
using Doppel.Gan.Data;

namespace Doppel.Gan.Tests;

/// <summary>The IDX reader on files it writes (whole, truncated, foreign), and the real MNIST from the cache.</summary>
public sealed class MnistTests
{
    private static byte[] Idx(int[] shape, int valueCount, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * shape.Length + valueCount];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), shape[d]);
        for (int i = 0; i < valueCount; i++) bytes[4 + 4 * shape.Length + i] = (byte)(i * 7);
        return bytes;
    }

    [Fact]
    public void AWholeFileReadsBackItsShapeAndValues()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "images");
        File.WriteAllBytes(path, Idx([3, 2, 2], 12));
        var idx = IdxFile.Read(path, 3);
        Assert.Equal([3, 2, 2], idx.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)(i * 7)), idx.Values);
    }

    [Theory]
    [InlineData("truncated", "truncated: its header promises 12 values")]
    [InlineData("header", "truncated inside its header")]
    [InlineData("tiny", "shorter than an IDX header")]
    [InlineData("type", "not an IDX file of unsigned bytes")]
    [InlineData("dims", "has 2 dimensions; 3 were expected")]
    [InlineData("trailing", "bytes after the 12 values")]
    [InlineData("missing", "MNIST file not found")]
    public void ABadFileIsAClearError(string damage, string expected)
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "images");
        byte[] whole = Idx([3, 2, 2], 12);
        byte[]? bytes = damage switch
        {
            "truncated" => whole[..^3],
            "header" => whole[..9],
            "tiny" => whole[..2],
            "type" => Idx([3, 2, 2], 12, type: 0x0D),
            "dims" => Idx([3, 4], 12),
            "trailing" => [.. whole, 1, 2],
            _ => null,
        };
        if (bytes is not null) File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DoppelException>(() => IdxFile.Read(path, 3));
        Assert.Contains(expected, e.Message);
        Assert.False(string.IsNullOrEmpty(e.Hint));
    }

    [Fact]
    public void AnIdxFileOfTheWrongSizeIsNotTakenForMnist()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Path, "t10k-images-idx3-ubyte"), Idx([5, 28, 28], 5 * 784));
        var e = Assert.Throws<DoppelException>(() => Mnist.Test(dir.Path));
        Assert.Contains("holds 5 images of 28x28; MNIST has 10000", e.Message);
        e = Assert.Throws<DoppelException>(() => Mnist.Train(dir.Path));
        Assert.Contains("MNIST file not found", e.Message);
    }

    [Fact]
    public void TheRealDigitsSplitAsInThePaper()
    {
        var train = Mnist.Train();
        var validation = Mnist.Validation();
        var test = Mnist.Test();
        Assert.Equal((50_000, 10_000, 10_000), (train.Count, validation.Count, test.Count));
        var digit = new float[784];
        double sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            train.Write(i, digit);
            sum += digit.Sum();
        }
        // MNIST's mean pixel is about 0.13; corners are always black.
        Assert.InRange(sum / (1000 * 784), 0.11, 0.15);
        Assert.Equal(0f, digit[0]);
        Assert.Equal(train.Describe()["fingerprint"]!.GetValue<string>(), validation.Describe()["fingerprint"]!.GetValue<string>());
    }
}
