using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Doppel.Core;

namespace Doppel.Faces.Extraction;

/// <summary>
/// Reads and writes alignments.json. Writes are atomic (temporary file + rename), so a crash or
/// Ctrl-C between checkpoints leaves the previous complete file, never a torn one. Written with
/// Utf8JsonWriter rather than a serializer so the layout (one face per line, rounded landmarks)
/// stays readable and the numbers carry only the digits that mean something.
/// </summary>
public static class AlignmentsFile
{
    public const string FileName = "alignments.json";

    // Paths and descriptions stay readable ('+', '>', non-ASCII names) instead of \u escapes;
    // the file is data, never embedded in HTML.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static void Write(string path, AlignmentsDocument document) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = Encoder });
            WriteDocument(w, document);
        });

    private static void WriteDocument(Utf8JsonWriter w, AlignmentsDocument d)
    {
        w.WriteStartObject();
        w.WriteString("format", AlignmentsDocument.FormatName);
        w.WriteNumber("format_version", AlignmentsDocument.FormatVersion);
        w.WriteString("generator", d.Generator);
        w.WriteNumber("crop_size", d.CropSize);
        w.WriteNumber("face_fraction", d.FaceFraction);
        w.WriteString("template", d.Template);
        w.WriteString("detector", d.Detector);
        w.WriteString("matrix", "source pixel -> crop pixel: [a, b, c, d, e, f] maps (x, y) to (a x + b y + c, d x + e y + f); integer coordinates are pixel centres");
        w.WriteStartArray("sources");
        foreach (var s in d.Sources)
        {
            w.WriteStartObject();
            w.WriteString("path", s.Path);
            w.WriteString("kind", s.Kind);
            w.WriteNumber("width", s.Width);
            w.WriteNumber("height", s.Height);
            w.WriteNumber("every", s.EveryNth);
            w.WriteBoolean("complete", s.Complete);
            w.WriteStartArray("frames");
            foreach (var f in s.Frames) w.WriteRawValue(CompactFrame(f), skipInputValidation: true);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // One frame per line: indenting every landmark coordinate would make the file ten times
    // longer and no easier to read.
    private static byte[] CompactFrame(FrameAlignments frame)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            w.WriteStartObject();
            w.WriteNumber("frame", frame.Frame);
            w.WriteStartArray("faces");
            foreach (var face in frame.Faces) WriteFace(w, face);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteFace(Utf8JsonWriter w, FaceAlignment face)
    {
        w.WriteStartObject();
        w.WriteStartArray("box");
        foreach (double v in face.Box) w.WriteNumberValue(Math.Round(v, 2));
        w.WriteEndArray();
        w.WriteNumber("score", Math.Round(face.Score, 4));
        w.WriteStartArray("landmarks");
        foreach (float[] p in face.Landmarks)
        {
            w.WriteStartArray();
            // Two decimals: the predictor is good to a fraction of a pixel, not to a thousandth.
            w.WriteNumberValue(Math.Round((double)p[0], 2));
            w.WriteNumberValue(Math.Round((double)p[1], 2));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("matrix");
        foreach (double v in face.Matrix) w.WriteNumberValue(v); // full precision: crops are re-made from it
        w.WriteEndArray();
        if (face.File is null) w.WriteNull("file");
        else w.WriteString("file", face.File);
        w.WriteEndObject();
    }

    /// <summary>Reads a file written by <see cref="Write"/>; a DoppelException when it is not one.</summary>
    public static AlignmentsDocument Read(string path)
    {
        if (!File.Exists(path)) throw new DoppelException($"alignments file not found: {path}", "run doppel extract first");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetString() != AlignmentsDocument.FormatName)
                throw new DoppelException($"{path} is not a Doppel alignments file", "pass the alignments.json that doppel extract wrote");
            int version = root.GetProperty("format_version").GetInt32();
            if (version > AlignmentsDocument.FormatVersion)
                throw new DoppelException($"{path} has format version {version}; this doppel reads up to {AlignmentsDocument.FormatVersion}", "update doppel");
            var result = new AlignmentsDocument
            {
                Generator = root.GetProperty("generator").GetString()!,
                CropSize = root.GetProperty("crop_size").GetInt32(),
                FaceFraction = root.GetProperty("face_fraction").GetDouble(),
                Template = root.GetProperty("template").GetString()!,
                Detector = root.GetProperty("detector").GetString()!,
            };
            foreach (var s in root.GetProperty("sources").EnumerateArray())
            {
                var source = new SourceAlignments
                {
                    Path = s.GetProperty("path").GetString()!,
                    Kind = s.GetProperty("kind").GetString()!,
                    Width = s.GetProperty("width").GetInt32(),
                    Height = s.GetProperty("height").GetInt32(),
                    EveryNth = s.GetProperty("every").GetInt32(),
                    Complete = s.GetProperty("complete").GetBoolean(),
                };
                foreach (var f in s.GetProperty("frames").EnumerateArray())
                    source.Frames.Add(new FrameAlignments(f.GetProperty("frame").GetInt64(),
                        f.GetProperty("faces").EnumerateArray().Select(ReadFace).ToList()));
                result.Sources.Add(source);
            }
            return result;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DoppelException($"{path} is damaged: {e.Message}", "extract into a new folder, or delete the file and extract again", e);
        }
    }

    private static FaceAlignment ReadFace(JsonElement f) => new(
        f.GetProperty("box").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
        f.GetProperty("score").GetDouble(),
        f.GetProperty("landmarks").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray(),
        f.GetProperty("matrix").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
        f.GetProperty("file").ValueKind == JsonValueKind.Null ? null : f.GetProperty("file").GetString());
}
