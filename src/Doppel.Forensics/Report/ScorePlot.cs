using System.Globalization;
using System.Text;
using Doppel.Forensics.Detection;

namespace Doppel.Forensics.Report;

/// <summary>
/// The per-frame scores of an input over time as an inline SVG: one line per track, the
/// threshold dashed, axes from 0 (looks real) to 1 (looks fake) and over the video's seconds.
/// Plain SVG elements only, so the page needs no script or external resource.
/// </summary>
public static class ScorePlot
{
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];
    private const int Width = 720, Height = 220, Left = 44, Right = 12, Top = 12, Bottom = 32;

    public static string Svg(IReadOnlyList<FaceTrack> tracks, float threshold, double? duration)
    {
        var ic = CultureInfo.InvariantCulture;
        double end = Math.Max(duration ?? 0, tracks.SelectMany(t => t.Faces).Select(f => f.Seconds).DefaultIfEmpty(0).Max());
        if (end <= 0) end = 1;
        double X(double seconds) => Left + seconds / end * (Width - Left - Right);
        double Y(double score) => Top + (1 - score) * (Height - Top - Bottom);
        var sb = new StringBuilder();
        sb.Append(ic, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"score over time\">");
        sb.Append(ic, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fafafa\" stroke=\"#999\"/>");
        foreach (double v in new[] { 0, 0.25, 0.5, 0.75, 1 })
            sb.Append(ic, $"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{v:0.##}</text>");
        for (int i = 0; i <= 4; i++)
        {
            double t = end * i / 4;
            sb.Append(ic, $"<text x=\"{X(t):F1}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{t:0.#} s</text>");
        }
        sb.Append(ic, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(threshold):F1}\" y2=\"{Y(threshold):F1}\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>");
        sb.Append(ic, $"<text x=\"{Width - Right - 4}\" y=\"{Y(threshold) - 4:F1}\" font-size=\"11\" fill=\"#d62728\" text-anchor=\"end\">threshold {threshold:0.###}</text>");
        foreach (var track in tracks)
        {
            string colour = Colours[track.Id % Colours.Length];
            var points = string.Join(' ', track.Faces.Select(f => string.Create(ic, $"{X(f.Seconds):F1},{Y(f.Score):F1}")));
            if (track.Faces.Count > 1) sb.Append(ic, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>");
            foreach (var f in track.Faces)
                sb.Append(ic, $"<circle cx=\"{X(f.Seconds):F1}\" cy=\"{Y(f.Score):F1}\" r=\"2.5\" fill=\"{colour}\"><title>track {track.Id}, frame {f.Frame} ({f.Seconds:F2} s): {f.Score:F3}</title></circle>");
        }
        sb.Append(ic, $"<text x=\"12\" y=\"{(Height - Bottom) / 2.0:F0}\" font-size=\"11\" transform=\"rotate(-90 12 {(Height - Bottom) / 2.0:F0})\" text-anchor=\"middle\">score (1 = looks fake)</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}
