using System.Globalization;
using Doppel.Core;
using Doppel.Studio.Api;
using Doppel.Studio.Security;

namespace Doppel.Studio.Jobs;

/// <summary>
/// <c>doppel detect INPUT --json outputs/NAME.detect.json --report outputs/NAME.report</c>: the
/// fake detector on an uploaded video or image; options <c>input</c>, <c>name</c> (default: the
/// input's name), <c>model</c> (a workspace path to a detector from <c>doppel detect train</c>;
/// default: <paramref name="defaultModel"/>, the server's setting, else the CLI's shipped one)
/// and <c>frames</c>. The results are the JSON <c>doppel detect --json</c> writes and its report
/// folder, whose report.json indexes the most suspicious faces with their boundary heatmaps and
/// each track's thumbnails as PNG files (docs/formats.md); the page shows them through
/// /api/files. Offered only when the build has <c>doppel detect</c>.
/// </summary>
public sealed class DetectJobKind(string? defaultModel = null) : IJobKind
{
    // DetectReport.JsonFileName in Doppel.Forensics (Studio runs the CLI and references no Forensics code).
    private const string ReportIndex = "report.json";

    public string Name => "detect";

    public JobPlan Plan(JobOptions options, Workspace workspace)
    {
        string inputRelative = options.String("input");
        string input = workspace.Resolve(inputRelative);
        string name = options.OptionalString("name") is not null ? options.Name("name") : Path.GetFileNameWithoutExtension(input);
        string? modelRelative = options.OptionalString("model") is { Length: > 0 } m ? m : null;
        string? model = modelRelative is null ? defaultModel : workspace.Resolve(modelRelative);
        int frames = options.Int("frames", -1, 0, 100_000);
        if (!File.Exists(input)) throw new DoppelException($"input not found: {inputRelative}", "upload the video or photo first");
        if (model is not null && !File.Exists(model) && !Directory.Exists(model))
            throw new DoppelException($"detector model not found: {modelRelative ?? model}", modelRelative is null
                ? "check doppel studio's --detector-model" : "name a model from doppel detect train inside the workspace");
        string result = $"{Workspace.Outputs}/{name}.detect.json", report = $"{Workspace.Outputs}/{name}.report";
        var args = new List<string> { "detect", input, "--json", workspace.Resolve(result), "--report", workspace.Resolve(report) };
        if (model is not null) args.AddRange(["--model", model]);
        if (frames >= 0) args.AddRange(["--frames", frames.ToString(CultureInfo.InvariantCulture)]);
        return new JobPlan(Name, $"detect fakes in {UploadStore.DisplayName(Path.GetFileName(input))}", args,
            [new JobFile("source", inputRelative), new JobFile("detection", result), new JobFile("report", $"{report}/{ReportIndex}")]);
    }
}
