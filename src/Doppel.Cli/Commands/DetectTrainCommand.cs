using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Forensics.Model;
using Doppel.Forensics.Training;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel detect train FACESET... -o RUN</c>: trains a fake detector from real faces by
/// self-blending (<see cref="DetectorTrainer"/>), on the shared trainer (checkpoints, exact
/// resume, Ctrl-C, metrics.csv), then calibrates its threshold and writes RUN/model.safetensors.
/// Reached through <see cref="DetectCommand"/>, whose help includes this one's.
/// </summary>
public sealed class DetectTrainCommand : ICommand
{
    private readonly Option<string?> output;
    private readonly Option<IReadOnlyList<string>> fakes, calibrate;
    private readonly Option<int> iterations, batch, seed, size, width, saveEvery, previewEvery;
    private readonly Option<double> minutes, lr, fpr, h264, maskWeight, decoderPaste, decoderDownscale, decoderContrast, poseJitter;
    private readonly Option<string> name, decoderColor;
    private readonly Option<bool> resume;

    public DetectTrainCommand()
    {
        output = Options.OptionalString("out", "run folder: checkpoint/, preview.png, metrics.csv, validation.csv, model.safetensors", "dir");
        Options.ShortAlias('o', output);
        fakes = Options.Repeated("fake", "a face set of real fakes (e.g. faces extracted from doppel convert outputs) to train on beside the self-blends; repeatable", "dir");
        calibrate = Options.Repeated("calibrate", "a face set of real people the model never trains on: the threshold is calibrated on their faces (to --fpr) instead of the held-out faces of the training people; repeatable", "dir");
        iterations = Options.Int("iterations", 3000, "stop at this many iterations in total, counting resumed ones (0: no limit)", min: 0);
        minutes = Options.Double("minutes", 0, "stop after this many minutes of this session (0: no limit)", min: 0);
        batch = Options.Int("batch", 16, "real faces per iteration (each with its self-blend: twice as many images)", min: 1, max: 512);
        lr = Options.Double("lr", 1e-3, "AdamW learning rate (cosine decay to 5% over --iterations)", min: 1e-8, max: 1);
        seed = Options.Int("seed", 1, "random seed: initial weights, every batch, the validation split", min: 0);
        size = Options.Int("size", DetectorSpec.Default.InputSize, "network input in pixels (a multiple of 16)", min: 32, max: 512);
        width = Options.Int("width", DetectorSpec.Default.Width, "channels of the first stage (later stages double it)", min: 4, max: 256);
        fpr = Options.Double("fpr", 0.01, "false-positive rate the threshold is calibrated to on held-out real faces", min: 0.0001, max: 0.49);
        h264 = Options.Double("h264", 0.3, "share of batches sent through H.264 at a random CRF 18-32", min: 0, max: 1);
        decoderPaste = Options.Double("decoder-paste", 0, "share of self-blends whose pasted copy looks like a swap model's face: drawn at 1/2-1/4 of the resolution (see --decoder-downscale) and, half the time, colour-fitted to the frame (see --decoder-color)", min: 0, max: 1);
        decoderColor = Options.String("decoder-color", "mean", "how the colour-fitted half of the decoder-like copies is fitted, one drawn per fake from this comma-separated list: mean (convert --color mean), gain (convert --color gain), lowfreq (the frame's low frequencies, as convert --blend poisson)");
        decoderDownscale = Options.Double("decoder-downscale", 2, "decoder-like copies are drawn down by a factor between this and 4 and back up (1.5 also makes nearly sharp ones, as gain-matched swaps are)", min: 1, max: 4);
        decoderContrast = Options.Double("decoder-contrast", 0, "share of decoder-like copies whose contrast is stretched back to the original's after softening: soft but not flat, as a swap fitted by gain (convert --color gain) is", min: 0, max: 1);
        poseJitter = Options.Double("pose-jitter", 0, "share of pairs (real and fake alike) first turned up to 12 degrees, scaled by up to 10% and shifted by up to 5%, so the few training faces are not learnt exactly as aligned (new people's real faces are then less often called fake)", min: 0, max: 1);
        maskWeight = Options.Double("mask-weight", 1, "weight of the blend-boundary (Face X-ray) loss beside the score loss", min: 0);
        name = Options.String("name", "doppel-sbi", "the model's name, shown in every verdict");
        resume = Options.Flag("resume", "continue the checkpoint in the run folder exactly where it stopped");
        saveEvery = Options.Int("save-every", 500, "iterations between checkpoints (0: only at the end)", min: 0);
        previewEvery = Options.Int("preview-every", 200, "iterations between previews and validation (0: only at the end)", min: 0);
    }

