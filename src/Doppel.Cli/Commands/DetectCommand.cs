using System.Globalization;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Forensics.Detection;
using Doppel.Forensics.Model;
using Doppel.Forensics.Report;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel detect INPUT...</c>: scores the faces of videos, images and folders with the fake
/// detector (<see cref="FakeDetection"/>), prints a verdict per input with its threshold, that
/// threshold's measured false-positive rate and the model, and the C2PA check beside it; writes
/// --json and --csv. <c>doppel detect train ...</c> hands over to <see cref="DetectTrainCommand"/>,
/// <c>doppel detect ensemble ...</c> to <see cref="DetectEnsembleCommand"/>.
/// </summary>
public sealed class DetectCommand : ICommand
{
    private readonly DetectTrainCommand train = new();
    private readonly DetectEnsembleCommand ensemble = new();
    private readonly Option<string?> model, json, csv, report;
    private readonly Option<int> frames;
    private readonly Option<double> fps, threshold, minFace;

    public DetectCommand()
    {
        model = Options.OptionalString("model", "a detector from doppel detect train (a .safetensors file or its run folder); default: the shipped model", "file");
        json = Options.OptionalString("json", "write every verdict, track and per-frame score as JSON (docs/formats.md)", "file");
        csv = Options.OptionalString("csv", "write one row per input as CSV (docs/formats.md)", "file");
        report = Options.OptionalString("report", "write DIR/index.html: scores over time, the most suspicious faces with the predicted blend boundary, track thumbnails; the same pictures in DIR/pictures/ indexed by DIR/report.json (shows the people: keep it private)", "dir");
        frames = Options.Int("frames", DetectOptions.DefaultFrames, "frames to read per video, spread evenly (0: every frame)", min: 0);
        fps = Options.Double("fps", 0, "read this many frames per second of video instead of --frames (0: use --frames)", min: 0);
        threshold = Options.Double("threshold", 0, "flag scores at or above this (0: the model's calibrated threshold)", min: 0, max: 1);
        minFace = Options.Double("min-face", 40, "faces narrower than this many pixels are not scored", min: 8);
    }

    public string Name => "detect";
    public string Summary => "Check videos and images for face-swap fakes (pixel evidence, and C2PA beside it); detect train makes a detector";
    public OptionSet Options { get; } = new("detect", maxPositionals: 100000);

