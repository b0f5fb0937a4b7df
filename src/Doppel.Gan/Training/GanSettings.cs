using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Gan.Models;

namespace Doppel.Gan.Training;

/// <summary>
/// Everything that decides what a GAN run computes, saved in state.json and compared on resume.
/// <see cref="For"/> gives each architecture's published defaults: the paper's MNIST run for
/// mlp (SGD, batch 100, lr 0.1 decaying by 1.000004 per update to at least 1e-6, momentum 0.5
/// rising to 0.7 between epochs 1 and 250, as pylearn2's ExponentialDecay and MomentumAdjustor
/// did, z uniform as its mnist.yaml sets), Radford et al.'s for dcgan (Adam 2e-4, beta1 0.5, batch 64, z 100, f 64).
/// </summary>
public sealed record GanSettings
{
    public const string Minimax = "minimax", NonSaturating = "nonsaturating", Sgd = "sgd", Adam = "adam";
    public const string Gaussian = "gaussian", Uniform = "uniform";
    public static readonly IReadOnlyList<string> Losses = [NonSaturating, Minimax];
    public static readonly IReadOnlyList<string> OptimizerNames = [Sgd, Adam];
    public static readonly IReadOnlyList<string> NoisePriors = [Gaussian, Uniform];

    public string Arch { get; init; } = "mlp";
    public int Size { get; init; }
    public int ZDim { get; init; } = 100;

    /// <summary>
    /// The prior of z: N(0, I), or U(-sqrt 3, sqrt 3) per coordinate (also unit variance), which the
    /// paper's mnist.yaml asks for (<c>noise: 'uniform'</c>). Runs saved before this existed read as gaussian.
    /// </summary>
    public string Noise { get; init; } = Gaussian;

    /// <summary>DCGAN's width factor f (G and D's widths are f, 2f, 4f, 8f); unused by mlp.</summary>
    public int Features { get; init; } = 64;

    public int Batch { get; init; } = 100;

    /// <summary>Discriminator updates per generator update (Algorithm 1's k).</summary>
    public int K { get; init; } = 1;

    public string Loss { get; init; } = NonSaturating;
    public string Optimizer { get; init; } = Sgd;
    public double LrG { get; init; } = 0.1;
    public double LrD { get; init; } = 0.1;

    /// <summary>SGD: momentum at the start, after the ramp, and the epoch the ramp ends (it starts at epoch 1).</summary>
    public double Momentum { get; init; } = 0.5;
    public double MomentumFinal { get; init; } = 0.7;
    public int MomentumEpochs { get; init; } = 250;

    /// <summary>SGD: the learning rate is divided by this per update (1: constant), never below <see cref="MinLr"/>.</summary>
    public double LrDecay { get; init; } = 1.000004;
    public double MinLr { get; init; } = 1e-6;

    /// <summary>Adam's beta1 (beta2 0.999).</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>One-sided label smoothing (ganhacks): real examples are labelled 1 - this for D.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Instance noise (ganhacks): Gaussian noise of this standard deviation added to every image D sees while training, real or generated.</summary>
    public double InstanceNoise { get; init; }

    /// <summary>pylearn2's max_col_norm on D: after each D update, each unit's incoming weights are scaled back to this L2 norm (0: off).</summary>
    public double MaxNorm { get; init; }

    /// <summary>
    /// Decay of the generator's exponential moving average (<see cref="GeneratorEma"/>), 0: off.
    /// It does not change what G and D learn, only what is kept beside them.
    /// </summary>
    public double Ema { get; init; }

    /// <summary>The first iteration whose generator enters the moving average (before it, the average copies G).</summary>
    public long EmaStart { get; init; }

