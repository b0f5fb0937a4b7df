using System.Text.Json.Nodes;
using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Training.Tests.Support;

/// <summary>The toy task behind overridable members, for tests that need one thing about it wrong.</summary>
public abstract class ToyTaskWrapper : ITrainingTask<ToyBatch>
{
    protected ToyTask Inner { get; } = new();

    public virtual string Kind => Inner.Kind;
    public string Description => Inner.Description;
    public virtual IReadOnlyList<(string Name, Module Module)> Modules => Inner.Modules;
    public virtual IReadOnlySet<string> AddableOnResume => new HashSet<string>();
    public virtual IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers => Inner.Optimizers;
    public IReadOnlyList<(string Name, Rng Rng)> Generators => Inner.Generators;
    public JsonObject Settings => Inner.Settings;
    public JsonObject Data => Inner.Data;
    public int ExamplesPerIteration => Inner.ExamplesPerIteration;
    public JsonObject? SaveExtra() => Inner.SaveExtra();
    public void LoadExtra(JsonObject? extra) => Inner.LoadExtra(extra);
    public ToyBatch MakeBatch(long iteration) => Inner.MakeBatch(iteration);
    public virtual IReadOnlyDictionary<string, double> Step(ToyBatch batch, long iteration) => Inner.Step(batch, iteration);
}
