using System.Globalization;
using Doppel.Core;
using Doppel.Studio.Security;
using Doppel.Swap.Models;
using Doppel.Swap.Training;

namespace Doppel.Studio.Jobs;

/// <summary>
/// <c>doppel train --a facesets/A --b facesets/B -o runs/NAME</c> with the main options (model,
/// iterations, minutes, batch, lr, previewEvery, saveEvery, learnMask), or with <c>resume</c>
/// the run's own settings (only the limits and cadences may be given then).
/// </summary>
public sealed class TrainJobKind : IJobKind
{
    public string Name => "train";

    public JobPlan Plan(JobOptions options, Workspace workspace)
    {
        string a = options.Name("a"), b = options.Name("b"), run = options.Name("name");
        string faceA = FaceSet(workspace, a), faceB = FaceSet(workspace, b);
        string runDir = workspace.Resolve($"{Workspace.Runs}/{run}");
        bool resume = options.Flag("resume");
        var args = new List<string> { "train", "--a", faceA, "--b", faceB, "-o", runDir };
        if (resume)
        {
            if (!Directory.Exists(Path.Combine(runDir, "checkpoint")))
                throw new DoppelException($"run {run} has no checkpoint to resume", "start it first");
            args.Add("--resume");
        }
        else
        {
            if (Directory.Exists(Path.Combine(runDir, "checkpoint")))
                throw new DoppelException($"run {run} already exists", "resume it, or choose another name");
            args.AddRange(["--model", options.Choice("model", "lite", ModelRegistry.Default.Names)]);
            args.AddRange(["--batch", Text(options.Int("batch", 8, 1, 1024))]);
            args.AddRange(["--lr", Text(options.Double("lr", TrainSettings.Default.LearningRate, 1e-8, 1))]);
            if (options.Flag("learnMask")) args.Add("--learn-mask");
        }
        int iterations = options.Int("iterations", 0, 0, 100_000_000);
        double minutes = options.Double("minutes", 0, 0, 1e6);
        if (iterations > 0) args.AddRange(["--iterations", Text(iterations)]);
        if (minutes > 0) args.AddRange(["--minutes", Text(minutes)]);
        args.AddRange(["--preview-every", Text(options.Int("previewEvery", 100, 0, 1_000_000))]);
        args.AddRange(["--save-every", Text(options.Int("saveEvery", 500, 0, 1_000_000))]);
        string limit = iterations > 0 ? $" to iteration {iterations}" : minutes > 0 ? $" for {Text(minutes)} min" : " until stopped";
        return new JobPlan(Name, $"{(resume ? "resume" : "train")} run {run} on {a} and {b}{limit}", args,
            [new JobFile("faceset", $"{Workspace.FaceSets}/{a}"), new JobFile("faceset", $"{Workspace.FaceSets}/{b}"), new JobFile("run", $"{Workspace.Runs}/{run}")]);
    }

    private static string FaceSet(Workspace workspace, string name)
    {
        string dir = workspace.Resolve($"{Workspace.FaceSets}/{name}");
        return Directory.Exists(dir) ? dir : throw new DoppelException($"face set not found: {name}", "extract it first (Jobs page)");
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
