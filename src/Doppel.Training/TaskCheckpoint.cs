using System.Text.RegularExpressions;
using Doppel.Core;

namespace Doppel.Training;

/// <summary>
/// Saves a task's whole state through a <see cref="CheckpointStore"/> and restores it: one
/// safetensors file per module and per optimiser, and state.json with the kind, settings, data,
/// iteration, optimiser scalars, generator states, last metrics and the task's extra state.
/// </summary>
public static partial class TaskCheckpoint
{
    /// <summary>
    /// Checks that the task's names can be file names and state.json keys: one segment of
    /// letters, digits, '_', '-' or '.', unique across modules and optimisers (they share the
    /// folder), and generators unique among themselves.
    /// </summary>
    public static void Validate(ITrainingTask task)
    {
        var files = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in task.Modules.Select(m => m.Name).Concat(task.Optimizers.Select(o => o.Name)))
        {
            if (!SafeName().IsMatch(name) || name.Equals("state", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"'{name}' cannot name a module or optimiser: use letters, digits, '_', '-', '.' (and not 'state')");
            if (!files.Add(name)) throw new InvalidOperationException($"'{name}' names two modules or optimisers of task {task.Kind}: each is saved to <name>.safetensors");
        }
        var generators = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in task.Generators)
            if (!generators.Add(name)) throw new InvalidOperationException($"generator '{name}' is listed twice by task {task.Kind}");
    }

    /// <summary>The manifest of the task's state after <paramref name="iteration"/> iterations.</summary>
    public static CheckpointManifest Manifest(ITrainingTask task, long iteration, IReadOnlyDictionary<string, double>? lastMetrics) => new()
    {
        Task = task.Kind,
        Iteration = iteration,
        SavedAt = DateTimeOffset.UtcNow,
        // Deep copies: a JSON node has one parent, and the task keeps its own.
        Settings = task.Settings.DeepClone().AsObject(),
        Data = task.Data.DeepClone().AsObject(),
        Modules = task.Modules.Select(m => new ModuleEntry(m.Name, FileOf(m.Name))).ToList(),
        Optimizers = task.Optimizers.Select(o => new OptimizerEntry(o.Name, o.Optimizer.GetType().Name, FileOf(o.Name), o.Optimizer.ScalarState())).ToList(),
        Generators = task.Generators.Select(g => SavedCheckpoint.Capture(g.Name, g.Rng)).ToList(),
        LastMetrics = lastMetrics?.Where(m => double.IsFinite(m.Value)).ToDictionary() ?? [],
        Extra = task.SaveExtra()?.DeepClone().AsObject(),
    };

    /// <summary>The tensor files of the task's state: each module's state dict, each optimiser's state tensors.</summary>
    public static IEnumerable<CheckpointFile> Files(ITrainingTask task)
    {
        foreach (var (name, module) in task.Modules)
            yield return new CheckpointFile(FileOf(name), module.StateDict(), new Dictionary<string, string> { ["module"] = name, ["task"] = task.Kind });
        foreach (var (name, optimizer) in task.Optimizers)
            yield return new CheckpointFile(FileOf(name), optimizer.State(), new Dictionary<string, string> { ["optimizer"] = optimizer.GetType().Name });
    }

    public static void Save(CheckpointStore store, ITrainingTask task, long iteration, IReadOnlyDictionary<string, double>? lastMetrics) =>
        store.Save(Manifest(task, iteration, lastMetrics), Files(task));

    /// <summary>
    /// Refuses a checkpoint that is not this run: another kind, then whatever the task's
    /// <see cref="ITrainingTask.CheckResume"/> refuses (by default, changed settings or data).
    /// </summary>
    public static void CheckResume(SavedCheckpoint saved, ITrainingTask task)
    {
        if (saved.Manifest.Task != task.Kind)
            throw new DoppelException($"the checkpoint in {saved.Dir} is from a '{saved.Manifest.Task}' run; this is a '{task.Kind}' run",
                "train into another folder (-o)");
        task.CheckResume(saved);
    }

    /// <summary>
    /// Loads every module, optimiser and generator of the task from <paramref name="saved"/>, and
    /// its extra state. The checkpoint must hold exactly the task's modules, optimisers and
    /// generators (except what <see cref="ITrainingTask.AddableOnResume"/> names, which may be
    /// missing and then keeps its initial state); anything missing or left over is reported
    /// before anything is loaded.
    /// </summary>
    public static void Restore(SavedCheckpoint saved, ITrainingTask task)
    {
        var m = saved.Manifest;
        var problems = new List<string>();
        var addable = task.AddableOnResume;
        var modules = task.Modules.Where(e => !addable.Contains(e.Name) || m.Modules.Any(s => s.Name == e.Name)).ToList();
        var optimizers = task.Optimizers.Where(e => !addable.Contains(e.Name) || m.Optimizers.Any(s => s.Name == e.Name)).ToList();
        Compare("module", m.Modules.Select(e => e.Name), modules.Select(e => e.Name), problems);
        Compare("optimiser", m.Optimizers.Select(e => e.Name), optimizers.Select(e => e.Name), problems);
        Compare("generator", m.Generators.Select(e => e.Name), task.Generators.Select(e => e.Name), problems);
        if (problems.Count > 0)
            throw new DoppelException($"the checkpoint in {saved.Dir} does not hold this run's state: {string.Join("; ", problems)}",
                "was it written by another version or kind of run? train into a new folder");
        foreach (var (name, module) in modules) saved.LoadModule(name, module);
        foreach (var (name, optimizer) in optimizers) saved.LoadOptimizer(name, optimizer);
        foreach (var (name, rng) in task.Generators) saved.LoadGenerator(name, rng);
        task.LoadExtra(m.Extra);
    }

    public static string FileOf(string name) => name + ".safetensors";

    private static void Compare(string what, IEnumerable<string> saved, IEnumerable<string> wanted, List<string> problems)
    {
        var have = saved.ToHashSet(StringComparer.Ordinal);
        var want = wanted.ToHashSet(StringComparer.Ordinal);
        foreach (string n in want.Except(have)) problems.Add($"no {what} '{n}'");
        foreach (string n in have.Except(want)) problems.Add($"an unexpected {what} '{n}'");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex SafeName();
}
