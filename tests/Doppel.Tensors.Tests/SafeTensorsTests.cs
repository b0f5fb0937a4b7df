using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Doppel.Core;
using Doppel.Tensors.IO;
using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>safetensors: round trip, the byte layout read independently, fit errors, corrupt files, atomic saves.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "doppel-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File_(string name) => Path.Combine(_dir, name);

    private static (string, Tensor)[] Sample() =>
    [
        ("encoder.conv1.weight", T.Uniform(700, -1, 1, 4, 3, 3, 2).Const()),
        ("encoder.conv1.bias", T.Uniform(701, -1, 1, 4).Const()),
        ("scale", Tensor.Scalar(2.5f)),
        ("table", T.Uniform(702, -1, 1, 3, 5).Const()),
    ];

    [Fact]
    public void Round_trip_keeps_names_shapes_values_and_metadata()
    {
        var path = File_("model.safetensors");
        var tensors = Sample();
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["model"] = "original", ["step"] = "1200" });
        var (loaded, meta) = SafeTensors.Load(path);
        Assert.Equal(tensors.Length, loaded.Count);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.Shape, loaded[name].Shape);
            Assert.Equal(t.Data, loaded[name].Data);
            loaded[name].Dispose();
        }
        Assert.Equal("original", meta["model"]);
        Assert.Equal("1200", meta["step"]);
    }

    [Fact]
    public void File_layout_is_the_safetensors_format()
    {
        var path = File_("layout.safetensors");
        var tensors = Sample();
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        byte[] bytes = File.ReadAllBytes(path);

        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8); // data starts 8-byte aligned
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var root = doc.RootElement;
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());

        long dataStart = 8 + headerLength, total = 0;
        var ranges = new List<(long, long)>();
        foreach (var (name, t) in tensors)
        {
            var entry = root.GetProperty(name);
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(t.Shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Assert.Equal(2, offsets.Length);
            Assert.Equal(t.Size * 4L, offsets[1] - offsets[0]);
            ranges.Add((offsets[0], offsets[1]));
            total += offsets[1] - offsets[0];
            for (int i = 0; i < t.Size; i++)
                Assert.Equal(t.Data[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(dataStart + offsets[0] + 4 * i), 4)));
        }
        // The ranges tile the data section exactly, from 0, with no gaps or overlaps.
        ranges.Sort();
        Assert.Equal(0, ranges[0].Item1);
        for (int i = 1; i < ranges.Count; i++) Assert.Equal(ranges[i - 1].Item2, ranges[i].Item1);
        Assert.Equal(bytes.Length, dataStart + total);
    }

    [Fact]
    public void LoadInto_copies_values_into_existing_tensors()
    {
        var path = File_("into.safetensors");
        var tensors = Sample();
        SafeTensors.Save(path, tensors);
        var targets = tensors.Select(t => (t.Item1, Tensor.Zeros(t.Item2.Shape))).ToArray();
        SafeTensors.LoadInto(path, targets);
        for (int i = 0; i < tensors.Length; i++) Assert.Equal(tensors[i].Item2.Data, targets[i].Item2.Data);
    }

    [Fact]
    public void LoadInto_names_missing_and_mis_shaped_tensors()
    {
        var path = File_("fit.safetensors");
        SafeTensors.Save(path, Sample());
        var wrongShape = Tensor.Zeros(4, 3, 3, 3);
        var untouched = Tensor.Zeros(4);
        var e = Assert.Throws<DoppelException>(() => SafeTensors.LoadInto(path,
        [
            ("encoder.conv1.weight", wrongShape),
            ("encoder.conv1.bias", untouched),
            ("decoder.conv9.weight", Tensor.Zeros(2)),
        ]));
        Assert.Contains("missing decoder.conv9.weight", e.Message);
        Assert.Contains("encoder.conv1.weight has shape [4, 3, 3, 2], expected [4, 3, 3, 3]", e.Message);
        Assert.DoesNotContain("encoder.conv1.bias", e.Message);
        Assert.NotNull(e.Hint);
        Assert.All(untouched.Data, v => Assert.Equal(0f, v)); // nothing is loaded when anything misfits
    }

    [Fact]
    public void Missing_file_is_a_doppel_error()
    {
        var e = Assert.Throws<DoppelException>(() => SafeTensors.Load(File_("nope.safetensors")));
        Assert.Contains("not found", e.Message);
    }

    private static byte[] WithHeader(string json, int dataBytes = 0)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    public static TheoryData<string, byte[]> CorruptFiles()
    {
        var huge = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(huge, long.MaxValue);
        var negative = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(negative, -5);
        var garbage = new byte[200];
        for (int i = 0; i < garbage.Length; i++) garbage[i] = (byte)(i * 37 + 11);
        BinaryPrimitives.WriteInt64LittleEndian(garbage, 150);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "short length", [1, 2, 3] },
            { "huge header length", huge },
            { "negative header length", negative },
            { "header longer than the file", PatchLength(WithHeader("{}"), 1000) },
            { "garbage header", garbage },
            { "header is not an object", WithHeader("[1, 2, 3]") },
            { "header is a string", WithHeader("\"hello\"") },
            { "entry is not an object", WithHeader("{\"w\": 5}") },
            { "entry without dtype", WithHeader("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4) },
            { "F16 tensor", WithHeader("{\"w\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", 4) },
            { "offsets past the end", WithHeader("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8) },
            { "offsets not matching the shape", WithHeader("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 4]}}", 12) },
            { "negative dimension", WithHeader("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4) },
            { "non-numeric shape", WithHeader("{\"w\": {\"dtype\": \"F32\", \"shape\": [\"x\"], \"data_offsets\": [0, 4]}}", 4) },
            { "metadata value not a string", WithHeader("{\"__metadata__\": {\"step\": 5}}") },
            { "metadata not an object", WithHeader("{\"__metadata__\": [1]}") },
            { "header is JSON null", WithHeader("null") },
            { "duplicate names", WithHeader("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4) },
        };
    }

    private static byte[] PatchLength(byte[] bytes, long length)
    {
        BinaryPrimitives.WriteInt64LittleEndian(bytes, length);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Corrupt_files_are_reported_not_crashed_on(string what, byte[] bytes)
    {
        var path = File_("corrupt.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DoppelException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void A_truncated_checkpoint_is_reported()
    {
        var path = File_("full.safetensors");
        SafeTensors.Save(path, Sample());
        var bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { bytes.Length - 1, bytes.Length - 40, 20 })
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, keep).ToArray());
            var e = Assert.Throws<DoppelException>(() => SafeTensors.Load(path));
            Assert.Contains(path, e.Message);
        }
    }

    [Fact]
    public void Saving_leaves_no_temporary_files()
    {
        var path = File_("clean.safetensors");
        SafeTensors.Save(path, Sample());
        SafeTensors.Save(path, Sample()); // overwrite
        Assert.Equal(["clean.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_save_keeps_the_previous_file()
    {
        var path = File_("keep.safetensors");
        SafeTensors.Save(path, Sample());
        byte[] good = File.ReadAllBytes(path);

        // A tensor that fails while its data is written, after the header went out.
        var broken = Tensor.Ones(1000);
        broken.Dispose();
        Assert.ThrowsAny<Exception>(() => SafeTensors.Save(path, [("ok", Tensor.Ones(3)), ("broken", broken)]));
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal(["keep.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }
}
