namespace Doppel.Swap.Training;

/// <summary>
/// Everything that decides what a run computes, as stored in a checkpoint: resuming with any of
/// these changed would not continue the same run, so the trainer refuses it. (How long to train,
/// how often to save or preview, may change between sessions; they are not here.)
/// </summary>
public sealed record TrainSettings
{
    public string Model { get; init; } = "lite";
    public int BatchSize { get; init; } = 8;
    public float LearningRate { get; init; } = 5e-5f;
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

    /// <summary>The differences from another run's settings, as "name: theirs -> ours" lines.</summary>
    public IEnumerable<string> DifferencesFrom(TrainSettings other)
    {
        if (Model != other.Model) yield return $"model: {other.Model} -> {Model}";
        if (BatchSize != other.BatchSize) yield return $"batch: {other.BatchSize} -> {BatchSize}";
        if (LearningRate != other.LearningRate) yield return FormattableString.Invariant($"lr: {other.LearningRate} -> {LearningRate}");
        if (Seed != other.Seed) yield return $"seed: {other.Seed} -> {Seed}";
        if (Coverage != other.Coverage) yield return FormattableString.Invariant($"coverage: {other.Coverage} -> {Coverage}");
        if (DssimWeight != other.DssimWeight || L1Weight != other.L1Weight)
            yield return FormattableString.Invariant($"loss weights: dssim {other.DssimWeight}, l1 {other.L1Weight} -> dssim {DssimWeight}, l1 {L1Weight}");
        if (LearnMask != other.LearnMask) yield return $"learn mask: {other.LearnMask} -> {LearnMask}";
        else if (LearnMask && MaskWeight != other.MaskWeight) yield return FormattableString.Invariant($"mask weight: {other.MaskWeight} -> {MaskWeight}");
    }
}
