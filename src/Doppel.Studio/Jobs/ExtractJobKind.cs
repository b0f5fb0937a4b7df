using System.Globalization;
using Doppel.Studio.Security;

namespace Doppel.Studio.Jobs;

/// <summary>
/// <c>doppel extract INPUT -o facesets/NAME</c>: options <c>input</c> (a workspace path),
/// <c>name</c> (the face set), <c>every</c>, <c>maxFrames</c>.
/// </summary>
public sealed class ExtractJobKind : IJobKind
{
    public string Name => "extract";

    public JobPlan Plan(JobOptions options, Workspace workspace)
    {
        string inputRelative = options.String("input");
        string input = workspace.Resolve(inputRelative);
        string name = options.Name("name");
        string output = workspace.Resolve($"{Workspace.FaceSets}/{name}");
        int every = options.Int("every", 1, 1, 10_000);
        int maxFrames = options.Int("maxFrames", 0, 0, 10_000_000);
        if (!File.Exists(input) && !Directory.Exists(input)) throw new Doppel.Core.DoppelException($"input not found: {inputRelative}", "upload the video or photo first");
        var args = new List<string> { "extract", input, "-o", output, "--every", Text(every) };
        if (maxFrames > 0) args.AddRange(["--max-frames", Text(maxFrames)]);
        return new JobPlan(Name, $"extract faces from {Doppel.Studio.Api.UploadStore.DisplayName(Path.GetFileName(input))} into face set {name}", args,
            [new JobFile("source", inputRelative), new JobFile("faceset", $"{Workspace.FaceSets}/{name}")]);
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
}
