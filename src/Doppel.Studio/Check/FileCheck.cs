using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Provenance;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Manifest;
using Doppel.Studio.Security;

namespace Doppel.Studio.Check;

/// <summary>
/// "Check a file": the provenance verdict from <c>doppel verify</c>'s own engine
/// (<see cref="ContentCredentials.VerifyFile"/>, reported as <see cref="ValidationReportJson"/>),
/// and, kept apart, the pixel evidence of the fake detector. Provenance says what the file
/// claims and whether that claim is intact; detection looks at the pixels. They answer different
/// questions, so the answer keeps them in separate objects and the page in separate panels.
/// Detection runs <c>doppel detect</c> as a job (it reads frames and runs a network: seconds to
/// minutes), so the answer names the job, and its result is the JSON <c>doppel detect --json</c> writes.
/// </summary>
public sealed class FileCheck(Workspace workspace, Func<string, string>? queueDetection)
{
    public const string DetectionUnavailable = "detection not available in this build";

    /// <summary>Checks an uploaded file (workspace-relative path); <paramref name="name"/> is the name it was sent with.</summary>
    public JsonObject Check(string relative, string name)
    {
        string path = workspace.Resolve(relative);
        ValidationReport report = ContentCredentials.VerifyFile(path);
        return new JsonObject
        {
            ["file"] = relative,
            ["name"] = name,
            ["size"] = new FileInfo(path).Length,
            ["mediaType"] = MediaTypes.FromExtension(path),
            ["provenance"] = ValidationReportJson.ToNode(relative, report),
            ["detection"] = Detection(relative),
        };
    }

    private JsonObject Detection(string relative)
    {
        if (queueDetection is null) return Unavailable();
        try
        {
            return new JsonObject
            {
                ["available"] = true,
                ["state"] = "queued",
                ["job"] = queueDetection(relative),
                ["message"] = "the fake detector runs as a job; its result is the JSON doppel detect --json writes",
            };
        }
        catch (DoppelException e)
        {
            return new JsonObject { ["available"] = true, ["state"] = "failed", ["job"] = null, ["message"] = $"detection could not start: {e.Message}" };
        }
    }

    private static JsonObject Unavailable() => new JsonObject
        {
            ["available"] = false,
            ["state"] = "unavailable",
            ["message"] = DetectionUnavailable,
        };
}
