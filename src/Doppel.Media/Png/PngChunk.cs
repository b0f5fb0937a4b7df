using System.Text;
using Doppel.Core;

namespace Doppel.Media.Png;

/// <summary>
/// One PNG chunk: a four-letter type and its payload (length and CRC are derived when written).
/// The case of each letter carries meaning: an uppercase first letter marks a critical chunk
/// (IHDR, PLTE, IDAT, IEND), a lowercase one an ancillary chunk such as C2PA's <c>caBX</c>.
/// </summary>
public sealed record PngChunk
{
    public PngChunk(string type, byte[] data)
    {
        if (type is null || type.Length != 4 || !type.All(char.IsAsciiLetter))
            throw new DoppelException($"invalid PNG chunk type '{type}'", "a chunk type is exactly four ASCII letters");
        Type = type;
        Data = data ?? throw new ArgumentNullException(nameof(data));
    }

    public string Type { get; }
    public byte[] Data { get; }

    public bool IsCritical => char.IsAsciiLetterUpper(Type[0]);

    /// <summary>Length + type + data + CRC, as laid out in the file.</summary>
    public int EncodedLength => 12 + Data.Length;

    internal byte[] TypeBytes => Encoding.ASCII.GetBytes(Type);

    public override string ToString() => $"{Type} ({Data.Length} bytes)";
}
