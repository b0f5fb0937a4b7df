using System.Globalization;
using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Training;

/// <summary>
/// A checkpoint read from disk: its folder and its manifest, and loaders for each piece of
/// state. Inference commands use <see cref="LoadModule"/> alone (a GAN sampler needs the
/// generator, not the optimisers); <see cref="TaskCheckpoint.Restore"/> loads everything for a resume.
/// </summary>
public sealed record SavedCheckpoint(string Dir, CheckpointManifest Manifest)
{
    public long Iteration => Manifest.Iteration;

    public string PathOf(string file) => Path.Combine(Dir, file);

    /// <summary>
    /// Loads module <paramref name="name"/>'s state dict (parameters and buffers) into
    /// <paramref name="module"/>. Every entry must be present with its shape, and the file may hold
    /// nothing else: a checkpoint of another architecture is refused, naming the entries.
    /// </summary>
    public void LoadModule(string name, Module module)
    {
        var entry = Manifest.Modules.FirstOrDefault(m => m.Name == name)
            ?? throw new DoppelException($"the checkpoint in {Dir} has no module '{name}' (it has {List(Manifest.Modules.Select(m => m.Name))})",
                "was it written by another kind of run?");
        string path = PathOf(entry.File);
        var (tensors, _) = Load(path);
        try { module.LoadStateDict(tensors, strict: true); }
        catch (StateDictMismatchException e)
        {
            throw new DoppelException($"checkpoint {path} does not fit this model's '{name}': {string.Join("; ", e.Problems.Take(5))}{(e.Problems.Count > 5 ? $" (and {e.Problems.Count - 5} more)" : "")}",
                "was it trained with another model or options? train into a new folder", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Loads optimiser <paramref name="name"/>: its state tensors, then its scalars (step, learning
    /// rate, ...). The saved optimiser must be of the same class and over the same parameters.
    /// </summary>
    public void LoadOptimizer(string name, Optimizer optimizer)
    {
        var entry = Manifest.Optimizers.FirstOrDefault(o => o.Name == name)
            ?? throw new DoppelException($"the checkpoint in {Dir} has no optimiser '{name}' (it has {List(Manifest.Optimizers.Select(o => o.Name))})",
                "was it written by another kind of run?");
        string type = optimizer.GetType().Name;
        if (entry.Type != type)
            throw new DoppelException($"the checkpoint in {Dir} trained '{name}' with {entry.Type}; this run uses {type}",
                "resume with the optimiser the run was started with, or train into a new folder");
        try
        {
            SafeTensors.LoadInto(PathOf(entry.File), optimizer.State());
        }
        catch (DoppelException e)
        {
            throw new DoppelException(e.Message, CheckpointStore.PreviousHintFor(Dir), e);
        }
        optimizer.LoadScalarState(entry.Scalars);
    }

    /// <summary>Restores generator <paramref name="name"/>'s whole state (words and pending normal).</summary>
    public void LoadGenerator(string name, Rng rng)
    {
        var entry = Manifest.Generators.FirstOrDefault(g => g.Name == name)
            ?? throw new DoppelException($"the checkpoint in {Dir} has no generator '{name}' (it has {List(Manifest.Generators.Select(g => g.Name))})",
                "was it written by another kind of run?");
        if (entry.State.Count != 4)
            throw new DoppelException($"generator '{name}' in {PathOf(CheckpointStore.StateFile)} has {entry.State.Count} state words, not 4", CheckpointStore.PreviousHintFor(Dir));
        var words = new ulong[4];
        for (int i = 0; i < 4; i++)
            if (!ulong.TryParse(entry.State[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out words[i]))
                throw new DoppelException($"generator '{name}' in {PathOf(CheckpointStore.StateFile)} has a state word '{entry.State[i]}' that is not hex", CheckpointStore.PreviousHintFor(Dir));
        rng.Restore(words, entry.PendingNormal);
    }

    /// <summary>A generator's state as saved: four 16-digit hex words and the pending normal.</summary>
    public static GeneratorEntry Capture(string name, Rng rng) =>
        new(name, rng.State.Select(w => w.ToString("x16", CultureInfo.InvariantCulture)).ToArray(), rng.PendingNormal);

    private (Dictionary<string, Tensor>, Dictionary<string, string>) Load(string path)
    {
        try { return SafeTensors.Load(path); }
        catch (DoppelException e)
        {
            throw new DoppelException(e.Message, CheckpointStore.PreviousHintFor(Dir), e);
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count == 0 ? "none" : string.Join(", ", all.Select(n => $"'{n}'"));
    }
}
