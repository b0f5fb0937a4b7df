using System.Globalization;
using Doppel.Core;
using Doppel.Studio.Security;
using Doppel.Swap.Convert;

namespace Doppel.Studio.Jobs;

/// <summary>
/// <c>doppel convert INPUT --model runs/RUN -o outputs/NAME.EXT --side-by-side outputs/NAME.side-by-side.EXT</c>:
/// options <c>input</c>, <c>model</c> (a run), <c>name</c>, <c>to</c>, <c>color</c>, <c>blend</c>,
/// <c>maxFrames</c>. A video becomes an MP4, an image keeps its extension.
/// </summary>
public sealed class ConvertJobKind : IJobKind
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    public string Name => "convert";

    public JobPlan Plan(JobOptions options, Workspace workspace)
    {
        string inputRelative = options.String("input");
        string input = workspace.Resolve(inputRelative);
        if (!File.Exists(input)) throw new DoppelException($"input not found: {inputRelative}", "upload the video or photo first");
        string run = options.Name("model");
        string modelDir = workspace.Resolve($"{Workspace.Runs}/{run}");
        if (!Directory.Exists(Path.Combine(modelDir, "checkpoint"))) throw new DoppelException($"run {run} has no checkpoint", "train it first (Training page)");
        string name = options.Name("name");
        string ext = Path.GetExtension(input).ToLowerInvariant();
        if (!ImageExtensions.Contains(ext)) ext = ".mp4";
        string result = $"{Workspace.Outputs}/{name}{ext}", sideBySide = $"{Workspace.Outputs}/{name}.side-by-side{ext}";
        var args = new List<string>
        {
            "convert", input, "--model", modelDir, "-o", workspace.Resolve(result), "--side-by-side", workspace.Resolve(sideBySide),
            "--to", options.Choice("to", "b", ["a", "b"]),
            "--color", options.Choice("color", ConvertOptions.DefaultColor, ConvertPlugins.Color.Names),
            "--blend", options.Choice("blend", "feather", ConvertPlugins.Blend.Names),
        };
        int maxFrames = options.Int("maxFrames", 0, 0, 10_000_000);
        if (maxFrames > 0) args.AddRange(["--max-frames", maxFrames.ToString(CultureInfo.InvariantCulture)]);
        return new JobPlan(Name, $"convert {Doppel.Studio.Api.UploadStore.DisplayName(Path.GetFileName(input))} with run {run} into {name}{ext}", args,
            [new JobFile("source", inputRelative), new JobFile("result", result), new JobFile("side-by-side", sideBySide), new JobFile("run", $"{Workspace.Runs}/{run}")]);
    }
}
