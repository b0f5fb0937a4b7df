using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Gan.Data;
using Doppel.Gan.Models;
using Doppel.Gan.Sampling;
using Doppel.Provenance;
using Doppel.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;
using Doppel.Training;

namespace Doppel.Gan.Training;

/// <summary>How a GAN run shows itself: where previews go and how they are labelled.</summary>
public sealed record GanTaskOptions
{
    /// <summary>How previews are finished (labelled as created by a model, or unsigned with --no-sign).</summary>
    public SyntheticOutputPolicy Previews { get; init; } = SyntheticOutputPolicy.Unsigned;

    /// <summary>Keep every preview as previews/preview_&lt;iteration&gt;.png.</summary>
    public bool Timelapse { get; init; }
}

/// <summary>
/// Goodfellow et al.'s Algorithm 1 as a task on the shared trainer. Each iteration: k
/// discriminator updates, each on a fresh minibatch of m real examples and m samples G(z) (G runs
/// without autograd, so D's update cannot reach G's parameters), then one generator update on
/// fresh noise through a frozen D (gradients flow through D to G, none reach D's parameters).
/// Metrics: d_loss and d_real, d_fake (mean D(x), mean D(G(z)), D's probabilities before its last
/// update), then g_loss. The loop owns limits, Ctrl-C, the NaN guard, checkpoints and logs.
/// </summary>
public sealed class GanTask : ITrainingTask<GanBatch>
{
    public const string TaskKind = "gan", GeneratorName = "generator", DiscriminatorName = "discriminator";

    private readonly GanSettings _settings;
    private readonly IImageSet _data;
    private readonly RealExamples _real;
    private readonly GanTaskOptions _options;
    private readonly float[] _fixedNoise;

    /// <param name="architecture">The networks to build; null for the registry's entry named by the settings (tests pass small ones).</param>
    public GanTask(GanSettings settings, IImageSet data, GanTaskOptions? options = null, IGanArchitecture? architecture = null)
    {
        _settings = settings.Validated(architecture);
        _data = data;
        _options = options ?? new GanTaskOptions();
        DropoutRng = new Rng(_settings.Seed ^ 0xD809_0A7EUL);
        Networks = BuildNetworks(_settings, data.Channels, DropoutRng, architecture);
        if (data.Height != Networks.Height || data.Width != Networks.Width || data.Channels != Networks.Channels)
            throw new Doppel.Core.DoppelException($"{data.Name} holds {data.Width}x{data.Height}x{data.Channels} images; the {_settings.Arch} networks make {Networks.Width}x{Networks.Height}x{Networks.Channels}",
                "give data of the architecture's size (mlp: MNIST; dcgan: face sets, resampled to --size)");
        if (Networks.Generator is MlpGenerator mlp) mlp.InitOutputBias(RealExamples.PixelMeans(data));
        _real = new RealExamples(data, Networks, _settings.Batch, _settings.Seed);
        GeneratorOptimizer = CreateOptimizer(_settings, Networks.Generator, _settings.LrG, Math.Max(1, _real.PerEpoch / _settings.K), 1);
        DiscriminatorOptimizer = CreateOptimizer(_settings, Networks.Discriminator, _settings.LrD, _real.PerEpoch, _settings.K);
        if (_settings.Ema > 0)
            Ema = new GeneratorEma(Networks.Generator, BuildNetworks(_settings, data.Channels, architecture: architecture).Generator, _settings.Ema, _settings.EmaStart);
        int previews = PreviewCount(_settings);
        _fixedNoise = GanSampler.Noise(previews, _settings.ZDim, new Rng(_settings.Seed ^ 0xF1_7ED2UL), _settings.Noise);
    }

    public GanNetworks Networks { get; }
    public Optimizer GeneratorOptimizer { get; }
    public Optimizer DiscriminatorOptimizer { get; }
    public Rng DropoutRng { get; }
    public GanSettings Settings => _settings;

    /// <summary>The generator's moving average (--ema), or null when off.</summary>
    public GeneratorEma? Ema { get; }

    /// <summary>The networks with the averaged generator in G's place (the raw ones without --ema): what sampling uses.</summary>
    public GanNetworks AveragedNetworks => Ema is null ? Networks : Networks with { Generator = Ema.Module };

