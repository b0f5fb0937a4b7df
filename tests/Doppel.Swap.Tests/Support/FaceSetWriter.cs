using System.Globalization;
using System.Text;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Swap.Tests.Support;

/// <summary>
/// Writes a face set the way <c>doppel extract</c> lays it out (docs: faces/*.png and
/// alignments.json with per-frame box, score, 68 source landmarks, the source-to-crop matrix and
/// the crop name), from crops the test made. Used until the extractor can build fixtures itself.
/// </summary>
public static class FaceSetWriter
{
    public sealed record Face(int Frame, RgbImage Crop, float[]? SourceLandmarks, AffineMatrix SourceToCrop);

    public static string Write(string folder, string sourceName, IReadOnlyList<Face> faces)
    {
        Directory.CreateDirectory(Path.Combine(folder, "faces"));
        var json = new StringBuilder("{\n  \"version\": 1,\n  \"files\": {\n    \"").Append(sourceName).Append("\": {\n      \"frames\": [\n");
        for (int i = 0; i < faces.Count; i++)
        {
            var f = faces[i];
            string crop = $"{Path.GetFileNameWithoutExtension(sourceName)}_{f.Frame:D6}_0.png";
            PngWriter.Write(Path.Combine(folder, "faces", crop), f.Crop);
            var m = f.SourceToCrop;
            json.Append(CultureInfo.InvariantCulture, $"        {{\"frame\": {f.Frame}, \"faces\": [{{\"box\": [0, 0, 1, 1], \"score\": 1.0, ");
            if (f.SourceLandmarks is { } p)
                json.Append("\"landmarks\": [").Append(string.Join(", ", Enumerable.Range(0, p.Length / 2)
                    .Select(k => string.Create(CultureInfo.InvariantCulture, $"[{p[2 * k]}, {p[2 * k + 1]}]")))).Append("], ");
            json.Append(CultureInfo.InvariantCulture, $"\"matrix\": [[{m.A}, {m.B}, {m.C}], [{m.D}, {m.E}, {m.F}]], \"crop\": \"{crop}\"}}]}}");
            json.Append(i + 1 < faces.Count ? ",\n" : "\n");
        }
        json.Append("      ]\n    }\n  }\n}\n");
        File.WriteAllText(Path.Combine(folder, "alignments.json"), json.ToString());
        return folder;
    }
}
