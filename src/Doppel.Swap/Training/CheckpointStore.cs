using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.IO;
using Doppel.Training;

namespace Doppel.Swap.Training;

/// <summary>
/// A swap model folder's checkpoints through the shared <see cref="Doppel.Training.CheckpointStore"/>
/// (atomic folder swap: <c>checkpoint/</c> and <c>checkpoint.previous/</c>, state.json written
/// last), in the swap view: <see cref="CheckpointState"/> and the model's and Adam's tensors.
/// Convert, benchmarks and test fixtures write and read swap checkpoints here; the trainer saves
/// through the shared loop, in the same layout. Checkpoints in the older
/// <see cref="CheckpointState.LegacyFormat"/> still read.
/// </summary>
public sealed class CheckpointStore(string modelDir)
{
    public const string StateFile = Doppel.Training.CheckpointStore.StateFile;

    private readonly Doppel.Training.CheckpointStore _store = SwapCheckpoints.Store(modelDir);

    public string ModelDir => _store.Dir;
    public string CurrentDir => _store.CurrentDir;
    public string PreviousDir => _store.PreviousDir;
    public bool Exists => _store.Exists;

    /// <summary>Writes a complete checkpoint (weights, optimizer state, then state.json) and swaps it into place.</summary>
    public void Save(CheckpointState state, IEnumerable<(string Name, Tensor Tensor)> weights, IEnumerable<(string Name, Tensor Tensor)> optimizer) =>
        _store.Save(SwapCheckpoints.ToManifest(state),
        [
            new CheckpointFile(state.WeightsFile, weights, new Dictionary<string, string> { ["module"] = SwapCheckpoints.ModelName, ["task"] = SwapCheckpoints.Kind }),
            new CheckpointFile(state.OptimizerFile, optimizer, new Dictionary<string, string> { ["optimizer"] = "Adam" }),
        ]);

    /// <summary>
    /// The latest checkpoint's folder and state: <c>checkpoint/</c>, or <c>checkpoint.previous/</c>
    /// when a save was cut off between its two renames.
    /// </summary>
    public (string Dir, CheckpointState State) ReadLatest()
    {
        var saved = _store.ReadLatest();
        return (saved.Dir, SwapCheckpoints.ToState(saved));
    }

    /// <summary>Loads a checkpoint's tensors into the model's parameters and the optimizer's state.</summary>
    public static void LoadTensors(string dir, CheckpointState state, IEnumerable<(string Name, Tensor Tensor)> weights, IEnumerable<(string Name, Tensor Tensor)> optimizer)
    {
        try
        {
            SafeTensors.LoadInto(Path.Combine(dir, state.WeightsFile), weights);
            SafeTensors.LoadInto(Path.Combine(dir, state.OptimizerFile), optimizer);
        }
        catch (DoppelException e)
        {
            throw new DoppelException(e.Message, Doppel.Training.CheckpointStore.PreviousHintFor(dir), e);
        }
    }
}
