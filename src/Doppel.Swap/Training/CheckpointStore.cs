using System.Text.Json;
using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.IO;

namespace Doppel.Swap.Training;

/// <summary>
/// A model folder's checkpoints: <c>checkpoint/</c> (the latest complete one) and
/// <c>checkpoint.previous/</c> (the one before). A new checkpoint is written completely into a
/// hidden temporary folder (weights, Adam state, then state.json last); only then is the current
/// one renamed to previous and the new one renamed into place. A crash or a failed write at any
/// point leaves at least one complete checkpoint, and a half-written one is never named
/// <c>checkpoint/</c>.
/// </summary>
public sealed class CheckpointStore(string modelDir)
{
    public const string StateFile = "state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ModelDir { get; } = Path.GetFullPath(modelDir);
    public string CurrentDir => Path.Combine(ModelDir, "checkpoint");
    public string PreviousDir => Path.Combine(ModelDir, "checkpoint.previous");

    public bool Exists => File.Exists(Path.Combine(CurrentDir, StateFile)) || File.Exists(Path.Combine(PreviousDir, StateFile));

    public void Save(CheckpointState state, IEnumerable<(string Name, Tensor Tensor)> weights, IEnumerable<(string Name, Tensor Tensor)> optimizer)
    {
        Directory.CreateDirectory(ModelDir);
        foreach (string stale in Directory.GetDirectories(ModelDir, ".checkpoint.*.tmp")) TryDeleteDir(stale);
        string temp = Path.Combine(ModelDir, $".checkpoint.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            SafeTensors.Save(Path.Combine(temp, state.WeightsFile), weights, new Dictionary<string, string> { ["model"] = state.Settings.Model });
            SafeTensors.Save(Path.Combine(temp, state.OptimizerFile), optimizer);
            AtomicFile.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json));
        }
        catch
        {
            TryDeleteDir(temp);
            throw;
        }
        if (Directory.Exists(CurrentDir))
        {
            if (Directory.Exists(PreviousDir)) Directory.Delete(PreviousDir, recursive: true);
            Directory.Move(CurrentDir, PreviousDir);
        }
        Directory.Move(temp, CurrentDir);
    }

    /// <summary>
    /// The latest checkpoint's folder and state: <c>checkpoint/</c>, or <c>checkpoint.previous/</c>
    /// when a save was cut off between its two renames.
    /// </summary>
    public (string Dir, CheckpointState State) ReadLatest()
    {
        string dir = File.Exists(Path.Combine(CurrentDir, StateFile)) ? CurrentDir
            : File.Exists(Path.Combine(PreviousDir, StateFile)) ? PreviousDir
            : throw new DoppelException($"no checkpoint to resume in {ModelDir}", "train without --resume first, or point -o at the model folder");
        string path = Path.Combine(dir, StateFile);
        CheckpointState? state;
        try { state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            throw new DoppelException($"checkpoint {path} is damaged: {e.Message}", PreviousHint(dir), e);
        }
        if (state is null || state.Format != CheckpointState.CurrentFormat)
            throw new DoppelException($"checkpoint {path} is not a Doppel swap checkpoint ({state?.Format ?? "empty"})", PreviousHint(dir));
        return (dir, state);
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
            throw new DoppelException(e.Message, PreviousHintFor(dir), e);
        }
    }

    private string PreviousHint(string dir) => PreviousHintFor(dir);

    private static string PreviousHintFor(string dir)
    {
        string previous = Path.Combine(Path.GetDirectoryName(dir)!, "checkpoint.previous");
        return dir != previous && Directory.Exists(previous)
            ? $"the previous checkpoint is in {previous}: move it to {dir} to resume from it, or train into a new folder"
            : "train into a new folder, or restore the model folder from a backup";
    }

    private static void TryDeleteDir(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
