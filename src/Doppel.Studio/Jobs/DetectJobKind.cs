using System.Globalization;
using Doppel.Core;
using Doppel.Studio.Api;
using Doppel.Studio.Security;

namespace Doppel.Studio.Jobs;

/// <summary>
/// <c>doppel detect INPUT --json outputs/NAME.detect.json</c>: the fake detector on an uploaded
/// video or image; options <c>input</c>, <c>name</c> (default: the input's name), <c>model</c>
/// (a workspace path to a detector from <c>doppel detect train</c>; default: the shipped one)
/// and <c>frames</c>. The result is the JSON <c>doppel detect --json</c> writes (docs/formats.md).
/// Offered only when the build has <c>doppel detect</c>.
/// </summary>
public sealed class DetectJobKind : IJobKind
{
    public string Name => "detect";

    public JobPlan Plan(JobOptions options, Workspace workspace)
    {
        string inputRelative = options.String("input");
        string input = workspace.Resolve(inputRelative);
        string name = options.OptionalString("name") is not null ? options.Name("name") : Path.GetFileNameWithoutExtension(input);
        string? modelRelative = options.OptionalString("model") is { Length: > 0 } m ? m : null;
        string? model = modelRelative is null ? null : workspace.Resolve(modelRelative);
        int frames = options.Int("frames", -1, 0, 100_000);
        if (!File.Exists(input)) throw new DoppelException($"input not found: {inputRelative}", "upload the video or photo first");
        if (model is not null && !File.Exists(model) && !Directory.Exists(model)) throw new DoppelException($"detector model not found: {modelRelative}", "name a model from doppel detect train inside the workspace");
        string result = $"{Workspace.Outputs}/{name}.detect.json";
        var args = new List<string> { "detect", input, "--json", workspace.Resolve(result) };
        if (model is not null) args.AddRange(["--model", model]);
        if (frames >= 0) args.AddRange(["--frames", frames.ToString(CultureInfo.InvariantCulture)]);
        return new JobPlan(Name, $"detect fakes in {UploadStore.DisplayName(Path.GetFileName(input))}", args,
            [new JobFile("source", inputRelative), new JobFile("detection", result)]);
    }
}
