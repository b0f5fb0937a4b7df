using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;

namespace Doppel.Tensors.IO;

/// <summary>
/// The safetensors format that PyTorch tooling reads: an 8-byte little-endian header length, a
/// JSON header mapping each name to {dtype, shape, data_offsets} (plus optional string
/// "__metadata__"), then the raw little-endian data. Doppel writes F32 only and writes atomically.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100 << 20;

    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (name, t) in list)
        {
            long bytes = (long)t.Size * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the spec allows trailing spaces; aligning keeps data 8-byte aligned
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(len, padded);
            stream.Write(len);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, t) in list) stream.Write(MemoryMarshal.AsBytes(t.Span));
        });
    }

    /// <summary>Everything in a file: tensors by name (unscoped; the caller disposes) and the metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        if (!File.Exists(path)) throw new DoppelException($"checkpoint not found: {path}", "check the path, or train a model first");
        using var stream = File.OpenRead(path);
        var (entries, metadata, dataStart) = ReadHeader(stream, path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var e in entries.OrderBy(e => e.Begin))
            {
                var t = Tensor.Empty(e.Shape).Persist();
                tensors[e.Name] = t;
                stream.Position = dataStart + e.Begin;
                stream.ReadExactly(MemoryMarshal.AsBytes(t.Span));
            }
        }
        catch (EndOfStreamException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new DoppelException($"checkpoint {path} is truncated", "it was not completely written; use the previous checkpoint");
        }
        return (tensors, metadata);
    }

    /// <summary>
    /// Loads into existing tensors (a model's parameters), checking that every one is present with
    /// the right shape; the error names the missing or mis-shaped tensors.
    /// </summary>
    public static Dictionary<string, string> LoadInto(string path, IEnumerable<(string Name, Tensor Tensor)> targets)
    {
        var (tensors, metadata) = Load(path);
        try
        {
            var problems = new List<string>();
            var list = targets.ToList();
            foreach (var (name, target) in list)
            {
                if (!tensors.TryGetValue(name, out var source)) problems.Add($"missing {name}");
                else if (!ShapeUtil.SameShape(source.Shape, target.Shape))
                    problems.Add($"{name} has shape {ShapeUtil.Format(source.Shape)}, expected {ShapeUtil.Format(target.Shape)}");
            }
            if (problems.Count > 0)
                throw new DoppelException($"checkpoint {path} does not fit this model: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $" (and {problems.Count - 5} more)" : "")}",
                    "was it trained with another model or options?");
            foreach (var (name, target) in list) tensors[name].Span.CopyTo(target.Span);
            return metadata;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private sealed record Entry(string Name, int[] Shape, long Begin, long End);

    /// <summary>
    /// Reads and checks the header of a file that may come from anyone (model files are shared):
    /// every length, offset and shape is checked against the file's size before anything is
    /// allocated, and each problem is named (header length, dtype, shape, offsets, overlaps,
    /// holes), so a damaged or hostile file is a <see cref="DoppelException"/> that says what is
    /// wrong with it, never a crash or an allocation larger than the file.
    /// </summary>
    private static (List<Entry>, Dictionary<string, string>, long) ReadHeader(Stream stream, string path)
    {
        DoppelException Bad(string why) => new($"{path} is not a valid safetensors file: {why}", "the file is damaged or not a safetensors file; use another copy or checkpoint");
        Span<byte> len = stackalloc byte[8];
        if (stream.ReadAtLeast(len, 8, throwOnEndOfStream: false) < 8) throw Bad($"it is {stream.Length} bytes, shorter than the 8-byte header length");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(len);
        if (headerLength <= 0) throw Bad($"its header length is {headerLength}");
        if (headerLength > stream.Length - 8) throw Bad($"its header length says {headerLength} bytes, but the file has only {stream.Length - 8} after it");
        if (headerLength > MaxHeaderBytes) throw Bad($"its header length says {headerLength} bytes, more than the {MaxHeaderBytes >> 20} MiB a header may have");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        if (!System.Text.Unicode.Utf8.IsValid(json)) throw Bad("its header is not UTF-8 text");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw Bad("its header is not a JSON object");
            _ = root.Count; // builds the name table, which throws on a name given twice
        }
        catch (JsonException e) { throw Bad("its header is not JSON (" + e.Message + ")"); }
        catch (ArgumentException) { throw Bad("its header names a tensor twice"); }
        long dataStart = 8 + headerLength, dataLength = stream.Length - dataStart;
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in root)
        {
            try
            {
                if (name == "__metadata__")
                {
                    if (node is not JsonObject meta) throw Bad("__metadata__ is not an object");
                    foreach (var (k, v) in meta)
                        metadata[k] = v is JsonValue value && value.TryGetValue(out string? text) ? text : throw Bad($"metadata {k} is not a string");
                    continue;
                }
                entries.Add(ReadEntry(name, node, dataLength, Bad));
            }
            // A nested object that names a key twice throws when first looked into.
            catch (ArgumentException) { throw Bad($"{(name == "__metadata__" ? "__metadata__" : $"tensor {name}")} names a key twice"); }
            catch (InvalidOperationException) { throw Bad($"{(name == "__metadata__" ? "__metadata__" : $"tensor {name}")} is malformed"); }
        }
        CheckTiling(entries, dataLength, Bad);
        return (entries, metadata, dataStart);
    }

    private static Entry ReadEntry(string name, JsonNode? node, long dataLength, Func<string, DoppelException> bad)
    {
        if (node is not JsonObject o) throw bad($"tensor {name} is not an object");
        if (o["dtype"] is not JsonValue dtypeValue || !dtypeValue.TryGetValue(out string? dtype)) throw bad($"tensor {name} has no dtype string");
        if (dtype != "F32") throw bad($"tensor {name} has dtype {dtype}; Doppel reads F32 only");
        if (o["shape"] is not JsonArray shapeArray) throw bad($"tensor {name} has no shape array");
        var shape = new int[shapeArray.Count];
        // The product saturates instead of overflowing; any shape that reaches the cap is far
        // more than a file can back, and the size check below says so.
        const long cap = long.MaxValue / 4;
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shapeArray[i] is not JsonValue d || !d.TryGetValue(out long dim) || dim < 0 || dim > int.MaxValue)
                throw bad($"tensor {name} has shape {shapeArray.ToJsonString()}: each dimension must be a whole number from 0 to {int.MaxValue}");
            shape[i] = (int)dim;
            count = dim == 0 || count == 0 ? 0 : count > cap / dim ? cap : count * dim;
        }
        if (o["data_offsets"] is not JsonArray offsetArray || offsetArray.Count != 2
            || offsetArray[0] is not JsonValue b || !b.TryGetValue(out long begin)
            || offsetArray[1] is not JsonValue e || !e.TryGetValue(out long end))
            throw bad($"tensor {name} has no data_offsets [begin, end] of whole numbers");
        if (begin < 0 || end < begin) throw bad($"tensor {name} has data offsets [{begin}, {end}]: begin must be 0 or more and end at least begin");
        if (end > dataLength) throw bad($"tensor {name} has data offsets [{begin}, {end}], past the end of the {dataLength}-byte data section");
        if (count == cap) throw bad($"tensor {name} has shape {ShapeUtil.Format(shape)}, more elements than the file can hold");
        if (end - begin != count * 4)
            throw bad($"tensor {name} has shape {ShapeUtil.Format(shape)} ({count} F32 values, {count * 4} bytes) but data offsets [{begin}, {end}] ({end - begin} bytes)");
        if (count > int.MaxValue) throw bad($"tensor {name} has {count} values, more than a Doppel tensor holds ({int.MaxValue})");
        return new Entry(name, shape, begin, end);
    }

    // The format's rule: the tensors' byte ranges tile the data section from 0 to its end, with
    // no overlap and no hole (so no bytes hide in a file that looks like weights).
    private static void CheckTiling(List<Entry> entries, long dataLength, Func<string, DoppelException> bad)
    {
        long at = 0;
        Entry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < at) throw bad($"tensors {previous!.Name} [{previous.Begin}, {previous.End}] and {entry.Name} [{entry.Begin}, {entry.End}] overlap");
            if (entry.Begin > at) throw bad($"bytes {at} to {entry.Begin} of the data section belong to no tensor (before {entry.Name})");
            at = entry.End;
            previous = entry;
        }
        if (at != dataLength) throw bad($"the tensors end at byte {at} of the data section, but it has {dataLength} bytes (the file is cut short or has bytes that belong to no tensor)");
    }
}
