using Doppel.Core;
using Doppel.Swap.Models;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Swap.Tests;

public class CheckpointTests
{
    [Fact]
    public void SaveThenLoadRestoresWeightsOptimizerAndState()
    {
        using var dir = new TempDir();
        var (model, adam) = Trained(seed: 1);
        var store = new CheckpointStore(dir.Path);
        store.Save(State(iteration: 12, adam.Step), model.NamedParameters(), adam.State());

        var (fresh, freshAdam) = Trained(seed: 2, steps: 0);
        var (loadedDir, state) = store.ReadLatest();
        CheckpointStore.LoadTensors(loadedDir, state, fresh.NamedParameters(), freshAdam.State());
        Assert.Equal(12, state.Iteration);
        Assert.Equal(adam.Step, state.AdamStep);
        Assert.Equal(TinyModels.Tiny, state.Spec);
        Assert.Equal("tiny", state.Settings.Model);
        foreach (var ((_, a), (_, b)) in model.NamedParameters().Zip(fresh.NamedParameters())) Assert.Equal(a.ToArray(), b.ToArray());
        foreach (var ((_, a), (_, b)) in adam.State().Zip(freshAdam.State())) Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void ANewCheckpointRotatesTheCurrentOneToPrevious()
    {
        using var dir = new TempDir();
        var (model, adam) = Trained(seed: 1);
        var store = new CheckpointStore(dir.Path);
        store.Save(State(1, 1), model.NamedParameters(), adam.State());
        store.Save(State(2, 2), model.NamedParameters(), adam.State());
        Assert.Equal(2, store.ReadLatest().State.Iteration);
        Assert.True(File.Exists(Path.Combine(store.PreviousDir, CheckpointStore.StateFile)));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".checkpoint.*"));
    }

    [Fact]
    public void AFailedSaveNeverReplacesTheGoodCheckpoint()
    {
        using var dir = new TempDir();
        var (model, adam) = Trained(seed: 1);
        var store = new CheckpointStore(dir.Path);
        store.Save(State(5, 5), model.NamedParameters(), adam.State());
        Assert.Throws<IOException>(() => store.Save(State(6, 6), model.NamedParameters(), FailingHalfway(adam.State())));
        var (loadedDir, state) = store.ReadLatest();
        Assert.Equal(5, state.Iteration);
        Assert.Equal(store.CurrentDir, loadedDir);
        var (fresh, freshAdam) = Trained(seed: 3, steps: 0);
        CheckpointStore.LoadTensors(loadedDir, state, fresh.NamedParameters(), freshAdam.State());
        Assert.Empty(Directory.GetDirectories(dir.Path, ".checkpoint.*"));
    }

    [Fact]
    public void ACheckpointCutOffBetweenItsRenamesFallsBackToPrevious()
    {
        using var dir = new TempDir();
        var (model, adam) = Trained(seed: 1);
        var store = new CheckpointStore(dir.Path);
        store.Save(State(3, 3), model.NamedParameters(), adam.State());
        Directory.Move(store.CurrentDir, store.PreviousDir);
        Assert.Equal(store.PreviousDir, store.ReadLatest().Dir);
    }

    [Fact]
    public void CorruptStateOrTensorsGiveAClearError()
    {
        using var dir = new TempDir();
        var (model, adam) = Trained(seed: 1);
        var store = new CheckpointStore(dir.Path);
        store.Save(State(1, 1), model.NamedParameters(), adam.State());
        store.Save(State(2, 2), model.NamedParameters(), adam.State());

        var weights = Path.Combine(store.CurrentDir, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var (d, s) = store.ReadLatest();
        var e = Assert.Throws<DoppelException>(() => CheckpointStore.LoadTensors(d, s, model.NamedParameters(), adam.State()));
        Assert.Contains("checkpoint.previous", e.Hint);

        File.WriteAllText(Path.Combine(store.CurrentDir, CheckpointStore.StateFile), "{ not json");
        e = Assert.Throws<DoppelException>(() => store.ReadLatest());
        Assert.Contains("damaged", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void ACheckpointOfAnotherShapeIsRefused()
    {
        using var dir = new TempDir();
        var (model, adam) = Trained(seed: 1);
        var store = new CheckpointStore(dir.Path);
        store.Save(State(1, 1), model.NamedParameters(), adam.State());
        var other = new OriginalModel(TinyModels.Tiny with { DenseWidth = 8 }, new Rng(1));
        var (d, s) = store.ReadLatest();
        var e = Assert.Throws<DoppelException>(() => CheckpointStore.LoadTensors(d, s, other.NamedParameters(), new Adam(other.NamedParameters()).State()));
        Assert.Contains("does not fit", e.Message);
    }

    private static IEnumerable<(string, Tensor)> FailingHalfway(IEnumerable<(string, Tensor)> items)
    {
        int i = 0;
        foreach (var item in items)
        {
            if (++i == 3) throw new IOException("simulated disk failure");
            yield return item;
        }
    }

    private static CheckpointState State(long iteration, long adamStep) => new()
    {
        Settings = new TrainSettings { Model = "tiny" },
        Spec = TinyModels.Tiny,
        Iteration = iteration,
        AdamStep = adamStep,
        FaceSetA = new FaceSetStamp("/a", "aaaa", 3),
        FaceSetB = new FaceSetStamp("/b", "bbbb", 4),
    };

    private static (OriginalModel, Adam) Trained(ulong seed, int steps = 2)
    {
        var model = new OriginalModel(TinyModels.Tiny, new Rng(seed));
        var adam = new Adam(model.NamedParameters(), 1e-3f);
        var step = new TwoSideStep(model, adam, (y, t) => Ops.L1Loss(y, t));
        var x = Tensor.Empty(2, 16, 16, 3).Persist();
        new Rng(seed).FillUniform(x.Span, 0f, 1f);
        for (int i = 0; i < steps; i++) step.Run(x, x, x, x);
        x.Dispose();
        return (model, adam);
    }
}
