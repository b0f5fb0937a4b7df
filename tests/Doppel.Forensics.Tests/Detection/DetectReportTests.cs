using Doppel.Faces.Extraction;
using Doppel.Forensics.Report;
using Doppel.Forensics.Tests.Support;

namespace Doppel.Forensics.Tests.Detection;

/// <summary>The HTML report: self-contained (no script, nothing fetched), a plot, pictures with heatmaps, the C2PA line apart.</summary>
public class DetectReportTests(DetectFixture fx) : IClassFixture<DetectFixture>
{
    [Fact]
    public void TheReportIsOneSelfContainedPage()
    {
        var video = fx.Detection.Detect(fx.ShortVideo, InputKind.Video);
        var image = fx.Detection.Detect(fx.FaceImage, InputKind.Image);
        using var dir = new TempDir();
        string path = DetectReport.Write(dir.Sub("report"), [video, image], "Model tiny-test.");
        Assert.Equal(new[] { DetectReport.FileName }, Directory.GetFiles(dir.Sub("report")).Select(Path.GetFileName));
        string html = File.ReadAllText(path);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<svg ")); // the video's plot; an image has no time axis
        Assert.Equal(24, System.Text.RegularExpressions.Regex.Matches(html, "<circle ").Count);
        Assert.Contains("predicted boundary", html);
        Assert.Contains("C2PA: no manifest", html);
        Assert.Contains("0 (looks real) to 1 (looks fake)", html);
        int pictures = System.Text.RegularExpressions.Regex.Matches(html, "src=\"data:image/png;base64,").Count;
        Assert.Equal(2 * 4 + 8 + 2 * 1 + 1, pictures); // video: 4 suspicious + heatmaps, 8 thumbnails; image: 1 + heatmap, 1 thumbnail
        foreach (string remote in new[] { "<script", "<link", "src=\"http", "url(", "@import" }) Assert.DoesNotContain(remote, html);
    }
}
