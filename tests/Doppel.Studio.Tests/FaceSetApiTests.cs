using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Doppel.Faces.Extraction;
using Doppel.Studio.FaceSets;
using Doppel.Studio.Tests.Support;

namespace Doppel.Studio.Tests;

/// <summary>Face sets over HTTP: list, faces, crops, removal into removed/ and restore; and recovery after a crash mid-removal.</summary>
public sealed class FaceSetApiTests : IAsyncLifetime
{
    private StudioHost host = null!;
    private string set = null!;

    public async Task InitializeAsync()
    {
        host = await StudioHost.StartAsync();
        set = SyntheticFaceSets.Write(host.InWorkspace("facesets/alice"), count: 6, size: 32, person: 0);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static string[] Files(string alignments) =>
        AlignmentsFile.Read(alignments).Sources.SelectMany(s => s.Frames).SelectMany(f => f.Faces).Select(f => f.File!).ToArray();

    [Fact]
    public async Task RemovingTwoFaces_MovesCropsAndEntriesToRemoved_AndRestoringPutsBackTheSameFile()
    {
        using var client = host.AuthorisedClient();
        string alignments = Path.Combine(set, "alignments.json");
        byte[] before = File.ReadAllBytes(alignments);
        var faces = await client.GetFromJsonAsync<JsonElement[]>("/api/facesets/alice/faces");
        Assert.Equal(6, faces!.Length);
        string[] chosen = [faces[1].GetProperty("file").GetString()!, faces[4].GetProperty("file").GetString()!];

        using var removed = await client.PostAsJsonAsync("/api/facesets/alice/remove", new { files = chosen });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(4, Files(alignments).Length);
        Assert.DoesNotContain(chosen[0], Files(alignments));
        Assert.Equal(chosen.Order(), Files(Path.Combine(set, "removed", "alignments.json")).Order());
        foreach (string f in chosen)
        {
            Assert.False(File.Exists(Path.Combine(set, "faces", f)));
            Assert.True(File.Exists(Path.Combine(set, "removed", "faces", f)));
        }
        // Every frame read is still listed, now with no face for the removed ones.
        Assert.Equal(6, AlignmentsFile.Read(alignments).Sources[0].Frames.Count);
        var list = await client.GetFromJsonAsync<JsonElement[]>("/api/facesets");
        Assert.Equal(4, list![0].GetProperty("faces").GetInt32());
        Assert.Equal(2, list[0].GetProperty("removed").GetInt32());
        using var crop = await client.GetAsync($"/api/facesets/alice/faces/{chosen[0]}?removed=true");
        Assert.Equal("image/png", crop.Content.Headers.ContentType!.MediaType);

        using var restored = await client.PostAsJsonAsync("/api/facesets/alice/restore", new { files = chosen });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(before, File.ReadAllBytes(alignments));
        Assert.Empty(Files(Path.Combine(set, "removed", "alignments.json")));
    }

    [Fact]
    public async Task UnknownFacesAndBadNames_AreRefusedAndChangeNothing()
    {
        using var client = host.AuthorisedClient();
        byte[] before = File.ReadAllBytes(Path.Combine(set, "alignments.json"));
        using var unknown = await client.PostAsJsonAsync("/api/facesets/alice/remove", new { files = new[] { "nope.png" } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badCrop = await client.GetAsync("/api/facesets/alice/faces/..%2Falignments.json");
        Assert.Equal(HttpStatusCode.BadRequest, badCrop.StatusCode);
        using var badSet = await client.GetAsync("/api/facesets/..%2F..%2Fx/faces");
        Assert.Equal(HttpStatusCode.BadRequest, badSet.StatusCode);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(set, "alignments.json")));
    }

    [Fact]
    public void ARemovalCutShortAfterItsFirstStep_IsFinishedByTheNextReader()
    {
        string alignments = Path.Combine(set, "alignments.json");
        string victim = Files(alignments)[2];
        // What a crash leaves after the journal and the removed/ entry were written, before the crop moved.
        Directory.CreateDirectory(Path.Combine(set, "removed", "faces"));
        var main = AlignmentsFile.Read(alignments);
        var removedDoc = new AlignmentsDocument { Generator = main.Generator, CropSize = main.CropSize, FaceFraction = main.FaceFraction, Template = main.Template, Detector = main.Detector };
        var source = main.Sources[0];
        var copy = new SourceAlignments { Path = source.Path, Kind = source.Kind, Width = source.Width, Height = source.Height, Complete = source.Complete };
        var frame = source.Frames.First(f => f.Faces.Any(x => x.File == victim));
        copy.Frames.Add(frame);
        removedDoc.Sources.Add(copy);
        AlignmentsFile.Write(Path.Combine(set, "removed", "alignments.json"), removedDoc);
        File.WriteAllText(Path.Combine(set, "removed", "pending.json"), JsonSerializer.Serialize(new { Operation = "remove", Files = new[] { victim } }));

        var faces = new FaceSetCatalog(host.Server.Workspace).Faces("alice");
        Assert.Equal(5, faces.Count);
        Assert.DoesNotContain(victim, Files(alignments));
        Assert.True(File.Exists(Path.Combine(set, "removed", "faces", victim)));
        Assert.False(File.Exists(Path.Combine(set, "faces", victim)));
        Assert.False(File.Exists(Path.Combine(set, "removed", "pending.json")));
    }
}
