using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.IO;

namespace Doppel.Training;

/// <summary>One file of a checkpoint: named tensors (read lazily, while the file is written) and optional header metadata.</summary>
public sealed record CheckpointFile(string Name, IEnumerable<(string Name, Tensor Tensor)> Tensors, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>Reads an older state.json (as parsed JSON) into the current manifest; see <see cref="CheckpointStore"/>.</summary>
public delegate CheckpointManifest CheckpointUpgrade(JsonObject legacyState);

/// <summary>
/// A run folder's checkpoints: <c>checkpoint/</c> (the latest complete one) and
/// <c>checkpoint.previous/</c> (the one before). A new checkpoint is written completely into a
/// hidden temporary folder (every tensor file, then state.json last); only then is the current
/// one renamed to previous and the new one renamed into place. A crash or a failed write at any
/// point leaves at least one complete checkpoint, and a half-written one is never named
/// <c>checkpoint/</c>: when a save was cut off between its two renames, <see cref="ReadLatest"/>
/// finds the previous one.
/// <para>
/// state.json carries a <see cref="CheckpointManifest.Format"/>. The current format is read
/// directly; an older one is read only when the store was given an upgrade for it (the swap
/// trainer's "doppel-swap-checkpoint/1" is); anything else is refused with a message that names it.
/// </para>
/// </summary>
public sealed class CheckpointStore
{
    public const string StateFile = "state.json";
    public const string CurrentName = "checkpoint";
    public const string PreviousName = "checkpoint.previous";

    private readonly IReadOnlyDictionary<string, CheckpointUpgrade> _upgrades;

    /// <param name="dir">The run folder (created on the first save).</param>
    /// <param name="upgrades">Readers of older state.json formats, by format name.</param>
    public CheckpointStore(string dir, IReadOnlyDictionary<string, CheckpointUpgrade>? upgrades = null)
    {
        Dir = Path.GetFullPath(dir);
        _upgrades = upgrades ?? new Dictionary<string, CheckpointUpgrade>();
    }

    public string Dir { get; }
    public string CurrentDir => Path.Combine(Dir, CurrentName);
    public string PreviousDir => Path.Combine(Dir, PreviousName);

    /// <summary>True when either checkpoint folder holds a state.json.</summary>
    public bool Exists => File.Exists(Path.Combine(CurrentDir, StateFile)) || File.Exists(Path.Combine(PreviousDir, StateFile));

    /// <summary>Called after each stage of a save ("files", "state", "rotated"); tests throw from it to simulate a crash there.</summary>
    internal Action<string>? AfterStage { get; set; }

    /// <summary>
    /// The checkpoint a run starts from: the latest one with <paramref name="resume"/>, none
    /// without, refusing to start afresh over an existing checkpoint (it would be replaced at the
    /// first save).
    /// </summary>
    public SavedCheckpoint? OpenForRun(bool resume)
    {
        if (resume) return ReadLatest();
        if (Exists) throw new DoppelException($"{Dir} already holds a checkpoint", "add --resume to continue it, or train into another folder (-o)");
        return null;
    }

    /// <summary>Writes a complete checkpoint (the files, then state.json) and swaps it into place.</summary>
    public void Save(CheckpointManifest manifest, IEnumerable<CheckpointFile> files)
    {
        Directory.CreateDirectory(Dir);
        foreach (string stale in Directory.GetDirectories(Dir, ".checkpoint.*.tmp")) TryDeleteDir(stale);
        string temp = Path.Combine(Dir, $".checkpoint.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal) { StateFile };
            foreach (var file in files)
            {
                if (!names.Add(file.Name)) throw new InvalidOperationException($"checkpoint file '{file.Name}' is written twice");
                SafeTensors.Save(Path.Combine(temp, file.Name), file.Tensors, file.Metadata);
            }
            AfterStage?.Invoke("files");
            AtomicFile.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(manifest, CheckpointJson.Options));
            AfterStage?.Invoke("state");
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
        AfterStage?.Invoke("rotated");
        Directory.Move(temp, CurrentDir);
    }

    /// <summary>
    /// The latest checkpoint: <c>checkpoint/</c>, or <c>checkpoint.previous/</c> when a save was
    /// cut off between its two renames. A damaged or unknown state.json is an error (with the
    /// previous checkpoint named in the hint), never silently skipped.
    /// </summary>
    public SavedCheckpoint ReadLatest()
    {
        string dir = File.Exists(Path.Combine(CurrentDir, StateFile)) ? CurrentDir
            : File.Exists(Path.Combine(PreviousDir, StateFile)) ? PreviousDir
            : throw new DoppelException($"no checkpoint to resume in {Dir}", "train without --resume first, or point -o at the run folder");
        return new SavedCheckpoint(dir, ReadManifest(dir));
    }

    private CheckpointManifest ReadManifest(string dir)
    {
        string path = Path.Combine(dir, StateFile);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new JsonException("state.json is not a JSON object");
            // Swap checkpoints before this trainer wrote "Format" (PascalCase); the same sniffing reads both.
            string? format = (root["format"] ?? root["Format"]) is JsonValue v && v.TryGetValue(out string? f) ? f : null;
            if (format == CheckpointManifest.CurrentFormat)
                return root.Deserialize<CheckpointManifest>(CheckpointJson.Options) ?? throw new JsonException("state.json is empty");
            if (format is not null && _upgrades.TryGetValue(format, out var upgrade))
                return upgrade(root) with { UpgradedFrom = format };
            string known = string.Join(", ", new[] { CheckpointManifest.CurrentFormat }.Concat(_upgrades.Keys));
            throw new DoppelException(
                format is null ? $"checkpoint {path} has no format: it is not a Doppel checkpoint" : $"checkpoint {path} has format '{format}', which this version of Doppel does not read (it reads {known})",
                format is null ? PreviousHintFor(dir) : "use the version of Doppel that wrote it, or train into a new folder");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new DoppelException($"checkpoint {path} is damaged: {e.Message}", PreviousHintFor(dir), e);
        }
    }

    /// <summary>What to do when the checkpoint in <paramref name="dir"/> cannot be read: the previous one, if there is one.</summary>
    public static string PreviousHintFor(string dir)
    {
        string previous = Path.Combine(Path.GetDirectoryName(dir)!, PreviousName);
        return dir != previous && Directory.Exists(previous)
            ? $"the previous checkpoint is in {previous}: move it to {dir} to resume from it, or train into a new folder"
            : "train into a new folder, or restore the run folder from a backup";
    }

    private static void TryDeleteDir(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
