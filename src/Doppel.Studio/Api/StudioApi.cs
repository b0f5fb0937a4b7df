using System.Text.Json;
using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Studio.Check;
using Doppel.Studio.FaceSets;
using Doppel.Studio.Jobs;
using Doppel.Studio.Runs;
using Doppel.Studio.Security;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Doppel.Studio.Api;

/// <summary>
/// The HTTP API (documented in docs/studio.md) and the page's files. Every handler names
/// workspace paths only through <see cref="Workspace"/>, and expected failures are
/// <see cref="DoppelException"/>s that <see cref="ApiError"/> turns into JSON.
/// </summary>
public static class StudioApi
{
    /// <summary>Workspace files served inline; anything else is a download, so an uploaded page or script never runs in Studio's origin.</summary>
    private static readonly string[] InlineTypes = ["image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", "video/webm", "video/quicktime", "text/plain", "application/json"];

    public static void Map(WebApplication app, StudioServer server, ApiError errors)
    {
        var options = server.Options;
        var workspace = server.Workspace;
        var uploads = new UploadStore(workspace);
        var faceSets = new FaceSetCatalog(workspace);
        var runs = new RunCatalog(workspace);
        var kinds = JobKinds.Create(options.DetectAvailable, options.DetectorModel);
        var jobs = server.Jobs;
        var check = new FileCheck(workspace, options.DetectAvailable
            ? relative => jobs.Submit(kinds.Get("detect").Plan(JobOptions.From(new { input = relative }), workspace)).Id
            : null);

        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/static/{file}", (string file) => Asset(file));

        app.MapGet("/api/health", () => new { status = "ok", name = "Doppel Studio", version = options.Version });
        app.MapGet("/api/config", () => new
        {
            version = options.Version,
            maxUploadBytes = options.MaxUploadBytes,
            detectAvailable = options.DetectAvailable,
            detectMessage = options.DetectAvailable ? null : FileCheck.DetectionUnavailable,
            jobKinds = kinds.Names,
            models = ModelRegistry.Default.Names,
            ganArchitectures = Doppel.Gan.Models.GanArchitectures.Names,
            colors = ConvertPlugins.Color.Names,
            blends = ConvertPlugins.Blend.Names,
        });

        app.MapPost("/api/check", async (HttpContext context) =>
        {
            var saved = await ReceiveUpload(context, uploads, errors, options.MaxUploadBytes);
            return saved is null ? Results.Empty : Results.Json(check.Check(saved.Value.Path, saved.Value.Name));
        });
        app.MapPost("/api/uploads", async (HttpContext context) =>
        {
            var saved = await ReceiveUpload(context, uploads, errors, options.MaxUploadBytes);
            return saved is null ? Results.Empty : Results.Json(new { path = saved.Value.Path });
        });
        app.MapGet("/api/uploads", () => uploads.List().Select(f => new
        {
            path = $"{Workspace.Uploads}/{f.Name}", name = f.Name, size = f.Length, modified = f.LastWriteTimeUtc, mediaType = MediaTypes.FromExtension(f.Name),
        }));
        app.MapGet("/api/files", (string path) =>
        {
            string full = workspace.Resolve(path);
            if (!File.Exists(full)) throw new DoppelException($"file not found: {path}", "check the path");
            string type = MediaTypes.FromExtension(full);
            bool inline = InlineTypes.Contains(type);
            return Results.File(full, inline ? type : "application/octet-stream", inline ? null : Path.GetFileName(full), enableRangeProcessing: true);
        });

        app.MapGet("/api/facesets", () => faceSets.List());
        app.MapGet("/api/facesets/{name}/faces", (string name, bool? removed) => faceSets.Faces(name, removed ?? false));
        app.MapGet("/api/facesets/{name}/faces/{file}", (string name, string file, bool? removed) =>
            Results.File(faceSets.Crop(name, file, removed ?? false), "image/png"));
        app.MapPost("/api/facesets/{name}/remove", (string name, FaceSelection body) =>
            new { removed = FaceRemoval.Remove(faceSets.Folder(name), body.Files ?? []), faces = faceSets.Faces(name).Count });
        app.MapPost("/api/facesets/{name}/restore", (string name, FaceSelection body) =>
            new { restored = FaceRemoval.Restore(faceSets.Folder(name), body.Files ?? []), faces = faceSets.Faces(name).Count });

        app.MapGet("/api/runs", () => runs.List().Select(r => WithJob(r, jobs)));
        app.MapGet("/api/runs/{name}", (string name) => WithJob(runs.Get(name), jobs));
        app.MapGet("/api/runs/{name}/metrics", (string name, long? after) =>
        {
            var table = runs.Metrics(name, after ?? -1);
            return new { columns = table.Columns, rows = table.Rows };
        });
        app.MapGet("/api/runs/{name}/preview", (string name) => Results.File(runs.Preview(name), "image/png"));

        app.MapGet("/api/jobs", () => jobs.All.Select(j => j.Snapshot()).Select(s => s with { Log = s.Log.TakeLast(20).ToList() }));
        app.MapGet("/api/jobs/{id}", (string id) => jobs.Find(id)?.Snapshot() is { } s ? Results.Json(s) : NotFound($"job {id} not found"));
        app.MapPost("/api/jobs", (JobRequest request) =>
        {
            if (request.Kind is null) throw new DoppelException("a job needs a kind", $"one of {string.Join(", ", kinds.Names)}");
            var jobOptions = request.Options is { } o ? new JobOptions(o) : JobOptions.Empty;
            var job = jobs.Submit(kinds.Get(request.Kind).Plan(jobOptions, workspace));
            return Results.Json(job.Snapshot(), statusCode: StatusCodes.Status202Accepted);
        });
        app.MapDelete("/api/jobs/{id}", (string id) =>
        {
            var job = jobs.Find(id);
            if (job is null) return NotFound($"job {id} not found");
            if (!jobs.Cancel(id)) return Results.Json(new { error = $"job {id} has already ended ({job.State.ToString().ToLowerInvariant()})", hint = (string?)null }, statusCode: StatusCodes.Status409Conflict);
            return Results.Json(job.Snapshot());
        });
        app.MapFallback(() => NotFound("no such page or API"));
    }

