using System.Text.RegularExpressions;
using Doppel.Provenance.Cose;

namespace Doppel.Cli.Tests;

/// <summary>
/// <c>doppel gan</c> from the command line: a short MNIST run, its Parzen score and labelled
/// samples that doppel verify reads; bad input gives one error line and one hint, exit code 1,
/// and nothing written.
/// </summary>
[Collection("Console")]
public sealed class GanCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("doppel-gan-cli-").FullName;

    public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

    private static void OneLineError(int code, string error, string expected)
    {
        Assert.Equal(1, code);
        var lines = error.TrimEnd().Split('\n');
        Assert.True(lines.Length == 2 && lines[0].StartsWith("error: ") && lines[1].StartsWith("hint: "), error);
        Assert.Contains(expected, lines[0]);
    }

    [Fact]
    public void TrainEvalAndSampleOnMnist()
    {
        string run = Path.Combine(dir, "run");
        var (code, stdout, error) = ConsoleCapture.Run("gan", "train", "-o", run, "--batch", "10", "--iterations", "2", "--no-sign");
        Assert.True(code == 0, error);
        Assert.Contains("training the mlp GAN (28x28x1; G 2.50 M, D 1.23 M parameters) on MNIST train[0:50000]", stdout);
        Assert.Contains("reached iteration 2", stdout);
        Assert.Equal("iteration,seconds,d_loss,d_real,d_fake,g_loss", File.ReadLines(Path.Combine(run, "metrics.csv")).First());
        Assert.True(File.Exists(Path.Combine(run, "preview.png")));

        (code, stdout, error) = ConsoleCapture.Run("gan", "eval", run, "--parzen", "--samples", "200");
        Assert.True(code == 0, error);
        Assert.Matches(new Regex(@"^parzen_ll=-?\d+\.\d\d se=\d+\.\d\d sigma=[\d.]+$"), stdout.TrimEnd().Split('\n')[^1]);

        string averaged = Path.Combine(dir, "averaged");
        (code, stdout, error) = ConsoleCapture.Run("gan", "average", "-o", averaged, run, Path.Combine(run, "checkpoint"));
        Assert.True(code == 0, error);
        Assert.Contains("averaged the mlp generators of 2 checkpoints", stdout);
        (code, stdout, error) = ConsoleCapture.Run("gan", "eval", averaged, "--parzen", "--samples", "200");
        Assert.True(code == 0, error);
        Assert.StartsWith("parzen_ll=", stdout.TrimEnd().Split('\n')[^1]);

        string ids = Path.Combine(dir, "identity");
        SigningIdentity.LoadOrCreateLocal(ids).Dispose();
        string samples = Path.Combine(dir, "samples");
        (code, stdout, error) = ConsoleCapture.Run("gan", "sample", run, "-n", "3", "-o", samples, "--grid", Path.Combine(dir, "grid.png"),
            "--key", Path.Combine(ids, SigningIdentity.KeyFile), "--cert", Path.Combine(ids, SigningIdentity.CertFile));
        Assert.True(code == 0, error);
        Assert.Contains("each labelled as created by a model", stdout);
        (code, stdout, _) = ConsoleCapture.Run("verify", Path.Combine(samples, "000002.png"));
        Assert.Equal(0, code);
        Assert.Contains("VALID", stdout);
        Assert.Contains("trainedAlgorithmicMedia", stdout);
        Assert.Contains("ingredient: generator.safetensors", stdout);
    }

    [Fact]
    public void TheMovingAverageIsSampledAndEvaluatedByDefault_TheRawGeneratorWithRaw()
    {
        string run = Path.Combine(dir, "run");
        var (code, stdout, error) = ConsoleCapture.Run("gan", "train", "-o", run, "--batch", "10", "--iterations", "2", "--ema", "0.999", "--no-sign");
        Assert.True(code == 0, error);
        Assert.Contains("G moving average 0.999 (preview: average left, raw G right)", stdout);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint", "generator_ema.safetensors")));
        (code, stdout, error) = ConsoleCapture.Run("gan", "eval", run, "--parzen", "--samples", "100");
        Assert.True(code == 0, error);
        Assert.Contains("mlp GAN's moving average of the generator (--ema) at iteration 2", stdout);
        (code, stdout, error) = ConsoleCapture.Run("gan", "sample", run, "-n", "2", "-o", Path.Combine(dir, "raw"), "--raw", "--no-sign");
        Assert.True(code == 0, error);
        Assert.Contains("mlp GAN's generator (iteration 2)", stdout);
    }

    [Fact]
    public void ResumingTakesTheCheckpointsSettingsAndRefusesOthers()
    {
        string run = Path.Combine(dir, "run");
        var (code, _, error) = ConsoleCapture.Run("gan", "train", "-o", run, "--batch", "10", "--iterations", "1", "--no-sign", "--k", "2");
        Assert.True(code == 0, error);
        (code, var stdout, error) = ConsoleCapture.Run("gan", "train", "-o", run, "--iterations", "2", "--resume", "--no-sign");
        Assert.True(code == 0, error);
        Assert.Contains("resuming the mlp GAN at iteration 1", stdout);
        (code, _, error) = ConsoleCapture.Run("gan", "train", "-o", run, "--iterations", "3", "--resume", "--k", "1", "--no-sign");
        OneLineError(code, error, "k: 2 -> 1");
        (code, _, error) = ConsoleCapture.Run("gan", "train", "-o", run, "--iterations", "3", "--no-sign");
        OneLineError(code, error, "already holds a checkpoint");
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["gan"], "gan needs a verb" },
        { ["gan", "paint"], "unknown gan verb 'paint'" },
        { ["gan", "train", "--k", "0", "-o", "RUN"], "--k 0: Algorithm 1 needs at least one discriminator update" },
        { ["gan", "train", "-o", "RUN", "--arch", "dcgan", "--data", "NOWHERE"], "face set not found" },
        { ["gan", "train", "-o", "RUN", "--arch", "dcgan", "--data", "EMPTY"], "has no faces" },
        { ["gan", "train", "-o", "RUN", "--arch", "dcgan"], "dcgan trains on faces" },
        { ["gan", "train", "-o", "RUN", "--data", "EMPTY"], "--arch mlp is the paper's MNIST network" },
        { ["gan", "train", "-o", "RUN", "--arch", "dcgan", "--data", "mnist"], "trains on face sets, not MNIST" },
        { ["gan", "train", "-o", "RUN", "--arch", "dcgan", "--size", "48", "--data", "EMPTY"], "32 or 64 px" },
        { ["gan", "train"], "needs a run folder" },
        { ["gan", "train", "-o", "RUN", "--ema", "1.5"], "--ema 1.5 must be in [0, 1)" },
        { ["gan", "train", "-o", "RUN", "--ema", "-1"], "--ema -1 must be in [0, 1)" },
        { ["gan", "sample", "SWAP", "-n", "2", "-o", "OUT", "--no-sign"], "is a face-swap model" },
        { ["gan", "sample", "NOWHERE", "-n", "2", "-o", "OUT", "--no-sign"], "model not found" },
        { ["gan", "eval", "SWAP"], "needs to know what to measure" },
        { ["gan", "eval", "CORRUPT", "--parzen"], "is damaged" },
        { ["gan", "eval", "CORRUPT", "--nearest"], "--nearest compares samples with real faces" },
        { ["gan", "eval", "SWAP", "--parzen", "--nearest"], "one thing at a time" },
        { ["gan", "average", "SWAP", "CORRUPT"], "needs an output folder" },
        { ["gan", "average", "-o", "OUT", "CORRUPT"], "at least two checkpoints" },
        { ["gan", "average", "-o", "OUT", "SWAP", "CORRUPT"], "is a face-swap model" },
        { ["gan", "average", "-o", "OUT", "NOWHERE", "CORRUPT"], "model not found" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void BadInputIsOneErrorLineAndAHint(string[] args, string expected)
    {
        Directory.CreateDirectory(Path.Combine(dir, "EMPTY", "faces"));
        Directory.CreateDirectory(Path.Combine(dir, "SWAP", "checkpoint"));
        File.WriteAllText(Path.Combine(dir, "SWAP", "checkpoint", "state.json"), "{\"format\":\"doppel-checkpoint/1\",\"task\":\"swap\"}");
        Directory.CreateDirectory(Path.Combine(dir, "CORRUPT", "checkpoint"));
        File.WriteAllText(Path.Combine(dir, "CORRUPT", "checkpoint", "state.json"), "{\"format\":\"doppel-chec");
        string[] resolved = args.Select(a => a is "RUN" or "NOWHERE" or "EMPTY" or "SWAP" or "OUT" or "CORRUPT" ? Path.Combine(dir, a) : a).ToArray();
        var (code, _, error) = ConsoleCapture.Run(resolved);
        OneLineError(code, error, expected);
        Assert.False(Directory.Exists(Path.Combine(dir, "RUN", "checkpoint")));
        Assert.False(Directory.Exists(Path.Combine(dir, "OUT")));
    }
}
