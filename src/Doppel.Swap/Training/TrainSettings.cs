using System.Text.Json.Serialization;
using Doppel.Tensors;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Training;

/// <summary>
/// Everything that decides what a run computes, as stored in a checkpoint: resuming with any of
/// these changed would not continue the same run, so the trainer refuses it. (How long to train,
/// how often to save or preview, may change between sessions; they are not here.)
/// </summary>
public sealed record TrainSettings
{
    /// <summary>
    /// What a new run of <c>doppel train</c>, <c>demo</c> and <c>bench swap</c> uses: Adam at
    /// 5e-4 after a 100-iteration warm-up, then a cosine down to 5e-5 over the next 2,600
    /// iterations (20 quiet minutes of lite on 2 cores in all), held at 5e-5 after that. The
    /// property initialisers below are not these: they are what a checkpoint written before a
    /// setting existed meant (a constant 5e-5), so that old checkpoints still resume as trained.
    /// Why these values: docs/training.md, "Identity after training".
    /// </summary>
    public static TrainSettings Default { get; } = new() { LearningRate = 5e-4f, WarmupIterations = 100, DecayIterations = 2600 };

    public string Model { get; init; } = "lite";
    public int BatchSize { get; init; } = 8;
    public float LearningRate { get; init; } = 5e-5f;

    /// <summary>
    /// Iterations of linear warm-up from 0 to <see cref="LearningRate"/> (0: none). A high rate
    /// from the first step can throw freshly initialised weights far off; a short ramp lets Adam's
    /// moment estimates settle first.
    /// </summary>
    public int WarmupIterations { get; init; }

    /// <summary>
    /// Iterations after the warm-up over which the rate falls along a half cosine to
    /// <see cref="LearningRate"/> x <see cref="FinalLearningRateFraction"/>, where it then stays (0: no decay).
    /// </summary>
    public int DecayIterations { get; init; }

    public float FinalLearningRateFraction { get; init; } = 0.1f;
    public ulong Seed { get; init; } = 1;

    /// <summary>Fraction of the crop's side that the model sees (the central square).</summary>
    public double Coverage { get; init; } = 0.75;

    public float DssimWeight { get; init; } = 1f;
    public float L1Weight { get; init; } = 1f;

    /// <summary>
    /// Train a 1-channel mask branch beside each decoder's face, against the landmark-hull mask of
    /// the target (<see cref="FaceLoss.MaskTarget"/>). Stored here so that resume rebuilds the same
    /// model and convert knows the model can draw its own mask. Off (the default) the model is
    /// exactly the registered one; old checkpoints, written before this existed, read as off.
    /// </summary>
    public bool LearnMask { get; init; }

    /// <summary>Weight of the mask's BCE term, added to the face loss (only with <see cref="LearnMask"/>).</summary>
    public float MaskWeight { get; init; } = 1f;

    /// <summary>
    /// Weight W of the adversarial term (DeepFaceLab's "GAN power"): 0 (the default) trains without
    /// a discriminator; above 0 a patch discriminator judges each reconstruction against its target
    /// inside the face mask, takes one step after each autoencoder step, and each side's loss gains
    /// W x BCE(D(reconstruction), real). It may be switched on, or changed, at a resume (the
    /// checkpoint then gains the discriminator and its optimiser), not switched off; it is not in
    /// <see cref="DifferencesFrom"/> (see SwapTask.CheckCompatible). Checkpoints written before it
    /// existed read as 0.
    /// </summary>
    public float GanPower { get; init; }

    /// <summary>
    /// The number format of the model's matrix products (<see cref="MatMulPrecision"/>): bf16
    /// rounds their operands to bfloat16 and keeps weights, Adam and every other op in float32.
    /// Checkpoints written before this existed trained in float32 and read as <c>Fp32</c>.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>
    /// These settings with the schedule stretched or squeezed to end after <paramref name="iterations"/>:
    /// the warm-up keeps its length (at most a quarter of the run) and the cosine takes the rest,
    /// so the rate reaches its floor as the run ends instead of stopping part way down. A run that
    /// goes on longer than planned holds the floor. Settings without a schedule are returned as
    /// they are. The demo uses it to fit the schedule to its minutes (<see cref="TrainingRateProbe"/>).
    /// </summary>
    public TrainSettings FittedTo(long iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 2);
        if (DecayIterations <= 0) return this;
        int warmup = (int)Math.Min(WarmupIterations, iterations / 4);
        return this with { WarmupIterations = warmup, DecayIterations = (int)Math.Min(int.MaxValue, iterations - warmup) };
    }

    /// <summary>The rate of each update (warm-up, then cosine decay to a floor); null when the rate is constant.</summary>
    public ISchedule? LearningRateSchedule()
    {
        if (WarmupIterations <= 0 && DecayIterations <= 0) return null;
        ISchedule after = DecayIterations > 0
            ? new HoldAfter(new CosineAnnealingLr(LearningRate, DecayIterations, LearningRate * FinalLearningRateFraction), DecayIterations)
            : new ConstantLr(LearningRate);
        return WarmupIterations > 0 ? new LinearWarmup(after, WarmupIterations) : after;
    }

    /// <summary>The schedule in words, for the banner and resume messages.</summary>
    public string DescribeSchedule() => WarmupIterations <= 0 && DecayIterations <= 0
        ? FormattableString.Invariant($"{LearningRate}")
        : FormattableString.Invariant($"{LearningRate}{(WarmupIterations > 0 ? $" after {WarmupIterations} warm-up iterations" : "")}{(DecayIterations > 0 ? $", cosine to x{FinalLearningRateFraction} over {DecayIterations}" : "")}");

    /// <summary>The differences from another run's settings, as "name: theirs -> ours" lines.</summary>
    public IEnumerable<string> DifferencesFrom(TrainSettings other)
    {
        if (Model != other.Model) yield return $"model: {other.Model} -> {Model}";
        if (BatchSize != other.BatchSize) yield return $"batch: {other.BatchSize} -> {BatchSize}";
        if (LearningRate != other.LearningRate) yield return FormattableString.Invariant($"lr: {other.LearningRate} -> {LearningRate}");
        if (WarmupIterations != other.WarmupIterations || DecayIterations != other.DecayIterations || FinalLearningRateFraction != other.FinalLearningRateFraction)
            yield return FormattableString.Invariant($"lr schedule: {other.DescribeSchedule()} -> {DescribeSchedule()}");
        if (Seed != other.Seed) yield return $"seed: {other.Seed} -> {Seed}";
        if (Coverage != other.Coverage) yield return FormattableString.Invariant($"coverage: {other.Coverage} -> {Coverage}");
        if (DssimWeight != other.DssimWeight || L1Weight != other.L1Weight)
            yield return FormattableString.Invariant($"loss weights: dssim {other.DssimWeight}, l1 {other.L1Weight} -> dssim {DssimWeight}, l1 {L1Weight}");
        if (Precision != other.Precision) yield return $"precision: {MatMulPrecision.Name(other.Precision)} -> {MatMulPrecision.Name(Precision)}";
        if (LearnMask != other.LearnMask) yield return $"learn mask: {other.LearnMask} -> {LearnMask}";
        else if (LearnMask && MaskWeight != other.MaskWeight) yield return FormattableString.Invariant($"mask weight: {other.MaskWeight} -> {MaskWeight}");
    }
}