    public string Usage => $"""
        usage: doppel detect INPUT... [--json FILE] [--csv FILE] [--report DIR] [--frames {DetectOptions.DefaultFrames}] [--fps R] [--threshold T] [--model FILE] [--min-face 40]
               doppel detect train FACESET... -o RUN [options below]
               doppel detect ensemble MODEL MODEL... -o FILE --calibrate DIR [options below]

        Looks for the traces a face swap leaves when it pastes a face into a frame. INPUT is a
        video, an image or a folder of them. Every face (BlazeFace, 68 landmarks, alignment) is
        scored by the detector: 0 = looks real, 1 = looks fake. Faces are grouped across frames
        into tracks; a track's score is the mean of its frames, and an input's score is its
        highest track's, since a video is fake when any one person in it is. Verdicts:
          likely-fake    the score is at or above the threshold
          no-evidence    it is below: nothing found, which is not proof of authenticity
          inconclusive   no face, faces too small, too few frames with a face, or unreadable
        Each verdict names the threshold, the share of real faces it flags (the false-positive
        rate measured when the model was calibrated, and on which faces: for the shipped model,
        faces of people it never trained on) and the model and version.
        Videos: {DetectOptions.DefaultFrames} frames spread over the clip by default (--frames 0 reads all, --fps R
        reads R per second); a track needs 3 scored frames to count.
        Separately, each file's C2PA content credentials are checked as doppel verify does and
        reported on their own line ("C2PA: valid, says synthetic (...)" or "C2PA: no manifest"):
        a label is the maker's statement, the score a guess from pixels; they are never merged.
        A file that cannot be read is reported as inconclusive and the others are still checked.
        Exit code 0 when every input was checked (whatever the verdicts), 1 on a usage error.
        """ + "\n\n" + Options.Describe() + "\n\n" + train.Usage + "\n\n" + ensemble.Usage;

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "train") return train.Run(args[1..]);
        if (args.Length > 0 && args[0] == "ensemble") return ensemble.Run(args[1..]);
        var parsed = Options.Parse(args);
        // The model first: a wrong --model is reported before any input is touched.
        var detector = parsed.Get(model) is { } path ? DetectorModel.Load(path) : DetectorModel.LoadDefault();
        var inputs = ExtractInput.Expand(parsed.Positionals);
        var options = new DetectOptions
        {
            Frames = parsed.Get(frames),
            Fps = parsed.Get(fps) > 0 ? parsed.Get(fps) : null,
            Threshold = parsed.Get(threshold) > 0 ? (float)parsed.Get(threshold) : null,
            MinFaceSize = parsed.Get(minFace),
            KeepPictures = parsed.Get(report) is not null,
        };
        options.Validate();
        var verdicts = new List<InputVerdict>();
        using (var detection = new FakeDetection(detector, options) { ProgressOutput = Console.Error })
        using (var files = inputs.Count > 1 ? new Progress("detect", inputs.Count, "file", Console.Error) : null)
        {
            foreach (var input in inputs)
            {
                var verdict = detection.Detect(input.Path, input.Kind);
                verdicts.Add(verdict);
                Print(verdict);
                files?.Advance();
            }
        }
        if (verdicts.Count > 1)
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{verdicts.Count} inputs: {Count(verdicts, Verdict.LikelyFake)} likely-fake, {Count(verdicts, Verdict.NoEvidence)} no-evidence, {Count(verdicts, Verdict.Inconclusive)} inconclusive; {verdicts.Count(v => v.Provenance.SaysSynthetic)} labelled synthetic by C2PA"));
        if (parsed.Get(json) is { } jsonPath) DetectResults.WriteJson(jsonPath, verdicts, options);
        if (parsed.Get(csv) is { } csvPath) DetectResults.WriteCsv(csvPath, verdicts);
        if (parsed.Get(report) is { } reportDir)
            Console.Out.WriteLine($"report: {DetectReport.Write(reportDir, verdicts, $"Model {detector.Name} {detector.Version} ({detector.Path}).")}");
        return CliApp.ExitOk;
    }

    private static int Count(List<InputVerdict> verdicts, Verdict v) => verdicts.Count(x => x.Verdict == v);

    private static void Print(InputVerdict v)
    {
        var o = Console.Out;
        var ic = CultureInfo.InvariantCulture;
        string frames = v.Kind == "video" ? string.Create(ic, $", {v.FramesRead} frames read, {v.FramesWithFaces} with a face") : "";
        o.WriteLine($"{v.Path} ({v.Kind}{frames}, {v.Tracks.Count} track{(v.Tracks.Count == 1 ? "" : "s")})");
        string fpr = v.ThresholdFpr is { } r ? string.Create(ic, $", flags {(r) * 100:F1}% of {v.ThresholdFprOn}") : ", set by --threshold: false-positive rate not measured";
        string score = v.Score is { } s ? string.Create(ic, $"score {s:F3} (0 = looks real, 1 = looks fake)") : "no score";
        o.WriteLine($"  verdict: {InputVerdict.Name(v.Verdict)}{(v.Reason is { } why ? $" ({why})" : "")}, {score}");
        o.WriteLine(string.Create(ic, $"  threshold {v.Threshold:F3}{fpr}; model {v.Model} {v.ModelVersion}"));
        foreach (var t in v.Tracks.Take(8))
            o.WriteLine(string.Create(ic, $"  track {t.Id}: {t.Faces.Count} frame{(t.Faces.Count == 1 ? "" : "s")}, score {t.Score:F3}{(t.Id == v.DecidingTrack ? " (decides)" : "")}"));
        if (v.Tracks.Count > 8) o.WriteLine($"  ... and {v.Tracks.Count - 8} more tracks (see --json)");
        o.WriteLine($"  {v.Provenance.Describe()}");
    }
}
