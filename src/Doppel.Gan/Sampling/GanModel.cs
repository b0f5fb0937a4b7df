using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Gan.Models;
using Doppel.Gan.Training;
using Doppel.Training;

namespace Doppel.Gan.Sampling;

/// <summary>
/// A trained GAN read back for sampling or evaluation: the run folder's latest checkpoint (or a
/// checkpoint folder itself), its settings, and the generator with its weights loaded. A face-swap
/// model, an unknown folder or a damaged checkpoint is a clear error.
/// </summary>
public sealed class GanModel
{
    private GanModel(SavedCheckpoint checkpoint, GanSettings settings, GanNetworks networks, string weights, int channels, bool averaged)
    {
        Averaged = averaged;
        Checkpoint = checkpoint;
        Settings = settings;
        Networks = networks;
        WeightsPath = weights;
        Channels = channels;
    }

    public SavedCheckpoint Checkpoint { get; }
    public GanSettings Settings { get; }
    public GanNetworks Networks { get; }

    /// <summary>The generator's weights file: the ingredient of every labelled sample.</summary>
    public string WeightsPath { get; }

    public int Channels { get; }

    /// <summary>True when the generator loaded is the run's moving average (gan train --ema), false for the raw generator.</summary>
    public bool Averaged { get; }

    /// <summary>"the moving average of G" or "the generator", for messages.</summary>
    public string GeneratorDescription => Averaged ? "moving average of the generator (--ema)" : "generator";

    /// <summary>Opens a run (or checkpoint) folder; its generator's moving average when it has one (gan train --ema), unless <paramref name="raw"/>.</summary>
    public static GanModel Open(string path, bool raw = false)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DoppelException($"model not found: {path}", "give the folder that doppel gan train -o wrote");
        // A checkpoint folder itself (it holds state.json) or the run folder above it.
        string runDir = File.Exists(Path.Combine(full, CheckpointStore.StateFile)) ? Path.GetDirectoryName(full)! : full;
        var store = new CheckpointStore(runDir);
        if (!store.Exists) throw new DoppelException($"{path} holds no checkpoint", "give the folder that doppel gan train -o wrote");
        RefuseSwapModel(store, path);
        var checkpoint = store.ReadLatest();
        if (checkpoint.Manifest.Task != GanTask.TaskKind)
            throw new DoppelException($"{path} is a '{checkpoint.Manifest.Task}' model, not a GAN", "give a folder written by doppel gan train");
        var settings = GanSettings.FromJson(checkpoint.Manifest.Settings, checkpoint.Dir).Validated();
        int channels = ChannelsOf(checkpoint.Manifest.Data);
        var networks = GanTask.BuildNetworks(settings, channels);
        bool averaged = !raw && checkpoint.Manifest.Modules.Any(m => m.Name == GeneratorEma.ModuleName);
        string name = averaged ? GeneratorEma.ModuleName : GanTask.GeneratorName;
        checkpoint.LoadModule(name, networks.Generator);
        string weights = checkpoint.PathOf(checkpoint.Manifest.Modules.First(m => m.Name == name).File);
        return new GanModel(checkpoint, settings, networks, weights, channels, averaged);
    }

    // Swap checkpoints say so in state.json, in the shared format (task "swap") or their older one.
    private static void RefuseSwapModel(CheckpointStore store, string path)
    {
        foreach (string dir in new[] { store.CurrentDir, store.PreviousDir })
        {
            string state = Path.Combine(dir, CheckpointStore.StateFile);
            if (!File.Exists(state)) continue;
            JsonObject? root;
            try { root = JsonNode.Parse(File.ReadAllText(state)) as JsonObject; }
            catch (System.Text.Json.JsonException) { return; } // ReadLatest names the damage
            string? task = root?["task"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? root["task"]!.GetValue<string>() : null;
            string? format = (root?["format"] ?? root?["Format"])?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (root!["format"] ?? root["Format"])!.GetValue<string>() : null;
            if (task == "swap" || format?.StartsWith("doppel-swap", StringComparison.Ordinal) == true)
                throw new DoppelException($"{path} is a face-swap model (doppel train), not a GAN: it turns one face into another and draws nothing from noise",
                    "sample from a folder written by doppel gan train; use doppel convert with a swap model");
            return;
        }
    }

    private static int ChannelsOf(JsonObject data) =>
        data["source"]?.GetValue<string>() == "mnist" ? 1 : 3;
}
