using Doppel.Media.Video;

namespace Doppel.Cli.Tests;

/// <summary>
/// <c>doppel demo</c> end to end on the bundled videos with a tiny budget (24 frames per video,
/// three seconds of training, a 24-frame clip): every stage runs and the report folder holds what
/// index.html points at. The outputs show real people, so the folder is deleted afterwards.
/// </summary>
[Collection("Console")]
public sealed class DemoRealVideoTests : IDisposable
{
    private const int Frames = 24;
    private readonly string dir = Path.Combine(Path.GetTempPath(), "doppel-demo-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_tiny_demo_writes_the_videos_stills_loss_curve_previews_and_report()
    {
        string output;
        int code;
        using (var console = new ConsoleCapture())
        {
            code = Program.Main(["demo", "--minutes", "0.05", "--max-frames", Frames.ToString(), "--out", dir]);
            output = console.Out + console.Error;
        }
        Assert.True(code == 0, output);

        foreach (string file in new[] { "index.html", "converted.mp4", "side_by_side.mp4", "model/preview.png", "model/loss.csv", "faces_a/alignments.json", "faces_b/alignments.json" })
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} is missing; output:\n{output}");
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir, "stills"), "*_before.png").Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir, "stills"), "*_after.png").Length);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "model", "previews"), "preview_*.png"));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        VideoInfo converted = VideoProbe.Probe(Path.Combine(dir, "converted.mp4"));
        VideoInfo both = VideoProbe.Probe(Path.Combine(dir, "side_by_side.mp4"));
        Assert.Equal(Frames, converted.FrameCount);
        Assert.Equal(Frames, both.FrameCount);
        Assert.Equal(2 * converted.Width, both.Width);
        Assert.Equal(converted.FrameRate.Reduced(), both.FrameRate.Reduced());

        string html = File.ReadAllText(Path.Combine(dir, "index.html"));
        foreach (string link in new[] { "side_by_side.mp4", "converted.mp4", "stills/frame_", "model/preview.png", "model/loss.csv", "<svg", "<polyline" })
            Assert.Contains(link, html);
        Assert.Contains("open the report: " + Path.Combine(dir, "index.html"), output);
    }
}
