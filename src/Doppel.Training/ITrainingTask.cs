using System.Text.Json.Nodes;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Training;

/// <summary>
/// What a training run is, as a checkpoint sees it: its kind, the modules, optimisers and
/// generators whose state is saved, and the settings and data that a resume must not change.
/// <see cref="ITrainingTask{TBatch}"/> adds the data and the step. Members with a body are
/// optional: a task implements them only when it needs to.
/// </summary>
public interface ITrainingTask
{
    /// <summary>
    /// The kind of run ("swap", "gan", "detector"), stored in state.json: a checkpoint of another
    /// kind is refused on resume. One word, stable across versions.
    /// </summary>
    string Kind { get; }

    /// <summary>What is trained, for messages ("resuming {Description} at iteration 500 from ...").</summary>
    string Description { get; }

    /// <summary>
    /// The modules to checkpoint, by name; each is saved whole (<see cref="Module.StateDict"/>:
    /// parameters and buffers) to <c>&lt;name&gt;.safetensors</c> and loaded back strictly.
    /// </summary>
    IReadOnlyList<(string Name, Module Module)> Modules { get; }

    /// <summary>
    /// The optimisers, by name: their state tensors go to <c>&lt;name&gt;.safetensors</c>, their
    /// scalars (<see cref="Optimizer.ScalarState"/>: step, learning rate, ...) to state.json.
    /// Names are file names, so they must differ from the modules' names.
    /// </summary>
    IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers { get; }

    /// <summary>
    /// Generators whose state carries from one iteration to the next (dropout, noise drawn in the
    /// step), saved with their whole state so a resumed run draws the same numbers. Batches should
    /// not need one: <see cref="ITrainingTask{TBatch}.MakeBatch"/> seeds a generator per iteration.
    /// </summary>
    IReadOnlyList<(string Name, Rng Rng)> Generators => [];

    /// <summary>
    /// Names of modules and optimisers that a checkpoint may lack, because a run can gain them at
    /// a resume (a discriminator switched on for a model trained without one): when the
    /// checkpoint has none, they keep the task's initial state and are saved from then on.
    /// Everything else must be in the checkpoint.
    /// </summary>
    IReadOnlySet<string> AddableOnResume => new HashSet<string>();

    /// <summary>
    /// Everything that decides what the run computes (model, sizes, learning rate, seed, loss
    /// weights), as JSON: saved in state.json and compared on resume. How long to train and how
    /// often to save do not belong here; they may change between sessions.
    /// </summary>
    JsonObject Settings { get; }

    /// <summary>What the run trains on (paths, counts and content fingerprints), compared on resume.</summary>
    JsonObject Data { get; }

    /// <summary>
    /// Refuses to continue <paramref name="saved"/> when it is not this run (the kind is checked
    /// before). The default compares <see cref="Settings"/> and <see cref="Data"/> field by field
    /// and names every difference (<see cref="ResumeCheck.Default"/>); a task with its own wording
    /// or looser rules implements it.
    /// </summary>
    void CheckResume(SavedCheckpoint saved) => ResumeCheck.Default(this, saved);

    /// <summary>Any other state to save in state.json (a best score, a curriculum stage); null for none.</summary>
    JsonObject? SaveExtra() => null;

    /// <summary>Restores what <see cref="SaveExtra"/> returned (null when the checkpoint has none).</summary>
    void LoadExtra(JsonObject? extra) { }
}

/// <summary>
/// A training task for <see cref="TrainingLoop{TBatch}"/>: the loop owns iteration and time
/// limits, cancellation, the NaN guard, progress, previews and checkpoints at their cadence and
/// the metrics logs; the task owns its batches and its step. Swap, GAN and detector training are
/// each one task.
/// </summary>
/// <typeparam name="TBatch">One iteration's examples; disposed by the loop after the step when it is <see cref="IDisposable"/>.</typeparam>
public interface ITrainingTask<TBatch> : ITrainingTask
{
    /// <summary>Examples one iteration trains on, for the rate ("examples/s"); 0 to show iterations/s.</summary>
    int ExamplesPerIteration { get; }

    /// <summary>
    /// The batch of iteration <paramref name="iteration"/> (0-based). It must depend only on the
    /// iteration and on data that does not change while training (seed a generator from the run's
    /// seed and the iteration), because it runs ahead on the loader thread, and because that is
    /// what makes a resumed run see the same batches as an uninterrupted one.
    /// </summary>
    TBatch MakeBatch(long iteration);

    /// <summary>
    /// One iteration: forward, backward, optimiser updates. Returns the named metrics of this
    /// iteration (losses, accuracies), which the loop checks (any NaN or infinity stops the run),
    /// logs under these names and shows. Runs inside a <c>TensorScope</c>; tensors it keeps must
    /// be persisted. Return the names in a stable order: it is the order of the log's columns.
    /// </summary>
    IReadOnlyDictionary<string, double> Step(TBatch batch, long iteration);

    /// <summary>Writes the preview of the model after <paramref name="iteration"/> iterations into <paramref name="dir"/>.</summary>
    void WritePreview(string dir, long iteration) { }

    /// <summary>A line printed when training starts (after the resume line), e.g. the model's size; null for none.</summary>
    string? Banner => null;

    /// <summary>The status line printed at each preview or checkpoint; see <see cref="TrainingStatus.Format"/>.</summary>
    string FormatStatus(TrainingStatus status) => status.Format();

    /// <summary>What to suggest when a metric becomes NaN or infinite.</summary>
    string DivergenceHint => "resume with a lower learning rate (or start again with another seed)";
}
