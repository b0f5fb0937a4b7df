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
        Assert.Equal(new[] { DetectReport.FileName, DetectReport.JsonFileName }, Directory.GetFiles(dir.Sub("report")).Select(Path.GetFileName).Order());
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

    [Fact]
    public void TheSamePicturesAreFilesIndexedByReportJson()
    {
        var video = fx.Detection.Detect(fx.ShortVideo, InputKind.Video);
        var image = fx.Detection.Detect(fx.FaceImage, InputKind.Image);
        using var dir = new TempDir();
        string report = dir.Sub("report");
        // A picture of an earlier, longer report is removed; a file of the user's is not.
        Directory.CreateDirectory(Path.Combine(report, DetectReport.PicturesFolder));
        File.WriteAllBytes(Path.Combine(report, DetectReport.PicturesFolder, "0-track-1-99.png"), [1]);
        File.WriteAllBytes(Path.Combine(report, DetectReport.PicturesFolder, "mine.png"), [1]);
        DetectReport.Write(report, [video, image], "Model tiny-test.");

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(report, DetectReport.JsonFileName)))!;
        Assert.Equal(DetectReport.JsonFormat, (string?)json["format"]);
        var inputs = json["inputs"]!.AsArray();
        Assert.Equal(2, inputs.Count);
        var files = new List<string>();
        foreach (var input in inputs)
        {
            var suspicious = input!["suspicious"]!.AsArray();
            Assert.NotEmpty(suspicious);
            Assert.Equal(suspicious.Select(f => (double)f!["score"]!).OrderByDescending(x => x), suspicious.Select(f => (double)f!["score"]!));
            files.AddRange(suspicious.SelectMany(f => new[] { (string)f!["face"]!, (string)f!["heatmap"]! }));
            files.AddRange(input["tracks"]!.AsArray().SelectMany(t => t!["thumbnails"]!.AsArray().Select(f => (string)f!["file"]!)));
        }
        Assert.Equal(2 * 4 + 8 + 2 * 1 + 1, files.Count); // as many as the page shows inline
        foreach (string file in files)
        {
            Assert.StartsWith(DetectReport.PicturesFolder + "/", file);
            byte[] png = File.ReadAllBytes(Path.Combine(report, file));
            Assert.Equal(0x89, png[0]);
        }
        string folder = Path.Combine(report, DetectReport.PicturesFolder);
        Assert.Equal(files.Append(DetectReport.PicturesFolder + "/mine.png").Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(f => DetectReport.PicturesFolder + "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
    }
}
