using System.Text.Json;
using Doppel.Core;

namespace Doppel.Swap.Data;

/// <summary>
/// Reads the landmarks of each crop from a face set's <c>alignments.json</c> (written by
/// <c>doppel extract</c>): per source file and frame, each face's 68 landmarks in source pixels,
/// its 2x3 source-to-crop matrix and its crop file name. Landmarks are returned in crop pixels.
/// This is the only class that knows the file's layout. The extractor was being written at the
/// same time, so the reader is deliberately tolerant: it walks the whole document and takes every
/// object that names a <c>.png</c> crop and carries a matrix and 68 landmarks, whether they are
/// nested ([[x, y], ...], [[a, b, c], [d, e, f]]) or flat ([x0, y0, ...], [a..f]).
/// </summary>
public static class AlignmentsFile
{
    public const string FileName = "alignments.json";
    public const int LandmarkCount = 68;

    private static readonly string[] CropKeys = ["crop", "crop_file", "cropFile", "file", "face", "image"];
    private static readonly string[] LandmarkKeys = ["landmarks", "landmarks_xy", "points"];
    private static readonly string[] MatrixKeys = ["matrix", "affine", "transform", "source_to_crop"];

    /// <summary>Crop file name (no folder) -> 136 floats (x0, y0, x1, y1 ...) in crop pixels.</summary>
    public static Dictionary<string, float[]> ReadCropLandmarks(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e)
        {
            throw new DoppelException($"{path} is not valid JSON: {e.Message}", "re-run doppel extract to rewrite the face set", e);
        }
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using (doc) Walk(doc.RootElement, result);
        return result;
    }

    private static void Walk(JsonElement e, Dictionary<string, float[]> result)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray()) Walk(item, result);
            return;
        }
        if (e.ValueKind != JsonValueKind.Object) return;
        if (TryFace(e, out string? crop, out float[]? landmarks)) result[crop!] = landmarks!;
        foreach (var p in e.EnumerateObject()) Walk(p.Value, result);
    }

    private static bool TryFace(JsonElement e, out string? crop, out float[]? landmarks)
    {
        crop = null;
        landmarks = null;
        foreach (string key in CropKeys)
            if (e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                crop = Path.GetFileName(v.GetString()!);
        if (crop is null) return false;
        double[]? points = FirstNumbers(e, LandmarkKeys), matrix = FirstNumbers(e, MatrixKeys);
        if (points is null || points.Length != 2 * LandmarkCount || matrix is null || matrix.Length != 6) return false;
        landmarks = new float[points.Length];
        for (int i = 0; i < points.Length; i += 2)
        {
            // crop = M * source, with M row-major [a b c; d e f].
            double x = points[i], y = points[i + 1];
            landmarks[i] = (float)(matrix[0] * x + matrix[1] * y + matrix[2]);
            landmarks[i + 1] = (float)(matrix[3] * x + matrix[4] * y + matrix[5]);
        }
        return true;
    }

    private static double[]? FirstNumbers(JsonElement e, string[] keys)
    {
        foreach (string key in keys)
            if (e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array)
            {
                var numbers = new List<double>();
                if (Flatten(v, numbers)) return numbers.ToArray();
            }
        return null;
    }

    private static bool Flatten(JsonElement v, List<double> into)
    {
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number) into.Add(item.GetDouble());
            else if (item.ValueKind == JsonValueKind.Array) { if (!Flatten(item, into)) return false; }
            else return false;
        }
        return true;
    }
}