    /// <summary>Builds G and D for settings (weights from the run's seed); the sampler and evaluator load a checkpoint into these.</summary>
    public static GanNetworks BuildNetworks(GanSettings settings, int channels, Rng? dropout = null, IGanArchitecture? architecture = null) =>
        (architecture ?? GanArchitectures.Get(settings.Arch)).Build(settings.Shape(channels), new Rng(settings.Seed), dropout ?? new Rng(settings.Seed ^ 0xD809_0A7EUL));

    public string Kind => TaskKind;
    public string Description => $"the {_settings.Arch} GAN";

    public IReadOnlyList<(string Name, Module Module)> Modules => Ema is null
        ? [(GeneratorName, Networks.Generator), (DiscriminatorName, Networks.Discriminator)]
        : [(GeneratorName, Networks.Generator), (DiscriminatorName, Networks.Discriminator), (GeneratorEma.ModuleName, Ema.Module)];

    /// <summary>A run trained without --ema can gain the average at a resume: it starts there as a copy of G.</summary>
    public IReadOnlySet<string> AddableOnResume => new HashSet<string> { GeneratorEma.ModuleName };

    public JsonObject? SaveExtra() => Ema is null ? null : new JsonObject { [GeneratorEma.UpdatesKey] = Ema.Updates };

    public void LoadExtra(JsonObject? extra)
    {
        if (Ema is not null) Ema.Updates = extra?[GeneratorEma.UpdatesKey]?.GetValue<long>() ?? 0;
    }

    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => [("optimizer_g", GeneratorOptimizer), ("optimizer_d", DiscriminatorOptimizer)];
    public IReadOnlyList<(string Name, Rng Rng)> Generators => [("dropout", DropoutRng)];

    JsonObject ITrainingTask.Settings => _settings.ToJson();

    /// <summary>
    /// The default check (changed settings or data are refused), with the saved settings read
    /// through <see cref="GanSettings"/> first, so a run saved before a setting existed (noise,
    /// max-norm) resumes with that setting's default instead of being refused for lacking it.
    /// </summary>
    public void CheckResume(SavedCheckpoint saved)
    {
        if (GeneratorAverage.IsAverage(saved.Manifest))
            throw new Doppel.Core.DoppelException($"{saved.Dir} holds an average of generators (doppel gan average), for sampling and evaluation, not a training state",
                "resume the run it was averaged from");
        var savedSettings = GanSettings.FromJson(saved.Manifest.Settings, saved.Dir);
        // --ema given to a run saved without it: the average starts at this resume (training itself is unchanged).
        if (savedSettings.Ema == 0 && _settings.Ema > 0 && saved.Manifest.Modules.All(m => m.Name != GeneratorEma.ModuleName))
            savedSettings = savedSettings with { Ema = _settings.Ema, EmaStart = _settings.EmaStart };
        // The anneal may be set or moved at a resume: the rates are a pure function of the update count.
        if (_settings.Anneals && _settings.AnnealEnd <= saved.Iteration)
            throw new Doppel.Core.DoppelException($"--anneal-end {_settings.AnnealEnd} is not after the run's iteration {saved.Iteration}: the rates would be zero and nothing would train",
                $"anneal over iterations still to come, e.g. --anneal-start {saved.Iteration} --anneal-end {saved.Iteration + 5000} --iterations {saved.Iteration + 5000}");
        savedSettings = savedSettings with { AnnealStart = _settings.AnnealStart, AnnealEnd = _settings.AnnealEnd };
        ResumeCheck.Default(this, saved with { Manifest = saved.Manifest with { Settings = savedSettings.ToJson() } });
    }
    public JsonObject Data => _data.Describe();

    /// <summary>The rate is shown in iterations per second (one iteration = k D updates + one G update).</summary>
    public int ExamplesPerIteration => 0;

