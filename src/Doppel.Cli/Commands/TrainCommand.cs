using System.Globalization;
using System.Runtime.InteropServices;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel train --a FACESET --b FACESET -o MODEL_DIR</c>: parses options, turns Ctrl-C and
/// SIGTERM into a cancellation (finish the step, save, exit), and runs <see cref="SwapTrainer"/>.
/// On --resume, options left out take the checkpoint's values; options given must match them.
/// </summary>
public sealed class TrainCommand : ICommand
{
    private readonly Option<string?> a, b, output;
    private readonly Option<string> model, precision;
    private readonly Option<int> iterations, batch, seed, saveEvery, previewEvery, warmup, decay;
    private readonly Option<double> minutes, lr, finalLr, coverage, dssimWeight, l1Weight, maskWeight, ganPower;
    private readonly Option<bool> resume, timelapse, learnMask;
    private readonly SigningOptions signing;

    public TrainCommand()
    {
        var defaults = TrainSettings.Default;
        a = Options.OptionalString("a", "face set of person A (a folder from doppel extract)", "dir");
        b = Options.OptionalString("b", "face set of person B", "dir");
        output = Options.OptionalString("out", "model folder: checkpoints, preview.png, loss.csv", "dir");
        Options.ShortAlias('o', output);
        model = Options.Choice("model", defaults.Model, ModelRegistry.Default.Names, "model to train");
        iterations = Options.Int("iterations", 0, "stop at this many iterations in total, counting resumed ones (0: no limit)", min: 0);
        minutes = Options.Double("minutes", 0, "stop after this many minutes of this session (0: no limit)", min: 0);
        batch = Options.Int("batch", defaults.BatchSize, "faces per side per iteration", min: 1, max: 1024);
        lr = Options.Double("lr", OptionSet.FromSingle(defaults.LearningRate), "Adam learning rate, the peak of the schedule (beta1 0.5, beta2 0.999)", min: 1e-8, max: 1);
        warmup = Options.Int("lr-warmup", defaults.WarmupIterations, "iterations of linear learning-rate warm-up from 0 to --lr (0: none)", min: 0);
        decay = Options.Int("lr-decay", defaults.DecayIterations, "iterations after the warm-up over which the rate falls along a cosine to --lr-final x --lr, then stays (0 with --lr-warmup 0: a constant rate)", min: 0);
        finalLr = Options.Double("lr-final", OptionSet.FromSingle(defaults.FinalLearningRateFraction), "the rate at the end of --lr-decay, as a fraction of --lr", min: 0, max: 1);
        precision = Options.Choice("precision", "fp32", ["fp32", "bf16"],
            "matrix products in float32, or bf16 (bfloat16 operands, float32 sums, weights and Adam; faster on CPUs with AVX512-BF16)");
        seed = Options.Int("seed", 1, "random seed: initial weights and every batch's augmentation", min: 0);
        coverage = Options.Double("coverage", 0.75, "fraction of the crop's side the model sees (the central square)", min: 0.2, max: 1);
        dssimWeight = Options.Double("dssim-weight", 1, "weight of the structural (DSSIM) loss term", min: 0);
        l1Weight = Options.Double("l1-weight", 1, "weight of the pixel (L1) loss term", min: 0);
        learnMask = Options.Flag("learn-mask", "also learn a 1-channel face mask beside each decoder's face (for convert --mask learned)");
        maskWeight = Options.Double("mask-weight", 1, "weight of the learned mask's loss (BCE against the landmark hull)", min: 0);
        ganPower = Options.Double("gan-power", 0, "weight of the adversarial term: a patch discriminator judges each reconstruction inside the face mask (0: off; try 0.1 on a trained model with --resume)", min: 0, max: 10);
        resume = Options.Flag("resume", "continue the checkpoint in the model folder exactly where it stopped");
        saveEvery = Options.Int("save-every", 500, "iterations between checkpoints (0: only at the end)", min: 0);
        previewEvery = Options.Int("preview-every", 100, "iterations between preview images (0: only at the end)", min: 0);
        signing = new SigningOptions(Options);
        timelapse = Options.Flag("timelapse", "keep every preview as previews/preview_<iteration>.png");
    }

    public string Name => "train";
    public string Summary => "Train a face-swap model on two face sets (checkpoints, previews, exact resume)";
    public OptionSet Options { get; } = new("train");

