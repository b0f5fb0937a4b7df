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

    private static (List<Entry>, Dictionary<string, string>, long) ReadHeader(Stream stream, string path)
    {
        DoppelException Bad(string why) => new($"{path} is not a valid safetensors file: {why}", "the file may be corrupt; use another checkpoint");
        Span<byte> len = stackalloc byte[8];
        if (stream.ReadAtLeast(len, 8, throwOnEndOfStream: false) < 8) throw Bad("shorter than its 8-byte header length");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(len);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length) throw Bad($"header length {headerLength} is impossible");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw Bad("header is not a JSON object");
            _ = root.Count; // builds the name table, which throws on a name given twice
        }
        catch (JsonException e) { throw Bad("header is not JSON (" + e.Message + ")"); }
        catch (ArgumentException) { throw Bad("header names a tensor twice"); }
        long dataStart = 8 + headerLength, dataLength = stream.Length - dataStart;
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in root)
        {
            if (name == "__metadata__")
            {
                if (node is not JsonObject meta) throw Bad("__metadata__ is not an object");
                foreach (var (k, v) in meta)
                    metadata[k] = v is JsonValue value && value.TryGetValue(out string? text) ? text : throw Bad($"metadata {k} is not a string");
                continue;
            }
            try
            {
                var o = node!.AsObject();
                string dtype = o["dtype"]!.GetValue<string>();
                if (dtype != "F32") throw Bad($"tensor {name} has dtype {dtype}; Doppel reads F32 only");
                var shape = o["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
                var offsets = o["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                long expected = (long)ShapeUtil.Count(shape) * 4;
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != expected || offsets[1] > dataLength)
                    throw Bad($"tensor {name} has data offsets that do not fit its shape or the file");
                entries.Add(new Entry(name, shape, offsets[0], offsets[1]));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or ArgumentException)
            {
                throw Bad($"entry {name} is malformed");
            }
        }
        return (entries, metadata, dataStart);
    }
}
