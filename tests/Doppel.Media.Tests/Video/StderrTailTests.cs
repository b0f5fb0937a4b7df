using Doppel.Media.Ffmpeg;

namespace Doppel.Media.Tests.Video;

public class StderrTailTests
{
    [Theory]
    [InlineData("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55bba04b2c00] stream 0, offset 0x7b6a6: partial file", "stream 0, offset 0x7b6a6: partial file")]
    [InlineData("file:/tmp/x/notes.mp4: Invalid data found when processing input", "Invalid data found when processing input")]
    [InlineData("  Unknown encoder 'foo'  ", "Unknown encoder 'foo'")]
    public void TidyDropsTagsAndTheFileName(string line, string expected) => Assert.Equal(expected, StderrTail.Tidy(line));

    [Fact]
    public void GenericClosingLinesAreSkipped()
    {
        var tail = new StderrTail();
        tail.Add("Unknown preset: no-such-preset");
        tail.Add("Conversion failed!");
        Assert.Equal("Unknown preset: no-such-preset", tail.LastMeaningfulLine);
        Assert.Equal(2, tail.LineCount);
    }
}
