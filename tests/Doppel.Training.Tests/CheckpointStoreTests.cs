using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Tensors;
using Doppel.Training.Tests.Support;

namespace Doppel.Training.Tests;

public class CheckpointStoreTests
{
    private static (CheckpointStore Store, ToyTask Task) Saved(TempDir dir, params long[] iterations)
    {
        var task = new ToyTask();
        var store = new CheckpointStore(dir.Path);
        foreach (long i in iterations) TaskCheckpoint.Save(store, task, i, null);
        return (store, task);
    }

    [Theory]
    [InlineData("files")]
    [InlineData("state")]
    [InlineData("rotated")]
    public void ACrashAtAnyStageOfASaveLeavesTheLastCheckpointReadable(string stage)
    {
        using var dir = new TempDir();
        var (store, task) = Saved(dir, 1, 2);
        store.AfterStage = s => { if (s == stage) throw new IOException("simulated crash at " + s); };
        Assert.Throws<IOException>(() => TaskCheckpoint.Save(store, task, 3, null));
        store.AfterStage = null;

        var latest = new CheckpointStore(dir.Path).ReadLatest();
        // Before the rotation the current checkpoint is untouched; after it, previous holds it.
        Assert.Equal(2, latest.Iteration);
        Assert.Equal(stage == "rotated" ? store.PreviousDir : store.CurrentDir, latest.Dir);
        TaskCheckpoint.Restore(latest, new ToyTask());

        // The next save cleans up whatever the crash left and rotates normally.
        TaskCheckpoint.Save(store, task, 4, null);
        Assert.Equal(4, store.ReadLatest().Iteration);
        Assert.Empty(Directory.GetDirectories(dir.Path, ".checkpoint.*"));
    }

    [Fact]
    public void AWriteThatFailsHalfwayNeverReplacesTheGoodCheckpoint()
    {
        using var dir = new TempDir();
        var (store, task) = Saved(dir, 5);
        var files = TaskCheckpoint.Files(task).Select((f, i) => i == 1 ? f with { Tensors = FailingHalfway(f.Tensors) } : f);
        Assert.Throws<IOException>(() => store.Save(TaskCheckpoint.Manifest(task, 6, null), files));
        var latest = store.ReadLatest();
        Assert.Equal((5L, store.CurrentDir), (latest.Iteration, latest.Dir));
        Assert.False(Directory.Exists(store.PreviousDir));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".checkpoint.*"));
        TaskCheckpoint.Restore(latest, new ToyTask());
    }

    [Fact]
    public void AnUnknownFormatIsAClearError()
    {
        using var dir = new TempDir();
        var (store, _) = Saved(dir, 1);
        string path = Path.Combine(store.CurrentDir, CheckpointStore.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        state["format"] = "doppel-checkpoint/99";
        File.WriteAllText(path, state.ToJsonString());
        var e = Assert.Throws<DoppelException>(() => store.ReadLatest());
        Assert.Contains("format 'doppel-checkpoint/99'", e.Message);
        Assert.Contains(CheckpointManifest.CurrentFormat, e.Message);
        Assert.NotNull(e.Hint);

        state.Remove("format");
        File.WriteAllText(path, state.ToJsonString());
        e = Assert.Throws<DoppelException>(() => store.ReadLatest());
        Assert.Contains("has no format", e.Message);

        File.WriteAllText(path, "{ not json");
        e = Assert.Throws<DoppelException>(() => store.ReadLatest());
        Assert.Contains("damaged", e.Message);
    }

    [Fact]
    public void ADamagedTensorFileNamesThePreviousCheckpoint()
    {
        using var dir = new TempDir();
        var (store, _) = Saved(dir, 1, 2);
        string weights = Path.Combine(store.CurrentDir, "head.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DoppelException>(() => TaskCheckpoint.Restore(store.ReadLatest(), new ToyTask()));
        Assert.Contains(CheckpointStore.PreviousName, e.Hint);
    }

    [Fact]
    public void AnOlderFormatIsReadThroughItsUpgrade()
    {
        using var dir = new TempDir();
        var (store, task) = Saved(dir, 3);
        string path = Path.Combine(store.CurrentDir, CheckpointStore.StateFile);
        // An "old" layout: the same content under other names.
        File.WriteAllText(path, new JsonObject { ["Format"] = "toy/0", ["Done"] = 3 }.ToJsonString());
        var upgrades = new Dictionary<string, CheckpointUpgrade>
        {
            ["toy/0"] = old => TaskCheckpoint.Manifest(task, old["Done"]!.GetValue<long>(), null),
        };
        var latest = new CheckpointStore(dir.Path, upgrades).ReadLatest();
        Assert.Equal(3, latest.Iteration);
        Assert.Equal("toy/0", latest.Manifest.UpgradedFrom);
        var e = Assert.Throws<DoppelException>(() => new CheckpointStore(dir.Path).ReadLatest());
        Assert.Contains("'toy/0'", e.Message);
    }

    [Fact]
    public void AStoreWithNothingSaysSo()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Sub("empty"));
        Assert.False(store.Exists);
        Assert.Null(store.OpenForRun(resume: false));
        var e = Assert.Throws<DoppelException>(() => store.OpenForRun(resume: true));
        Assert.Contains("no checkpoint", e.Message);
    }

    private static IEnumerable<(string, Tensor)> FailingHalfway(IEnumerable<(string, Tensor)> items)
    {
        int i = 0;
        foreach (var item in items)
        {
            if (++i == 2) throw new IOException("simulated disk failure");
            yield return item;
        }
    }
}
