using System.Globalization;
using Doppel.Core;
using Doppel.Gan.Models;
using Doppel.Studio.Security;

namespace Doppel.Studio.Jobs;

/// <summary>
/// <c>doppel gan train -o runs/NAME --arch mlp|dcgan --data mnist|facesets/SET...</c> with the main
/// options (iterations, minutes, batch, size for dcgan, previewEvery, saveEvery), or with
/// <c>resume</c> the checkpoint's own settings (only the limits and cadences may be given then).
/// mlp learns MNIST (the paper's experiment); dcgan learns the face sets named in <c>data</c>.
/// The run is watched on the Training page like a swap run: status.json, metrics.csv, preview.png.
/// </summary>
public sealed class GanTrainJobKind : IJobKind
{
    public const string Mnist = "mnist";

    public string Name => "gan-train";

    public JobPlan Plan(JobOptions options, Workspace workspace)
    {
        string run = options.Name("name");
        string runDir = workspace.Resolve($"{Workspace.Runs}/{run}");
        bool resume = options.Flag("resume");
        var args = new List<string> { "gan", "train", "-o", runDir };
        var files = new List<JobFile>();
        string what;
        if (resume)
        {
            if (!Directory.Exists(Path.Combine(runDir, "checkpoint")))
                throw new DoppelException($"run {run} has no checkpoint to resume", "start it first");
            args.Add("--resume");
            what = $"resume GAN run {run}";
        }
        else
        {
            if (Directory.Exists(Path.Combine(runDir, "checkpoint")))
                throw new DoppelException($"run {run} already exists", "resume it, or choose another name");
            string arch = options.Choice("arch", "mlp", GanArchitectures.Names);
            args.AddRange(["--arch", arch]);
            // Face set names, comma-separated, or mnist; each set checked as a plain name inside facesets/.
            string data = options.OptionalString("data") is { Length: > 0 } d ? d : Mnist;
            var sets = data.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (sets is [Mnist]) args.AddRange(["--data", Mnist]);
            else
                foreach (string set in sets)
                {
                    if (!Workspace.IsPlainName(set)) throw new DoppelException($"job option 'data': '{set}' is not a face set name", "name face sets from the Face sets page, separated by commas, or mnist");
                    string dir = workspace.Resolve($"{Workspace.FaceSets}/{set}");
                    if (!Directory.Exists(dir)) throw new DoppelException($"face set not found: {set}", "extract it first (Jobs page)");
                    args.AddRange(["--data", dir]);
                    files.Add(new JobFile("faceset", $"{Workspace.FaceSets}/{set}"));
                }
            int size = options.Int("size", 0, 0, 64);
            if (size != 0)
            {
                if (size is not (32 or 64)) throw new DoppelException("job option 'size' must be 32 or 64", "dcgan makes 32 or 64 px images");
                args.AddRange(["--size", Text(size)]);
            }
            int batch = options.Int("batch", 0, 0, 4096);
            if (batch > 0) args.AddRange(["--batch", Text(batch)]);
            what = $"gan train {arch} run {run} on {string.Join(", ", sets)}";
        }
        int iterations = options.Int("iterations", 0, 0, 100_000_000);
        double minutes = options.Double("minutes", 0, 0, 1e6);
        if (iterations > 0) args.AddRange(["--iterations", Text(iterations)]);
        if (minutes > 0) args.AddRange(["--minutes", minutes.ToString("R", CultureInfo.InvariantCulture)]);
        args.AddRange(["--preview-every", Text(options.Int("previewEvery", 500, 0, 1_000_000))]);
        args.AddRange(["--save-every", Text(options.Int("saveEvery", 1000, 0, 1_000_000))]);
        string limit = iterations > 0 ? $" to iteration {iterations}" : minutes > 0 ? $" for {minutes.ToString(CultureInfo.InvariantCulture)} min" : " until stopped";
        files.Add(new JobFile("run", $"{Workspace.Runs}/{run}"));
        return new JobPlan(Name, what + limit, args, files);
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
}