    public sealed record FaceSelection(IReadOnlyList<string>? Files);

    public sealed record JobRequest(string? Kind, JsonElement? Options);

    private static object WithJob(RunSummary run, JobQueue jobs)
    {
        // The Studio job training this run, if any: the page's Stop button cancels it.
        var job = jobs.All.LastOrDefault(j => !j.IsFinished && j.Plan.Kind is ("train" or "gan-train") && j.Plan.Files.Any(f => f.Role == "run" && f.Path == $"{Workspace.Runs}/{run.Name}"));
        return new { run, job = job?.Id, jobState = job?.State.ToString().ToLowerInvariant() };
    }

    private static IResult NotFound(string message) => Results.Json(new { error = message, hint = (string?)null }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Asset(string name) =>
        WebAssets.Get(name) is { } a ? Results.Bytes(a.Bytes, a.ContentType) : NotFound($"no such file: {name}");

    // The upload is refused before any byte is stored when the request says it is too large; a
    // request that does not say (chunked) is cut off by Kestrel at the limit, which ApiError answers.
    /// <returns>The stored file (workspace-relative) and the name it was sent with (made safe), or null when the answer (413) is written.</returns>
    private static async Task<(string Path, string Name)?> ReceiveUpload(HttpContext context, UploadStore uploads, ApiError errors, long max)
    {
        if (context.Request.ContentLength > max + 1024 * 1024)
        {
            await errors.TooLarge(context);
            return null;
        }
        if (!context.Request.HasFormContentType) throw new DoppelException("expected a multipart form with a field named 'file'", "send the file as multipart/form-data, field 'file'");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files.GetFile("file") ?? throw new DoppelException("the form has no field named 'file'", "send the file as multipart/form-data, field 'file'");
        if (file.Length > max)
        {
            await errors.TooLarge(context);
            return null;
        }
        if (file.Length == 0) throw new DoppelException("the file is empty", "choose another file");
        return (await uploads.SaveAsync(file, context.RequestAborted), UploadStore.SafeName(file.FileName));
    }
}