    public string Name => "detect train";
    public string Summary => "Train a fake detector on real faces by self-blending";
    public OptionSet Options { get; } = new("detect", maxPositionals: 1000);

    public string Usage => """
        usage: doppel detect train FACESET... -o RUN [--fake DIR]... [--calibrate DIR]... [--iterations 3000] [--minutes M] [--batch 16] [--lr 1e-3]
                                   [--seed 1] [--size 64] [--width 24] [--fpr 0.01] [--h264 0.3] [--decoder-paste 0]
                                   [--decoder-color mean] [--decoder-downscale 2] [--decoder-contrast 0] [--pose-jitter 0] [--mask-weight 1] [--name NAME] [--resume]

        Trains Doppel's fake detector from face sets of REAL people (folders from doppel extract,
        with landmarks). Each training fake is a self-blend (Shiohara & Yamasaki 2022): the face
        pasted onto itself through its landmark hull, one copy slightly changed in colour and
        sharpness, shifted and scaled, the mask deformed and blurred, at a random ratio; real and
        fake then get the same colour jitter, JPEG and (a share of batches) H.264 compression, so
        only paste traces tell them apart. --decoder-paste P makes a share P of the self-blends
        like a face swap's paste: the pasted copy drawn at a lower resolution than the face
        around it (--decoder-downscale) and, half the time, colour-fitted to the frame as a converter
        does (--decoder-color: by mean, by gain, or Poisson-like); --decoder-contrast keeps a share of
        them as contrasty as the original. --pose-jitter P turns, scales and shifts a share P of
        the pairs a little first. --fake adds faces of real fakes. The network (a compact
        residual CNN of depthwise-separable blocks) also learns where the blend boundary is.
        Validation holds out whole 48-frame segments of each video (every 5th) and every 5th
        image, never random frames. At the end the threshold is set so that at most --fpr of the
        held-out real faces score above it (with --calibrate: of the faces of those sets, people
        it never trained on, whose scores run higher than the training people's held-out frames;
        --resume of a finished run only recalibrates), and RUN/model.safetensors (with RUN/model.json) is
        written: use it with doppel detect --model RUN/model.safetensors.
        Checkpoints, --resume, Ctrl-C and metrics.csv work as in doppel train. Previews show real
        people: keep them private.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        var parsed = Options.Parse(args);
        string run = parsed.Get(output) ?? throw new DoppelException("detect train needs a run folder", "add -o RUN");
        if (parsed.Positionals.Count == 0) throw new DoppelException("detect train needs face sets of real faces", "usage: doppel detect train FACESET... -o RUN");
        var options = new DetectorTrainerOptions
        {
            FaceSets = parsed.Positionals,
            FakeSets = parsed.Get(fakes),
            CalibrationSets = parsed.Get(calibrate),
            RunDir = run,
            Settings = new DetectorSettings
            {
                Spec = DetectorSpec.Default with { InputSize = parsed.Get(size), Width = parsed.Get(width) },
                Batch = parsed.Get(batch),
                LearningRate = (float)parsed.Get(lr),
                Seed = (ulong)parsed.Get(seed),
                TargetFpr = parsed.Get(fpr),
                H264Probability = parsed.Get(h264),
                MaskWeight = (float)parsed.Get(maskWeight),
                DecoderPaste = parsed.Get(decoderPaste),
                DecoderColors = Doppel.Forensics.SelfBlend.DecoderColorMatches.Parse(parsed.Get(decoderColor)),
                DecoderMinDownscale = parsed.Get(decoderDownscale),
                DecoderContrast = parsed.Get(decoderContrast),
                PoseJitter = parsed.Get(poseJitter),
            },
            Iterations = parsed.Get(iterations),
            Duration = parsed.Get(minutes) > 0 ? TimeSpan.FromMinutes(parsed.Get(minutes)) : null,
            Resume = parsed.Get(resume),
            SaveEvery = parsed.Get(saveEvery),
            PreviewEvery = parsed.Get(previewEvery),
            Name = parsed.Get(name),
            Command = "doppel detect train " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)),
        };
        using var stop = new StopRequest("stopping after this iteration, saving and calibrating (Ctrl-C again to kill)");
        var result = DetectorTrainer.Run(options, stop.Token);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Training.SessionIterations} iterations this session ({result.Training.ExamplesPerSecond:F1} images/s), {result.Training.Iteration} in total"));
        return result.Training.ExitCode;
    }
}