    public GanBatch MakeBatch(long iteration)
    {
        int k = _settings.K, m = _settings.Batch;
        var rng = new Rng(unchecked(_settings.Seed * 0xD1B54A32D192ED03UL ^ (ulong)iteration * 0x9E3779B97F4A7C15UL ^ 0x6A4EUL));
        Tensor Noise() => Tensor.FromArray(GanSampler.Noise(m, _settings.ZDim, rng, _settings.Noise), m, _settings.ZDim).Persist();
        Tensor? Jitter()
        {
            if (_settings.InstanceNoise <= 0) return null;
            var t = Tensor.Empty(m, Networks.Height, Networks.Width, Networks.Channels).Persist();
            rng.FillNormal(t.Span, 0f, (float)_settings.InstanceNoise);
            return t;
        }
        var real = new Tensor[k];
        var noiseD = new Tensor[k];
        for (int j = 0; j < k; j++)
        {
            real[j] = _real.Minibatch(iteration * k + j);
            noiseD[j] = Noise();
        }
        var noiseG = Noise();
        Tensor[]? realJitter = _settings.InstanceNoise > 0 ? Enumerable.Range(0, k).Select(_ => Jitter()!).ToArray() : null;
        Tensor[]? fakeJitter = _settings.InstanceNoise > 0 ? Enumerable.Range(0, k).Select(_ => Jitter()!).ToArray() : null;
        return new GanBatch(real, noiseD, noiseG, realJitter, fakeJitter, Jitter());
    }

    public IReadOnlyDictionary<string, double> Step(GanBatch batch, long iteration)
    {
        (double Loss, double Real, double Fake) d = default;
        for (int j = 0; j < batch.K; j++)
            d = DiscriminatorStep(batch.Real[j], batch.NoiseD[j], batch.RealJitter?[j], batch.FakeJitter?[j]);
        double g = GeneratorStep(batch.NoiseG, batch.GeneratorJitter);
        if (Ema is not null) OpProfiler.Time("moving average (G)", () => Ema.Update(iteration));
        return new Dictionary<string, double> { ["d_loss"] = d.Loss, ["d_real"] = d.Real, ["d_fake"] = d.Fake, ["g_loss"] = g };
    }

    /// <summary>
    /// One update of D: ascend log D(x) + log(1 - D(G(z))) on this minibatch. G runs with autograd
    /// off, so its output is a constant here and nothing of G can change. With --max-norm, D's
    /// weights are then put back inside the norm limit. Returns D's loss and its
    /// mean probabilities on the real and generated examples, before the update.
    /// </summary>
    internal (double Loss, double Real, double Fake) DiscriminatorStep(Tensor real, Tensor noise, Tensor? realJitter = null, Tensor? fakeJitter = null)
    {
        using var scope = TensorScope.Begin();
        OpProfiler.Mark();  // bench gan --profile charges forward ops from here
        Tensor fake;
        using (GradMode.Off()) fake = Networks.Generator.Forward(noise);   // (m, H, W, C), no graph
        var realLogits = Networks.Discriminator.Forward(Jittered(real, realJitter));   // (m, 1)
        var fakeLogits = Networks.Discriminator.Forward(Jittered(fake, fakeJitter));   // (m, 1)
        var loss = GanLoss.Discriminator(realLogits, fakeLogits, 1f - (float)_settings.LabelSmoothing);
        loss.Backward();
        OpProfiler.Time("optimizer (D)", DiscriminatorOptimizer.StepAndZeroGrad);
        if (_settings.MaxNorm > 0) OpProfiler.Time("max-norm (D)", () => MaxNormConstraint.Apply(Networks.Discriminator, _settings.MaxNorm));
        return (loss.Item(), GanLoss.MeanProbability(realLogits), GanLoss.MeanProbability(fakeLogits));
    }

    /// <summary>
    /// One update of G through a frozen D: D's parameters get no gradient (so its optimiser has
    /// nothing to apply), while the gradient of D's judgement flows back into G.
    /// </summary>
    internal double GeneratorStep(Tensor noise, Tensor? jitter = null)
    {
        using var scope = TensorScope.Begin();
        Networks.Discriminator.Freeze();
        OpProfiler.Mark();
        try
        {
            var logits = Networks.Discriminator.Forward(Jittered(Networks.Generator.Forward(noise), jitter));  // (m, 1)
            var loss = GanLoss.Generator(logits, _settings.Loss);
            loss.Backward();
            OpProfiler.Time("optimizer (G)", GeneratorOptimizer.StepAndZeroGrad);
            return loss.Item();
        }
        finally
        {
            Networks.Discriminator.Unfreeze();
        }
    }

    private static Tensor Jittered(Tensor images, Tensor? noise) => noise is null ? images : Ops.Add(images, noise);

