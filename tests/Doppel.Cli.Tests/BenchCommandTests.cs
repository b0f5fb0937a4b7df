using Doppel.Cli.Commands;
using Doppel.Core;

namespace Doppel.Cli.Tests;

/// <summary>
/// bench dispatches by name to benchmarks that each own their options. Only the dispatch and the
/// help are tested here: the benchmarks themselves take minutes and are run by hand.
/// </summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Usage_lists_every_benchmark_and_its_options()
    {
        string usage = new BenchCommand().Usage;
        Assert.Contains("doppel bench train", usage);
        Assert.Contains("doppel bench extract", usage);
        Assert.Contains("doppel bench convert", usage);
        Assert.Contains("doppel bench layers", usage);
        Assert.Contains("doppel bench swap", usage);
        Assert.Contains("doppel bench gan", usage);
        Assert.Contains("doppel bench gan-power", usage);
        foreach (string option in new[] { "--model", "--batch", "--steps", "--profile", "--video", "--frames", "--workers", "--peer", "--case", "--iters", "--work", "--arch", "--erode", "--k", "--gan-power", "--pretrain", "--base" })
            Assert.Contains(option, usage);
    }

    [Fact]
    public void Missing_or_unknown_benchmark_is_an_error_naming_the_choices()
    {
        var missing = Assert.Throws<DoppelException>(() => new BenchCommand().Run([]));
        Assert.Contains("extract", missing.Hint);
        var unknown = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["teleport"]));
        Assert.Contains("'teleport'", unknown.Message);
    }

    [Fact]
    public void Options_belong_to_their_benchmark()
    {
        // --frames is extract's; train must refuse it rather than ignore it. Parsing fails
        // before anything is measured, so these return at once.
        var e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["train", "--frames", "5"]));
        Assert.Contains("--frames", e.Message);
        e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["extract", "--model", "lite"]));
        Assert.Contains("--model", e.Message);
    }

    [Fact]
    public void Layers_refuses_an_unknown_case_naming_the_cases()
    {
        var e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["layers", "--case", "nosuchlayer"]));
        Assert.Contains("nosuchlayer", e.Message);
        Assert.Contains("batchnorm2d_b64_32x32x128", e.Hint);
    }

    [Fact]
    public void Swap_refuses_a_missing_model_folder_before_any_work()
    {
        var e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["swap", "--model", "/nonexistent/doppel-model"]));
        Assert.Contains("/nonexistent/doppel-model", e.Message);
        e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["swap", "--arch", "nosuchmodel"]));
        Assert.Contains("nosuchmodel", e.Message);
    }

    [Fact]
    public void GanPower_refuses_missing_face_sets_or_base_model_before_any_work()
    {
        var e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["gan-power", "--b", "/tmp"]));
        Assert.Contains("--a", e.Hint);
        e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["gan-power", "--a", "/nonexistent/faces-a", "--b", "/tmp"]));
        Assert.Contains("/nonexistent/faces-a", e.Message);
        e = Assert.Throws<DoppelException>(() => new BenchCommand().Run(["gan-power", "--a", "/tmp", "--b", "/tmp", "--base", "/nonexistent/doppel-model"]));
        Assert.Contains("/nonexistent/doppel-model", e.Message);
    }
}
