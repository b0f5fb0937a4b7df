using Doppel.Core;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Support;

namespace Doppel.Swap.Tests.Convert;

/// <summary>Mistakes a user makes: each a DoppelException with a hint, before or instead of any output file.</summary>
public class ConvertBadInputTests
{
    [Fact]
    public void AMissingModelFolderIsNamed()
    {
        using var dir = new TempDir();
        string output = dir.Sub("out.mp4");
        var e = Assert.Throws<DoppelException>(() => Job(ConvertFixtures.Franck, dir.Sub("no-model"), output).Run());
        Assert.Contains("does not exist", e.Message);
        Assert.NotNull(e.Hint);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AFolderWithoutACheckpointIsNotAModel()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Sub("empty"));
        var e = Assert.Throws<DoppelException>(() => Job(ConvertFixtures.Franck, dir.Sub("empty"), dir.Sub("out.mp4")).Run());
        Assert.Contains("no trained model", e.Message);
    }

    [Fact]
    public void WeightsOfAModelOfAnotherInputSizeAreRefused()
    {
        using var dir = new TempDir();
        // state.json says a 64 px lite model, the weights are a 16 px tiny model's.
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), OriginalSpec.Lite, "lite", weightsOf: TinyModels.Tiny);
        string output = dir.Sub("out.mp4");
        var e = Assert.Throws<DoppelException>(() => Job(ConvertFixtures.Franck, model, output).Run());
        Assert.Contains("do not fit", e.Message);
        Assert.Contains("64 px", e.Message);
        Assert.NotNull(e.Hint);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ACorruptVideoLeavesNoOutput()
    {
        using var dir = new TempDir();
        string model = ConvertFixtures.RandomModel(dir.Sub("model"), TinyModels.Tiny, "tiny");
        string corrupt = dir.Sub("broken.mp4");
        // A real MP4's first 4 KB: a valid-looking header, then nothing.
        using (var source = File.OpenRead(ConvertFixtures.Franck))
        {
            var head = new byte[4096];
            source.ReadExactly(head);
            File.WriteAllBytes(corrupt, head);
        }
        Directory.CreateDirectory(dir.Sub("out"));
        string output = dir.Sub("out/converted.mp4");
        Assert.Throws<DoppelException>(() => Job(corrupt, model, output).Run());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Sub("out")));
    }

    [Fact]
    public void AnUnknownColourMatcherListsTheKnownOnes()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DoppelException>(() => new ConvertJob(new ConvertOptions
            { Input = ConvertFixtures.Franck, ModelDir = dir.Path, Output = dir.Sub("o.mp4"), Color = "sepia" }, TextWriter.Null).Run());
        Assert.Contains("sepia", e.Message);
        Assert.Contains("reinhard", e.Hint);
    }

    private static ConvertJob Job(string input, string model, string output) =>
        new(new ConvertOptions { Input = input, ModelDir = model, Output = output }, TextWriter.Null) { Extractor = ConvertFixtures.Extractor };
}