    /// <summary>
    /// preview.png: samples from the same fixed z every time, so a person sees the same digits or
    /// faces sharpen. With --ema, the averaged generator's grid on the left and the raw G's on the right.
    /// </summary>
    public void WritePreview(string dir, long iteration)
    {
        var grid = GanSampler.Grid(Networks, GanSampler.Generate(Networks, _fixedNoise), PreviewColumns(_settings));
        if (Ema is not null)
        {
            var averaged = GanSampler.Grid(Networks, GanSampler.Generate(AveragedNetworks, _fixedNoise), PreviewColumns(_settings));
            const int gap = 12;
            var both = GanImage.Blank(2 * grid.Width + gap, grid.Height, grid.Channels, 255);
            both.Paste(averaged, 0, 0);
            both.Paste(grid, grid.Width + gap, 0);
            grid = both;
        }
        _options.Previews.Write(Path.Combine(dir, "preview.png"), grid.WritePng);
        if (_options.Timelapse)
            _options.Previews.Write(Path.Combine(dir, "previews", $"preview_{iteration:D8}.png"), grid.WritePng);
    }

    public string Banner => string.Create(CultureInfo.InvariantCulture,
        $"training the {_settings.Arch} GAN ({Networks.Width}x{Networks.Height}x{Networks.Channels}; G {Networks.Generator.ParameterCount / 1e6:F2} M, D {Networks.Discriminator.ParameterCount / 1e6:F2} M parameters) on {_data.Name}: batch {_settings.Batch}, k {_settings.K}, {_settings.Loss} loss, {_settings.Optimizer} lr G {_settings.LrG} D {_settings.LrD}, z {_settings.Noise}{(_settings.MaxNorm > 0 ? $", D max-norm {_settings.MaxNorm}" : "")}{(_settings.Anneals ? $", rates annealed linearly to 0 from iteration {_settings.AnnealStart} to {_settings.AnnealEnd}" : "")}{(Ema is null ? "" : $", G moving average {_settings.Ema}" + (_settings.EmaStart > 0 ? $" from iteration {_settings.EmaStart}" : "") + " (preview: average left, raw G right)")}, seed {_settings.Seed}");

    public string FormatStatus(TrainingStatus s) => string.Create(CultureInfo.InvariantCulture,
        $"iteration {s.Iteration}: D loss {s.Metrics["d_loss"]:F4}, G loss {s.Metrics["g_loss"]:F4}, D(x) {s.Metrics["d_real"]:F3}, D(G(z)) {s.Metrics["d_fake"]:F3}, {s.RateText}{s.EtaText}{s.EventsText}");

    public string DivergenceHint => "resume with lower --lr-g/--lr-d, or start again with another --seed";

    private static int PreviewCount(GanSettings s) => s.Arch == "mlp" ? 100 : 64;

    private static int PreviewColumns(GanSettings s) => s.Arch == "mlp" ? 10 : 8;

    /// <summary>SGD with the paper's schedules (momentum ramp over epochs, exponential decay per update) or Adam.</summary>
    /// <param name="updatesPerIteration">k for D, 1 for G: the anneal is given in iterations, the schedules count updates.</param>
    private static Optimizer CreateOptimizer(GanSettings s, Module module, double lr, long updatesPerEpoch, int updatesPerIteration)
    {
        var parameters = module.NamedParameters().ToList();
        Optimizer optimizer;
        ISchedule rate;
        if (s.Optimizer == GanSettings.Adam)
        {
            optimizer = new Adam(parameters, (float)lr, (float)s.Beta1, 0.999f);
            rate = new ConstantLr(lr);
        }
        else
        {
            optimizer = new Sgd(parameters, (float)lr, (float)s.Momentum)
            {
                MomentumSchedule = new PerEpoch(new MomentumRamp(s.Momentum, s.MomentumFinal, 1, Math.Max(1, s.MomentumEpochs)), updatesPerEpoch),
            };
            rate = new ExponentialDecay(lr, s.LrDecay, Math.Min(lr, s.MinLr));
        }
        optimizer.LearningRateSchedule = s.Anneals ? new LinearAnneal(rate, s.AnnealStart * updatesPerIteration, s.AnnealEnd * updatesPerIteration) : rate;
        return optimizer;
    }
}