    /// <summary>
    /// The learning-rate anneal (<see cref="Doppel.Tensors.Optim.LinearAnneal"/>), in iterations:
    /// both rates as scheduled up to <see cref="AnnealStart"/>, then falling linearly to zero at
    /// <see cref="AnnealEnd"/> (0: off). It may be set or moved at a resume, since a schedule is a
    /// pure function of the update count: "train, then anneal the last N iterations".
    /// </summary>
    public long AnnealStart { get; init; }
    public long AnnealEnd { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Anneals => AnnealEnd > 0;

    public ulong Seed { get; init; } = 1;

    /// <summary>The published defaults of an architecture.</summary>
    public static GanSettings For(string arch) => arch switch
    {
        "mlp" => new GanSettings { Arch = "mlp", Size = 28, Noise = Uniform },
        "dcgan" => new GanSettings { Arch = "dcgan", Size = 64, Batch = 64, Optimizer = Adam, LrG = 2e-4, LrD = 2e-4, LrDecay = 1 },
        _ => throw new DoppelException($"unknown GAN architecture '{arch}'", $"use one of {string.Join(", ", GanArchitectures.Names)}"),
    };

    /// <summary>Checks the combination; a bad value is the user's, so a <see cref="DoppelException"/> naming the option.</summary>
    /// <param name="architecture">The architecture the run builds; null to look <see cref="Arch"/> up in the registry.</param>
    public GanSettings Validated(IGanArchitecture? architecture = null)
    {
        var arch = architecture ?? GanArchitectures.Get(Arch);
        var checkedSize = this with { Size = arch.CheckSize(Size) };
        if (K < 1) throw new DoppelException($"--k {K}: Algorithm 1 needs at least one discriminator update per generator update", "use --k 1 (the paper's) or more");
        if (Batch < 1) throw new DoppelException($"--batch {Batch} must be at least 1", "the paper uses 100 for mlp, Radford et al. 64 for dcgan");
        if (ZDim < 1) throw new DoppelException($"--z-dim {ZDim} must be at least 1", "use 100, as both papers");
        if (Features < 1) throw new DoppelException($"--features {Features} must be at least 1", "use 64 (Radford et al.'s), or less on a slow machine");
        if (!Losses.Contains(Loss)) throw new DoppelException($"unknown loss '{Loss}'", $"use one of {string.Join(", ", Losses)}");
        if (!OptimizerNames.Contains(Optimizer)) throw new DoppelException($"unknown optimiser '{Optimizer}'", $"use one of {string.Join(", ", OptimizerNames)}");
        if (!(LrG > 0) || !(LrD > 0)) throw new DoppelException("learning rates must be above 0", "use e.g. --lr-g 0.1 --lr-d 0.1 (sgd) or 2e-4 (adam)");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new DoppelException($"--label-smoothing {LabelSmoothing} must be in [0, 1)", "0.1 labels real examples 0.9");
        if (!(InstanceNoise >= 0)) throw new DoppelException($"--instance-noise {InstanceNoise} must be >= 0", "0 is off; try 0.1");
        if (!NoisePriors.Contains(Noise)) throw new DoppelException($"unknown noise prior '{Noise}'", $"use one of {string.Join(", ", NoisePriors)}");
        if (!(MaxNorm >= 0)) throw new DoppelException($"--max-norm {MaxNorm} must be >= 0", "0 is off; pylearn2's maxout nets used about 1.9");
        if (!(Ema >= 0 && Ema < 1)) throw new DoppelException($"--ema {Ema.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be in [0, 1): it is the weight the old average keeps at each step", "0 is off; 0.999 averages about the last 1,000 generator steps, 0.9999 about 10,000");
        if (EmaStart < 0) throw new DoppelException($"--ema-start {EmaStart} must be >= 0", "0 averages from the first iteration");
        if (AnnealStart < 0 || AnnealEnd < 0 || (Anneals && AnnealEnd <= AnnealStart) || (!Anneals && AnnealStart > 0))
            throw new DoppelException($"--anneal-start {AnnealStart} --anneal-end {AnnealEnd}: the anneal needs an end after its start", "e.g. --anneal-start 20000 --anneal-end 30000 --iterations 30000 (the rates reach zero at the end)");
        if (!(LrDecay >= 1)) throw new DoppelException($"--lr-decay {LrDecay} must be at least 1", "1 keeps the rate; the paper's run used 1.000004");
        return checkedSize;
    }

    public GanShape Shape(int channels) => new(Size, ZDim, Features, channels);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    public static GanSettings FromJson(JsonObject json, string where)
    {
        try
        {
            return json.Deserialize<GanSettings>(Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new DoppelException($"the GAN settings in {where} cannot be read ({e.Message})", "the checkpoint is damaged or from another version; train into a new folder");
        }
    }
}
