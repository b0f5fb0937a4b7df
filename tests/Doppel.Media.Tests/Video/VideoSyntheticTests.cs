using Doppel.Core;
using Doppel.Media.Ffmpeg;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;
using Doppel.Media.Video;

namespace Doppel.Media.Tests.Video;

/// <summary>On short clips made by ffmpeg's lavfi sources, so each test states what it feeds in.</summary>
public class VideoSyntheticTests
{
    private static string MakeClip(TempDirectory temp, string name, string size, int rate, double seconds, bool audio)
    {
        string path = temp.File(name);
        var args = new List<string> { "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc=size={size}:rate={rate}" };
        if (audio) args.AddRange(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]);
        args.AddRange(["-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        if (audio) args.AddRange(["-c:a", "aac"]);
        args.Add(path);
        FfmpegCli.Run(args.ToArray());
        return path;
    }

    [Fact]
    public void AudioIsCopiedFromTheSource()
    {
        using var temp = new TempDirectory();
        string clip = MakeClip(temp, "with-audio.mp4", "64x48", 30, 2, audio: true);
        VideoInfo source = VideoProbe.Probe(clip);
        Assert.True(source.HasAudio);
        Assert.Equal("aac", source.AudioCodec);
        Assert.Equal(60, source.FrameCount);

        string output = temp.File("out.mp4");
        using (var reader = new VideoReader(source))
        using (VideoWriter writer = VideoWriter.ForSource(output, source))
        {
            foreach (VideoFrame frame in reader.Frames()) writer.Write(frame.Image);
            writer.Complete();
        }
        VideoInfo written = VideoProbe.Probe(output);
        Assert.True(written.HasAudio);
        Assert.Equal("aac", written.AudioCodec);
        Assert.Equal(60, written.FrameCount);
        Assert.Equal(new Rational(30, 1), written.FrameRate);
        Assert.InRange(written.Duration.TotalSeconds, 1.9, 2.1);
    }

    [Fact]
    public void MatroskaFramesAreCountedExactly()
    {
        using var temp = new TempDirectory();
        string clip = temp.File("clip.mkv");
        FfmpegCli.Run("-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=32x24:rate=25", "-t", "1.2", "-c:v", "libx264", "-preset", "ultrafast", clip);
        VideoInfo info = VideoProbe.Probe(clip);
        Assert.True(info.FrameCountWasCounted);
        Assert.Equal(30, info.FrameCount);
        using var reader = new VideoReader(info);
        Assert.Equal(30, reader.Frames().Count());
    }

    [Fact]
    public void NtscRateIsKeptExactly()
    {
        using var temp = new TempDirectory();
        string output = temp.File("ntsc.mp4");
        using (var writer = new VideoWriter(output, 32, 24, new Rational(30000, 1001)))
        {
            for (int i = 0; i < 10; i++) writer.Write(TestImages.Noise(32, 24, i));
            writer.Complete();
        }
        VideoInfo info = VideoProbe.Probe(output);
        Assert.Equal(new Rational(30000, 1001), info.FrameRate);
        Assert.Equal(10, info.FrameCount);
        Assert.False(info.HasAudio);
    }

    [Fact]
    public void OddSizesArePaddedToEven()
    {
        using var temp = new TempDirectory();
        string output = temp.File("odd.mp4");
        using (var writer = new VideoWriter(output, 33, 17, new Rational(24, 1)))
        {
            writer.Write(TestImages.Photo(33, 17));
            writer.Complete();
        }
        VideoInfo info = VideoProbe.Probe(output);
        Assert.Equal((34, 18), (info.Width, info.Height));
    }

    [Fact]
    public void AbandonedWriterLeavesNoFile()
    {
        using var temp = new TempDirectory();
        string output = temp.File("never.mp4");
        using (var writer = new VideoWriter(output, 32, 24, new Rational(24, 1)))
            writer.Write(TestImages.Noise(32, 24));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void EmptyVideoIsRefused()
    {
        using var temp = new TempDirectory();
        using var writer = new VideoWriter(temp.File("empty.mp4"), 32, 24, new Rational(24, 1));
        Assert.Throws<DoppelException>(() => writer.Complete());
    }

    [Fact]
    public void WrongFrameSizeIsRefused()
    {
        using var temp = new TempDirectory();
        using var writer = new VideoWriter(temp.File("x.mp4"), 32, 24, new Rational(24, 1));
        Assert.Throws<ArgumentException>(() => writer.Write(new RgbImage(24, 32)));
    }

    [Fact]
    public void EncoderFailureIsADoppelExceptionAndLeavesNoFile()
    {
        using var temp = new TempDirectory();
        string output = temp.File("bad.mp4");
        var e = Assert.Throws<DoppelException>(() =>
        {
            using var writer = new VideoWriter(output, 32, 24, new Rational(24, 1), new VideoWriteOptions { Preset = "no-such-preset" });
            for (int i = 0; i < 200; i++) writer.Write(TestImages.Noise(32, 24, i));
            writer.Complete();
        });
        Assert.Contains("ffmpeg failed", e.Message);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void MissingFfmpegSaysHowToInstallIt()
    {
        var e = Assert.Throws<DoppelException>(() => FfmpegProcess.Start(new FfmpegTool("ffmpeg", "/nonexistent/bin/ffmpeg"), ["-version"]));
        Assert.Contains("ffmpeg is not installed", e.Message);
        Assert.Contains("apt-get install ffmpeg", e.Hint);
    }

    [Theory]
    [InlineData("24/1", 24, 1)]
    [InlineData("30000/1001", 30000, 1001)]
    [InlineData("50/2", 25, 1)]
    [InlineData("25", 25, 1)]
    public void RationalsParse(string text, long num, long den) => Assert.Equal(new Rational(num, den), Rational.TryParse(text));

    [Theory]
    [InlineData("0/0")]
    [InlineData("N/A")]
    [InlineData("")]
    [InlineData("1/2/3")]
    public void BadRationalsAreNull(string text) => Assert.Null(Rational.TryParse(text));

    [Fact]
    public void VariableRateFilesPreferTheAverage()
    {
        Assert.Equal(new Rational(24, 1), VideoProbe.ChooseFrameRate(new Rational(24, 1), new Rational(24, 1)));
        Assert.Equal(new Rational(2997, 100), VideoProbe.ChooseFrameRate(new Rational(90000, 1), new Rational(2997, 100)));
    }
}
