namespace Doppel.Tensors;

/// <summary>
/// Owns every tensor created on this thread while it is open and returns their buffers to the
/// <see cref="BufferPool"/> when disposed: one training step runs inside one scope. Tensors that
/// must outlive the scope (parameters, results kept by the caller) leave it with
/// <see cref="Tensor.KeepAlive"/> or are created while no scope is open.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly TensorScope? _parent;
    private readonly List<Tensor> _owned = [];
    private bool _disposed;

    private TensorScope()
    {
        _parent = _current;
        _current = this;
    }

    public static TensorScope Begin() => new();

    /// <summary>Makes the innermost open scope (if any) the owner of a new tensor.</summary>
    internal static void Register(Tensor tensor)
    {
        tensor.Owner = _current;
        _current?._owned.Add(tensor);
    }

    /// <summary>Hands a tensor to the enclosing scope, or to nobody (the caller disposes it).</summary>
    internal static void Release(Tensor tensor)
    {
        var parent = tensor.Owner?._parent;
        tensor.Owner = parent;
        parent?._owned.Add(tensor);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _owned)
            if (tensor.Owner == this) tensor.Dispose();
        _owned.Clear();
        _current = _parent;
    }
}
