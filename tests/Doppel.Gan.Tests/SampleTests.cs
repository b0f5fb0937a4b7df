using System.Security.Cryptography;
using Doppel.Core;
using Doppel.Gan.Sampling;
using Doppel.Gan.Tests.Support;
using Doppel.Gan.Training;
using Doppel.Media.Png;
using Doppel.Provenance;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>
/// Samples of a trained generator: grey PNGs named 000000.png..., each labelled as created by a
/// model with the weights as ingredient and read back as doppel verify reads it; a swap model, a
/// missing folder and a damaged checkpoint are refused with a clear error.
/// </summary>
public sealed class SampleTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SigningIdentity _identity;

    public SampleTests() => _identity = SigningIdentity.LoadOrCreateLocal(Path.Combine(_dir.Path, "identity"));

    public void Dispose()
    {
        _identity.Dispose();
        _dir.Dispose();
    }

    private string TrainedRun()
    {
        string run = Path.Combine(_dir.Path, "run");
        var task = new GanTask(GanSettings.For("mlp") with { Batch = 10 }, new FakeDigits(40));
        new TrainingLoop<GanBatch>(task, new TrainingLoopOptions { OutputDir = run, Iterations = 2, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null }).Run();
        return run;
    }

    [Fact]
    public void EverySampleIsAGreyPngLabelledAsCreatedWithTheWeightsAsIngredient()
    {
        var model = GanModel.Open(TrainedRun());
        Assert.Equal(2, model.Checkpoint.Iteration);
        string output = Path.Combine(_dir.Path, "samples"), grid = Path.Combine(_dir.Path, "grid.png");
        var policy = SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(model.WeightsPath)], _identity);
        SampleWriter.Write(model, 5, output, 3, policy, grid);

        Assert.Equal(["000000.png", "000001.png", "000002.png", "000003.png", "000004.png"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string weightsHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model.WeightsPath)));
        foreach (string file in Directory.GetFiles(output).Append(grid))
        {
            ValidationReport r = ContentCredentials.VerifyFile(file);
            Assert.True(r.State == ValidationState.Valid, string.Join(", ", r.Failures.Select(f => f.Code)));
            Assert.Equal([$"{C2pa.Created} ({C2pa.TrainedAlgorithmicMedia})"], r.Actions);
            var ingredient = Assert.Single(r.Ingredients);
            Assert.Equal(("generator.safetensors", "inputTo", weightsHash), (ingredient.Title, ingredient.Relationship, ingredient.Sha256));
        }
        var png = PngReader.Decode(File.ReadAllBytes(Path.Combine(output, "000000.png"))).Header;
        Assert.Equal((28, 28, PngColorType.Gray), (png.Width, png.Height, png.ColorType));
        // 5 tiles in a 3-wide grid: 2 rows, 2 px gaps.
        var g = PngReader.Decode(File.ReadAllBytes(grid)).Header;
        Assert.Equal((3 * 30 - 2, 2 * 30 - 2), (g.Width, g.Height));
    }

    [Fact]
    public void TheSameSeedDrawsTheSameImages()
    {
        var model = GanModel.Open(TrainedRun());
        SampleWriter.Write(model, 2, Path.Combine(_dir.Path, "a"), 5, SyntheticOutputPolicy.Unsigned);
        SampleWriter.Write(model, 2, Path.Combine(_dir.Path, "b"), 5, SyntheticOutputPolicy.Unsigned);
        SampleWriter.Write(model, 2, Path.Combine(_dir.Path, "c"), 6, SyntheticOutputPolicy.Unsigned);
        byte[] Read(string d) => File.ReadAllBytes(Path.Combine(_dir.Path, d, "000001.png"));
        Assert.Equal(Read("a"), Read("b"));
        Assert.NotEqual(Read("a"), Read("c"));
    }

    [Theory]
    [InlineData("{\"format\":\"doppel-checkpoint/1\",\"task\":\"swap\",\"iteration\":5}")]
    [InlineData("{\"Format\":\"doppel-swap-checkpoint/1\",\"Iteration\":5}")]
    public void ASwapModelIsRefusedByName(string state)
    {
        string swap = Path.Combine(_dir.Path, "swap", "checkpoint");
        Directory.CreateDirectory(swap);
        File.WriteAllText(Path.Combine(swap, "state.json"), state);
        var e = Assert.Throws<DoppelException>(() => GanModel.Open(Path.GetDirectoryName(swap)!));
        Assert.Contains("is a face-swap model", e.Message);
        Assert.Contains("doppel gan train", e.Hint);
    }

    [Fact]
    public void AMissingOrDamagedModelIsAClearError()
    {
        var e = Assert.Throws<DoppelException>(() => GanModel.Open(Path.Combine(_dir.Path, "nowhere")));
        Assert.Contains("model not found", e.Message);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "empty"));
        e = Assert.Throws<DoppelException>(() => GanModel.Open(Path.Combine(_dir.Path, "empty")));
        Assert.Contains("holds no checkpoint", e.Message);

        string run = TrainedRun();
        string weights = Path.Combine(run, "checkpoint", "generator.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..1000]);
        e = Assert.Throws<DoppelException>(() => GanModel.Open(run));
        Assert.Contains("generator.safetensors", e.Message);
        Assert.NotNull(e.Hint);
        // The checkpoint folder itself works as MODEL too (and fails the same way).
        Assert.Throws<DoppelException>(() => GanModel.Open(Path.Combine(run, "checkpoint")));
    }
}
