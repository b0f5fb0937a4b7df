using System.Text.Json.Nodes;
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
/// </summary>
public sealed class FileCheck(Workspace workspace, bool detectAvailable)
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
            ["detection"] = Detection(),
        };
    }

    private JsonObject Detection() => detectAvailable
        ? new JsonObject { ["available"] = true, ["state"] = "not run", ["message"] = "run detect on this file from the Jobs page" }
        : new JsonObject
        {
            ["available"] = false,
            ["state"] = "unavailable",
            ["message"] = DetectionUnavailable,
        };
}
