using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Forensics.Detection;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Forensics.Report;

/// <summary>
/// <c>doppel detect --report DIR</c>: one self-contained HTML page per run (DIR/index.html: no
/// script, no stylesheet or font from elsewhere, pictures inline as PNG data), with per input the
/// verdict, the C2PA finding in its own box, the score of every sampled face over time
/// (<see cref="ScorePlot"/>), the most suspicious faces beside the predicted blend boundary
/// (<see cref="HeatmapOverlay"/>) and thumbnails along each track. The same pictures are also
/// written as files, DIR/pictures/*.png, indexed by DIR/report.json (format
/// <see cref="JsonFormat"/>, docs/formats.md), for programs that show them (Doppel Studio).
/// The pictures are of the people in the inputs: the report is for the user, not for publishing.
/// </summary>
public static partial class DetectReport
{
    public const string FileName = "index.html", JsonFileName = "report.json", PicturesFolder = "pictures";
    public const string JsonFormat = "doppel-detect-report/1";
    public const int SuspiciousFaces = 4, ThumbnailsPerTrack = 8;

    /// <summary>Writes index.html, report.json and pictures/ into <paramref name="dir"/>; returns index.html's path.</summary>
    public static string Write(string dir, IReadOnlyList<InputVerdict> verdicts, string modelLine)
    {
        Directory.CreateDirectory(dir);
        string pictures = Path.Combine(dir, PicturesFolder);
        Directory.CreateDirectory(pictures);
        // A report written here before may have had more pictures: remove its (and only its) files.
        foreach (string old in Directory.EnumerateFiles(pictures, "*.png"))
            if (OwnPicture().IsMatch(Path.GetFileName(old))) File.Delete(old);
        var inputs = new JsonArray();
        for (int i = 0; i < verdicts.Count; i++)
        {
            var v = verdicts[i];
            string Save(RgbImage picture, string name)
            {
                string relative = $"{PicturesFolder}/{i}-{name}.png";
                AtomicFile.WriteAllBytes(Path.Combine(dir, relative), PngWriter.Encode(picture));
                return relative;
            }
            var suspicious = new JsonArray();
            foreach (var (track, face, n) in Suspicious(v).Select((x, n) => (x.Track, x.Face, n)))
                suspicious.Add(new JsonObject
                {
                    ["track"] = track, ["frame"] = face.Frame, ["seconds"] = face.Seconds, ["score"] = face.Score,
                    ["face"] = Save(face.Picture!, $"suspicious-{n}"),
                    ["heatmap"] = face.Heatmap is { } heat ? Save(HeatmapOverlay.Draw(face.Picture!, heat), $"suspicious-{n}-boundary") : null,
                });
            var tracks = new JsonArray();
            foreach (var track in v.Tracks)
                tracks.Add(new JsonObject
                {
                    ["id"] = track.Id, ["score"] = track.Score, ["faces"] = track.Faces.Count, ["decides"] = track.Id == v.DecidingTrack,
                    ["thumbnails"] = new JsonArray(Thumbnails(track).Select((face, n) => (JsonNode)new JsonObject
                    {
                        ["frame"] = face.Frame, ["seconds"] = face.Seconds, ["score"] = face.Score,
                        ["file"] = Save(face.Picture!, $"track-{track.Id}-{n}"),
                    }).ToArray()),
                });
            inputs.Add(new JsonObject { ["path"] = v.Path, ["verdict"] = InputVerdict.Name(v.Verdict), ["suspicious"] = suspicious, ["tracks"] = tracks });
        }
        var json = new JsonObject { ["format"] = JsonFormat, ["model"] = modelLine, ["html"] = FileName, ["inputs"] = inputs };
        AtomicFile.WriteAllText(Path.Combine(dir, JsonFileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        string path = Path.Combine(dir, FileName);
        AtomicFile.WriteAllText(path, Html(verdicts, modelLine));
        return path;
    }

    /// <summary>The faces shown as most suspicious: the highest scores with a picture kept, at most <see cref="SuspiciousFaces"/>.</summary>
    public static IReadOnlyList<(int Track, FaceObservation Face)> Suspicious(InputVerdict v) =>
        v.Tracks.SelectMany(t => t.Faces.Select(f => (Track: t.Id, Face: f)))
            .Where(x => x.Face.Picture is not null).OrderByDescending(x => x.Face.Score).Take(SuspiciousFaces).ToList();

    /// <summary>Up to <see cref="ThumbnailsPerTrack"/> faces spread evenly along a track (those with a picture).</summary>
    public static IReadOnlyList<FaceObservation> Thumbnails(FaceTrack track)
    {
        int n = Math.Min(ThumbnailsPerTrack, track.Faces.Count);
        return Enumerable.Range(0, n).Select(i => track.Faces[(int)((long)i * track.Faces.Count / n)]).Where(f => f.Picture is not null).ToList();
    }

    public static string Html(IReadOnlyList<InputVerdict> verdicts, string modelLine)
    {
        var sb = new StringBuilder();
        sb.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>doppel detect report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}
            h2{margin-top:36px;border-top:1px solid #ccc;padding-top:16px;word-break:break-all}
            .v{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-weight:600}
            .likely-fake{background:#c62828}.no-evidence{background:#2e7d32}.inconclusive{background:#757575}
            .c2pa{border:1px solid #999;border-radius:4px;padding:6px 10px;margin:8px 0;background:#f5f5ff}
            figure{display:inline-block;margin:4px;text-align:center;font-size:12px}
            img{image-rendering:pixelated;border:1px solid #ccc}
            </style></head><body>
            <h1>doppel detect</h1>
            """);
        sb.Append("<p>Scores run from 0 (looks real) to 1 (looks fake). ").Append(E(modelLine)).Append("<br>")
          .Append(E(DetectResults.Pooling)).Append(".</p>\n<p>Pixel evidence and C2PA content credentials are reported separately: a label is the maker's statement, a score is a guess from pixels.</p>\n");
        foreach (var v in verdicts) Input(sb, v);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Input(StringBuilder sb, InputVerdict v)
    {
        var ic = CultureInfo.InvariantCulture;
        string name = InputVerdict.Name(v.Verdict);
        sb.Append("<h2>").Append(E(v.Path)).Append("</h2>\n");
        sb.Append(ic, $"<p><span class=\"v {name}\">{name}</span> ");
        if (v.Score is { } s) sb.Append(ic, $"score {s:F3} ");
        if (v.Reason is { } why) sb.Append('(').Append(E(why)).Append(") ");
        sb.Append(ic, $"&middot; threshold {v.Threshold:F3}");
        if (v.ThresholdFpr is { } fpr) sb.Append(ic, $" (flags {(fpr) * 100:F1}% of {v.ThresholdFprOn})");
        sb.Append(ic, $" &middot; {v.FramesRead} frame(s) read, {v.FramesWithFaces} with a face, {v.Tracks.Count} track(s) &middot; model {E(v.Model)} {E(v.ModelVersion)}</p>\n");
        sb.Append("<div class=\"c2pa\">").Append(E(v.Provenance.Describe())).Append("</div>\n");
        if (v.Tracks.Count == 0) return;
        if (v.Kind == "video") sb.Append(ScorePlot.Svg(v.Tracks, v.Threshold, v.DurationSeconds)).Append('\n');

        var suspicious = Suspicious(v);
        if (suspicious.Count > 0)
        {
            sb.Append("<h3>Most suspicious faces, and where the model sees a blend boundary</h3>\n<div>");
            foreach (var (track, face) in suspicious)
            {
                Figure(sb, face.Picture!, string.Create(ic, $"track {track}, {face.Seconds:F2} s: {face.Score:F3}"));
                if (face.Heatmap is { } heat) Figure(sb, HeatmapOverlay.Draw(face.Picture!, heat), "predicted boundary");
            }
            sb.Append("</div>\n");
        }
        sb.Append("<h3>Tracks</h3>\n");
        foreach (var track in v.Tracks)
        {
            sb.Append(ic, $"<p>track {track.Id}: {track.Faces.Count} face(s), score {track.Score:F3}{(track.Id == v.DecidingTrack ? " (decides the verdict)" : "")}</p><div>");
            foreach (var face in Thumbnails(track))
                Figure(sb, face.Picture!, string.Create(ic, $"{face.Seconds:F2} s: {face.Score:F3}"));
            sb.Append("</div>\n");
        }
    }

    private static void Figure(StringBuilder sb, RgbImage picture, string caption) =>
        sb.Append("<figure><img width=\"").Append(picture.Width * 2).Append("\" src=\"data:image/png;base64,")
          .Append(Convert.ToBase64String(PngWriter.Encode(picture))).Append("\" alt=\"").Append(E(caption)).Append("\"><figcaption>")
          .Append(E(caption)).Append("</figcaption></figure>");

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]+-(suspicious|track)-[-0-9a-z]+\.png$")]
    private static partial System.Text.RegularExpressions.Regex OwnPicture();

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
