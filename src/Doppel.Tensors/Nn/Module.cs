namespace Doppel.Tensors.Nn;

/// <summary>
/// A layer or model: owns named parameters (trained), buffers (state that is saved but not
/// trained, such as running statistics) and child modules. Names are dotted paths
/// ("encoder.conv1.weight") and are the keys of checkpoint files. A module is in training mode
/// when built; <see cref="Eval"/> switches it and every child to inference behaviour (batch norm
/// uses its running statistics, dropout passes its input through).
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private readonly HashSet<Tensor> _frozen = new(ReferenceEqualityComparer.Instance);

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    protected Tensor AddParameter(string name, Tensor value)
    {
        CheckName(name);
        Tensor.Parameter(value, name);
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers state that is saved and loaded with the parameters but never trained.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        CheckName(name);
        value.Persist();
        value.RequiresGrad = false;
        value.Name = name;
        _buffers.Add((name, value));
        return value;
    }

    protected T AddModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (name.Length == 0 || name.Contains('.'))
            throw new ArgumentException($"'{name}': a parameter, buffer or module name is one non-empty segment without dots");
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}");
    }

    /// <summary>Every parameter with its dotted name, depth first, in registration order (frozen ones too).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (name, tensor) in _parameters) yield return (prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var p in child.NamedParameters(prefix + name + ".")) yield return p;
    }

    /// <summary>The parameters an optimiser should update: every parameter that is not frozen.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedTrainableParameters(string prefix = "") =>
        NamedParameters(prefix).Where(p => p.Tensor.RequiresGrad);

    /// <summary>Every buffer with its dotted name, depth first, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, tensor) in _buffers) yield return (prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var b in child.NamedBuffers(prefix + name + ".")) yield return b;
    }

    /// <summary>This module (name "") and every descendant with its dotted path.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix.TrimEnd('.'), this);
        foreach (var (name, child) in _children)
            foreach (var m in child.NamedModules(prefix + name + ".")) yield return m;
    }

    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    public long ParameterCount => Parameters().Sum(p => (long)p.Size);

    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    // ---- modes ------------------------------------------------------------------------------

    /// <summary>Training mode (or, with false, inference mode) for this module and every descendant.</summary>
    public Module Train(bool on = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = on;
        return this;
    }

    /// <summary>Inference mode for this module and every descendant: <c>Train(false)</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Stops gradients to every parameter of this module (and its descendants): backward passes
    /// leave them without a gradient, so no optimiser changes them, while gradients still flow
    /// through the module to its inputs (a frozen discriminator still teaches the generator).
    /// </summary>
    public Module Freeze()
    {
        foreach (var (_, p) in NamedParameters()) p.RequiresGrad = false;
        return this;
    }

    /// <summary>Undoes <see cref="Freeze"/>: every parameter receives gradients again.</summary>
    public Module Unfreeze()
    {
        foreach (var (_, p) in NamedParameters()) p.RequiresGrad = true;
        return this;
    }

    // ---- state --------------------------------------------------------------------------------

    /// <summary>
    /// Parameters then buffers with their dotted names: exactly what a checkpoint stores. The
    /// tensors are the module's own (not copies): save them, do not dispose them.
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> StateDict(string prefix = "") =>
        NamedParameters(prefix).Concat(NamedBuffers(prefix)).ToList();

    /// <summary>
    /// Copies values into the parameters and buffers by name. Every entry of the module must be
    /// present with the same shape, and (with <paramref name="strict"/>) nothing else may be;
    /// any mismatch is reported, naming the entry, before anything is copied.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (name, t) in own)
        {
            if (!state.TryGetValue(name, out var v)) problems.Add($"missing '{name}'");
            else if (!ShapeUtil.SameShape(v.Shape, t.Shape)) problems.Add($"'{name}' is {ShapeUtil.Format(v.Shape)}, the module has {ShapeUtil.Format(t.Shape)}");
        }
        if (strict)
        {
            var names = own.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (string key in state.Keys)
                if (!names.Contains(key)) problems.Add($"unexpected '{key}'");
        }
        if (problems.Count > 0)
            throw new StateDictMismatchException(GetType().Name, problems);
        foreach (var (name, t) in own) state[name].Span.CopyTo(t.Span);
    }
}

/// <summary>A module with a typed forward pass, as TorchSharp's <c>Module&lt;T, TResult&gt;</c>.</summary>
public abstract class Module<TIn, TOut> : Module
{
    public abstract TOut Forward(TIn input);
}

/// <summary>A state dict that does not fit the module: every problem, by entry name.</summary>
public sealed class StateDictMismatchException(string module, IReadOnlyList<string> problems)
    : Exception($"the state does not fit {module}: {string.Join("; ", problems.Take(8))}{(problems.Count > 8 ? $" (and {problems.Count - 8} more)" : "")}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
