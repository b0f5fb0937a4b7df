using System.Buffers.Binary;
using System.Text;
using Doppel.Core;
using Doppel.Tensors.IO;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>
/// The checkpoint reader as a parser of untrusted input (model files are shared): each kind of
/// lie a header can tell is named in the error, and thousands of seeded mutations and
/// truncations of a valid file end in a loaded file or a <see cref="DoppelException"/>, never
/// another exception or an allocation the file cannot back.
/// </summary>
public sealed class SafeTensorsFuzzTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "doppel-st-fuzz-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsFuzzTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] WithHeader(string json, int dataBytes)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static string F32(string name, string shape, long begin, long end) =>
        $"\"{name}\": {{\"dtype\": \"F32\", \"shape\": {shape}, \"data_offsets\": [{begin}, {end}]}}";

    public static TheoryData<string, byte[], string> Lies()
    {
        var hugeHeader = WithHeader("{}", 0);
        BinaryPrimitives.WriteInt64LittleEndian(hugeHeader, 1L << 62);
        return new TheoryData<string, byte[], string>
        {
            { "header length 2^62", hugeHeader, $"header length says {1L << 62} bytes, but the file has only" },
            { "offsets past the file", WithHeader("{" + F32("w", "[4]", 0, 16) + "}", 8), "tensor w has data offsets [0, 16], past the end of the 8-byte data section" },
            { "overlapping tensors", WithHeader("{" + F32("a", "[2]", 0, 8) + ", " + F32("b", "[2]", 4, 12) + "}", 12), "tensors a [0, 8] and b [4, 12] overlap" },
            { "a hole between tensors", WithHeader("{" + F32("a", "[1]", 0, 4) + ", " + F32("b", "[1]", 8, 12) + "}", 12), "bytes 4 to 8 of the data section belong to no tensor" },
            { "bytes after the last tensor", WithHeader("{" + F32("a", "[1]", 0, 4) + "}", 12), "the tensors end at byte 4 of the data section, but it has 12 bytes" },
            { "shape product vs byte size", WithHeader("{" + F32("w", "[3]", 0, 4) + "}", 4), "tensor w has shape [3] (3 F32 values, 12 bytes) but data offsets [0, 4] (4 bytes)" },
            { "a shape larger than the file", WithHeader("{" + F32("w", "[2147483647, 2147483647, 2147483647]", 0, 4) + "}", 4), "tensor w has shape [2147483647, 2147483647, 2147483647], more elements than the file can hold" },
            { "a huge shape that does not overflow", WithHeader("{" + F32("w", "[1000000, 1000000, 1000000]", 0, 4) + "}", 4), "(1000000000000000000 F32 values, 4000000000000000000 bytes) but data offsets [0, 4] (4 bytes)" },
            { "a negative dimension", WithHeader("{" + F32("w", "[-1, -4]", 0, 16) + "}", 16), "tensor w has shape [-1,-4]: each dimension must be a whole number" },
            { "a fractional dimension", WithHeader("{" + F32("w", "[1.5]", 0, 4) + "}", 4), "each dimension must be a whole number" },
            { "non-F32 dtype", WithHeader("{\"w\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 4), "tensor w has dtype BF16; Doppel reads F32 only" },
            { "no dtype", WithHeader("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "tensor w has no dtype string" },
            { "reversed offsets", WithHeader("{" + F32("w", "[0]", 4, 0) + "}", 4), "tensor w has data offsets [4, 0]: begin must be 0 or more" },
            { "three offsets", WithHeader("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", 4), "tensor w has no data_offsets [begin, end]" },
            { "a key given twice in an entry", WithHeader("{\"w\": {\"dtype\": \"F32\", \"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "tensor w names a key twice" },
        };
    }

    [Theory]
    [MemberData(nameof(Lies))]
    public void Each_lie_in_a_header_is_named(string what, byte[] bytes, string expected)
    {
        string path = Path.Combine(_dir, "model.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DoppelException>(() => SafeTensors.Load(path));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {e.Message}");
        Assert.StartsWith($"{path} is not a valid safetensors file: ", e.Message);
    }

    [Fact]
    public void Thousands_of_mutated_and_truncated_files_never_crash_the_reader()
    {
        string original = Path.Combine(_dir, "valid.safetensors");
        SafeTensors.Save(original,
        [
            ("encoder.conv1.weight", T.Uniform(1, -1, 1, 4, 3, 3, 2).Const()),
            ("encoder.conv1.bias", T.Uniform(2, -1, 1, 4).Const()),
            ("scale", Tensor.Scalar(0.5f)),
        ], new Dictionary<string, string> { ["model"] = "lite", ["step"] = "12" });
        byte[] valid = File.ReadAllBytes(original);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadInt64LittleEndian(valid);
        string digits = "0123456789-.e[]{},\": ";

        var rng = new Random(20240611);
        string path = Path.Combine(_dir, "mutant.safetensors");
        int loaded = 0, refused = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] m = (byte[])valid.Clone();
            switch (i % 6)
            {
                case 0: // random bytes anywhere, mostly in the header where the lies live
                    for (int k = 1 + rng.Next(4); k > 0; k--) m[rng.Next(8) == 0 ? rng.Next(m.Length) : rng.Next(8, headerEnd)] = (byte)rng.Next(256);
                    break;
                case 1: // a character of the JSON swapped for another one JSON uses (digits, brackets, minus)
                    for (int k = 1 + rng.Next(3); k > 0; k--) m[rng.Next(8, headerEnd)] = (byte)digits[rng.Next(digits.Length)];
                    break;
                case 2: // the header length rewritten
                    BinaryPrimitives.WriteInt64LittleEndian(m, rng.Next(3) switch { 0 => rng.NextInt64(), 1 => headerEnd - 8 + rng.Next(-16, 17), _ => 1L << rng.Next(63) });
                    break;
                case 3: // cut short anywhere
                    m = m[..rng.Next(m.Length)];
                    break;
                case 4: // bytes appended or removed in the middle of the header
                    int at = rng.Next(8, headerEnd);
                    m = rng.Next(2) == 0 ? [.. m[..at], (byte)digits[rng.Next(digits.Length)], .. m[at..]] : [.. m[..at], .. m[(at + 1)..]];
                    break;
                default: // a number in the header made huge or negative
                    string header = Encoding.UTF8.GetString(m, 8, headerEnd - 8);
                    int digit = header.IndexOfAny("0123456789".ToCharArray(), rng.Next(header.Length));
                    if (digit < 0) digit = header.IndexOfAny("0123456789".ToCharArray());
                    string patched = header[..digit] + (rng.Next(2) == 0 ? "-" : "99999999999") + header[digit..];
                    byte[] json = Encoding.UTF8.GetBytes(patched);
                    m = [.. new byte[8], .. json, .. m[headerEnd..]];
                    BinaryPrimitives.WriteInt64LittleEndian(m, json.Length);
                    break;
            }
            File.WriteAllBytes(path, m);
            try
            {
                var (tensors, _) = SafeTensors.Load(path);
                long bytes = tensors.Values.Sum(t => (long)t.Size * 4);
                Assert.True(bytes <= m.Length, $"case {i}: {bytes} bytes of tensors from a {m.Length}-byte file");
                foreach (var t in tensors.Values) t.Dispose();
                loaded++;
            }
            catch (DoppelException e)
            {
                Assert.StartsWith(path, e.Message);
                refused++;
            }
        }
        // Most mutants are refused; some (a changed value byte, a changed metadata letter) are still valid files.
        Assert.Equal(3000, loaded + refused);
        Assert.True(refused > 2000, $"{refused} refused, {loaded} loaded");
    }
}