    public string Usage => $"""
        usage: doppel train --a FACESET --b FACESET -o MODEL_DIR [--model {string.Join("|", ModelRegistry.Default.Names)}] [--iterations N] [--minutes M]
                            [--batch 8] [--lr 5e-4] [--lr-warmup 100] [--lr-decay 2600] [--lr-final 0.1] [--precision fp32|bf16] [--seed 1] [--coverage 0.75] [--learn-mask] [--mask-weight 1] [--gan-power 0] [--resume] [--save-every 500] [--preview-every 100] [--timelapse]

        Trains one shared encoder and one decoder per person on the crops of two face sets
        (doppel extract), each decoder reconstructing its person's face from a randomly warped
        copy. Loss: DSSIM + L1, weighted by the landmark hull (eyes x3, mouth x2) when
        alignments.json has landmarks. Models: original (64 px, 82 M parameters), lite (64 px,
        a quarter of the widths; for 2-core machines), h128 (128 px, DFL-H128 class),
        lite-res (lite with residual decoder blocks). The learning rate warms up from 0 to
        --lr over --lr-warmup iterations, falls along a cosine to --lr-final x --lr over the
        next --lr-decay, and stays there (by default 5e-4, 100, 2,600: up to 5e-4, down to
        5e-5 at iteration 2,700, about 20 minutes of lite on 2 cores; --lr-warmup 0
        --lr-decay 0 is a constant --lr).
        --precision bf16 runs the convolutions and dense layers with bfloat16 operands and
        float32 sums (weights, gradients and Adam stay float32): faster where the CPU has
        AVX512-BF16 and oneDNN (libdnnl2) is installed; a run keeps its precision on --resume.
        --gan-power W adds W x BCE(D(reconstruction), real) to each side's loss, D being a patch
        discriminator (PatchGAN, one logit per patch of about 1/8 of the face) that takes one
        step after each autoencoder step, judging reconstructions against their targets inside
        the face mask. Train without it first, then resume with --gan-power 0.1: the checkpoint
        gains the discriminator and its optimiser; it can be changed later, not switched off.
        The preview then adds D's judgement of A->A and B->B (white: judged real), and
        metrics.csv g_adv, d_loss, d_real, d_fake.

        Writes to MODEL_DIR: checkpoint/ (weights, Adam state and state.json, replaced
        atomically) and checkpoint.previous/, preview.png (rows A, A->A, A->B, B, B->B, B->A),
        loss.csv (metrics.csv and metrics.jsonl add any other metric, e.g. the learned
        mask's loss), and with --timelapse previews/. Without --iterations or --minutes it runs
        until Ctrl-C. Ctrl-C or SIGTERM finishes the iteration, saves and exits with
        {CliApp.ExitInterrupted}; --resume continues exactly (same batches, optimizer state and
        iteration count) and refuses other face sets, another model or changed settings.
        The previews show real people: keep them private.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        var parsed = Options.Parse(args);
        string faceA = parsed.Get(a) ?? throw new DoppelException("train needs person A's face set", "add --a FACESET (a folder from doppel extract)");
        string faceB = parsed.Get(b) ?? throw new DoppelException("train needs person B's face set", "add --b FACESET");
        string modelDir = parsed.Get(output) ?? throw new DoppelException("train needs a model folder", "add -o MODEL_DIR");
        using var identity = signing.Open(parsed);
        var options = new TrainerOptions
        {
            FaceSetA = faceA,
            FaceSetB = faceB,
            ModelDir = modelDir,
            Settings = Settings(parsed, parsed.Get(resume) ? SwapTrainer.ReadCheckpointSettings(modelDir) : TrainSettings.Default),
            Iterations = parsed.Get(iterations),
            Duration = parsed.Get(minutes) > 0 ? TimeSpan.FromMinutes(parsed.Get(minutes)) : null,
            Resume = parsed.Get(resume),
            SaveEvery = parsed.Get(saveEvery),
            PreviewEvery = parsed.Get(previewEvery),
            Timelapse = parsed.Get(timelapse),
            Previews = SigningOptions.Composite(identity),
        };

        using var stop = new StopRequest("stopping after this iteration and saving (Ctrl-C again to kill)");
        var result = new SwapTrainer(options).Run(stop.Token);
        Console.Out.WriteLine(result.SessionIterations == 0
            ? $"nothing to do: the model is at iteration {result.Iteration} and --iterations counts resumed iterations too"
            : FormattableString.Invariant($"{result.SessionIterations} iterations this session ({result.ExamplesPerSecond:F1} examples/s")
                + (double.IsFinite(result.CpuSecondsPerStep) ? FormattableString.Invariant($", cpu {result.CpuSecondsPerStep:F2} s/step") : "")
                + $"), {result.Iteration} in total");
        return result.Reason == StopReason.Interrupted ? CliApp.ExitInterrupted : CliApp.ExitOk;
    }

    // Options given on the command line win; the rest come from the base (defaults, or the checkpoint's on --resume).
    private TrainSettings Settings(ParsedOptions p, TrainSettings basis) => basis with
    {
        Model = p.WasGiven(model) ? p.Get(model) : basis.Model,
        BatchSize = p.WasGiven(batch) ? p.Get(batch) : basis.BatchSize,
        LearningRate = p.WasGiven(lr) ? (float)p.Get(lr) : basis.LearningRate,
        WarmupIterations = p.WasGiven(warmup) ? p.Get(warmup) : basis.WarmupIterations,
        DecayIterations = p.WasGiven(decay) ? p.Get(decay) : basis.DecayIterations,
        FinalLearningRateFraction = p.WasGiven(finalLr) ? (float)p.Get(finalLr) : basis.FinalLearningRateFraction,
        Precision = p.WasGiven(precision) ? MatMulPrecision.Parse(p.Get(precision))!.Value : basis.Precision,
        Seed = p.WasGiven(seed) ? (ulong)p.Get(seed) : basis.Seed,
        Coverage = p.WasGiven(coverage) ? p.Get(coverage) : basis.Coverage,
        DssimWeight = p.WasGiven(dssimWeight) ? (float)p.Get(dssimWeight) : basis.DssimWeight,
        L1Weight = p.WasGiven(l1Weight) ? (float)p.Get(l1Weight) : basis.L1Weight,
        // A flag can only switch the mask on: left out on --resume, the checkpoint's choice stands.
        LearnMask = p.Get(learnMask) || basis.LearnMask,
        MaskWeight = p.WasGiven(maskWeight) ? (float)p.Get(maskWeight) : basis.MaskWeight,
        GanPower = p.WasGiven(ganPower) ? (float)p.Get(ganPower) : basis.GanPower,
    };
}
